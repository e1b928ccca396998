"""Run every page again under other seeds and another CPU path, and hold every claim to each run.

    python -m tools.robustness [--runs NAME ...] [--pages PAGE ...]   (make robust, after make html)

A seed fixes a run's numbers on one machine only: a reader's computer, Colab or a new
TensorFlow gives slightly different ones, and no sentence of the book may depend on which.
This check runs each page with code (in the first language; the others hold the same
code) in a fresh kernel, once per run below, without changing a line of the pages: the
seed and the switch enter through the kernels' start-up, as the offline data mirror does.

    seed+1, seed+2, seed+3   every seed the page sets is shifted by 1, 2, 3
                             (BOOK_SEED_SHIFT, book/_kernel/seed_shift.py)
    onednn-off               TensorFlow's oneDNN optimisations switched off
                             (TF_ENABLE_ONEDNN_OPTS=0: other kernels, other rounding,
                             a cheap stand-in for another CPU; -on where they are off)

The executed notebooks and their glued values go to `_build/robust/<run>/`, laid out like
`_build/jupyter_execute/`; a page whose code, kernel start-up and installed packages have
not changed since its last run there is not run again. Then the claim tests
(tests/claims/) run against each of those runs (BOOK_EXECUTED) and against the build's own
run, and `benchmarks/ROBUSTNESS.md` gets the table: claim × run, and the spread of every
glued number that differs between runs. Exits 1 if any claim fails in any run; the failing
claims are printed with their page, sentence and values (tests/claims/conftest.py).
"""

import argparse
import copy
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nbformat

from tools.book_sources import ROOT, code_cells, languages, pages_with_code
from tools.build_edition import installed_digest
from tools.kernel_environment import kernel_environment, startup_files
from tools.run_page import run_page

ONEDNN = "TF_ENABLE_ONEDNN_OPTS"
# oneDNN is on by default on x86 Linux: "the other way" is off, unless the caller's
# environment has switched it off already.
ONEDNN_OTHER_WAY = "1" if os.environ.get(ONEDNN) == "0" else "0"
RUNS = {
    "seed+1": {"BOOK_SEED_SHIFT": "1"},
    "seed+2": {"BOOK_SEED_SHIFT": "2"},
    "seed+3": {"BOOK_SEED_SHIFT": "3"},
    f"onednn-{'on' if ONEDNN_OTHER_WAY == '1' else 'off'}": {ONEDNN: ONEDNN_OTHER_WAY},
}
BOOK_RUN = "book"  # the build's own run, _build/jupyter_execute
FOLDER = ROOT / "_build" / "robust"
RESULTS = ROOT / "benchmarks" / "ROBUSTNESS.md"


def run_key(page, settings):
    """What a page's run depends on: its code, the kernels' start-up, the packages, the run."""
    digest = hashlib.sha256()
    parts = [source for source, _ in code_cells(languages()[0], page)]
    parts += [path.read_text() for path in startup_files(ROOT) + sorted((ROOT / "book" / "_kernel").glob("_*.py"))]
    parts += [installed_digest(), json.dumps(settings, sort_keys=True)]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def glue_of(notebook):
    """The glued values of an executed notebook, as MyST-NB writes them beside it."""
    from myst_nb.ext.glue import extract_glue_data_cell

    notebook = copy.deepcopy(notebook)
    return {name: output for cell in notebook.cells if cell.cell_type == "code"
            for name, output in extract_glue_data_cell(cell)}


def earlier_run(page, name, settings):
    """(seconds, error) of the run of `page` in FOLDER/name, if its code, the kernels'
    start-up and the packages are still those it ran with; else None."""
    path = FOLDER / name / languages()[0] / f"{page}.ipynb"
    if path.is_file():
        done = nbformat.read(path, as_version=4).metadata.get("book_robustness", {})
        if done.get("key") == run_key(page, settings):
            return done["seconds"], done.get("error")
    return None


def execute(page, name, settings):
    """Run `page` under `settings` into FOLDER/name, unless that run is there already.
    Returns (seconds, reused, error message or None)."""
    lang = languages()[0]
    path = FOLDER / name / lang / f"{page}.ipynb"
    key = run_key(page, settings)
    if earlier := earlier_run(page, name, settings):
        return earlier[0], True, earlier[1]
    saved = {variable: os.environ.get(variable) for variable in settings}
    os.environ.update(settings)
    error = None
    start = time.perf_counter()
    try:
        notebook, seconds, _ = run_page(ROOT / "book" / lang / f"{page}.md")
    except Exception as failure:  # a failing cell: the page's claims fail in this run
        error = f"{type(failure).__name__}: {str(failure).strip().splitlines()[-1][:300]}"
        notebook, seconds = nbformat.v4.new_notebook(), time.perf_counter() - start
    finally:
        for variable, value in saved.items():
            os.environ.pop(variable) if value is None else os.environ.update({variable: value})
    notebook.metadata["book_robustness"] = {"key": key, "seconds": round(seconds, 1), "error": error}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".glue.json").write_text(json.dumps(glue_of(notebook), default=str), encoding="utf8")
    nbformat.write(notebook, path)
    return seconds, False, error


def claim_files(pages):
    """The files of tests/claims/ that hold the claims of these pages (their PAGE)."""
    files = []
    for path in sorted((ROOT / "tests" / "claims").glob("test_*.py")):
        page = re.search(r'^PAGE = "([^"]+)"', path.read_text(encoding="utf8"), re.M)
        if page and page.group(1) in pages:
            files.append(str(path.relative_to(ROOT)))
    return files


def claim_results(executed, pages):
    """Run the claim tests of `pages` against the executed notebooks in `executed` (None: the
    build's); return {(claims file, test): (outcome, message)} and pytest's exit code."""
    if not claim_files(pages):
        return {}, 0
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "claims.xml"
        env = dict(os.environ)
        env.pop("BOOK_EXECUTED", None)
        if executed:
            env["BOOK_EXECUTED"] = str(executed)
        command = [sys.executable, "-m", "pytest", *claim_files(pages), "-q", "-p", "no:cacheprovider",
                   "-o", "addopts=--strict-markers", f"--junitxml={report}"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if not report.is_file():
            sys.exit(f"pytest did not run the claim tests:\n{done.stdout}\n{done.stderr}")
        return read_results(report), done.returncode


def read_results(report):
    """{(claims file, test): (outcome, one line, what the failure says first)} from pytest's
    JUnit XML report."""
    results = {}
    for case in ElementTree.parse(report).iter("testcase"):
        module = case.get("classname", "").rsplit(".", 1)[-1]
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        if problem is not None:
            line = problem.get("message", "")
            results[module, case.get("name")] = ("fails", line, said_first(problem.text or "") or line)
        elif case.find("skipped") is not None:
            results[module, case.get("name")] = ("skipped", case.find("skipped").get("message", ""), "")
        else:
            results[module, case.get("name")] = ("holds", "", "")
    return results


def said_first(text):
    """What a failing claim's report says before its traceback (tests/claims/conftest.py):
    the page, the sentence as the reader sees it, and the values that broke it."""
    start = text.find("The claim `")
    if start < 0:
        return ""
    end = text.find("\n\n", start)
    return text[start:end if end >= 0 else len(text)].strip()


def numbers(glue_file):
    """{name: number} of the glued values of one run that are plain numbers."""
    if not glue_file.is_file():
        return {}
    found = {}
    for name, output in json.loads(glue_file.read_text(encoding="utf8")).items():
        text = output.get("data", {}).get("text/plain", "")
        try:
            value = float(text) if text not in ("True", "False") else None
        except ValueError:
            value = None
        if value is not None:
            found[name] = value
    return found


def spread(runs):
    """{page: [(name, book's value, smallest, largest)]} of the glued numbers that differ
    between the runs."""
    lang = languages()[0]
    folders = {BOOK_RUN: ROOT / "_build" / "jupyter_execute"} | {name: FOLDER / name for name in runs}
    table = {}
    for page in pages_with_code():
        values = {run: numbers(folder / lang / f"{page}.glue.json") for run, folder in folders.items()}
        rows = []
        for name, book_value in values[BOOK_RUN].items():
            seen = [v[name] for v in values.values() if name in v]
            if min(seen) != max(seen):
                rows.append((name, book_value, min(seen), max(seen)))
        table[page] = rows
    return table


def number(value):
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"


def report(runs, results, times, spreads):
    names = [BOOK_RUN, *runs]
    claims = sorted({claim for run in results.values() for claim in run})
    mark = {"holds": "holds", "fails": "**fails**", "skipped": "skipped"}
    failures = [(claim, run, results[run][claim][1:]) for claim in claims for run in names
                if results[run].get(claim, ("holds",))[0] != "holds"]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Robustness of the book's claims", "",
        f"Written by `tools/robustness.py` (`make robust`) on {now}, on a machine with "
        f"{os.cpu_count()} cores. Each column is one execution of every page: `book` is the "
        "build's own; `seed+N` shifts every seed the pages set by N; `onednn-*` switches "
        "TensorFlow's oneDNN optimisations the other way, a stand-in for another CPU. Each row is "
        "a claim test of `tests/claims/`, run against each execution; – marks a page that this "
        "run has not executed since its code last changed (`--pages`).", "",
        f"**{len(claims)} claims × {len(names)} runs: "
        + ("every claim holds in every run.**" if not failures else f"{len(failures)} failures.**"), "",
        "| claim | " + " | ".join(names) + " |", "| --- |" + " :---: |" * len(names),
        *(f"| {module}::{test} | " + " | ".join(mark.get(results[run].get((module, test), ("–",))[0], "–")
                                               for run in names) + " |" for module, test in claims),
        "",
    ]
    if failures:
        lines += ["## What failed", ""]
        lines += [f"- `{module}::{test}` in `{run}`: {line}" for (module, test), run, (line, _) in failures]
        lines.append("")
    lines += ["## Seconds per page", "",
              "| page | " + " | ".join(runs) + " |", "| --- |" + " ---: |" * len(runs),
              *(f"| {page} | " + " | ".join(f"{times[run][page]:.0f}" if page in times[run] else "–"
                                            for run in runs) + " |"
                for page in pages_with_code()), "",
              "## The glued numbers that differ between runs", "",
              "The book's value, and the smallest and largest over all the runs above.", ""]
    for page, rows in spreads.items():
        lines += [f"### {page}", "", "| glued value | book | smallest | largest |", "| --- | ---: | ---: | ---: |",
                  *(f"| {name} | {number(book)} | {number(low)} | {number(high)} |" for name, book, low, high in rows),
                  ""]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf8")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="*", choices=list(RUNS), default=list(RUNS),
                        help="the runs besides the book's (default: all)")
    parser.add_argument("--pages", nargs="*", choices=pages_with_code(), default=pages_with_code(),
                        help="run only these pages again (the table keeps the others' last runs)")
    args = parser.parse_args()
    kernel_environment(ROOT, name="robustness")
    times = {}
    for name in args.runs:
        times[name] = {}
        for page in pages_with_code():
            if page in args.pages:
                seconds, reused, error = execute(page, name, RUNS[name])
            elif earlier := earlier_run(page, name, RUNS[name]):
                (seconds, error), reused = earlier, True
            else:
                continue  # not asked for, and no run of its current code: not in the table
            times[name][page] = seconds
            state = "reused" if reused else f"{seconds:.0f} s"
            print(f"{name} {page}: {state}" + (f", FAILED: {error}" if error else ""), flush=True)
    results = {BOOK_RUN: claim_results(None, pages_with_code())[0]}
    for name in args.runs:
        results[name] = claim_results(FOLDER / name, list(times[name]))[0]
    failures = report(args.runs, results, times, spread(args.runs))
    for (module, test), run, (line, said) in failures:
        print(f"\nIn run {run}: {module}::{test}\n{said}", file=sys.stderr)
    print(f"\nWrote {RESULTS.relative_to(ROOT)}: "
          + (f"{len(failures)} claim failures." if failures else "every claim holds in every run."))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
