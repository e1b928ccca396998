"""Sphinx extension: mend three flaws of the HTML that the book's toolchain writes.

Each was found by the browser tests (console errors, axe-core) and each is fixed upstream
only in releases that Jupyter Book 1 cannot use, or not at all.
"""

from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
from sphinx.writers.html5 import HTML5Translator


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Sphinx 7.4 lists some inline scripts twice (fixed in Sphinx 8.2); the second
    `const THEBE_JS_URL` then raises an error in the browser."""
    unique = {}
    for script in context.get("script_files", []):
        # An inline script's filename is None or "", depending on how it was added.
        key = (script.filename or "", sorted(script.attributes.items()))
        unique.setdefault(repr(key), script)
    context["script_files"][:] = unique.values()


def visit_hidden_code(self, node):
    """MyST-NB's toggle for hidden code, without the English aria-label that hid its
    visible (translated) text from its accessible name."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n')
    for state, prompt in (("collapsed", node["prompt_show"]), ("expanded", node["prompt_hide"])):
        self.body.append(f'<p class="{state} admonition-title">{escape(prompt)}</p>\n')
    self.body.append("</summary>\n")


def visit_citation(self, node):
    """Docutils' bibliography entry, as a `listitem` of its `role="list"`: the role it
    used, `doc-biblioentry`, is deprecated and leaves the list without items."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app):
    # Last, after every handler that adds a script to the page.
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_code, depart_HideCellInput))
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
