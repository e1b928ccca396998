"""Words chosen by the run (book/_ext/if_run.py): the build keeps the passage whose glued
condition holds, on the page and in the reader notebook, and drops the other."""

import subprocess
import sys

import nbformat
import pytest

from tests.book import LANGUAGES
from tests.fixture_book import FixtureBook, cell, lines_with, page

GLUE = "glue('tie', 96.2 == 96.2, display=False)\nglue('count', 3, display=False)"
TEXT = """:::{if-run} tie
The two digits tie: CHOSEN-PASSAGE.
:::

:::{if-run} not tie
One digit is lower: DROPPED-PASSAGE.
:::
"""


def test_the_build_keeps_the_passage_whose_condition_holds(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell(GLUE), text=TEXT)})
    status, log = book.build()
    assert status == 0, log[-3000:]
    for lang in LANGUAGES:
        html = book.html(lang)
        assert "CHOSEN-PASSAGE" in html and "DROPPED-PASSAGE" not in html
        notebook = nbformat.read(book.root / "_build" / "notebooks" / lang / "index.ipynb", as_version=4)
        text = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert "CHOSEN-PASSAGE" in text and "DROPPED-PASSAGE" not in text and "if-run" not in text


@pytest.mark.xdist_group("faulty-book")
def test_a_condition_that_is_no_boolean_fails_the_build(faulty_build):
    book, status, log = faulty_build  # its page `count` glues 3 and has `{if-run} count`
    assert status != 0
    assert "`{if-run}` needs a glued boolean: 'count' is '3'" in log, log[-3000:]
    assert lines_with(log, "count.md", "needs a glued boolean"), log[-3000:]


def test_make_check_wants_a_passage_for_each_outcome(tmp_path):
    text = TEXT.split(":::\n\n")[0] + ":::\n"  # the `tie` passage alone
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell(GLUE), text=text)})
    result = subprocess.run([sys.executable, "-m", "tools.check_pages"], cwd=book.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if "[if_run_writes_every_outcome]" in line] == [
        f"{lang}/index: has `{{if-run}} tie` but no `{{if-run}} not tie`  [if_run_writes_every_outcome]"
        for lang in LANGUAGES], result.stdout
