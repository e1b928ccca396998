"""Each page's reader notebook, assembled from its converted cells and written where the
`notebooks` branch and the site's download button take it.

The first cell is the page's title, a line linking to the web page and to the same notebook
in the other languages, how to run it (and ask Colab for a GPU), what TensorFlow's start-up
lines are, what the bold numbers are, how the exercises are checked and where the figures
appear; the hidden cell of the exercises' checks follows it (checks.py). The notebook has no
outputs, a `python3` kernelspec and a Colab name; Colab starts with the solutions' sections
collapsed (`collapsed_sections`).
"""

from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging

from .buttons import colab_url, is_notebook
from .convert import COLLAPSED_HEADING, Markdown, Page, ReaderNotebook, Unsupported
from .markdown import escape

logger = logging.getLogger(__name__)


def preamble(app, docname, doctree, page):
    """The first cell's lines, after the title, in the edition's language."""
    config = app.config
    others = [f"[{label}]({colab_url(app, code, docname)})"
              for code, label in config.book_languages.items() if code != config.language]
    runnable = _("This notebook is the runnable version of [this page]({page}) of *{book}*, "
                 "generated from it when the book was built.")
    lines = [str(runnable).format(page=page.url, book=escape(config.html_title))
             + (f" {_('This notebook in other languages:')} " + " · ".join(others) if others else ""),
             str(_("Run the cells in order, from the top. Everything runs on the processor (CPU); "
                   "in Colab you can ask for a GPU, which is faster, in *Runtime → Change runtime type*.")),
             str(_("When TensorFlow starts, it may print a few lines in red about oneDNN, CUDA or "
                   "cuInit: they are notices, not errors, and you can ignore them."))]
    glued = doctree.findall(lambda n: isinstance(n, nodes.inline) and "pasted-text" in n["classes"])
    if next(glued, None) is not None:
        lines.append(str(_("Numbers in **bold** in the text are the results of the run that built "
                           "the book; yours should be the same or very close.")))
    if page.exercises:
        lines.append(str(_("Each exercise has a cell for your attempt, with ____ where you write, "
                           "and under it a cell `check(N)` that says whether your answer is correct, "
                           "what is still wrong, or that you have not attempted it yet, without a "
                           "network. The hidden cell below defines it: run it first (*Run all* does).")))
    if any(page.drawn_by_the_run(image) for image in doctree.findall(nodes.image)):
        lines.append(str(_("Each figure appears under the code cell that draws it when you run it; "
                           "its caption follows.")))
    return lines


def reader_notebook(app, doctree, docname):
    """The reader notebook of a page, or None after a warning naming what it cannot show."""
    page = Page(app, docname)
    visitor = ReaderNotebook(doctree, page, preamble=preamble(app, docname, doctree, page))
    try:
        doctree.walkabout(visitor)
    except Unsupported as error:
        node = error.node
        what = f"<{node.tagname}> ({type(node).__module__}.{type(node).__name__})"
        logger.warning(
            f"the reader notebook of {docname!r} has no Markdown for the node {what}"
            + (f": {error.why}" if error.why else "")
            + f"; {error.fix}",
            location=node if node.source else docname, type="reader_notebooks",
        )
        return None
    cells, collapsed = [], []
    for number, item in enumerate(visitor.items, start=1):
        cell_id = item.id or f"cell-{number}"
        if isinstance(item, Markdown):
            metadata = dict(item.metadata)
            if metadata.get(COLLAPSED_HEADING):
                metadata["id"] = cell_id  # Colab names cells by this id
                collapsed.append(cell_id)
            cells.append(nbformat.v4.new_markdown_cell(item.text, id=cell_id, metadata=metadata))
        else:
            cells.append(nbformat.v4.new_code_cell(item.source, id=cell_id, metadata=item.metadata))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"name": f"{docname}.ipynb", "provenance": [], "toc_visible": True,
                  "collapsed_sections": collapsed},
    })
    notebook.nbformat_minor = 5
    nbformat.validate(notebook)
    return notebook


def build_folder(app):
    """`_build/`, as tools/build_edition.py sets it (`book_build_folder`): each edition builds
    into `_build/html/<language>/`."""
    return Path(app.config.book_build_folder)


def notebook_paths(app, docname):
    """Where a page's reader notebook goes: for the `notebooks` branch, and in the site."""
    return [build_folder(app) / "notebooks" / app.config.language / f"{docname}.ipynb",
            Path(app.outdir) / "_notebooks" / f"{docname}.ipynb"]


def write_reader_notebook(app, doctree, docname):
    if app.builder.format != "html" or not is_notebook(app, docname):
        return
    notebook = reader_notebook(app, doctree, docname)
    text = None if notebook is None else nbformat.writes(notebook) + "\n"
    for path in notebook_paths(app, docname):
        if text is None:  # no notebook rather than an outdated one
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf8")



def remove_stale_notebooks(app, exception):
    """The notebooks of pages that are gone or have no code any more."""
    if exception is not None or app.builder.format != "html":
        return
    folder = build_folder(app) / "notebooks" / app.config.language
    for docname in {path.stem for path in folder.glob("*.ipynb")}:
        if docname not in app.env.found_docs or not is_notebook(app, docname):
            for path in notebook_paths(app, docname):
                path.unlink(missing_ok=True)
