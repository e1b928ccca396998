"""The build fails loudly, naming the page, on every kind of fault; fixture books prove it."""

import pytest

from tests.book import LANGUAGES
from tests.fixture_book import FixtureBook, cell, executions, failed_code, lines_with, page

FIRST, SECOND = LANGUAGES[:2]
# Tests that read the log of the shared faulty book (tests/fixture_book.py's FAULTY_PAGES).
faulty = pytest.mark.xdist_group("faulty-book")


@pytest.mark.xdist_group("good-book")
def test_a_good_page_builds(good_book_built):
    book, status, log, snapshot = good_book_built
    assert status == 0, log
    assert "42" in (snapshot / "_build" / "html" / FIRST / "index.html").read_text(encoding="utf8")


@faulty
def test_every_failing_page_is_reported_and_runs_once(faulty_build):
    book, status, log = faulty_build
    assert status != 0
    assert lines_with(log, f"book/{FIRST}/zero.md", "ZeroDivisionError"), log[-3000:]
    assert lines_with(log, f"book/{FIRST}/sqrt.md", "ValueError: math domain error"), log[-3000:]
    # Each failing page ran in the first edition only, and the build said so.
    assert executions(log, "zero") == executions(log, "sqrt") == 1, log[-3000:]
    assert {"zero", "sqrt"} <= set(failed_code(log)), failed_code(log)


@faulty
def test_the_second_edition_still_reports_its_own_faults(faulty_build):
    book, status, log = faulty_build
    assert status != 0
    assert lines_with(log, f"book/{FIRST}/own.md", "ZeroDivisionError"), log[-3000:]
    assert lines_with(log, f"book/{SECOND}/own.md", "nowhere"), log[-3000:]


@faulty
def test_output_on_stderr_fails_the_build(faulty_build):
    book, status, log = faulty_build
    assert status != 0
    assert lines_with(log, f"book/{FIRST}/warn.md", "stderr"), log[-3000:]


def test_a_broken_reference_fails_every_time(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", text="Ver {ref}`no-such-label`.")})
    first, log = book.build()
    assert first != 0 and "no-such-label" in log and f"book/{FIRST}/index.md" in log
    again, log = book.build()  # nothing changed: the failure must not hide in an incremental build
    assert again != 0 and "no-such-label" in log


def test_a_missing_translation_fails_the_build(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": {FIRST: page("Hola"), SECOND: None}})
    status, log = book.build()
    assert status != 0
    assert f"book/{SECOND}" in log and "index" in log.split(f"book/{SECOND}", 1)[1][:200]


def test_different_code_in_the_editions_is_a_build_error(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": {FIRST: page("Hola", cell("print(1)")),
                                                     SECOND: page("Hello", cell("print(2)"))}})
    status, log = book.build()
    assert status != 0
    assert f"book/{SECOND}/index.md: code cell 2 differs from book/{FIRST}/index.md" in log
    assert executions(log) == 0 and not (book.root / "_build" / "html").exists()
