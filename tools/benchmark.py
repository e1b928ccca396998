"""Measure the book's build and its pages, and write benchmarks/RESULTS.md.

    .venv/bin/python -m tools.benchmark        (what `make bench` runs; ~10+ minutes)

Works on a fresh clone of the repository's HEAD in a temporary folder (uncommitted changes
are not measured), with this .venv linked in and node_modules copied, so `_build` starts
empty and nothing here is touched but the results file. It times there a cold `make html`,
a `make html` with no change, `make pdf` (the PDFs' pages and sizes too), `make test`, and a
`make html` after a prose-only edit of one English page (counting the notebooks that this
build executed: there should be none); runs
each page of book/en with code once with `tools.run_page` (seconds, kernel peak memory);
weighs every built page (HTML of both editions, and the figures under _images it shows);
weighs what a reader's browser downloads on a first visit, a language switch and a second
page, and of the 404 page (tools/page_weight.py); and runs Lighthouse (tools/lighthouse.py; median of three runs).
BOOK_DATA_MIRROR is passed on. Exits 1 if a make command fails or a target is missed.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import lighthouse, page_weight
from tools.book_sources import languages, pages_with_code, pdf_name

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "RESULTS.md"
COLD_RATIO, NO_CHANGE_S = 1.3, 15.0  # the targets
KERNEL_MIB = 1.5e9 / 2**20  # 1.5 GB (about 1431 MiB), under Binder's 2 GB
PAGE_BUDGET_S = {"03-convolutional-networks": 150}  # every other page: 60 s
COLD_BUILD_S = 8 * 60
PERFORMANCE = 90  # Lighthouse's mobile performance score; its other categories: 100
STEPS = {"cold": "`make html`, cold (empty `_build`)", "no change": "`make html`, no change",
         "pdf": "`make pdf` after `make html` (both PDFs, no page runs)",
         "prose edit": "`make html` after a prose-only edit",
         "reader notebooks": "the reader notebooks' tests, cold (each notebook run as in Colab)",
         "test": "`make test` (the PDFs again, and the reader notebooks' runs recorded by the step above)"}
PDF_MB = 15
PROSE = "\n\nThis sentence was appended by tools/benchmark.py to time a prose-only rebuild.\n"


def fresh_copy(dest):
    """Clone REPO's HEAD into dest; link the virtualenv, copy node_modules."""
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(dest)], check=True)
    tracked = subprocess.run(["git", "-C", str(dest), "ls-files", "-z"], check=True,
                             capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, tracked):  # REPO's mtimes: make judges the venv as it does here
        if (REPO / name).is_file():
            mtime = (REPO / name).stat().st_mtime_ns
            os.utime(dest / name, ns=(mtime, mtime))
    (dest / ".venv").symlink_to(REPO / ".venv")
    if (REPO / "node_modules").is_dir():  # copied, so that an `npm ci` there spares ours
        shutil.copytree(REPO / "node_modules", dest / "node_modules", symlinks=True)


def make(copy, target):
    """Run `make target` in copy; return (seconds, exit code, log text)."""
    return timed(copy, ["make", target])


def timed(copy, command, stderr=subprocess.STDOUT):
    """Run `command` in copy; return (seconds, exit code, log text: its output, and its
    errors unless `stderr` sends them elsewhere)."""
    env = dict(os.environ)
    env.pop("BOOK_HTML", None)  # the browser tests must serve the copy's site
    if env.get("BOOK_DATA_MIRROR"):
        env["BOOK_DATA_MIRROR"] = os.path.abspath(env["BOOK_DATA_MIRROR"])
    start = time.perf_counter()
    done = subprocess.run(command, cwd=copy, env=env, text=True, stdout=subprocess.PIPE, stderr=stderr)
    seconds = time.perf_counter() - start
    print(f"{' '.join(command)}: {seconds:.1f} s, exit {done.returncode}", flush=True)
    return seconds, done.returncode, done.stdout


def run_pages(copy):
    """{page name: (seconds, peak MiB)} for each page of book/en with code, run once."""
    timings = {}
    for name in pages_with_code(copy):
        _, code, out = timed(copy, [".venv/bin/python", "-m", "tools.run_page", f"book/en/{name}.md"],
                             stderr=subprocess.DEVNULL)
        if code:
            sys.exit(f"tools.run_page failed on book/en/{name}.md")
        measured = json.loads(out.strip().splitlines()[-1])
        timings[name] = (measured["seconds"], measured["peak_kernel_mib"])
    return timings


def weights(copy):
    """{page: (es HTML bytes, en HTML bytes, bytes of the figures both editions show)}."""
    html = copy / "_build" / "html"
    sizes = {}
    langs = languages(copy)
    for page in sorted((copy / "book" / langs[0]).glob("*.md")):
        row = []
        figures = 0
        for lang in langs:
            built = html / lang / f"{page.stem}.html"
            text = built.read_text(encoding="utf8") if built.exists() else ""
            row.append(len(text.encode()))
            images = set(re.findall(r'src="(?:\./)?(_images/[^"]+)"', text))
            figures += sum((html / lang / i).stat().st_size for i in images
                           if (html / lang / i).exists())
        sizes[page.stem] = (*row, figures)
    return sizes


def pdfs(copy):
    """{file name: (pages, MB)} of the PDFs that `make pdf` wrote."""
    from pypdf import PdfReader

    found = {}
    for lang in languages(copy):
        path = copy / "_build" / "pdf" / pdf_name(lang, copy)
        found[path.name] = (len(PdfReader(path).pages), path.stat().st_size / 1e6) if path.is_file() else (0, float("inf"))
    return found


def verdict(ok):
    return "pass" if ok else "**FAIL**"


def report(times, codes, executed, timings, sizes, edited, pads, downloads, scores, books, not_found):
    total = sum(seconds for seconds, _ in timings.values())
    ratio = times["cold"] / total if total else float("inf")
    checks = {
        f"cold build <= {COLD_RATIO} x unique execution": ratio <= COLD_RATIO,
        f"no-change rebuild <= {NO_CHANGE_S:.0f} s": times["no change"] <= NO_CHANGE_S,
        f"every page kernel < 1.5 GB ({KERNEL_MIB:.0f} MiB)": all(
            m < KERNEL_MIB for _, m in timings.values()),
        "every page within its time (60 s; 150 s for chapter 3)": all(
            s <= PAGE_BUDGET_S.get(p, 60) for p, (s, _) in timings.items()),
        f"cold build <= {COLD_BUILD_S // 60} minutes": times["cold"] <= COLD_BUILD_S,
        "prose-only rebuild executed no notebook": executed == 0,
        "every make command succeeded": not any(codes.values()),
        f"first visit to every page <= {page_weight.FIRST_VISIT_KB} kB gzipped": all(
            first <= page_weight.FIRST_VISIT_KB for first, _, _ in downloads.values()),
        f"language switch and second page <= {page_weight.SWITCH_KB} kB": all(
            switch <= page_weight.SWITCH_KB and second <= page_weight.SECOND_PAGE_KB
            for _, switch, second in downloads.values()),
        f"each PDF <= {PDF_MB} MB": all(mb <= PDF_MB for _, mb in books.values()),
        f"the 404 page <= {page_weight.NOT_FOUND_KB} kB, status 404": not_found[0] == 404
        and not_found[1] <= page_weight.NOT_FOUND_KB,
        f"Lighthouse performance >= {PERFORMANCE}, the other categories 100": all(
            categories["performance"] >= PERFORMANCE
            and all(score == 100 for name, score in categories.items() if name != "performance")
            for categories, _, _ in scores.values()),
    }
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results", "",
        f"Written by `tools/benchmark.py` (`make bench`) on {now}, "
        f"on a machine with {os.cpu_count()} cores.", "",
        "| build step | seconds | exit code |", "| --- | ---: | ---: |",
        *(f"| {STEPS[k]} | {times[k]:.1f} | {codes[k]} |" for k in times),
        "", f"Prose-only edit: one sentence appended to `book/en/{edited}.md`; "
        f"'Executed notebook' lines in that build's log: {executed}.", "",
        "| page (en, run once) | execution s | kernel peak MiB |", "| --- | ---: | ---: |",
        *(f"| {p} | {s:.1f} | {m:.0f} |" for p, (s, m) in timings.items()),
        f"| **sum** | **{total:.1f}** | |", "",
        f"Cold build / sum of execution: **{ratio:.2f}**.", "",
        "| page | es HTML bytes | en HTML bytes | figure bytes (es + en) |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {p} | {es:,} | {en:,} | {fig:,} |" for p, (es, en, fig) in sizes.items()),
        "", "What a reader's browser downloads (`tools/page_weight.py`: Chromium at a phone's size, "
        "the site served gzipped and cacheable as GitHub Pages serves it; kB sent):", "",
        "| page | first visit kB | language switch kB | second page kB |", "| --- | ---: | ---: | ---: |",
        *(f"| {lang}/{page} | {first:.0f} | {switch:.0f} | {second:.0f} |"
          for (lang, page), (first, switch, second) in downloads.items()),
        "", f"The 404 page, at a mistyped address: status {not_found[0]}, {not_found[1]:.1f} kB gzipped.",
        "", "The PDFs (`make pdf`, tools/build_pdf.py):", "",
        "| file | pages | MB |", "| --- | ---: | ---: |",
        *(f"| {name} | {pages} | {mb:.1f} |" for name, (pages, mb) in books.items()),
        "", f"Lighthouse, mobile profile (`tools/lighthouse.py`, {languages(REPO)[-1]} edition, "
        "median of three runs):", "", lighthouse.table(scores),
        "", "Drawing pads (`tools/measure_digit_pad.py`, English edition, Chromium):", "",
        "```", pads.strip(), "```",
        "", "| target | result |", "| --- | --- |",
        *(f"| {name} | {verdict(ok)} |" for name, ok in checks.items()), "",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf8")
    print(f"Wrote {RESULTS}")
    return all(checks.values())


def main():
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        copy = Path(tmp) / "book"
        fresh_copy(copy)
        runs = {}  # step: (seconds, exit code, log)

        def step(key, target="html"):
            runs[key] = make(copy, target)
            if runs[key][1]:
                problems = [line for line in runs[key][2].splitlines()
                            if re.search(r"WARNING|ERROR|Error|FAILED|failed", line)]
                print("\n".join(problems[-40:]), file=sys.stderr)
                if target == "html":
                    sys.exit(f"make html failed ({key}): nothing to measure")

        step("cold")
        step("no change")
        step("pdf", "pdf")
        books = pdfs(copy)
        runs["reader notebooks"] = timed(copy, [".venv/bin/python", "-m", "pytest", "-q",
                                                "tests/test_reader_notebooks.py", "tests/test_launch.py"])
        step("test", "test")
        # Its report only: TensorFlow's start-up lines go to stderr whatever it is told.
        pads = timed(copy, [".venv/bin/python", "-m", "tools.measure_digit_pad"], stderr=subprocess.DEVNULL)[2]
        sizes = weights(copy)
        downloads = page_weight.weights(copy / "_build" / "html")
        not_found = page_weight.not_found_weight(copy / "_build" / "html")
        scores = lighthouse.scores(site=copy / "_build" / "html", runs=3)
        # Last, so that the tests and the weights see HEAD: a sentence after the last cell.
        edited = copy / "book" / "en" / f"{pages_with_code(copy)[0]}.md"
        with edited.open("a", encoding="utf8") as page:
            page.write(PROSE)
        step("prose edit")
        executed = runs["prose edit"][2].count("Executed notebook")
        timings = run_pages(copy)
        times = {key: runs[key][0] for key in STEPS}
        codes = {key: runs[key][1] for key in STEPS}
        return 0 if report(times, codes, executed, timings, sizes, edited.stem, pads, downloads, scores,
                           books, not_found) else 1


if __name__ == "__main__":
    sys.exit(main())
