"""The build recovers from anything a user does to `_build`, and leaves nothing behind."""

import os
import shutil
import signal
import subprocess
import time

import psutil
import pytest

from tests.book import ANSI, LANGUAGES, ROOT
from tests.fixture_book import GOOD_PAGES, FixtureBook, cell, executions, page

# Tests that start from the shared good book (tests/conftest.py's good_book: GOOD_PAGES as
# their first build left them), built once in the process that runs this group.
from_good_book = pytest.mark.xdist_group("good-book")


@from_good_book
def test_any_removal_in_build_folder_builds_on_the_first_try(good_book):
    book = good_book
    build = book.root / "_build"
    for removed in ["html", f"html/{LANGUAGES[0]}", f"html/{LANGUAGES[1]}/_images", "jupyter_execute",
                    "doctrees", ".jupyter_cache"]:
        shutil.rmtree(build / removed, ignore_errors=True)
        status, log = book.build()
        assert status == 0, f"after removing _build/{removed}:\n{log[-3000:]}"
        assert "42" in book.html(LANGUAGES[1]), f"after removing _build/{removed}"
        # Nothing changed in the sources: the site comes back without running the page.
        assert executions(log) == 0, f"after removing _build/{removed}, a page ran again"


@from_good_book
def test_a_new_installed_version_runs_the_pages_again(good_book, tmp_path):
    book = good_book
    status, log = book.build()
    assert status == 0 and executions(log) == 0, "an unchanged build ran a page again"
    # The same packages plus one "upgraded" distribution (a dist-info on the path).
    site = tmp_path / "site-packages" / "keras-99.0.dist-info"
    site.mkdir(parents=True)
    (site / "METADATA").write_text("Metadata-Version: 2.1\nName: keras\nVersion: 99.0\n")
    path = os.pathsep.join(filter(None, [str(site.parent), os.environ.get("PYTHONPATH")]))
    status, log = book.build(PYTHONPATH=path)
    assert status == 0 and executions(log) == len(GOOD_PAGES), "outputs of other package versions were reused"


def processes_of(root):
    """Processes whose command line names the fixture book (its builds and kernels)."""
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        if any(str(root) in part for part in process.info["cmdline"] or []):
            found.append(process)
    return found


SLOW_PAGE = page("Hola", cell("import time\ntime.sleep(120)"))


def start_build(book, **options):
    """Start a build of `book` in the background, with its output to a pipe."""
    return subprocess.Popen(book.command(), cwd=book.root, env=book.env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **options)


def wait_for_a_kernel(book):
    connection_files = book.root / "_build" / "tmp"
    deadline = time.time() + 120
    while not list(connection_files.glob("tmp*.json")) and time.time() < deadline:
        time.sleep(0.5)  # wait until a kernel runs the page
    assert list(connection_files.glob("tmp*.json")), "no kernel started"


def assert_nothing_left(book):
    deadline = time.time() + 30
    while processes_of(book.root) and time.time() < deadline:
        time.sleep(0.5)
    assert not processes_of(book.root), [p.info["cmdline"] for p in processes_of(book.root)]
    assert not list(book.tmp.iterdir()), f"left in the temporary folder: {list(book.tmp.iterdir())}"


def test_an_interrupted_build_leaves_no_process_and_no_temporary_file(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": SLOW_PAGE})
    builder = start_build(book)
    wait_for_a_kernel(book)
    builder.send_signal(signal.SIGTERM)
    builder.communicate(timeout=60)
    assert_nothing_left(book)


def test_ctrl_c_says_interrupted_and_nothing_more(tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole foreground process group."""
    book = FixtureBook(tmp_path / "book", {"index": SLOW_PAGE})
    builder = start_build(book, process_group=0)
    wait_for_a_kernel(book)
    os.killpg(builder.pid, signal.SIGINT)
    log = ANSI.sub("", builder.communicate(timeout=60)[0])
    assert builder.returncode == 128 + signal.SIGINT
    after = log.split("Executing notebook using", 1)[1].split("\n", 1)[1]
    assert after.strip() == "Interrupted.", f"said after the interruption: {after[-2000:]!r}"
    assert_nothing_left(book)


def test_a_second_build_waits_for_the_first(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("import time\ntime.sleep(8)\nprint(6 * 7)"))})
    first = start_build(book)
    wait_for_a_kernel(book)
    status, log = book.build()
    first_log = first.communicate(timeout=300)[0]
    assert first.returncode == 0, first_log[-3000:]
    assert status == 0, log[-3000:]
    assert "Another build of this book is running; this one waits until it ends." in log
    assert executions(log) == 0, "the second build ran the page again instead of using the first's outputs"
    assert "42" in book.html(LANGUAGES[1])


def damage(book, how):
    """Damage the fixture book's execution cache database as a user's machine might."""
    (database,) = (book.root / "_build" / ".jupyter_cache").glob("*/global.db")
    database.write_bytes(os.urandom(4096) if how == "random bytes" else b"")
    return database


@from_good_book
@pytest.mark.parametrize("how", ["random bytes", "zero bytes"])
def test_a_damaged_cache_database_heals_and_keeps_the_outputs(good_book, how):
    book = good_book
    database = damage(book, how)
    status, log = book.build()
    assert status == 0, log[-3000:]
    assert f"The execution cache's database {database} was damaged" in log
    assert executions(log) == 0, "the outputs the cache still held were thrown away"
    status, log = book.build()  # healed: nothing more to say
    assert status == 0 and "execution cache" not in log and executions(log) == 0, log[-3000:]


@from_good_book
def test_a_cache_entry_cut_short_runs_its_page_again(good_book):
    """A full disk: jupyter-cache commits an entry's record, then fails to write all of its
    notebook."""
    book = good_book
    notebooks = sorted((book.root / "_build" / ".jupyter_cache").glob("*/executed/*/base.ipynb"))
    assert len(notebooks) == 2
    # other.md's notebook, told by its code: "84" alone could also stand in index.md's metadata.
    cut = next(path for path in notebooks if "print(7 * 6 * 2)" in path.read_text())
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    status, log = book.build()
    assert status == 0, log[-3000:]
    assert "The execution cache's outputs of" in log and "other.md were damaged (NotJSONError" in log, log[-3000:]
    assert executions(log) == 1, "only the page whose outputs were cut runs again"
    assert "84" in book.html(LANGUAGES[1], "other")


@from_good_book
def test_a_page_taken_out_of_the_toc_leaves_the_site(good_book):
    book = good_book
    site = book.root / "_build" / "html"
    assert all((site / lang / "other.html").is_file() for lang in LANGUAGES)
    (book.root / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    status, log = book.build()
    assert status == 0, log[-3000:]
    for lang in LANGUAGES:
        assert not (site / lang / "other.html").exists(), f"{lang}: the page out of the toc is still in the site"
        assert not list((site / lang / "_sources").glob("other.*")), f"{lang}: its source is still in the site"
        assert (site / lang / "index.html").is_file()


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


def test_a_build_beside_the_reader_notebook_runs_keeps_their_kernels_as_they_were(tmp_path, monkeypatch):
    """make test runs in two processes: a build in one once rewrote the kernel profile of the
    reader-notebook runs in the other, whose kernel then reached myst_nb (CI, es/05)."""
    from tools.kernel_environment import kernel_environment

    monkeypatch.setattr(os, "environ", dict(os.environ))  # the variables it sets stay here
    (tmp_path / "book" / "_kernel").mkdir(parents=True)
    kernel_environment(tmp_path, extra_lines=["blocked = True"], name="reader-notebooks")
    reader = os.environ["IPYTHONDIR"]
    kernel_environment(tmp_path)  # the build, in the other process
    assert os.environ["IPYTHONDIR"] != reader
    config = (tmp_path / reader / "profile_default" / "ipython_kernel_config.py").read_text()
    assert "blocked = True" in config


def test_a_build_keeps_the_record_of_the_reader_notebook_runs(tmp_path, monkeypatch):
    """A build removes the execution caches of other package sets; it once removed the
    record of the reader notebooks' passing runs too, so `make test` ran them all again."""
    from tests.test_reader_notebooks import runs_record
    from tools.build_book import prepare

    monkeypatch.setattr(os, "environ", dict(os.environ))  # the variables it sets stay here
    (tmp_path / "book" / "_kernel").mkdir(parents=True)
    record = runs_record(tmp_path / "_build")
    record.parent.mkdir(parents=True)
    record.write_text("{}")
    old = record.parent.parent / "0123456789abcdef"  # another set of installed packages
    old.mkdir()
    prepare(tmp_path, {"execute": {"cache": "_build/.jupyter_cache"}})
    assert record.is_file() and not old.exists()
