"""Colab, Binder, the repository buttons and the notebooks they open."""

import subprocess
from urllib.parse import quote

import jupytext
import nbformat
import pytest
import yaml

from book import BOOK, CONFIG, HTML, LANGUAGES, ROOT, pages, pages_with_code

REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]
ORG_REPO = REPOSITORY.removeprefix("https://github.com/")
EVERY_PAGE = [(lang, page) for lang in LANGUAGES for page in pages(lang)]
CODE_PAGES = [(lang, page) for lang in LANGUAGES for page in pages_with_code()]
FIX = "run `make notebooks` and commit the result"


def cells(notebook):
    return [(c.cell_type, c.source.strip(), c.metadata.get("tags", [])) for c in notebook.cells]


def tracked(path):
    """Whether git tracks `path` (a file only in the working tree is not on GitHub)."""
    listed = subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT,
                            capture_output=True)
    return listed.returncode == 0


def header_links(html, lang, page):
    return [a["href"] for a in html(lang, page).select(".article-header-buttons a[href]")]


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_colab_opens_this_page_notebook(lang, page, html):
    expected = f"https://colab.research.google.com/github/{ORG_REPO}/blob/{BRANCH}/book/{lang}/{page}.ipynb"
    colab = [href for href in header_links(html, lang, page) if "colab.research.google.com" in href]
    assert colab == [expected], f"{lang}/{page}: Colab button {colab}"
    assert tracked(BOOK / lang / f"{page}.ipynb"), f"book/{lang}/{page}.ipynb is not committed: {FIX}"


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_binder_opens_this_page_notebook(lang, page, html):
    expected = f"https://mybinder.org/v2/gh/{ORG_REPO}/{BRANCH}?urlpath=lab/tree/book/{lang}/{page}.ipynb"
    binder = [href for href in header_links(html, lang, page) if "mybinder.org" in href]
    assert binder == [expected], f"{lang}/{page}: Binder button {binder}"


def test_binder_builds_the_environment_the_pages_need():
    # repo2docker reads these two files at the top of the repository.
    requirements = (ROOT / "requirements.txt").read_text().lower()
    for package in ("tensorflow==", "keras==", "matplotlib==", "myst-nb=="):
        assert package in requirements
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_repository_buttons(lang, page, html):
    links = header_links(html, lang, page)
    for expected in (
        REPOSITORY,
        f"{REPOSITORY}/edit/{BRANCH}/book/{lang}/{page}.md",
        f"_sources/{page}.md",
        f"_sources/{page}.ipynb",
    ):
        assert expected in links, f"{lang}/{page}: no button to {expected}"
    assert any(link.startswith(f"{REPOSITORY}/issues/new") for link in links)
    for download in (f"_sources/{page}.md", f"_sources/{page}.ipynb"):
        assert (HTML / lang / download).is_file(), f"{lang}/{page}: {download} is not in the site"
