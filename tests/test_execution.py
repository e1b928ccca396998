"""Every code cell of every page runs, once per page, with clean outputs."""

import re

import pytest

from book import glued, pages_with_code, text_outputs

JUNK = {
    "a repr with a memory address": re.compile(r" at 0x[0-9a-f]{6,}"),
    "progress-bar backspaces or carriage returns": re.compile(r"[\b\r]"),
    "a TensorFlow start-up log": re.compile(r"oneDNN|cuda|absl::|TF_ENABLE_ONEDNN_OPTS|cpu_feature_guard"),
}


@pytest.mark.parametrize("page", pages_with_code())
def test_every_code_cell_ran_without_error(page, notebooks):
    notebook = notebooks(page)
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.execution_count, f"{page}: cell {number} did not run"
            errors = [o for o in cell.outputs if o["output_type"] == "error"]
            assert not errors, f"{page}: cell {number} raised {errors[0]['ename']}"


@pytest.mark.parametrize("page", pages_with_code())
def test_nothing_on_stderr(page, notebooks):
    stderr = [
        (number, output["text"])
        for number, cell in enumerate(notebooks(page).cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("name") == "stderr"
    ]
    assert not stderr, f"{page}: cell {stderr[0][0]} wrote to stderr: {stderr[0][1][:300]}"


@pytest.mark.parametrize("page", pages_with_code())
def test_no_junk_in_outputs(page, notebooks):
    for number, text in text_outputs(notebooks(page)):
        for what, pattern in JUNK.items():
            assert not pattern.search(text), f"{page}: cell {number} shows {what}: {text[:300]!r}"


@pytest.mark.parametrize("page", pages_with_code())
def test_one_line_per_training_epoch(page, notebooks):
    for number, text in text_outputs(notebooks(page)):
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if re.fullmatch(r"Epoch \d+/\d+", line):
                following = lines[i + 1] if i + 1 < len(lines) else ""
                assert re.match(r"\d+/\d+ - ", following), (
                    f"{page}: cell {number}: epoch line not followed by one summary line: {following!r}"
                )


def test_first_network_reaches_its_accuracy(notebooks):
    values = glued(notebooks("01-first-neural-network"))
    assert float(values["test_accuracy"]) >= 0.92
    assert float(values["train_accuracy"]) >= float(values["test_accuracy"]) - 0.01


def test_first_prediction_is_right_as_the_prose_says(notebooks):
    outputs = "".join(text for _, text in text_outputs(notebooks("01-first-neural-network")))
    predicted = re.search(r"predicted: (\d)", outputs).group(1)
    label = re.search(r"label: +(\d)", outputs).group(1)
    assert predicted == label
