import pytest

from tests.book import HTML, executed


@pytest.fixture(scope="session")
def run():
    """run(page) -> the page's executed notebook and its glued values (tests/book.py's Run)."""
    return executed


@pytest.fixture(scope="session")
def html():
    """The built HTML of a page: html(lang, page) -> BeautifulSoup."""
    from bs4 import BeautifulSoup

    def get(lang, page):
        path = HTML / lang / f"{page}.html"
        assert path.is_file(), f"{path} is missing: run `make html` first"
        return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")

    return get
