"""Sphinx extension: a page whose code failed says why first, and nothing that follows from it.

When a page's code fails, MyST-NB warns "Executing notebook failed", with the cell and its
traceback, and then every glued number, figure and drawing pad of the page warns in turn
that its value is missing: dozens of lines under which the cause is lost. Here:

- the failure's warning starts with its cause, the error's last line ("ValueError: ...
  does not have the SHA-256 ..."), and the cell and traceback follow;
- the warnings that only follow from it (missing glue values, the figures and pads made of
  them, references to those figures; not a reference to anything else) are held back, and one line at the end of the build
  says how many, on which page. The build still fails: the failure itself is a warning.

`tools/build_book.py` builds the editions one after another; when a page's code fails in
the first, the others do not run the same code again (`book_skipped_pages`, not executed).
Such a page has no outputs at all: its warnings of that kind are held back from the start
(the first edition reported the real failure), and one line says so. Every other warning,
on that page or another, still shows and fails the build.

An edition's process can also die without a word (the out-of-memory killer, `kill -9`):
the page it is reading, whose code runs then, is written to `_build/tmp/reading-<language>`,
so that `tools/build_book.py` can name it.
"""

import logging
import re
from collections import Counter
from pathlib import Path

from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger(__name__)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TYPE_SUFFIX = re.compile(r"\s*(\[[\w.]+\])\s*$")
FAILED = "Executing notebook failed"
# What a page's missing outputs make MyST-NB's glue and our drawing pad say.
KNOCK_ON = re.compile(r"found in glue data|Notebook exception traceback saved in")
# A reference to a label that only a glued figure defines: it fails when the figure does.
REFERENCE = re.compile(r"(?:undefined label|cross reference)[^']*'([^']+)'")
GLUED_FIGURE = re.compile(r"^[`:]{3,}\{glue:figure\}[^\n]*\n(?::[\w-]+:.*\n)*?:name:\s*(\S+)", re.M)


def page_of(record):
    """The docname (the file's stem) that a log record is about, or None."""
    location = getattr(record, "location", None)
    if isinstance(location, tuple):
        location = location[0]
    source = getattr(location, "source", None) or str(location or "")
    return Path(source.split(":")[0]).stem or None


def cause_first(message):
    """MyST-NB's failure message with the error's last line brought up to its first (and the
    warning's `[type.subtype]`, if Sphinx has added it already, kept on that line)."""
    suffix = TYPE_SUFFIX.search(message)
    body = message[:suffix.start()] if suffix else message
    lines = [line.strip() for line in ANSI.sub("", body).splitlines() if line.strip()]
    if len(lines) < 2:
        return message
    head, _, rest = body.partition("\n")
    tag = f" {suffix.group(1)}" if suffix else ""
    if len(lines) == 2:  # the cause alone, no traceback
        return f"{head}: {rest.strip()}{tag}"
    return f"{head}: {lines[-1]}{tag}\n(the failing cell and its traceback follow)\n{rest.rstrip()}\n"


class FailedPagesFilter(logging.Filter):
    def __init__(self, app, skipped):
        super().__init__()
        self.app = app
        self.failed = set(skipped)  # pages without outputs: skipped here, or failed now
        self.held_back = Counter()

    def follows_from_failure(self, record, page, message):
        """A warning that the page's missing outputs explain: a missing glued value, or a
        reference to one of its glued figures. A reference to anything else still shows."""
        if getattr(record, "type", None) == "mystnb" or KNOCK_ON.search(message):
            return True
        reference = REFERENCE.search(message)
        if reference is None:
            return False
        source = Path(self.app.env.doc2path(page))
        return source.is_file() and reference.group(1) in GLUED_FIGURE.findall(source.read_text(encoding="utf8"))

    def filter(self, record):
        page = page_of(record)
        message = record.getMessage()
        if getattr(record, "subtype", None) == "exec" and message.startswith(FAILED):
            self.failed.add(page)
            record.msg, record.args = cause_first(message), ()
            return True
        if page in self.failed and self.follows_from_failure(record, page, message):
            self.held_back[page] += 1
            return False
        return True


def hold_back_knock_on_warnings(app):
    skipped = app.config.book_skipped_pages
    app.book_failed_pages = FailedPagesFilter(app, skipped)
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, sphinx_logging.WarningStreamHandler):
            handler.filters.insert(0, app.book_failed_pages)
    if skipped:
        logger.info("Not executed, because their code failed in an earlier edition: %s", ", ".join(skipped))


def say_what_was_held_back(app, exception):
    skipped = set(app.config.book_skipped_pages)
    for page, count in sorted(app.book_failed_pages.held_back.items()):
        if page not in skipped:
            what = "1 more warning held back: it follows" if count == 1 else f"{count} more warnings held back: they follow"
            logger.info(f"{app.env.doc2path(page)}: {what} from the page's failed code.")


def reading_file(build_folder, language):
    """Where an edition's process keeps the name of the page it is reading."""
    return Path(build_folder) / "tmp" / f"reading-{language}"


def note_the_page_being_read(app, docname, source):
    build_folder = getattr(app.config, "book_build_folder", "")  # tools/build_edition.py sets it
    if build_folder:
        path = reading_file(build_folder, app.config.language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(app.env.doc2path(docname)), encoding="utf8")


def setup(app):
    app.add_config_value("book_skipped_pages", [], "env")
    app.connect("builder-inited", hold_back_knock_on_warnings)
    app.connect("build-finished", say_what_was_held_back)
    app.connect("source-read", note_the_page_being_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
