"""Sphinx extension: join each page to the same page in the book's other languages.

Every edition is built into `_build/html/<language>/` from pages with the same names, so
the counterpart of `<page>` is `../<other>/<page>.html`. For each page this gives the
template `language-switch.html` its links, and adds to the page's head its translations
(`<link rel="alternate" hreflang>`, absolute) and an OpenGraph title and description in
the page's language. `book_languages` ({code: label}) and `html_baseurl` (the edition's
own URL, `<site>/<language>/`) come from `tools/build_book.py`.

It also loads the theme's catalog from `book/_locale/<language>/LC_MESSAGES/` (strings
that sphinx-book-theme leaves untranslated); Sphinx loads the `sphinx` catalog there.
"""

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.util.i18n import CatalogRepository


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


def add_theme_catalogs(app):
    """Sphinx compiles and loads the `sphinx` catalog of `locale_dirs` itself, before its
    own. The theme's `booktheme` strings live in a catalog of their own, which Sphinx only
    loads from the theme's folder: compile ours with Sphinx's catalog tools and add it
    after the theme's."""
    repository = CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language, "utf-8")
    for catalog in repository.catalogs:
        if catalog.domain != "sphinx":
            if catalog.is_outdated():
                catalog.write_mo(app.config.language)
            app.add_message_catalog(catalog.domain, str(Path(catalog.base_dir).parent.parent))


def setup(app):
    app.add_config_value("book_languages", {}, "html")
    # Set by tools/build_book.py: when our tooling changes, Sphinx re-reads every page.
    app.add_config_value("book_tooling_digest", "", "env")
    app.connect("builder-inited", add_theme_catalogs)
    app.connect("html-page-context", counterparts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
