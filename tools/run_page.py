"""Execute one page's code as the build does, and report its time and memory.

    python -m tools.run_page book/en/01-first-neural-network.md [--save OUT.ipynb]

Runs the page top to bottom in a fresh kernel, in a temporary folder, with the build's
kernel environment (offline data when BOOK_DATA_MIRROR is set, quiet TensorFlow); prints
the seconds it took, the kernel's peak memory and any output written to stderr.
Exits 1 if a cell fails. Handy while writing a page; `tools/benchmark.py` uses it too.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.book_sources import ROOT, read_notebook
from tools.kernel_environment import kernel_environment

PEAK_MEMORY = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


class NotAPage(Exception):
    pass


def run_page(page, timeout=300):
    """Execute `page`, read as the build reads it; return (notebook, seconds, peak kernel
    memory in MiB). Raise NotAPage for a file that is no page with code."""
    notebook = read_notebook(page) if Path(page).suffix in (".md", ".ipynb") else None
    if notebook is None or not any(cell.cell_type == "code" for cell in notebook.cells):
        raise NotAPage(f"{page} is not a page with code (a MyST notebook, as in book/<language>/): nothing to run")
    notebook.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY))
    with tempfile.TemporaryDirectory() as cwd:
        start = time.perf_counter()
        NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": cwd}}).execute()
        seconds = time.perf_counter() - start
    peak_kib = int(notebook.cells.pop().outputs[0]["text"])
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
    args = parser.parse_args()
    kernel_environment(ROOT)
    try:
        notebook, seconds, peak_mib = run_page(args.page)
    except NotAPage as error:
        sys.exit(str(error))
    if args.save:
        nbformat.write(notebook, args.save)
    print(json.dumps({"page": str(args.page), "seconds": round(seconds, 1),
                      "peak_kernel_mib": round(peak_mib)}))
    for text in stderr_outputs(notebook):
        print("stderr output:", text, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
