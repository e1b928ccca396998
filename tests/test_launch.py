"""Colab, Binder, the download button and the repository buttons, and the workflow that
publishes the reader notebooks they open to the `notebooks` branch."""


import pytest

from tests.book import BUILD, CONFIG, HTML, LANGUAGES, pages, pages_with_code, reader_notebook, words, workflow

REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]
ORG_REPO = REPOSITORY.removeprefix("https://github.com/")
SETTINGS = CONFIG["sphinx"]["config"]
NOTEBOOKS_BRANCH = SETTINGS["reader_notebooks_branch"]
EVERY_PAGE = [(lang, page) for lang in LANGUAGES for page in pages(lang)]
CODE_PAGES = [(lang, page) for lang in LANGUAGES for page in pages_with_code()]
def header_links(html, lang, page):
    """{href: title} of the page's header buttons."""
    return {a["href"]: a.get("title", "") for a in html(lang, page).select(".article-header-buttons a[href]")}


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_colab_binder_and_download_open_this_pages_reader_notebook(lang, page, html):
    links = header_links(html, lang, page)
    colab = (f"https://colab.research.google.com/github/{ORG_REPO}/blob/{NOTEBOOKS_BRANCH}/"
             f"{lang}/{page}.ipynb")
    binder = f"https://mybinder.org/v2/gh/{ORG_REPO}/{NOTEBOOKS_BRANCH}?urlpath=lab/tree/{lang}/{page}.ipynb"
    download = f"_notebooks/{page}.ipynb"
    launch = [href for href in links if "colab.research.google.com" in href or "mybinder.org" in href]
    assert sorted(launch) == sorted([colab, binder]), f"{lang}/{page}: {launch}"
    launch_on = words(lang, "Launch on", "booktheme")  # the theme's words, in the edition's language
    assert links[colab] == f"{launch_on} Colab"
    assert links[binder] == f"{launch_on} Binder"
    assert links.get(download) == words(lang, "Download notebook file", "booktheme"), f"{lang}/{page}: no download of {download}"
    served = HTML / lang / download
    assert served.read_bytes() == reader_notebook(lang, page).read_bytes()


@pytest.mark.parametrize("lang, page", [(l, p) for l, p in EVERY_PAGE if p not in pages_with_code()])
def test_a_page_without_code_offers_no_notebook(lang, page, html):
    links = header_links(html, lang, page)
    assert not [href for href in links if "colab" in href or "mybinder" in href or href.endswith(".ipynb")]


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_repository_buttons(lang, page, html):
    links = header_links(html, lang, page)
    for expected in (
        REPOSITORY,
        f"{REPOSITORY}/edit/{BRANCH}/book/{lang}/{page}.md",  # the edit button edits the source
        f"_sources/{page}.md",
    ):
        assert expected in links, f"{lang}/{page}: no button to {expected}"
    assert any(link.startswith(f"{REPOSITORY}/issues/new") for link in links)
    assert (HTML / lang / "_sources" / f"{page}.md").is_file()


def test_the_site_publishes_no_executed_notebook():
    """MyST-NB's executed notebooks (with their `glue` cells) stay out of the site."""
    assert not (HTML / "jupyter_execute").exists()
    for lang in LANGUAGES:
        assert not list((HTML / lang / "_sources").glob("*.ipynb"))
        assert (BUILD / "jupyter_execute" / lang).is_dir()


# --- Publishing the notebooks branch -----------------------------------------------------

def test_the_build_hands_its_notebooks_to_the_publishing_job():
    data = workflow("publish.yml")
    uploads = [s for s in data["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["path"] for u in uploads] == ["_build/notebooks"]
    job = data["jobs"]["notebooks"]
    assert "build" in job["needs"]
    downloads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert [d["with"]["name"] for d in downloads] == [uploads[0]["with"]["name"]]


def test_only_the_notebooks_job_may_write_and_only_that():
    data = workflow("publish.yml")
    assert data["permissions"] == {"contents": "read"}
    job = data["jobs"]["notebooks"]
    assert job["permissions"] == {"contents": "write"}
    uses = [step.get("uses", "") for step in job["steps"]]
    assert not [u for u in uses if u.startswith("actions/checkout@")], "the job must not hold the sources"
    assert [u.split("@")[0] for u in uses] == ["actions/download-artifact", "peaceiris/actions-gh-pages"]
    assert not [step for step in job["steps"] if "run" in step], "no step of our own writes to the repository"
    for name, other in data["jobs"].items():
        if name != "notebooks":
            assert "contents" not in other.get("permissions", {}), f"{name} may write contents"


def test_the_notebooks_branch_holds_exactly_the_notebooks_folder():
    """peaceiris/actions-gh-pages replaces the branch's files with the downloaded
    _build/notebooks/ (keep_files: false removes a page that is gone), adds nothing of its
    own (no .nojekyll), and makes no commit when nothing changed (its default)."""
    job = workflow("publish.yml")["jobs"]["notebooks"]
    download, push = job["steps"]
    options = push["with"]
    assert options["publish_dir"] == download["with"]["path"]
    assert options["publish_branch"] == NOTEBOOKS_BRANCH
    assert options["keep_files"] is False and options["enable_jekyll"] is True
    assert options["github_token"] == "${{ secrets.GITHUB_TOKEN }}"
    assert "allow_empty_commit" not in options and "force_orphan" not in options


def test_the_build_writes_what_the_branch_needs():
    folder = BUILD / "notebooks"
    for name in ("requirements.txt", "runtime.txt", "README.md"):
        assert (folder / name).is_file(), f"{folder / name} is missing: run `make html` first"
    for lang in LANGUAGES:
        for page in pages_with_code():
            assert (folder / lang / f"{page}.ipynb").is_file()
