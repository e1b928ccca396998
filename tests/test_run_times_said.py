"""What each page tells its reader about the run before the first training (issues 19 and
22): how long the page's code took when the book was built, on how many cores (glued from
the page's own timing cells), and that another computer gives slightly different numbers,
without promising that they match."""

import re

import pytest

from tests.book import LANGUAGES, code_cells, pages_with_code, source

FIRST_FIT = re.compile(r"```\{code-cell\}[^`]*?\.fit\(", re.S)
# The promise that the seed made the reader's numbers match the book's, which issue 19 took back.
PROMISE = re.compile(r"numbers match|coincidan con los", re.I)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", pages_with_code())
def test_before_the_first_training_the_page_says_time_and_other_machines(lang, page):
    text = source(lang, page)
    first_fit = FIRST_FIT.search(text)
    before = text[: first_fit.start()] if first_fit else text
    assert "{glue:text}`page_seconds" in before and "{glue:text}`cpu_cores`" in before, (
        f"{lang}/{page}: say how long the page's code took, and on how many cores, before its first training")
    assert "Colab" in before and "Binder" in before, (
        f"{lang}/{page}: say, before its first training, that Colab, Binder or the reader's computer give "
        "slightly different numbers, and why")
    assert not PROMISE.search(text), f"{lang}/{page} promises that the reader's numbers match the book's"


@pytest.mark.parametrize("page", pages_with_code())
def test_the_page_times_all_of_its_code(page):
    """The clock starts in the first code cell and is read in the last one."""
    cells = [cell for cell, _meta in code_cells(LANGUAGES[0], page)]
    assert "page_started = time.perf_counter()" in cells[0], page
    assert 'glue("page_seconds", time.perf_counter() - page_started' in cells[-1], page
