"""Measure the book's build, its tests and its pages against an older commit, and write benchmarks/RESULTS.md.

    .venv/bin/python -m tools.benchmark [--baseline REV] [--pages NAME ...]
    make bench [BASELINE=REV]                                     (~30+ minutes)

Works on a fresh clone of the repository's HEAD in a temporary folder (uncommitted changes
are not measured), with this .venv linked in and node_modules copied, so `_build` starts
empty and nothing here is touched but the results file. It times there a cold `make html`,
a `make html` with no change, `make pdf` (the PDFs' pages and sizes too), `make test` right
after them (a clean clone's: no reader notebook has a recorded run), and a `make html` after
a prose-only edit of one English page
(counting the notebooks that this build executed: there should be none). Then it runs each
English page with code of HEAD and of the baseline commit (a second clone) with
`tools.run_page`, one commit after the other page by page, in alternating order, so that
the ratios hold on a noisy machine: seconds and the kernel's peak memory of both, the
totals and the ratio of the whole book. The baseline is --baseline (BASELINE=), or by
default the commit that the last RESULTS.md measured. It also weighs every built page (HTML
of both editions, and the figures under _images it shows), what a reader's browser
downloads on a first visit, a language switch and a second page, and of the 404 page
(tools/page_weight.py),
Lighthouse's scores (tools/lighthouse.py; median of three runs) and the drawing pads.
BOOK_DATA_MIRROR is passed on. Exits 1 if a make command fails or a target is missed.
"""

import argparse
import datetime
import json
import os
import re
import statistics
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
KERNEL_MIB = 1024  # every kernel under 1 GiB (issue 23), well under Binder's 2 GB
PAGE_BUDGET_S = {"03-convolutional-networks": 150}  # every other page: 60 s
COLD_BUILD_S = 8 * 60
PERFORMANCE = 95  # Lighthouse's mobile performance score; its other categories: 100
# Issue 23: the book's execution at most half the baseline's, chapter 3 at most a third of
# its own, no chapter over twice the median chapter, `make test` on a clean clone in 300 s.
BOOK_RATIO, CHAPTER_3, CHAPTER_3_RATIO, MEDIAN_TIMES, MAKE_TEST_S = 0.5, "03-convolutional-networks", 1 / 3, 2, 300
STEPS = {"cold": "`make html`, cold (empty `_build`)", "no change": "`make html`, no change",
         "pdf": "`make pdf` after `make html` (both PDFs, no page runs)",
         "test": "`make test` on the clean clone (after the cold build: no reader notebook run recorded)",
         "prose edit": "`make html` after a prose-only edit"}
PDF_MB = 15
PROSE = "\n\nThis sentence was appended by tools/benchmark.py to time a prose-only rebuild.\n"
MEASURED = re.compile(r"^Commit measured: `([0-9a-f]+)`", re.MULTILINE)


def fresh_copy(dest, rev="HEAD"):
    """Clone REPO at `rev` into dest; link the virtualenv, copy node_modules."""
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", "--detach", rev], check=True)
    tracked = subprocess.run(["git", "-C", str(dest), "ls-files", "-z"], check=True,
                             capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, tracked):  # REPO's mtimes: make judges the venv as it does here
        if (REPO / name).is_file():
            mtime = (REPO / name).stat().st_mtime_ns
            os.utime(dest / name, ns=(mtime, mtime))
    (dest / ".venv").symlink_to(REPO / ".venv")
    if (REPO / "node_modules").is_dir():  # copied, so that an `npm ci` there spares ours
        shutil.copytree(REPO / "node_modules", dest / "node_modules", symlinks=True)


def git(*args):
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout.strip()


def default_baseline():
    """The commit that the last RESULTS.md measured: the one it names, or (older files) the
    parent of the commit that wrote it, as `make bench` results are committed on what they
    measured."""
    named = MEASURED.search(RESULTS.read_text(encoding="utf8")) if RESULTS.is_file() else None
    if named:
        return named[1]
    written = git("log", "-1", "--format=%H", "--", str(RESULTS.relative_to(REPO)))
    if not written:
        sys.exit("No earlier benchmarks/RESULTS.md to compare with: give one, make bench BASELINE=<commit>.")
    return git("rev-parse", "--short", f"{written}^")


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


def run_page(copy, name):
    """(seconds, kernel peak MiB) of book/en/NAME.md of a copy, run once by its own tools.run_page."""
    _, code, out = timed(copy, [".venv/bin/python", "-m", "tools.run_page", f"book/en/{name}.md"],
                         stderr=subprocess.DEVNULL)
    if code:
        sys.exit(f"tools.run_page failed on {copy}/book/en/{name}.md")
    measured = json.loads(out.strip().splitlines()[-1])
    return measured["seconds"], measured["peak_kernel_mib"]


def compare_pages(new, old, names=None):
    """{page: {"new": (s, MiB) or None, "old": ...}} for each English page with code of
    either copy, the two commits run one after the other, their order alternating from page
    to page (a machine that slows down or speeds up favours neither)."""
    names = names or list(dict.fromkeys(pages_with_code(new) + pages_with_code(old)))
    timings = {}
    for n, name in enumerate(names):
        order = [("old", old), ("new", new)] if n % 2 == 0 else [("new", new), ("old", old)]
        timings[name] = {label: run_page(copy, name) if (copy / "book" / "en" / f"{name}.md").is_file() else None
                         for label, copy in order}
    return timings


def page_table(timings):
    """The pages of both commits as Markdown lines, with the totals, and the figures the targets use."""
    def cell(value, form):
        return "—" if value is None else format(value, form)

    both = {page: t for page, t in timings.items() if t["new"] and t["old"]}
    total = {label: sum(t[label][0] for t in timings.values() if t[label]) for label in ("old", "new")}
    lines = ["| page (en) | old s | new s | new / old | old MiB | new MiB |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for page, t in timings.items():
        old, new = t["old"] or (None, None), t["new"] or (None, None)
        ratio = new[0] / old[0] if page in both else None
        lines.append(f"| {page} | {cell(old[0], '.1f')} | {cell(new[0], '.1f')} | {cell(ratio, '.2f')} "
                     f"| {cell(old[1], '.0f')} | {cell(new[1], '.0f')} |")
    book = total["new"] / total["old"] if total["old"] else float("inf")
    lines.append(f"| **book** | **{total['old']:.1f}** | **{total['new']:.1f}** | **{book:.2f}** | | |")
    seconds = {page: t["new"][0] for page, t in timings.items() if t["new"]}
    median = statistics.median(seconds.values())
    largest = max(seconds, key=seconds.get)
    lines += ["", f"Largest chapter (new): {largest}, {seconds[largest]:.1f} s; median chapter "
              f"{median:.1f} s, twice the median {2 * median:.1f} s."]
    figures = {"book": book, "largest": seconds[largest], "median": median, "new total": total["new"],
               "chapter 3": (timings[CHAPTER_3]["new"][0] / timings[CHAPTER_3]["old"][0]) if CHAPTER_3 in both else None,
               "peak MiB": max(t["new"][1] for t in timings.values() if t["new"]),
               "within budgets": all(s <= PAGE_BUDGET_S.get(p, 60) for p, s in seconds.items())}
    return lines, figures


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


def report(times, codes, executed, timings, sizes, edited, pads, downloads, scores, head, baseline, books,
           not_found):
    pages, figures = page_table(timings)
    ratio = times["cold"] / figures["new total"] if figures["new total"] else float("inf")
    checks = {
        f"the book's execution <= {BOOK_RATIO:g} x the baseline's": figures["book"] <= BOOK_RATIO,
        f"{CHAPTER_3} <= a third of the baseline's": (figures["chapter 3"] or float("inf")) <= CHAPTER_3_RATIO,
        f"no chapter over {MEDIAN_TIMES} x the median chapter": figures["largest"] <= MEDIAN_TIMES * figures["median"],
        f"every page kernel < 1 GiB ({KERNEL_MIB} MiB)": figures["peak MiB"] < KERNEL_MIB,
        "every page within its time (60 s; 150 s for chapter 3)": figures["within budgets"],
        f"`make test` on a clean clone <= {MAKE_TEST_S} s": times["test"] <= MAKE_TEST_S,
        f"cold build <= {COLD_RATIO} x unique execution": ratio <= COLD_RATIO,
        f"no-change rebuild <= {NO_CHANGE_S:.0f} s": times["no change"] <= NO_CHANGE_S,
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
        f"Commit measured: `{head}`; baseline: `{baseline}` (its pages run in the same session, "
        "one commit after the other page by page).", "",
        "| build step | seconds | exit code |", "| --- | ---: | ---: |",
        *(f"| {STEPS[k]} | {times[k]:.1f} | {codes[k]} |" for k in STEPS),
        "", f"Prose-only edit: one sentence appended to `book/en/{edited}.md`; "
        f"'Executed notebook' lines in that build's log: {executed}.", "",
        "Each page with code run once by `tools.run_page` (execution seconds, kernel peak memory), "
        "old (the baseline) and new (the commit measured):", "",
        *pages, "",
        f"Cold build / sum of execution (new): **{ratio:.2f}**.", "",
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="the commit to compare with (default: the one the last RESULTS.md measured)")
    parser.add_argument("--pages", nargs="*", help="compare only these pages (by name)")
    args = parser.parse_args()
    baseline = git("rev-parse", "--short", args.baseline or default_baseline())
    head = git("rev-parse", "--short", "HEAD")
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        copy, old = Path(tmp) / "book", Path(tmp) / "baseline"
        fresh_copy(copy)
        fresh_copy(old, baseline)
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
        timings = compare_pages(copy, old, args.pages)
        times = {key: runs[key][0] for key in STEPS}
        codes = {key: runs[key][1] for key in STEPS}
        ok = report(times, codes, executed, timings, sizes, edited.stem, pads, downloads, scores, head, baseline,
                    books, not_found)
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
