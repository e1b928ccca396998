"""The build fails loudly, naming the page, on every kind of fault; fixture books prove it."""

from tests.book import LANGUAGES
from tests.fixture_book import FixtureBook, cell, executions, page

FIRST, SECOND = LANGUAGES[:2]


def test_a_good_page_builds(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("print(6 * 7)"))})
    status, log = book.build()
    assert status == 0, log
    assert "42" in book.html(FIRST)


def test_every_failing_page_is_reported_and_runs_once(tmp_path):
    book = FixtureBook(tmp_path / "book", {
        "index": page("Hola", cell("1 / 0")),
        "other": page("Otra", cell("import math\nmath.sqrt(-1)")),
    })
    status, log = book.build()
    assert status != 0
    assert f"book/{FIRST}/index.md" in log and "ZeroDivisionError" in log
    assert f"book/{FIRST}/other.md" in log and "ValueError: math domain error" in log
    # Each failing page ran in the first edition only, and the build said so.
    assert executions(log) == 2, log
    assert "The code of index, other failed; it ran in the first edition only." in log


def test_the_second_edition_still_reports_its_own_faults(tmp_path):
    broken = {FIRST: page("Hola", cell("1 / 0")), SECOND: page("Hello", cell("1 / 0"), text="See {ref}`nowhere`.")}
    book = FixtureBook(tmp_path / "book", {"index": broken})
    status, log = book.build()
    assert status != 0
    assert "ZeroDivisionError" in log and "nowhere" in log and f"book/{SECOND}/index.md" in log


def test_output_on_stderr_fails_the_build(tmp_path):
    code = "import warnings\nwarnings.warn('something is off')"
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell(code))})
    status, log = book.build()
    assert status != 0
    assert f"book/{FIRST}/index.md" in log and "stderr" in log


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
