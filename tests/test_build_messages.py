"""Bad input gets one clear message, not a traceback: each fault a user can make."""

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from tests.book import LANGUAGES, ROOT
from tests.fixture_book import FixtureBook, cell, executions, failed_code, page

MNIST = "import keras\n(x, y), _ = keras.datasets.mnist.load_data()\nprint(x.shape)"


def test_a_yaml_error_names_file_line_and_column(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola")})
    config = book.root / "_config.yml"
    config.write_text(config.read_text().replace("execute:\n", "execute:\n  cache: [oops\n", 1))
    status, log = book.build()
    assert status != 0
    assert "Traceback" not in log
    lines = log.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{config}:"), log
    line, column = lines[0].removeprefix(f"{config}:").split(":")[:2]
    assert line.isdigit() and column.isdigit(), log


def test_an_unknown_edition_lists_the_editions(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola")})
    status, log = book.build("--language", "xx")
    assert status != 0 and "Traceback" not in log
    assert f"No edition 'xx': _config.yml has {', '.join(LANGUAGES)}." in log


def test_no_network_and_no_mirror_says_how_to_build_offline(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell(MNIST))})
    no_network = "http://127.0.0.1:9"  # a proxy that refuses every connection
    status, log = book.build(unset=["BOOK_DATA_MIRROR"], KERAS_HOME=str(tmp_path / "keras"),
                             https_proxy=no_network, HTTPS_PROXY=no_network)
    assert status != 0
    assert "set BOOK_DATA_MIRROR to a folder laid out like shared/data" in log


needs_mirror = pytest.mark.skipif(not os.environ.get("BOOK_DATA_MIRROR"),
                                  reason="needs the offline data mirror (BOOK_DATA_MIRROR), as .ci/run sets it")


@pytest.fixture(scope="module")
def corrupt_mirror_build(tmp_path_factory):
    """A page that loads MNIST, glues from it and shows a figure of it, built once with a
    mirror whose mnist.npz is corrupt, and a good copy of it in `_build/data`, left by an
    earlier, good build: (mirror, exit code, log)."""
    tmp = tmp_path_factory.mktemp("corrupt-mirror")
    mirror = tmp / "mirror"
    shutil.copytree(os.environ["BOOK_DATA_MIRROR"], mirror)
    (mirror / "mnist.npz").chmod(0o644)
    with (mirror / "mnist.npz").open("r+b") as data:
        data.seek(1000)
        data.write(b"corrupted")
    glue = "glue('count', len(x), display=False)\nglue('shape', str(x.shape), display=False)"
    text = ("There are {glue:text}`count` images of shape {glue:text}`shape`, see {numref}`fig-x`.\n\n"
            "```{glue:figure} count\n:name: fig-x\n\nA figure.\n```\n")
    book = FixtureBook(tmp / "book", {"index": page("Hola", cell(MNIST), cell(glue), text=text)})
    good_copy = book.root / "_build" / "data" / "mnist.npz"
    good_copy.parent.mkdir(parents=True)
    shutil.copy(os.path.join(os.environ["BOOK_DATA_MIRROR"], "mnist.npz"), good_copy)
    status, log = book.build(BOOK_DATA_MIRROR=str(mirror), KERAS_HOME=str(tmp / "keras"))
    return mirror, status, log


@needs_mirror
@pytest.mark.xdist_group("corrupt-mirror")  # one process builds it for both
def test_a_corrupted_mirror_file_is_noticed_even_with_a_good_copy_at_hand(corrupt_mirror_build):
    mirror, status, log = corrupt_mirror_build
    assert status != 0
    assert f"{mirror / 'mnist.npz'} (from BOOK_DATA_MIRROR) does not have the SHA-256" in log


@needs_mirror
@pytest.mark.xdist_group("corrupt-mirror")
def test_a_failing_page_says_its_cause_first_and_holds_back_what_follows(corrupt_mirror_build):
    """A corrupt mirror fails the page at its first cell: its glued numbers, figure and the
    reference to it would each warn too, burying the cause."""
    mirror, status, log = corrupt_mirror_build
    assert status != 0
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    assert "does not have the SHA-256" in warnings[0], warnings[:3]
    assert warnings[0].split("WARNING: ")[1].startswith("Executing notebook failed: CellExecutionError: ValueError: ")
    assert len(warnings) == 1, "\n".join(warnings)
    assert "index.md: 5 more warnings held back: they follow from the page's failed code." in log
    assert "oneDNN" not in log and "absl" not in log, "TensorFlow's start-up lines reached the build's log"


@pytest.mark.xdist_group("faulty-book")
def test_a_dying_kernel_is_reported_like_a_failing_cell(faulty_build):
    book, status, log = faulty_build  # its page `dying` ends its kernel in its second cell
    assert status != 0
    assert "Executing notebook failed: DeadKernelError" in log
    assert "The kernel died while running code cell 3 of the page" in log
    assert "sphinx-doc/sphinx/issues" not in log and "Exception occurred" not in log, log[-3000:]
    assert executions(log, "dying") == 1, "the page ran again in the second edition"
    assert "dying" in failed_code(log), log[-3000:]


def test_a_killed_edition_says_how_it_died_and_on_which_page(tmp_path):
    """The out-of-memory killer sends SIGKILL, which no handler of the edition's process
    sees: the build says so, naming the page, instead of "see the messages above" alone."""
    kill = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)  # the kernel's parent: the edition"
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("print(1)"), cell(kill))})
    status, log = book.build("--language", LANGUAGES[0])
    assert status != 0
    said = f"The {LANGUAGES[0]} edition's build was killed by signal 9 (SIGKILL) while reading "
    assert said in log, log[-3000:]
    assert f"book/{LANGUAGES[0]}/index.md (its code runs then). The out-of-memory killer is the usual cause" in log
    assert log.index(said) < log.index(f"Failed: the {LANGUAGES[0]} edition(s); see the messages above.")


def test_a_cell_with_too_much_output_fails_the_build_at_once(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("print('x' * 2_000_000)"))})
    start = time.perf_counter()
    status, log = book.build()
    assert status != 0
    assert "index.md: WARNING: code cell 2 writes 2.0 MB of output, more than the 0.5 MB a cell may put on a page" in log
    assert time.perf_counter() - start < 120, "the build spent its time on the output it refuses"
    assert os.path.getsize(book.root / "_build" / "html" / LANGUAGES[0] / "index.html") < 100_000


def test_make_check_names_unglued_values_and_typed_results(tmp_path):
    text = ("The answer is {glue:text}`answer` and {glue:text}`nothing`; 6 × 7 = {glue:text}`answer`, "
            "but 784 × 21,632 + 21,632 = 16,979,120 is typed.")
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("glue('answer', 42, display=False)"), text=text)})
    result = subprocess.run([sys.executable, "-m", "tools.check_pages"], cwd=book.root, capture_output=True, text=True)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if "glued value" in line]
    assert problems == [f"{lang}/index: quotes the glued value 'nothing', which no code cell glues  "
                        "[every_quoted_value_is_glued]" for lang in LANGUAGES], result.stdout
    typed = [line for line in result.stdout.splitlines() if "[derived_numbers_are_glued]" in line]
    assert len(typed) == len(LANGUAGES) and all("16,979,120" in line for line in typed), result.stdout



def test_make_check_names_the_words_an_edition_avoids(tmp_path):
    """The Spanish "paso" is only the optimizer's step: not the forward pass, nor, bare, the
    stride of a window; nor is the reader welcomed as a man."""
    spanish = page("Hola", text="¡Bienvenido!\n\nUn paso hacia delante, a mano.\n\nLa ventana avanza con "
                                "un paso de 2: su paso de la ventana, no el paso del optimizador.")
    english = page("Hello", text="Welcome!\n\nA forward pass, by hand.\n\nThe window moves with a stride of 2.")
    book = FixtureBook(tmp_path / "book", {"index": {"es": spanish, "en": english}})
    result = subprocess.run([sys.executable, "-m", "tools.check_pages"], cwd=book.root, capture_output=True, text=True)
    assert result.returncode == 1
    words = [line for line in result.stdout.splitlines() if line.endswith("[words_of_each_edition]")]
    # One message for each, all on the Spanish page; "paso de la ventana" and "paso del
    # optimizador" say which step they mean.
    assert len(words) == 3 and all(line.startswith("es/index: ") for line in words), result.stdout
    assert "'¡Bienvenido'" in words[0] and "'paso hacia delante'" in words[1], result.stdout
    assert "says 'paso'" in words[2] and "un paso de 2" in words[2], result.stdout


def test_make_check_names_a_module_imported_again(tmp_path):
    book = FixtureBook(tmp_path / "book", {"index": page("Hola", cell("import math"), cell("import math\nprint(math.pi)"))})
    result = subprocess.run([sys.executable, "-m", "tools.check_pages"], cwd=book.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert ("index: code cell 3 imports math again (cell 2 already does)  [each_module_imported_once]"
            in result.stdout.splitlines()), result.stdout

def test_run_page_refuses_a_file_that_is_no_page(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.run_page", "README.md"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == ("README.md is not a page with code (a MyST notebook, as in "
                                     "book/<language>/): nothing to run")


def test_make_refuses_a_python_older_than_3_11_before_creating_anything(tmp_path):
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path)
    old = tmp_path / "python3.10"
    old.write_text("#!/bin/sh\n"
                   'case "$1" in --version) echo "Python 3.10.12";; *) exit 1;; esac\n')
    old.chmod(0o755)
    result = subprocess.run(["make", "-C", str(tmp_path), "html", f"PYTHON={old}"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert f"The book needs Python 3.11 or later, and '{old}' is Python 3.10.12." in result.stdout
    assert not (tmp_path / ".venv").exists()


def test_without_node_make_test_needs_nothing_and_make_bench_says_what_to_install(tmp_path):
    """A fresh machine with Python alone: `make test` asks nothing of npm (axe-core is kept
    in the repository), and `make bench`, whose Lighthouse is an npm package, says in one
    sentence what to install instead of make's "No such file or directory"."""
    for name in ("Makefile", "package.json", "package-lock.json", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path)
    plan = subprocess.run(["make", "-C", str(tmp_path), "-n", "test"], capture_output=True, text=True)
    assert plan.returncode == 0 and "-m pytest" in plan.stdout, plan.stdout + plan.stderr
    assert "npm" not in plan.stdout, plan.stdout
    no_node = dict(os.environ, PATH=str(tmp_path / "bin"))  # nothing on it: no npm, no node
    result = subprocess.run([shutil.which("make"), "-C", str(tmp_path), "node_modules/.bin/lighthouse"],
                            capture_output=True, text=True, env=no_node)
    assert result.returncode != 0
    assert ("make bench runs Lighthouse, an npm package: install Node.js with npm (Debian/Ubuntu: "
            "sudo apt-get install npm), then run make bench again.") in result.stdout, result.stdout + result.stderr
    assert "No such file or directory" not in result.stdout + result.stderr


def test_a_browser_that_cannot_start_is_reported_once(tmp_path):
    env = dict(os.environ, BOOK_CHROMIUM=str(tmp_path / "no-such-browser"), PATH=os.path.dirname(sys.executable),
               TMPDIR=str(tmp_path),
               PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "no-browsers"),
               PLAYWRIGHT_DOWNLOAD_HOST="http://127.0.0.1:9")
    for name in [name for name in env if name.startswith("PYTEST_XDIST_")]:
        del env[name]  # a run of its own, not one of this run's processes (their browser folders)
    result = subprocess.run([sys.executable, "-m", "pytest", "tests/browser", "-q", "-p", "no:cacheprovider", "-o", "addopts="],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)
    out = result.stdout
    assert result.returncode != 0
    # One test fails (in its browser fixture, so pytest counts an error); the rest are left out.
    summary = out.strip().splitlines()[-1]
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (failed|errors?|passed|deselected)", summary)}
    assert counts.get("failed", 0) + counts.get("error", 0) == 1 and "passed" not in counts, summary
    assert counts.get("deselected", 0) > 100, summary
    # Said once, in the one failure's report. Pytest's short summary repeats that failure's
    # first line (in full when the CI variable is set, cut to the terminal's width otherwise).
    reports, _, short_summary = out.partition("short test summary info")
    assert reports.count("No browser for the browser tests") == 1, out[-3000:]
    assert short_summary.count("No browser for the browser tests") <= 1, out[-3000:]
    assert "apt-get install chromium" in out
    left = [p.name for p in tmp_path.iterdir() if p.name not in ("no-browsers",)]
    assert not left, f"temporary files left by the browser tests: {left}"
