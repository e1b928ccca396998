"""Sphinx extension: join each page to the same page in the book's other languages.

Every edition is built into `_build/html/<language>/` from pages with the same names, so
the counterpart of `<page>` is `../<other>/<page>.html`. For each page this gives the
template `language-switch.html` its links, and adds to the page's head its translations
(`<link rel="alternate" hreflang>`, absolute). `book_languages` ({code: label}) and
`html_baseurl` (the edition's own URL, `<site>/<language>/`) come from
`tools/build_edition.py`. (sphinxext-opengraph writes the OpenGraph tags, and
sphinx-sitemap the sitemap with the same translations.)

It also loads the theme's catalog from `book/_locale/<language>/LC_MESSAGES/` (strings
that sphinx-book-theme leaves untranslated); Sphinx loads the `sphinx` catalog there.
"""

from pathlib import Path

from sphinx.util.i18n import CatalogRepository


def counterparts(app, pagename, templatename, context, doctree):
    language = app.config.language
    site = app.config.html_baseurl.removesuffix(f"{language}/")
    up = "../" * (pagename.count("/") + 1)
    others = {code: label for code, label in app.config.book_languages.items() if code != language}
    context["translations"] = [
        {"code": code, "label": label, "url": f"{up}{code}/{pagename}.html"}
        for code, label in others.items()
    ]
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(
        f'<link rel="alternate" hreflang="{code}" href="{site}{code}/{pagename}.html">'
        for code in others
    )


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
