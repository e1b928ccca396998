"""Sphinx extension: join each page to the same page in the book's other languages.

Every edition is built into `_build/html/<language>/` from pages with the same names, so
the counterpart of `<page>` is `../<other>/<page>.html`. For each page this gives the
template `language-switch.html` its links and adds `<link rel="alternate" hreflang>`
to the page's head. `book_languages` ({code: label}) comes from `tools/build_book.py`.
"""


def counterparts(app, pagename, templatename, context, doctree):
    up = "../" * (pagename.count("/") + 1)
    context["translations"] = links = [
        {"code": code, "label": label, "url": f"{up}{code}/{pagename}.html"}
        for code, label in app.config.book_languages.items()
        if code != app.config.language
    ]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{link["code"]}" href="{link["url"]}">'
        for link in links
    )


def setup(app):
    app.add_config_value("book_languages", {}, "html")
    app.connect("html-page-context", counterparts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
