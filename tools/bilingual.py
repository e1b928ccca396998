"""Sphinx extension: join each page to the same page in the book's other languages.

Every edition is built into `_build/html/<language>/` from pages with the same names, so
the counterpart of `<page>` is `../<other>/<page>.html`. For each page this gives the
template `language-switch.html` its links, and adds to the page's head its translations
(`<link rel="alternate" hreflang>`, absolute) and an OpenGraph title and description in
the page's language. `book_languages` ({code: label}) and `html_baseurl` (the edition's
own URL, `<site>/<language>/`) come from `tools/build_book.py`.

It also adds the translations in `book/_locale/<language>/LC_MESSAGES/`, of strings that
Sphinx and the theme leave untranslated, as a fallback to their own catalogs.
"""

from html import escape
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from docutils import nodes


def description(doctree, length=200):
    """The page's first paragraph, shortened to about `length` characters."""
    first = next(iter(doctree.findall(nodes.paragraph)), None) if doctree else None
    text = " ".join(first.astext().split()) if first else ""
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def counterparts(app, pagename, templatename, context, doctree):
    language = app.config.language
    site = app.config.html_baseurl.removesuffix(f"{language}/")
    up = "../" * (pagename.count("/") + 1)
    others = {code: label for code, label in app.config.book_languages.items() if code != language}
    context["translations"] = [
        {"code": code, "label": label, "url": f"{up}{code}/{pagename}.html"}
        for code, label in others.items()
    ]
    summary = escape(description(doctree))
    head = [
        f'<link rel="alternate" hreflang="{code}" href="{site}{code}/{pagename}.html">'
        for code in others
    ]
    head += [
        f'<meta property="og:{name}" content="{value}">'
        for name, value in [
            ("title", escape(context.get("title", ""))),
            ("description", summary),
            ("type", "article"),
            ("url", f"{site}{language}/{pagename}.html"),
            ("site_name", escape(app.config.html_title)),
            ("locale", language),
        ]
    ]
    head.append(f'<meta name="description" content="{summary}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(head)


def add_missing_theme_translations(app):
    """Each `book/_locale/<language>/LC_MESSAGES/<catalog>.po` (for example `booktheme`,
    `sphinx`), compiled and added after the catalog of that name that is already loaded."""
    locale = Path(app.doctreedir) / "locale"
    for po in sorted((Path(app.srcdir).parent / "_locale" / app.config.language).glob("*/*.po")):
        mo = locale / app.config.language / "LC_MESSAGES" / f"{po.stem}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source, mo.open("wb") as target:
            write_mo(target, read_po(source, locale=app.config.language))
        app.add_message_catalog(po.stem, str(locale))


def setup(app):
    app.add_config_value("book_languages", {}, "html")
    # Set by tools/build_book.py: when our tooling changes, Sphinx re-reads every page.
    app.add_config_value("book_tooling_digest", "", "env")
    app.connect("builder-inited", add_missing_theme_translations)
    app.connect("html-page-context", counterparts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
