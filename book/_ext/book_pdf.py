"""Sphinx extension: the edition's PDF on the site, and the words of the PDF and the 404 page.

`make pdf` (tools/build_pdf.py) prints each edition into one PDF, which the site serves at
`book_pdf_path` (`pdf/<name>-<language>.pdf` under the site's root, set by
tools/build_edition.py). Here:

- every page's download menu offers that PDF, first, beside the theme's "print this page";
- the role `` {book-pdf}`the whole book as a PDF` `` links its text to it (the index pages);
- each build writes the words that the PDF and the site's 404 page need, in the edition's
  language, to `_build/words/<language>.json`: tools/build_pdf.py and the 404 page
  (tools/build_book.py, book/_root/404.html) are made outside Sphinx, but their words are
  translated here, through the catalogs of `book/_locale/`, like every other word of the
  interface (`make check` finds each `_()` and asks for its translation).
"""

import json
from pathlib import Path

from digit_pad import reader_text
from docutils import nodes
from sphinx.locale import _
from sphinx.util.docutils import SphinxRole


def link_to_the_pdf(docname, config):
    """The PDF's address, relative to the page `docname`."""
    return "../" * (docname.count("/") + 1) + config.book_pdf_path


class BookPdfRole(SphinxRole):
    """`` {book-pdf}`text` ``: the text, linked to the edition's PDF."""

    def run(self):
        url = link_to_the_pdf(self.env.docname, self.config)
        return [nodes.reference(self.rawtext, self.text, refuri=url, classes=["book-pdf"])], []


def add_menu_entry(app, pagename, templatename, context, doctree):
    """The PDF, first in the theme's download menu ("Download this page")."""
    group = next((b for b in context.get("header_buttons") or [] if b.get("label") == "download-buttons"), None)
    if group is None:
        return
    group["buttons"].insert(0, {
        "type": "link", "url": link_to_the_pdf(pagename, app.config), "text": _("Book (PDF)"),
        "icon": "fas fa-file-pdf", "tooltip": _("Download the whole book as a PDF"),
        "label": "download-book-pdf-button",
    })


def words():
    """What the PDF and the 404 page say, in the edition's language."""
    return {
        "pdf": {
            "online": _("This PDF prints a book that is also a website, where every page with code opens in Colab or Binder:"),
            "solutions": _("Solutions"),
            "solution_at_end": _("Solution at the end of the chapter."),
            "answer_at_end": _("Answer at the end of the chapter."),
            "question": _("Question {number}"),
            "digit_pad": reader_text(),
        },
        "not_found": {
            "title": _("Page not found"),
            "text": _("No page of this book lives at this address: it may have moved, or the address may be mistyped."),
            "start": _("Go to the start of the book"),
            "search_label": _("Search the book"),
            "search": _("Search"),
        },
    }


def write_words(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.config.book_build_folder) / "words"
    folder.mkdir(parents=True, exist_ok=True)
    translated = {part: {key: str(text) for key, text in texts.items()} for part, texts in words().items()}
    (folder / f"{app.config.language}.json").write_text(
        json.dumps(translated, ensure_ascii=False, indent=1) + "\n", encoding="utf8")


def setup(app):
    # Set by tools/build_edition.py: where the site serves this edition's PDF, from its root.
    app.add_config_value("book_pdf_path", "pdf/book.pdf", "html")
    app.add_role("book-pdf", BookPdfRole())
    # After the theme's buttons (501) and the reader notebooks' (510).
    app.connect("html-page-context", add_menu_entry, priority=520)
    app.connect("build-finished", write_words)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
