"""Sphinx extension: mend seven flaws of the book's toolchain.

Each flaw was found by the tests (the browser tests, axe-core, the tests that read the
executed notebooks). Each fix names where the flaw is tracked and applies only while the
installed release still has it (a version check, or a look at the flawed code itself), so
that an upgrade that fixes it upstream retires ours.
"""

import contextlib
import inspect
import queue
from html import escape

import sphinx
import sphinx_sitemap
from docutils import nodes
from docutils.writers import _html_base
from packaging.version import Version
from jupyter_cache.executors import utils as jupyter_cache_executors
from myst_nb import sphinx_ as myst_nb_sphinx
from myst_nb.core.execute import cache as myst_nb_cache, direct as myst_nb_direct
from sphinx.writers.html5 import HTML5Translator


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Sphinx writes some inline scripts twice, and the second `const THEBE_JS_URL` then
    raises an error in the browser: sphinx-doc/sphinx#13402, fixed in Sphinx 8.2.2."""
    unique = {}
    for script in context.get("script_files", []):
        # An inline script's filename is None or "", depending on how it was added.
        key = (script.filename or "", sorted(script.attributes.items()))
        unique.setdefault(repr(key), script)
    context["script_files"][:] = unique.values()


def visit_hidden_code(self, node):
    """MyST-NB's toggle for hidden code gives its <summary> the English aria-label "Toggle
    hidden content", which hides the visible (translated) prompt from its accessible name
    (axe: label-content-name-mismatch). So in MyST-NB 1.4.0 and on its main branch
    (myst_nb/sphinx_.py, visit_HideCellInput); we found no upstream issue for it."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n')
    for state, prompt in (("collapsed", node["prompt_show"]), ("expanded", node["prompt_hide"])):
        self.body.append(f'<p class="{state} admonition-title">{escape(prompt)}</p>\n')
    self.body.append("</summary>\n")


def visit_citation(self, node):
    """Docutils gives each bibliography entry the role `doc-biblioentry`, deprecated in
    DPUB-ARIA 1.1, so that axe finds a list without items (aria-required-children). So in
    Docutils 0.21 (writers/_html_base.py, visit_citation); we found no upstream issue.
    (sphinxcontrib-bibtex's bullet list style would avoid it, but then no `{cite}` resolves:
    it links only to entries of the `citation` style.)"""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def keeping_cached_outputs(create_client):
    """MyST-NB writes each page's executed notebook (`<output folder>/<page>.ipynb`) from
    the notebook it read, not from its client's: when the outputs come from the execution
    cache, the file has none. So in MyST-NB 1.4.0 and on its main branch (sphinx_.py,
    MystNbParser.parse: `nbformat.writes(notebook)`); we found no upstream issue. The tests
    read these notebooks, so they must hold what the page shows."""

    @contextlib.contextmanager
    def client(notebook, *args, **kwargs):
        with create_client(notebook, *args, **kwargs) as nb_client:
            yield nb_client
        if nb_client.notebook is not notebook:
            notebook.cells = nb_client.notebook.cells

    return client


def reporting_a_dead_kernel(execute):
    """jupyter-cache's `single_nb_execution` turns a failing or timed-out cell into a result
    with an error, which MyST-NB reports as the page's failure; but a kernel that dies
    (`os._exit`, a crash, the memory killer) raises nbclient's DeadKernelError through it,
    and Sphinx stops with a crash report and no word of the page. So in jupyter-cache 1.0.1
    (executors/utils.py, `except (CellExecutionError, CellTimeoutError)`); we found no
    upstream issue. Report it like a failing cell: the page's error, naming the cell."""
    from nbclient.exceptions import DeadKernelError

    def execute_reporting_a_dead_kernel(nb, *args, **kwargs):
        started = []  # the index of each cell as nbclient starts it

        def note(cell, cell_index, **_):
            started.append(cell_index)

        try:
            return execute(nb, *args, on_cell_execute=note, **kwargs)
        except DeadKernelError as error:
            number = sum(cell.cell_type == "code" for cell in nb.cells[: started[-1] + 1]) if started else 1
            message = (f"The kernel died while running code cell {number} of the page: the code "
                       "crashed the Python process or ended it (os._exit, a crash in a library, "
                       "or too little memory).")
            return jupyter_cache_executors.ExecutionResult(nb, None, 0.0, error, message)

    return execute_reporting_a_dead_kernel


class SerialManager:
    """sphinx-sitemap collects the pages through a multiprocessing Manager, for parallel
    builds, even in a serial build: a server process, and a UNIX socket in the temporary
    folder, whose path overflows AF_UNIX's 108 bytes when that folder is deep (the build
    then fails at start). The cost was noted when parallel support came in
    (jdillard/sphinx-sitemap#47) and is still so in sphinx-sitemap 2.9.0. Our builds are
    serial: a plain queue does."""

    Queue = staticmethod(queue.Queue)


def note_written_page(app, pagename, templatename, context, doctree):
    app.book_written_pages.add(pagename)


def list_unwritten_pages_too(app, exception):
    """sphinx-sitemap lists only the pages written by this build, so an incremental build
    leaves the unchanged pages out of the sitemap: jdillard/sphinx-sitemap#13, open since
    2018 and still so in sphinx-sitemap 2.9.0. Before it writes the sitemap, hand it the
    other pages of the edition as well."""
    if exception is None:
        for docname in sorted(app.env.found_docs - app.book_written_pages):
            app.sitemap_links.put((app.builder.get_target_uri(docname), None))


def setup(app):
    if sphinx.version_info < (8, 2, 2):
        # Last, after every handler that adds a script to the page.
        app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    if 'aria-label="Toggle hidden content"' in inspect.getsource(myst_nb_sphinx.visit_HideCellInput):
        app.add_node(myst_nb_sphinx.HideCodeCellNode, override=True,
                     html=(visit_hidden_code, myst_nb_sphinx.depart_HideCellInput))
    if "doc-biblioentry" in inspect.getsource(_html_base.HTMLTranslator.visit_citation):
        app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    if "nbformat.writes(notebook)" in inspect.getsource(myst_nb_sphinx.Parser.parse):
        myst_nb_sphinx.create_client = keeping_cached_outputs(myst_nb_sphinx.create_client)
    if "except (CellExecutionError, CellTimeoutError)" in inspect.getsource(jupyter_cache_executors.single_nb_execution):
        for module in (myst_nb_cache, myst_nb_direct):
            module.single_nb_execution = reporting_a_dead_kernel(jupyter_cache_executors.single_nb_execution)
    if getattr(sphinx_sitemap, "Manager", None) is not None and app.parallel <= 1:
        sphinx_sitemap.Manager = SerialManager
    if Version(sphinx_sitemap.__version__) <= Version("2.9.0"):
        app.book_written_pages = set()
        app.connect("html-page-context", note_written_page)
        app.connect("build-finished", list_unwritten_pages_too, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
