"""Sphinx extension: a code cell whose output is too large for a page fails the build, fast.

A `print` in a loop, or an array printed whole, can put megabytes into one cell's output:
nothing failed, the page grew to that size (it is read on phones over slow networks), and
Sphinx took hours to highlight such a text (the time grows with the square of a line's
length: 100 kB took 16 s, 400 kB 150 s). As soon as a page's outputs are known (executed, or
taken from the execution cache), every code cell that shows its outputs and whose outputs pass
`book_output_limit_bytes` (500 kB, images included, as the notebook stores them) gets a
warning naming the page and the cell, which the strict build turns into an error; its
outputs are replaced by a one-line notice, so that the build stays quick and says so.
"""

import contextlib
import json

import nbformat
from myst_nb import sphinx_ as myst_nb_sphinx


def limiting_outputs(create_client, limit):
    """MyST-NB's client factory, with each code cell's outputs weighed once they are known."""

    @contextlib.contextmanager
    def client(notebook, path, nb_config, logger, *args, **kwargs):
        with create_client(notebook, path, nb_config, logger, *args, **kwargs) as nb_client:
            code = [cell for cell in nb_client.notebook.cells if cell.cell_type == "code"]
            for number, cell in enumerate(code, start=1):
                size = len(json.dumps(cell.get("outputs", [])))
                shown = not {"remove-output", "remove-cell"} & set(cell.metadata.get("tags", []))
                if shown and size > limit():
                    logger.warning(
                        f"code cell {number} writes {size / 1e6:.1f} MB of output, more than the "
                        f"{limit() / 1e6:g} MB a cell may put on a page: print less (a summary, a "
                        "few values), or tag the cell remove-output", subtype="output_size")
                    notice = f"[{size / 1e6:.1f} MB of output left out: over the book's limit]\n"
                    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=notice)]
            yield nb_client

    return client


def setup(app):
    app.add_config_value("book_output_limit_bytes", 500_000, "env")
    myst_nb_sphinx.create_client = limiting_outputs(myst_nb_sphinx.create_client,
                                                    lambda: app.config.book_output_limit_bytes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
