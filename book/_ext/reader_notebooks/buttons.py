"""The Colab, Binder and `.ipynb` header buttons of every page with code, in the theme's
look and words (sphinx-book-theme's own launch buttons are off: they would open the MyST
source), and the addresses where Colab and Binder open a reader notebook: the repository's
`notebooks` branch (`reader_notebooks_branch`), where the Publish workflow pushes them."""

import re

from sphinx.locale import get_translation

booktheme = get_translation("booktheme")


def repository(app):
    """(owner, name) of the GitHub repository named in _config.yml."""
    url = app.config.html_theme_options.get("repository_url", "")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)/?", url)
    if not match:
        raise ValueError(f"reader notebooks: `repository: url:` must be a GitHub repository, not {url!r}")
    return match.groups()


def colab_url(app, language, docname):
    owner, name = repository(app)
    return (f"{app.config.reader_notebooks_colab_url.rstrip('/')}/github/{owner}/{name}/blob/"
            f"{app.config.reader_notebooks_branch}/{language}/{docname}.ipynb")


def binder_url(app, language, docname):
    owner, name = repository(app)
    return (f"{app.config.reader_notebooks_binder_url.rstrip('/')}/v2/gh/{owner}/{name}/"
            f"{app.config.reader_notebooks_branch}?urlpath=lab/tree/{language}/{docname}.ipynb")


def is_notebook(app, docname):
    """A page that MyST-NB read as a notebook: a page with code."""
    return "kernelspec" in app.env.metadata.get(docname, {})


def add_buttons(app, pagename, templatename, context, doctree):
    """Colab, Binder and `.ipynb` entries, where sphinx-book-theme put its own."""
    buttons = context.get("header_buttons")
    if doctree is None or buttons is None or not is_notebook(app, pagename):
        return
    language = app.config.language
    launch = {"type": "group", "tooltip": booktheme("Launch interactive content"),
              "icon": "fas fa-rocket", "label": "launch-buttons", "buttons": [
                  {"type": "link", "text": "Binder", "tooltip": booktheme("Launch on") + " Binder",
                   "icon": "_static/images/logo_binder.svg", "url": binder_url(app, language, pagename)},
                  {"type": "link", "text": "Colab", "tooltip": booktheme("Launch on") + " Colab",
                   "icon": "_static/images/logo_colab.png", "url": colab_url(app, language, pagename)},
              ]}
    buttons.insert(0, launch)
    download = {"type": "link", "url": f"{context['pathto']('_notebooks', 1)}/{pagename}.ipynb",
                "text": ".ipynb", "icon": "fas fa-code", "tooltip": booktheme("Download notebook file"),
                "label": "download-notebook-button"}
    group = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if group is None:
        buttons.append({"type": "group", "tooltip": booktheme("Download this page"),
                        "icon": "fas fa-download", "buttons": [download], "label": "download-buttons"})
    else:
        group["buttons"].insert(0, download)

