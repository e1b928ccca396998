"""Execute one page's code as the build does, and report its time and memory.

    python -m tools.run_page book/en/01-first-neural-network.md [--save OUT.ipynb] [--cells]

Runs the page top to bottom in a fresh kernel, in a temporary folder, with the build's
kernel environment (offline data when BOOK_DATA_MIRROR is set, quiet TensorFlow); prints
the seconds it took, the kernel's peak memory and any output written to stderr; with
--cells, also each code cell's seconds and the kernel's memory after it (now and at its
peak so far), to find what makes a page slow or heavy. Exits 1 if a cell fails. Handy
while writing a page; `tools/benchmark.py` and `tools/robustness.py` use it too.
"""

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.book_sources import ROOT, read_notebook
from tools.kernel_environment import kernel_environment

PEAK_MEMORY = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
# The kernel's memory now and at its peak, in MiB, after a cell (--cells).
MEMORY_NOW = ("print(int(open('/proc/self/statm').read().split()[1]) * __import__('os').sysconf('SC_PAGE_SIZE') // 2**20,"
              " __import__('resource').getrusage(__import__('resource').RUSAGE_SELF).ru_maxrss // 1024)")
PROBE = "book_run_page_probe"


class NotAPage(Exception):
    pass


def with_probes(notebook):
    """The notebook with a cell after each code cell that prints the kernel's memory."""
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(MEMORY_NOW, metadata={PROBE: True}))
    notebook.cells = cells
    return notebook


def cell_report(notebook):
    """(seconds, MiB now, peak MiB, first line) of each code cell of a notebook run with probes."""
    rows, cells = [], notebook.cells
    for cell, probe in zip(cells, cells[1:]):
        if cell.cell_type != "code" or cell.metadata.get(PROBE) or not probe.metadata.get(PROBE):
            continue
        timing = cell.metadata.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() if start and end else 0
        now, peak = (int(n) for n in "".join(o.get("text", "") for o in probe.outputs).split())
        rows.append((seconds, now, peak, (cell.source.splitlines() or [""])[0][:60]))
    notebook.cells = [cell for cell in cells if not cell.metadata.get(PROBE)]
    return rows


def run_page(page, timeout=300, cells=False):
    """Execute `page`, read as the build reads it; return (notebook, seconds, peak kernel
    memory in MiB), and with `cells` a fourth item, the cell_report. Raise NotAPage for a
    file that is no page with code."""
    notebook = read_notebook(page) if Path(page).suffix in (".md", ".ipynb") else None
    if notebook is None or not any(cell.cell_type == "code" for cell in notebook.cells):
        raise NotAPage(f"{page} is not a page with code (a MyST notebook, as in book/<language>/): nothing to run")
    if cells:
        with_probes(notebook)
    notebook.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY))
    with tempfile.TemporaryDirectory() as cwd:
        start = time.perf_counter()
        NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": cwd}}).execute()
        seconds = time.perf_counter() - start
    peak_kib = int(notebook.cells.pop().outputs[0]["text"])
    if cells:
        return notebook, seconds, peak_kib / 1024, cell_report(notebook)
    return notebook, seconds, peak_kib / 1024


def stderr_outputs(notebook):
    return [
        output["text"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--save", type=Path, help="write the executed notebook here")
    parser.add_argument("--cells", action="store_true", help="also each code cell's seconds and memory")
    args = parser.parse_args()
    kernel_environment(ROOT)
    try:
        notebook, seconds, peak_mib, *cells = run_page(args.page, cells=args.cells)
    except NotAPage as error:
        sys.exit(str(error))
    for cell_seconds, now, peak, line in (cells[0] if cells else []):
        print(f"{cell_seconds:7.1f} s {now:6d} MiB now {peak:6d} MiB peak  {line}")
    if args.save:
        nbformat.write(notebook, args.save)
    print(json.dumps({"page": str(args.page), "seconds": round(seconds, 1),
                      "peak_kernel_mib": round(peak_mib)}))
    for text in stderr_outputs(notebook):
        print("stderr output:", text, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
