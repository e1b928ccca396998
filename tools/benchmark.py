"""Measure the book's build and its pages, and write benchmarks/RESULTS.md.

    .venv/bin/python tools/benchmark.py        (what `make bench` runs; ~10+ minutes)

Works on a fresh copy of the repository in a temporary folder (its tracked files, as
`git ls-files` lists them, with their modification times, plus a link to this .venv and a
copy of node_modules), so `_build` starts empty and nothing here is touched but the results
file. It times there a cold `make html`, a `make html` with no change, a `make html` after a
prose-only edit of one English page (and counts the notebooks that rebuild executed: there
should be none) and `make test`; then runs each page of book/en with code once with
tools/run_page.py (seconds, kernel peak memory), and weighs every built page (HTML of both
editions, and the figures under _images that it shows). BOOK_DATA_MIRROR is passed on.
Exits 1 if a make command fails or a target is missed.
"""

import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "RESULTS.md"
COLD_RATIO, NO_CHANGE_S, KERNEL_MIB = 1.3, 15.0, 1536  # the targets
PROSE = "\n\nThis sentence was appended by tools/benchmark.py to time a prose-only rebuild.\n"


def fresh_copy(dest):
    """Copy the tracked files of REPO into dest; link the virtualenv, copy node_modules."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():  # skip tracked files deleted in the work tree
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)  # keeps mtimes: make sees what it sees here
    (dest / ".venv").symlink_to(REPO / ".venv")
    if (REPO / "node_modules").is_dir():  # copied, so that an `npm ci` there spares ours
        shutil.copytree(REPO / "node_modules", dest / "node_modules", symlinks=True)


def make(copy, target, logs):
    """Run `make target` in copy; return (seconds, exit code, log text)."""
    env = dict(os.environ)
    if env.get("BOOK_DATA_MIRROR"):
        env["BOOK_DATA_MIRROR"] = os.path.abspath(env["BOOK_DATA_MIRROR"])
    start = time.perf_counter()
    done = subprocess.run(["make", target], cwd=copy, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    (logs / f"{len(list(logs.iterdir())):02d}-{target}.log").write_text(done.stdout)
    print(f"make {target}: {seconds:.1f} s, exit {done.returncode}", flush=True)
    return seconds, done.returncode, done.stdout


def has_code(page):
    return "```{code-cell}" in page.read_text(encoding="utf8")


def run_pages(copy):
    """{page name: (seconds, peak MiB)} for each page of book/en with code, run once."""
    sys.path.insert(0, str(copy / "tools"))
    from build_book import kernel_environment
    from run_page import run_page

    kernel_environment(copy)
    timings = {}
    for page in sorted((copy / "book" / "en").glob("*.md")):
        if has_code(page):
            _, seconds, peak_mib = run_page(page)
            timings[page.stem] = (seconds, peak_mib)
            print(f"{page.stem}: {seconds:.1f} s, {peak_mib:.0f} MiB", flush=True)
    return timings


def weights(html):
    """{page: (es HTML bytes, en HTML bytes, bytes of the figures both editions show)}."""
    sizes = {}
    for page in sorted((html / "es").glob("*.html")):
        if page.stem in ("genindex", "search"):
            continue
        row = []
        figures = 0
        for lang in ("es", "en"):
            built = html / lang / page.name
            text = built.read_text(encoding="utf8") if built.exists() else ""
            row.append(len(text.encode()))
            images = set(re.findall(r'src="(?:\./)?(_images/[^"]+)"', text))
            figures += sum((html / lang / i).stat().st_size for i in images
                           if (html / lang / i).exists())
        sizes[page.stem] = (*row, figures)
    return sizes


def verdict(ok):
    return "pass" if ok else "**FAIL**"


def report(times, codes, executed, timings, sizes, edited):
    total = sum(seconds for seconds, _ in timings.values())
    ratio = times["cold"] / total if total else float("inf")
    checks = {
        f"cold build <= {COLD_RATIO} x unique execution": ratio <= COLD_RATIO,
        f"no-change rebuild <= {NO_CHANGE_S:.0f} s": times["no change"] <= NO_CHANGE_S,
        f"every page kernel < {KERNEL_MIB} MiB": all(m < KERNEL_MIB for _, m in timings.values()),
        "prose-only rebuild executed no notebook": executed == 0,
        "every make command succeeded": not any(codes.values()),
    }
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results", "",
        f"Written by `tools/benchmark.py` (`make bench`) on {now}, "
        f"on a machine with {os.cpu_count()} cores.", "",
        "| build step | seconds | exit code |", "| --- | ---: | ---: |",
        *(f"| `make {'test' if k == 'test' else 'html'}` ({k}) | {times[k]:.1f} | {codes[k]} |"
          for k in times),
        "", f"Prose-only edit: one sentence appended to `book/en/{edited}.md`; "
        f"'Executed notebook' lines in that build's log: {executed}.", "",
        "| page (en, run once) | execution s | kernel peak MiB |", "| --- | ---: | ---: |",
        *(f"| {p} | {s:.1f} | {m:.0f} |" for p, (s, m) in timings.items()),
        f"| **sum** | **{total:.1f}** | |", "",
        f"Cold build / sum of execution: **{ratio:.2f}**.", "",
        "| page | es HTML bytes | en HTML bytes | figure bytes (es + en) |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {p} | {es:,} | {en:,} | {fig:,} |" for p, (es, en, fig) in sizes.items()),
        "", "| target | result |", "| --- | --- |",
        *(f"| {name} | {verdict(ok)} |" for name, ok in checks.items()), "",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf8")
    print(f"Wrote {RESULTS}")
    return all(checks.values())


def main():
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        copy, logs = Path(tmp) / "book", Path(tmp) / "logs"
        logs.mkdir()
        fresh_copy(copy)
        times, codes = {}, {}
        for key in ("cold", "no change", "prose edit", "test"):
            if key == "prose edit":
                edited = next(p for p in sorted((copy / "book" / "en").glob("*.md"))
                              if has_code(p))
                with edited.open("a", encoding="utf8") as page:
                    page.write(PROSE)  # after the last cell: prose, not code
            times[key], codes[key], log = make(copy, "test" if key == "test" else "html", logs)
            if key == "prose edit":
                executed = log.count("Executed notebook")
            if codes[key] and key != "test":
                sys.exit(f"make html failed ({key}); its output:\n{log[-3000:]}")
        timings = run_pages(copy)
        sizes = weights(copy / "_build" / "html")
        return 0 if report(times, codes, executed, timings, sizes, edited.stem) else 1


if __name__ == "__main__":
    sys.exit(main())
