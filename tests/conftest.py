import functools
import shutil

import pytest

from tests.book import HTML, executed
from tests.fixture_book import FAULTY_PAGES, GOOD_PAGES, FixtureBook


@pytest.fixture(scope="session")
def run():
    """run(page) -> the page's executed notebook and its glued values (tests/book.py's Run)."""
    return executed


@pytest.fixture(scope="session")
def html():
    """The built HTML of a page: html(lang, page) -> BeautifulSoup, parsed once in a test
    process (parsing a page took a second, and some hundred tests read the same eighteen):
    a test that changes the tree changes a copy (copy.copy of the tag)."""
    from bs4 import BeautifulSoup

    @functools.cache
    def get(lang, page):
        path = HTML / lang / f"{page}.html"
        assert path.is_file(), f"{path} is missing: run `make html` first"
        return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")

    return get


@pytest.fixture(scope="session")
def good_book_built(tmp_path_factory):
    """GOOD_PAGES built once in this test process: (book, exit code, log, snapshot), the
    snapshot being a copy of the book folder as the build left it. Tests that use it are in
    the xdist group "good-book", so that one process builds it."""
    book = FixtureBook(tmp_path_factory.mktemp("good") / "book", GOOD_PAGES)
    status, log = book.build()
    snapshot = book.root.parent / "snapshot"
    shutil.copytree(book.root, snapshot, symlinks=True)
    return book, status, log, snapshot


@pytest.fixture
def good_book(good_book_built):
    """The good book as its first build left it, at the path it was built at (Sphinx and the
    execution cache keep absolute paths, copies keep their times): a test that changes it
    starts where a fresh build leaves a book, without building it again."""
    book, status, log, snapshot = good_book_built
    assert status == 0, log[-3000:]
    shutil.rmtree(book.root)
    shutil.copytree(snapshot, book.root, symlinks=True)
    for leftover in book.tmp.iterdir():
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    return book


@pytest.fixture(scope="session")
def faulty_build(tmp_path_factory):
    """FAULTY_PAGES built once in this test process: (book, exit code, log). Tests that use
    it are in the xdist group "faulty-book", so that one process builds it."""
    book = FixtureBook(tmp_path_factory.mktemp("faulty") / "book", FAULTY_PAGES)
    status, log = book.build()
    return book, status, log
