"""Sphinx extension: the reader notebooks, what Colab, Binder and the download button open.

For every page with code, each edition's build writes the page's **reader notebook** to
`_build/notebooks/<language>/<page>.ipynb` (the Publish workflow pushes that folder to the
repository's `notebooks` branch, where Colab and Binder open it) and a copy that the site
serves for the download button, `_build/html/<language>/_notebooks/<page>.ipynb`.

A reader notebook is made from the page as the web page shows it: from the doctree once
Sphinx has resolved every reference, MyST-NB has pasted the glued values and
`typography.py` has set the numbers in the edition's language (`doctree-resolved`, priority
800). Its words come from the edition's catalog (`book/_locale/<language>/LC_MESSAGES/sphinx.po`).
One module a job:

- `convert.py`: from the doctree to Markdown and code cells (`markdown.py`: the text);
- `notebook.py`: the notebook, its first cell, and the files it is written to;
- `checks.py`: the exercises' checks (book/_checks/): their hidden cell, the starters;
- `buttons.py`: the Colab, Binder and `.ipynb` buttons of the page's header;
- `outputs.py`: MyST-NB's executed notebooks, moved out of the site, and the Binder
  environment of the `notebooks` branch.

Settings (`_config.yml`, `sphinx: config:`): `reader_notebooks_branch`,
`reader_notebooks_colab_url`, `reader_notebooks_binder_url`; `book_build_folder` (`_build/`)
comes from tools/build_edition.py.
"""

from .buttons import add_buttons
from .notebook import remove_stale_notebooks, write_reader_notebook
from .outputs import move_executed_notebooks, write_binder_environment


def setup(app):
    app.add_config_value("reader_notebooks_branch", "notebooks", "html")
    app.add_config_value("reader_notebooks_colab_url", "https://colab.research.google.com", "html")
    app.add_config_value("reader_notebooks_binder_url", "https://mybinder.org", "html")
    # `_build/`, set by tools/build_edition.py (the repository's root is its parent).
    app.add_config_value("book_build_folder", "", "env")
    # After MyST-NB's handler (500), which sets its output folder.
    app.connect("builder-inited", move_executed_notebooks, priority=600)
    # After typography.py (500) has set the numbers in the edition's language.
    app.connect("doctree-resolved", write_reader_notebook, priority=800)
    # After sphinx-book-theme's header buttons (501).
    app.connect("html-page-context", add_buttons, priority=510)
    app.connect("build-finished", remove_stale_notebooks)
    app.connect("build-finished", write_binder_environment)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
