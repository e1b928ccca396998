"""The outputs of every page, as the build executed them, are clean."""

import re

import pytest

from tests.book import LANGUAGES, pages_with_code

JUNK = {
    "a repr with a memory address": re.compile(r" at 0x[0-9a-f]{6,}"),
    "progress-bar backspaces or carriage returns": re.compile(r"[\b\r]"),
    "a TensorFlow start-up log": re.compile(r"oneDNN|cuda|absl::|TF_ENABLE_ONEDNN_OPTS|cpu_feature_guard"),
}


@pytest.mark.parametrize("page", pages_with_code())
def test_no_junk_in_outputs(page, run):
    for number, text in run(page).outputs():
        for what, pattern in JUNK.items():
            assert not pattern.search(text), f"{page}: cell {number} shows {what}: {text[:300]!r}"


@pytest.mark.parametrize("page", pages_with_code())
def test_one_line_per_training_epoch(page, run):
    for number, text in run(page).outputs():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if re.fullmatch(r"Epoch \d+/\d+", line):
                following = lines[i + 1] if i + 1 < len(lines) else ""
                assert re.match(r"\d+/\d+ - ", following), (
                    f"{page}: cell {number}: epoch line not followed by one summary line: {following!r}"
                )


@pytest.mark.parametrize("page", pages_with_code())
def test_the_executed_notebook_holds_what_the_page_shows(page, run, html):
    """The tests read the build's executed notebooks: each must hold the outputs that the
    page shows (one cell_output in the HTML per code cell with outputs, hidden ones aside)."""
    cells = [c for c in run(page).notebook.cells if c.cell_type == "code"
             and not {"remove-cell", "remove-output"} & set(c.metadata.get("tags", []))]
    with_outputs = sum(1 for c in cells if c.get("outputs"))
    shown = len(html(LANGUAGES[0], page).select("div.cell_output"))
    assert with_outputs == shown > 0, f"{page}: {with_outputs} cells with outputs, {shown} shown"
