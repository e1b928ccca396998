"""Sphinx extension: pages that a phone can show before it has downloaded everything.

- The scripts of the page's head are loaded `defer`: they run, in order, once the page is
  parsed, instead of stopping its display while each is fetched. Sphinx's
  `documentation_options.js` stays as it is, because inline scripts of the page use it at
  once; so do all the scripts of the search page, whose search scripts (which only it
  loads, book/_templates/layout.html) use Sphinx's `doctools.js` as soon as they run.
- The styles and scripts of sphinx-design, which Jupyter Book loads on every page, are
  left out of the pages that use none of its components (none, today).
- Every image gets its `width` and `height`, read from the file, so that the browser keeps
  its place before it arrives and nothing jumps; and `loading="lazy"`, so that the figures
  further down a page load only when the reader gets near them.
"""

import re
from pathlib import Path

from docutils import nodes
from sphinx.util.images import get_image_size
from sphinx.writers.html5 import HTML5Translator

KEEP_BLOCKING = {"documentation_options.js"}
DESIGN = ("sphinx-design", "design-tabs")


def uses_sphinx_design(doctree):
    return doctree is not None and any(
        any(c.startswith("sd-") for c in node.get("classes", []))
        for node in doctree.findall(nodes.Element))


def lighten(app, pagename, templatename, context, doctree):
    if not uses_sphinx_design(doctree):
        context["css_files"] = [c for c in context.get("css_files", [])
                                if not any(name in c.filename for name in DESIGN)]
        context["script_files"] = [s for s in context.get("script_files", [])
                                   if not (s.filename and any(name in s.filename for name in DESIGN))]
    if pagename == "search":
        return
    deferred = []
    for script in context.get("script_files", []):
        name = Path(str(script.filename or "").split("?")[0]).name
        if script.filename and name not in KEEP_BLOCKING and not {"async", "defer"} & set(script.attributes):
            # A new object: the builder's own is shared by every page, the search page too.
            script = type(script)(script.filename, priority=script.priority, **{**script.attributes, "defer": "defer"})
        deferred.append(script)
    context["script_files"] = deferred


def visit_image(self, node):
    """Sphinx's image, with the picture's size and lazy loading."""
    size = get_image_size(str(Path(self.builder.srcdir) / node["uri"]))
    HTML5Translator.visit_image(self, node)
    if size and "width" not in node and "height" not in node:
        width, height = size
        # The <img> tag that the visitor has just written, in the last piece of the body.
        self.body[-1] = re.sub(r"<img ", f'<img width="{width}" height="{height}" loading="lazy" ',
                               self.body[-1], count=1)


def setup(app):
    # After every handler that adds a script or a style, before shared_static.py (950).
    app.connect("html-page-context", lighten, priority=920)
    app.add_node(nodes.image, override=True, html=(visit_image, HTML5Translator.depart_image))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
