"""The build recovers from anything a user does to `_build`, and leaves nothing behind."""

import os
import shutil
import signal
import subprocess
import time

import psutil

from tests.book import LANGUAGES, ROOT
from tests.fixture_book import FixtureBook, cell, executions, page

FIGURE = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"


def test_any_removal_in_build_folder_builds_on_the_first_try(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("print(6 * 7)"), cell(FIGURE))})
    status, log = book.build()
    assert status == 0, log
    build = book.root / "_build"
    for removed in ["html", f"html/{LANGUAGES[0]}", f"html/{LANGUAGES[1]}/_images", "jupyter_execute",
                    "doctrees", ".jupyter_cache"]:
        shutil.rmtree(build / removed, ignore_errors=True)
        status, log = book.build()
        assert status == 0, f"after removing _build/{removed}:\n{log[-3000:]}"
        assert "42" in book.html(LANGUAGES[1]), f"after removing _build/{removed}"
        # Nothing changed in the sources: the site comes back without running the page.
        assert executions(log) == 0, f"after removing _build/{removed}, a page ran again"


def test_a_new_installed_version_runs_the_pages_again(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("print(6 * 7)"))})
    assert book.build()[0] == 0
    status, log = book.build()
    assert status == 0 and executions(log) == 0, "an unchanged build ran a page again"
    # The same packages plus one "upgraded" distribution (a dist-info on the path).
    site = tmp_path / "site-packages" / "keras-99.0.dist-info"
    site.mkdir(parents=True)
    (site / "METADATA").write_text("Metadata-Version: 2.1\nName: keras\nVersion: 99.0\n")
    path = os.pathsep.join(filter(None, [str(site.parent), os.environ.get("PYTHONPATH")]))
    status, log = book.build(PYTHONPATH=path)
    assert status == 0 and executions(log) == 1, "outputs of other package versions were reused"


def processes_of(root):
    """Processes whose command line names the fixture book (its builds and kernels)."""
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        if any(str(root) in part for part in process.info["cmdline"] or []):
            found.append(process)
    return found


def test_an_interrupted_build_leaves_no_process_and_no_temporary_file(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("import time\ntime.sleep(120)"))})
    builder = subprocess.Popen(book.command(), cwd=book.root, env=book.env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    connection_files = book.root / "_build" / "tmp"
    deadline = time.time() + 120
    while not list(connection_files.glob("tmp*.json")) and time.time() < deadline:
        time.sleep(0.5)  # wait until a kernel runs the page
    assert list(connection_files.glob("tmp*.json")), "no kernel started"
    builder.send_signal(signal.SIGTERM)
    builder.wait(timeout=60)
    deadline = time.time() + 30
    while processes_of(book.root) and time.time() < deadline:
        time.sleep(0.5)
    assert not processes_of(book.root), [p.info["cmdline"] for p in processes_of(book.root)]
    assert not list(book.tmp.iterdir()), f"left in the temporary folder: {list(book.tmp.iterdir())}"


def test_clean_html_keeps_the_execution_cache(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path)
    build = tmp_path / "_build"
    for folder in ("html/es", "doctrees/es", "jupyter_execute/es", "notebooks/es", ".jupyter_cache/abc"):
        (build / folder).mkdir(parents=True)
        (build / folder / "file").write_text("x")
    result = subprocess.run(["make", "-C", str(tmp_path), "clean-html"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in build.iterdir()) == [".jupyter_cache"]
    assert (build / ".jupyter_cache" / "abc" / "file").is_file()
    result = subprocess.run(["make", "-C", str(tmp_path), "clean"], capture_output=True, text=True)
    assert result.returncode == 0 and not build.exists()
