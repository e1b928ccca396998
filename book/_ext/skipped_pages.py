"""Sphinx extension: a page whose code failed in an edition built before this one.

`tools/build_book.py` builds the editions one after another; when a page's code fails in
the first, the others do not run the same code again (`book_skipped_pages`, not executed).
Such a page has no outputs here, so its glued numbers and figures are missing: MyST-NB's
warnings about that page are left out (the first edition reported the real failure), and
one line says so. Every other warning, on that page or another, still fails the build.
"""

import logging
from pathlib import Path

from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger(__name__)


class SkippedPagesFilter(logging.Filter):
    def __init__(self, pages):
        super().__init__()
        self.pages = set(pages)

    def filter(self, record):
        if getattr(record, "type", None) != "mystnb":
            return True
        location = getattr(record, "location", None)
        if isinstance(location, tuple):
            location = location[0]
        source = getattr(location, "source", None) or str(location or "")
        return Path(source.split(":")[0]).stem not in self.pages and source not in self.pages


def leave_out_their_warnings(app):
    skipped = app.config.book_skipped_pages
    if not skipped:
        return
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, sphinx_logging.WarningStreamHandler):
            handler.filters.insert(0, SkippedPagesFilter(skipped))
    logger.info("Not executed, because their code failed in an earlier edition: %s", ", ".join(skipped))


def setup(app):
    app.add_config_value("book_skipped_pages", [], "env")
    app.connect("builder-inited", leave_out_their_warnings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
