"""A failing claim test says, before anything else, which page and which sentence it
protects, as the reader sees the sentence, and the values that broke it
(tests/claims/conftest.py), in `make test` as in `make robust`."""

import os
import subprocess
import sys

from tests.book import ANSI, ROOT, executed
from tools.robustness import read_results

PAGE = "01-first-neural-network"
# A claim made fragile on purpose: the real sentence of `small_train_test_gap`, held to a
# gap no run gives.
FRAGILE = f'''
import pytest
from tests.book import executed

PAGE = "{PAGE}"


@pytest.fixture
def run():
    return executed


def test_small_train_test_gap(run):
    assert run(PAGE).glue["accuracy_gap_points"] < 0.001
'''


def test_a_failing_claim_names_its_page_sentence_and_values_first(tmp_path):
    glue = executed(PAGE).glue  # fails first, saying so, when the book is not built
    (tmp_path / "test_fragile.py").write_text(FRAGILE)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path), "-p", "tests.claims.conftest", "-p", "no:cacheprovider",
         "-o", "addopts=", "-rf", f"--rootdir={tmp_path}", f"--junitxml={tmp_path / 'claims.xml'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "300"})  # room for the summary line's message
    out = ANSI.sub("", done.stdout)
    assert done.returncode == 1, out
    failure = out.split(" test_small_train_test_gap ")[1]
    lines = failure.strip("_ \n").splitlines()
    assert lines[0] == f"The claim `small_train_test_gap` of {PAGE} does not hold in this run.", lines[:3]
    test_accuracy = f"{glue['test_accuracy']:.1%}"
    assert lines[1].startswith('  It says: "On the test set the model reaches ' + test_accuracy), lines[1]
    assert lines[2].startswith(f"  What broke it: assert {glue['accuracy_gap_points']} < 0.001"), lines[2]
    summary = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert summary and f"{PAGE}: claim `small_train_test_gap` does not hold: assert" in summary[0], summary
    # make robust reads the same report from pytest's XML and prints what it says first.
    outcome, line, said = read_results(tmp_path / "claims.xml")["test_fragile", "test_small_train_test_gap"]
    assert outcome == "fails" and line == summary[0].split(" - ", 1)[1], (line, summary[0])
    assert said.splitlines()[:3] == lines[:3], said
