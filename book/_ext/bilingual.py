"""Sphinx extension: join each page to the same page in the book's other languages.

Every edition is built into `_build/html/<language>/` from pages with the same names, so
the counterpart of `<page>` is `../<other>/<page>.html`. For each page this gives the
template `language-switch.html` its links, and adds to the page's head its translations
(`<link rel="alternate" hreflang>`, absolute). `book_languages` ({code: label}) and
`html_baseurl` (the edition's own URL, `<site>/<language>/`) come from
`tools/build_edition.py`. (sphinxext-opengraph writes the OpenGraph tags, and
sphinx-sitemap the sitemap with the same translations.)

It also puts our translations (`book/_locale/<language>/LC_MESSAGES/`) before those of
Sphinx, the theme and sphinx-exercise, for the strings they leave in English or word
awkwardly.
"""

import gettext

from sphinx import locale
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


def put_our_catalogs_first(app):
    """Our translations in `book/_locale/<language>/LC_MESSAGES/` win over the packages'.
    Sphinx compiles and loads the `sphinx` catalog of `locale_dirs` itself, before its own;
    the other catalogs (the theme's `booktheme`, sphinx-exercise's `exercise`) Sphinx only
    loads from each package's folder: compile ours with Sphinx's catalog tools and put each
    in front of the package's, which still answers for the strings we do not translate."""
    repository = CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language, "utf-8")
    for catalog in repository.catalogs:
        if catalog.domain == "sphinx":
            continue
        if catalog.is_outdated():
            catalog.write_mo(app.config.language)
        with open(catalog.mo_path, "rb") as mo:
            ours = gettext.GNUTranslations(mo)
        theirs = locale.translators.get(("general", catalog.domain))  # (namespace, catalog)
        if theirs is not None:
            ours.add_fallback(theirs)
        locale.translators["general", catalog.domain] = ours


def setup(app):
    app.add_config_value("book_languages", {}, "html")
    # Set by tools/build_edition.py: when our tooling changes, Sphinx re-reads every page.
    app.add_config_value("book_tooling_digest", "", "env")
    app.connect("builder-inited", put_our_catalogs_first)
    app.connect("html-page-context", counterparts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
