"""The reader notebooks: what Colab, Binder and the download button open (book/_ext/reader_notebooks.py).

They must read like the page (plain Markdown, the book's links, the book's numbers), hold
exactly the page's visible code plus an attempt cell per exercise, hide every solution,
and run top to bottom as in Colab, where `myst_nb` does not exist.
"""

import ast
import base64
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from datetime import datetime, timezone
from functools import cache
from importlib.metadata import distribution, packages_distributions

import nbformat
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from packaging.requirements import Requirement

from book._ext.reader_notebooks.checks import judgements, page_exercises, starter_comments
from tests.book import BUILD, CONFIG, HTML, LANGUAGES, ROOT, SITE, code_cells, pages_with_code, reader_notebook, words
from tests.learner_run import check_outputs, learner_notebook, verdicts
from tools.build_edition import installed_digest
from tests.fixture_book import HEADER, FixtureBook

NOTEBOOKS = BUILD / "notebooks"
REPOSITORY = CONFIG["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
SETTINGS = CONFIG["sphinx"]["config"]
COLAB = f"{SETTINGS['reader_notebooks_colab_url']}/github/{REPOSITORY}/blob/{SETTINGS['reader_notebooks_branch']}/"
CODE_PAGES = [(lang, page) for lang in LANGUAGES for page in pages_with_code()]
MARKDOWN = MarkdownIt("commonmark").enable("table")
# Binder installs these (book/_ext/reader_notebooks.py's BINDER_PACKAGES); repo2docker adds the kernel.
BINDER_PACKAGES = ["tensorflow", "keras", "matplotlib", "numpy"]


@cache
def reader(lang, page):
    path = reader_notebook(lang, page)
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make html` first", pytrace=False)
    return nbformat.read(path, as_version=4)


def markdown_cells(lang, page):
    return [cell.source for cell in reader(lang, page).cells if cell.cell_type == "markdown"]


def is_attempt(cell):
    return cell.cell_type == "code" and cell.get("id", "").startswith("attempt-")


def is_notebook_only(cell):
    """A code cell that the notebook adds to the page's: an attempt, a check, the checks."""
    return is_attempt(cell) or cell.get("id", "").startswith(("check-", "exercise-checks"))


def is_solution(cell):
    return cell.cell_type == "code" and cell.metadata.get("cellView") == "form" and cell.get("id") != "exercise-checks"


def page_code(cell):
    """A code cell's source as the page has it: a solution's `# @title` line is the notebook's."""
    return cell.source.split("\n", 1)[1] if is_solution(cell) else cell.source


@cache
def built_page(lang, page):
    path = HTML / lang / f"{page}.html"
    assert path.is_file(), f"{path} is missing: run `make html` first"
    return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")


@cache
def render(text):
    """Markdown as Colab would show it: HTML, from a CommonMark parser (only read, never changed)."""
    return BeautifulSoup(MARKDOWN.render(text), "html.parser")


def rendered(lang, page):
    """Each Markdown cell, rendered."""
    return [render(text) for text in markdown_cells(lang, page)]


def links(lang, page):
    for soup in rendered(lang, page):
        for a in soup.find_all("a"):
            yield a["href"]
        for img in soup.find_all("img"):
            yield img["src"]


# --- The files --------------------------------------------------------------------------

@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_a_clean_notebook_in_the_book_and_on_the_site(lang, page):
    path = reader_notebook(lang, page)
    nb = reader(lang, page)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.colab.name == f"{page}.ipynb"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{lang}/{page}: outputs left in"
    served = HTML / lang / "_notebooks" / f"{page}.ipynb"
    assert served.read_bytes() == path.read_bytes(), f"{served} differs from {path}"


def test_only_pages_with_code_have_one():
    for lang in LANGUAGES:
        assert sorted(p.stem for p in (NOTEBOOKS / lang).glob("*.ipynb")) == sorted(pages_with_code())


# --- Plain Markdown, the page's words -----------------------------------------------------

ROLE = re.compile(r"\{[A-Za-z][\w:.-]*\}`")


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_no_myst_syntax_and_no_build_machinery(lang, page):
    for number, cell in enumerate(reader(lang, page).cells):
        where = f"{lang}/{page}, cell {number}"
        if cell.cell_type == "markdown":
            assert not ROLE.search(cell.source), f"{where}: a MyST role: {ROLE.search(cell.source)[0]}"
            for syntax in ("```{", ":::{", "glue", "remove-cell", "myst_nb"):
                assert syntax not in cell.source, f"{where}: {syntax!r} in {cell.source[:200]!r}"
        else:
            for name in ("glue", "myst_nb"):
                assert name not in cell.source, f"{where}: {name!r} in the code"


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_first_cell_says_what_it_is(lang, page):
    first = reader(lang, page).cells[0]
    title = " ".join(built_page(lang, page).find("h1").get_text(" ", strip=True).split())
    title = title.removesuffix(" #").strip()
    assert first.cell_type == "markdown" and first.source.startswith(f"# {title}\n"), first.source[:200]
    hrefs = [a["href"] for a in rendered(lang, page)[0].find_all("a")]
    assert f"{SITE}{lang}/{page}.html" in hrefs
    for other in LANGUAGES:
        if other != lang:
            assert f"{COLAB}{other}/{page}.ipynb" in hrefs, f"{lang}/{page}: no link to the {other} notebook"
    assert "GPU" in first.source and "Colab" in first.source


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_glued_values_are_the_pages_and_glued_numbers_are_bold(lang, page):
    glued = {" ".join(span.get_text().split()) for span in built_page(lang, page).select("span.pasted-text")}
    bold = [" ".join(b.get_text().split()) for soup in rendered(lang, page) for b in soup.find_all("strong")]
    for value in glued:
        assert any(value in text for text in bold), f"{lang}/{page}: the glued {value!r} is not in bold"


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_figure_captions_follow_the_cells_that_draw_them(lang, page):
    cells = reader(lang, page).cells
    texts = [" ".join(render(cell.source).get_text().split()) if cell.cell_type == "markdown" else ""
             for cell in cells]
    for figure in built_page(lang, page).select("figure:has(.caption-text)"):
        start = " ".join(figure.select_one(".caption-text").get_text().split())[:60]
        found = [i for i, text in enumerate(texts) if start in text]
        assert found, f"{lang}/{page}: no caption {start!r}"
        picture = figure.select_one("img")["src"].rsplit("/", 1)[-1]
        if picture in cells[found[0]].source:  # a picture of the site's, shown with its alt text
            continue
        # A figure that the run draws: the cell above draws it, and its picture, the cell's
        # output, has no alt text: the page's, in words.
        assert cells[found[0] - 1].cell_type == "code", (
            f"{lang}/{page}: the caption {start!r} follows neither its picture nor the cell that draws it")
        alt = " ".join(figure.select_one("img")["alt"].split())
        assert alt in texts[found[0]], f"{lang}/{page}: the figure {start!r} lost its description"


# --- Links ------------------------------------------------------------------------------

@cache
def ids(path):
    return {tag["id"] for tag in BeautifulSoup(path.read_text(encoding="utf8"), "html.parser").find_all(id=True)}


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_links_into_the_book_resolve(lang, page):
    checked = 0
    for href in links(lang, page):
        if href.startswith(SITE):
            path, _, anchor = href.removeprefix(SITE).partition("#")
            target = HTML / path
            assert target.is_file(), f"{lang}/{page}: {href} names no page of the site"
            if anchor:
                assert anchor in ids(target), f"{lang}/{page}: {href}: no #{anchor} in {path}"
            checked += 1
        elif href.startswith(COLAB):
            assert (NOTEBOOKS / href.removeprefix(COLAB)).is_file(), f"{lang}/{page}: {href} names no notebook"
        else:
            assert href.startswith(("https://", "http://")), f"{lang}/{page}: a relative link {href!r}"
    assert checked, f"{lang}/{page}: no link to the book at all"


# --- The page's code, and nothing else ---------------------------------------------------

@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_same_code_as_the_page(lang, page):
    """The page's visible code, and besides it only what the exercises add: each attempt cell
    a comment line and, for a checked exercise, its starter (book/_checks/<page>.py) then a
    cell `check(N)`; for one that asks for judgement, comment lines only."""
    visible = [source for source, meta in code_cells(lang, page) if "remove-cell" not in meta.get("tags", [])]
    cells = [cell for cell in reader(lang, page).cells if cell.cell_type == "code"]
    ours = [page_code(cell) for cell in cells if not is_notebook_only(cell)]
    assert ours == visible, f"{lang}/{page}: the code cells differ from the page's visible code cells"
    exercises = page_exercises(page)
    for number, cell in enumerate(cells):
        label = cell.get("id", "").removeprefix("attempt-")
        if not is_attempt(cell):
            continue
        first, _, starter = cell.source.partition("\n")
        assert first.startswith("# "), cell.source
        if label in exercises:
            assert starter == translated(lang, exercises[label].starter) and "____" in starter, f"{lang}/{page}: {label}"
            assert cells[number + 1].get("id") == f"check-{label}", f"{lang}/{page}: {label} has no check after it"
        else:
            assert all(line.startswith("#") for line in cell.source.splitlines()), cell.source


def translated(lang, starter):
    """A starter as an edition's notebook shows it: its comments in that edition's words."""
    for comment in starter_comments(starter):
        starter = starter.replace(f"# {comment}", f"# {words(lang, comment)}", 1)
    return starter


def code_shape(lang, page):
    """(is an attempt, is a solution, the code) of each code cell: the page's, an attempt's
    starter (without its comments, which are each language's own), a check's call; not the hidden cell of the checks, whose sentences are each
    language's own."""
    return [(is_attempt(cell), is_solution(cell),
             re.sub(r"  # .*$", "", cell.source.partition("\n")[2], flags=re.M) if is_attempt(cell) else
             None if cell.get("id") == "exercise-checks" else page_code(cell))
            for cell in reader(lang, page).cells if cell.cell_type == "code"]


@pytest.mark.parametrize("page", pages_with_code())
def test_every_language_has_the_same_code(page):
    """Each page's notebook runs in one language (below); the others must hold the same code."""
    first, *others = LANGUAGES
    for lang in others:
        assert code_shape(lang, page) == code_shape(first, page), (
            f"{page}: the {lang} notebook's code differs from the {first} one's")


# --- Exercises and self-check questions --------------------------------------------------

def heading_level(cell):
    """The level of the heading that starts a Markdown cell, or None."""
    first = cell.source.split("\n", 1)[0] if cell.cell_type == "markdown" else ""
    hashes = len(first) - len(first.lstrip("#"))
    return hashes if hashes and first[hashes:hashes + 1] == " " else None


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_each_exercise_has_an_attempt_cell_and_a_hidden_solution(lang, page):
    html = built_page(lang, page)
    cells = reader(lang, page).cells
    position = {cell.get("id"): i for i, cell in enumerate(cells)}
    for exercise in html.select("div.exercise[id]"):
        where = f"{lang}/{page}, exercise {exercise['id']}"
        attempt = f"attempt-{exercise['id']}"
        assert attempt in position, f"{where}: no attempt cell"
        statement = cells[position[attempt] - 1]
        title = " ".join(exercise.select_one(".admonition-title").get_text(" ", strip=True).split())
        assert heading_level(statement) and title.split(" (")[0] in statement.source.split("\n")[0], where
        assert cells[position[attempt]].source.startswith("# "), where
    solutions = html.select("div.solution")
    hidden_code = [cell for cell in cells if is_solution(cell)]
    assert len(hidden_code) == sum(len(s.select("div.cell")) for s in solutions), f"{lang}/{page}"
    for cell in hidden_code:
        assert cell.source.startswith("# @title "), f"{lang}/{page}: {cell.source[:80]!r}"
        assert cell.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_run_all_shows_no_answer_until_asked(lang, page):
    """Each solution is a section of its own under its exercise, collapsed when the notebook
    opens, in Colab (`collapsed_sections`, by the cells' Colab ids) and JupyterLab; within it
    prose is in <details> and code hides its source and outputs. The section ends at the next
    heading: nothing else of the page hides in it."""
    nb = reader(lang, page)
    cells = nb.cells
    solutions = built_page(lang, page).select("div.solution")
    headings = [i for i, cell in enumerate(cells) if cell.metadata.get("jp-MarkdownHeadingCollapsed")]
    assert len(headings) == len(solutions), f"{lang}/{page}: {len(solutions)} solutions, {len(headings)} sections"
    assert nb.metadata.colab.collapsed_sections == [cells[i].metadata["id"] for i in headings]
    for solution, start in zip(solutions, headings):
        title = " ".join(solution.select_one(".admonition-title").get_text(" ", strip=True).split())
        level = heading_level(cells[start])
        assert level and title.split(" (")[0] in cells[start].source, f"{lang}/{page}: {title!r}"
        assert cells[start].metadata["id"] == cells[start].id
        end = next((i for i in range(start + 1, len(cells)) if (heading_level(cells[i]) or 7) <= level), len(cells))
        for cell in cells[start + 1:end]:
            where = f"{lang}/{page}, {title!r}: {cell.source[:80]!r}"
            if cell.cell_type == "code":
                assert is_solution(cell), f"{where}: a code cell of the page in a solution's section"
            else:
                assert cell.source.startswith("<details>") and cell.source.rstrip().endswith("</details>"), where
        assert end > start + 1, f"{lang}/{page}: {title!r} has nothing in its section"


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_every_exercise_is_checked_or_asks_for_judgement(lang, page):
    """Each exercise of a page either has a check (book/_checks/<page>.py) or is declared to
    ask for judgement there, never both; and the attempt cell of the latter says so."""
    labels = {div["id"] for div in built_page(lang, page).select("div.exercise[id]")}
    checked, judged = set(page_exercises(page)), judgements(page)
    assert not checked & judged, f"{page}: both checked and judgement: {checked & judged}"
    assert labels == checked | judged, (
        f"{page}: neither checked nor declared judgement: {sorted(labels - checked - judged)}; "
        f"checks of no exercise: {sorted((checked | judged) - labels)}")
    attempts = {cell.id.removeprefix("attempt-"): cell.source for cell in reader(lang, page).cells if is_attempt(cell)}
    for label in judged:
        assert words_of(lang, "# {exercise}: your answer, in words, as a comment. It asks for judgement, "
                              "which no check can mark: compare it with the solution.").split("}", 1)[1] in attempts[label]


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_the_checks_travel_hidden_in_the_notebook(lang, page):
    """A page with checked exercises gets, right after its first cell, one hidden cell (a
    Colab form, hidden in JupyterLab) that defines `check` and `____` and nothing else, in
    the notebook's language; each check cell calls it with the number that the site gives
    its exercise."""
    cells = reader(lang, page).cells
    found = [i for i, cell in enumerate(cells) if cell.get("id") == "exercise-checks"]
    if not page_exercises(page):
        assert not found, f"{lang}/{page}: a checks cell but no checked exercise"
        pytest.skip(f"{page} has no checked exercise")
    assert found == [1], f"{lang}/{page}: the checks cell is not the second cell: {found}"
    cell = cells[1]
    assert cell.metadata["cellView"] == "form" and cell.metadata["jupyter"] == {"source_hidden": True}
    assert cell.source.startswith("# @title "), cell.source[:80]
    namespace = {}
    exec(cell.source, namespace)
    assert set(namespace) - {"__builtins__"} == {"check", "____"}, sorted(namespace)
    assert repr(namespace["____"]) == "____"
    titles = {div["id"]: " ".join(div.select_one(".admonition-title").get_text(" ", strip=True).split())
              for div in built_page(lang, page).select("div.exercise[id]")}
    for label in page_exercises(page):
        call = next(c.source for c in cells if c.get("id") == f"check-{label}")
        number = re.fullmatch(r"check\((\d+)\)", call)[1]
        assert re.match(rf"\D+ {number}\b", titles[label]), f"{lang}/{page}: {call} for {titles[label]!r}"
    # The verdict of an exercise whose starter has not run yet names the missing variable, in
    # the notebook's language.
    first = next(iter(page_exercises(page)))
    number = int(re.search(r"\d+", next(c.source for c in cells if c.get("id") == f"check-{first}"))[0])
    verdict = namespace["check"].verdict(number, namespace={})
    assert verdict.status == "not yet" and verdict.text.startswith(
        words_of(lang, verdict.msgid).split("{")[0]), verdict.text


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_each_question_has_its_options_and_a_collapsed_answer(lang, page):
    questions = built_page(lang, page).select("div.quiz")
    if not questions:
        pytest.skip(f"{lang}/{page} has no self-check question")
    summary = questions[0].select_one("details.quiz-answer summary").get_text()
    cells = [soup for soup in rendered(lang, page) if soup.find("summary", string=summary)]
    assert len(cells) == len(questions), f"{lang}/{page}: {len(questions)} questions, {len(cells)} in the notebook"
    for quiz, soup in zip(questions, cells):
        options = [" ".join(label.get_text().split()) for label in quiz.select("label.quiz-option")]
        listed = [" ".join(li.get_text().split()) for li in soup.find("ul").find_all("li", recursive=False)]
        assert listed == options, f"{lang}/{page}: {listed} != {options}"
        right = " ".join(quiz.select_one(".quiz-right").get_text().split())
        assert right in " ".join(soup.find("details").get_text().split()), f"{lang}/{page}: {right!r}"


# --- Binder -----------------------------------------------------------------------------

def closure(names):
    """The distributions that installing `names` brings, from the installed metadata."""
    seen, todo = set(), [n.lower() for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in distribution(name).requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name.lower().replace("_", "-"))
    return seen


def test_binder_installs_what_the_pages_run_at_the_books_versions():
    pinned = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            pinned[Requirement(line).name.lower()] = line
    lines = [line for line in (NOTEBOOKS / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == [pinned[name] for name in BINDER_PACKAGES]
    assert (NOTEBOOKS / "runtime.txt").read_text() == (ROOT / "runtime.txt").read_text()
    # Every module that a reader notebook imports comes with Python, with these or with the kernel.
    available = closure(BINDER_PACKAGES + ["ipykernel"])
    modules = packages_distributions()
    for lang, page in CODE_PAGES:
        for cell in reader(lang, page).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names:
                        continue
                    dists = {d.lower().replace("_", "-") for d in modules.get(top, [])}
                    assert dists & available, f"{lang}/{page}: Binder would not have {top!r}"


# --- It runs as in Colab -----------------------------------------------------------------

# A start-up line for the kernels: `import myst_nb` fails, as in Colab (and leaves no name behind).
NO_MYST_NB = "__import__('sys').modules.__setitem__('myst_nb', None)"
# Appended to each run: whether `myst_nb` or `glue` could be reached, and the kernel's use.
PROBE = """\
import json as _json, resource as _resource
try:
    import myst_nb
    _reached = True
except ImportError:
    _reached = "glue" in globals()
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
print(_json.dumps({"myst_nb_or_glue": _reached, "cpu_seconds": _usage.ru_utime + _usage.ru_stime,
                   "peak_mib": _usage.ru_maxrss / 1024}))
"""


def runs_record(build=BUILD):
    """The record of the passing runs: in the execution cache's folder of the installed
    packages, which every build keeps (it removes the folders of other package sets, and
    once removed a record kept beside them, so that `make test` ran every notebook again)."""
    return build / ".jupyter_cache" / installed_digest() / "reader-notebook-runs.json"


RUNS = runs_record()


@cache
def run_context():
    """What every run depends on: the kernel's start-up, the installed packages, Python."""
    kernel = [p.read_text() for p in sorted((ROOT / "book" / "_kernel").glob("*.py"))]
    return (NO_MYST_NB, PROBE, *kernel, installed_digest(), sys.version)


def run_key(nb):
    """What a run depends on: the code, and the run's context."""
    digest = hashlib.sha256()
    for part in [*(cell.source for cell in nb.cells if cell.cell_type == "code"), *run_context()]:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


@pytest.fixture(scope="module")
def kernels():
    from tools.kernel_environment import kernel_environment

    kernel_environment(ROOT, extra_lines=[NO_MYST_NB], name="reader-notebooks")
    yield
    kernel_environment(ROOT)  # the build's kernels import myst_nb again


@pytest.mark.xdist_group("reader-notebook-runs")  # one process keeps their record
@pytest.mark.parametrize("page", pages_with_code())
def test_runs_top_to_bottom_as_in_colab(page, kernels):
    """The reader notebook (first language; the others hold the same code) runs in a kernel
    where `import myst_nb` fails, with the offline data mirror, as a learner runs it: each
    checked exercise's attempt is the book's own solution, then each typical wrong attempt
    written beside its check, then the untouched starter, each followed by its check, before
    "Run all" goes on through the hint and the solution (tests/learner_run.py). So the run
    shows that every solution is safe to run after the learner's attempt (and twice), that
    every cell runs to the end, and, in every language, that each check says "correct" to
    the book's solution, "not yet" with its message to each wrong attempt, and "not
    attempted" to the starter. A passing run is remembered with what it depends on (run_key:
    every code cell, the kernel's start-up, the installed packages, Python), in the execution
    cache's folder: `make test` runs again only the notebooks for which one of these changed
    since they last passed, as the build re-executes only the pages whose code changed.
    BOOK_RERUN_NOTEBOOKS=1 runs them all."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    lang = LANGUAGES[0]
    nb = learner_notebook(page)
    key = run_key(nb)
    runs = json.loads(RUNS.read_text()) if RUNS.is_file() else {}
    if runs.get(page, {}).get("key") == key and not os.environ.get("BOOK_RERUN_NOTEBOOKS"):
        pytest.skip(f"not run again: the same notebook code passed on {runs[page]['passed']} "
                    "with the same packages and kernel start-up (BOOK_RERUN_NOTEBOOKS=1 runs it)")
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as cwd:
        try:
            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": cwd}}).execute()
        except CellExecutionError as error:
            pytest.fail(f"{lang}/{page}.ipynb fails as a reader would run it:\n{error}", pytrace=False)
    seconds = time.perf_counter() - start
    streams = [(n, o) for n, cell in enumerate(nb.cells) if cell.cell_type == "code"
               for o in cell.outputs if o.output_type == "stream"]
    stderr = [f"cell {n}: {o.text}" for n, o in streams if o.name == "stderr"]
    assert not stderr, f"{lang}/{page}.ipynb writes to stderr:\n" + "\n".join(stderr)
    probe = json.loads(nb.cells[-1].outputs[0].text)
    assert probe["myst_nb_or_glue"] is False, f"{lang}/{page}: the kernel reached myst_nb or glue"
    assert_the_checks_answer(page, nb)
    runs[page] = {"key": key, "language": lang, "seconds": round(seconds, 1),
                  "kernel_cpu_seconds": round(probe["cpu_seconds"], 1), "kernel_peak_mib": round(probe["peak_mib"]),
                  "passed": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    RUNS.parent.mkdir(parents=True, exist_ok=True)
    RUNS.write_text(json.dumps(runs, indent=1, sort_keys=True) + "\n")


def assert_the_checks_answer(page, nb):
    """Every checked exercise's verdicts in the learner's run, in every language: the book's
    solution "correct", each wrong attempt "not yet" with words of its message, the starter
    "not attempted"; and the notebook's own check cell said "correct" after the solution."""
    exercises = page_exercises(page)
    found = {(label, case, language): verdict for label, case, language, verdict in verdicts(nb)}
    printed = check_outputs(nb)
    for label, exercise in exercises.items():
        cases = [("solution", "correct", "")] + [(f"wrong {i}", "not yet", words)
                                                 for i, (_code, words) in enumerate(exercise.wrong, start=1)]
        cases.append(("starter", "not attempted", "____"))
        for case, status, words in cases:
            english = found.get((label, case, "en"))
            assert english, f"{page}, {label}, {case}: no verdict (did the probe run?)"
            for lang in LANGUAGES:
                verdict = found[label, case, lang]
                where = f"{lang}/{page}, {label}, {case}: {verdict['text']!r}"
                assert verdict["status"] == status, f"{where} is {verdict['status']!r}, not {status!r}"
                assert verdict["msgid"] == english["msgid"], where
                translated = words_of(lang, verdict["msgid"]) if verdict["msgid"] else ""
                # its longest stretch of words between two {fields}, as the language words it
                stretch = max(re.split(r"\{[^}]*\}", translated.replace("{{", "{").replace("}}", "}")), key=len)
                assert stretch in verdict["text"], f"{where}: not {stretch!r}, in the notebook's language"
            assert words in english["text"], f"{page}, {label}, {case}: {english['text']!r} lacks {words!r}"
        assert printed[label].startswith("✅"), f"{page}, {label}: check() printed {printed[label]!r}"


def words_of(lang, msgid):
    """A check's sentence in an edition's language (English is the source)."""
    return msgid if lang == "en" else words(lang, msgid)


# --- Every construct, and what the converter does not know: a fixture book ----------------

FIXTURE_PAGE = HEADER + """
# A fixture page

```{code-cell} ipython3
:tags: [remove-cell]

from myst_nb import glue
```

Some *prose* with `code`, a [link](https://example.org), $5, snake_case, 1 < 2 and [brackets].

```{code-cell} ipython3
answer = 6 * 7
print(answer)
```

```{code-cell} ipython3
:tags: [remove-cell]

glue("answer", answer, display=False)
glue("big", 27210, display=False)
```

The answer is {glue:text}`answer` and a big number is **{glue:text}`big:,d`**.

```{figure} dot.png
:name: fig-dot
:alt: A single dot.

A picture that no code draws, and ![a dot](dot.png) inline.
```

:::{note}
A note, with a list:

1. one
2. two
:::

::::{exercise} Multiply
:label: ex-multiply

What is 6 × 7?

:::{answer-box} answer
Your answer:
:::
::::

:::{admonition} Hint
:class: dropdown hint

Use Python.
:::

```{solution-start} ex-multiply
:class: dropdown
```

Prose before the code.

```{code-cell} ipython3
print(6 * 7)
```

Prose after the code.

```{solution-end}
```

:::{exercise} Think
:label: ex-think

Why?
:::

::::{solution} ex-think
:class: dropdown

Because.
::::

## Check your understanding

:::{quiz}
:answer: 2

Which is right?

- `41`
- `42`

Because 6 × 7 = 42.
:::

```{pad}
```
"""
UNKNOWN_PAGE = HEADER + """
# Unknown

```{code-cell} ipython3
print(1)
```

:::{sidebar} A sidebar
Nothing converts this.
:::
"""
AFTER_SOLUTION_PAGE = HEADER + """
# After a solution

```{code-cell} ipython3
print(1)
```

:::{exercise} Add
:label: ex-add

What is 1 + 1?
:::

::::{solution} ex-add
:class: dropdown

Two.
::::

A paragraph after the solution, before any heading: in the notebook it would hide with it.
"""
BAD_BOX_PAGE = HEADER + """
# A bad box

```{code-cell} ipython3
:tags: [remove-cell]

from myst_nb import glue
glue("word", "six", display=False)
```

:::{answer-box} word
Which word?
:::
"""
# The checks of the fixture page's exercises (book/_checks/constructs.py).
FIXTURE_CHECKS = '''
@exercise(
    "ex-multiply",
    starter="""
        product = ____  # 6 × 7
    """,
    wrong=[("product = 41", "is not")],
)
def multiply(learner):
    if whole_number(learner["product"], "product") != 6 * 7:
        raise NotYet(_("{name} is not 6 × 7."), name="product")
    return _("Six sevens.")


judgement("ex-think")
'''
# A one-pixel PNG.
DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
# A stand-in for book/_ext/digit_pad.py's node: an id and a `reader_text`.
PAD_EXTENSION = '''
from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class pad(nodes.General, nodes.Element):
    pass


class Pad(SphinxDirective):
    def run(self):
        return [pad(ids=["digit-pad"], reader_text="Draw a digit on the web page: the model reads it.")]


def visit_pad(self, node):
    self.body.append('<div id="digit-pad"></div>')
    raise nodes.SkipNode


def setup(app):
    app.add_node(pad, html=(visit_pad, None))
    app.add_directive("pad", Pad)
'''


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    """A four-page book with this repository's configuration, extensions and tools, built in
    English."""
    book = FixtureBook(tmp_path_factory.mktemp("fixture") / "book",
                       {"index": "# A fixture book\n", "constructs": FIXTURE_PAGE, "unknown": UNKNOWN_PAGE,
                        "after_solution": AFTER_SOLUTION_PAGE, "bad_box": BAD_BOX_PAGE})
    (book.root / "book" / "_ext" / "fixture_pad.py").write_text(PAD_EXTENSION)
    config = book.root / "_config.yml"
    config.write_text(config.read_text().replace("  local_extensions:\n", "  local_extensions:\n    fixture_pad: book/_ext\n"))
    (book.root / "book" / "en" / "dot.png").write_bytes(base64.b64decode(DOT))
    (book.root / "book" / "_checks" / "constructs.py").write_text(FIXTURE_CHECKS)
    status, log = book.build("--language", "en")
    return book.root, status, log


def test_a_node_the_converter_does_not_know_fails_the_build_naming_page_and_node(fixture_build):
    root, status, log = fixture_build
    assert status != 0, log
    messages = [line for line in log.splitlines() if "reader notebook" in line and "unknown.md" in line]
    assert len(messages) == 1, log[-3000:]
    assert "unknown.md:18" in messages[0] and "<sidebar>" in messages[0], messages
    assert not reader_notebook("en", "unknown", root).exists()


def test_prose_after_a_solution_fails_the_build_naming_page_and_line(fixture_build):
    """A solution's section runs to the next heading in a notebook: prose after a solution
    would be hidden in it, so the build refuses it."""
    root, status, log = fixture_build
    assert status != 0, log
    messages = [line for line in log.splitlines() if "reader notebook" in line and "after_solution" in line]
    assert len(messages) == 1, log[-3000:]
    assert "after_solution.md:30" in messages[0] and "content after a solution" in messages[0], messages
    assert "move it before the exercise, or under a heading of its own" in messages[0]
    assert not reader_notebook("en", "after_solution", root).exists()


def test_an_answer_box_needs_a_glued_number(fixture_build):
    """An answer box's expected value comes from the run: a glued value that is not a number
    (nor an option's number) fails the build, naming the page."""
    root, status, log = fixture_build
    assert status != 0, log
    messages = [line for line in log.splitlines() if "answer box" in line and "bad_box" in line]
    assert messages and "needs a glued number" in messages[0] and "'word'" in messages[0], log[-3000:]


def test_an_answer_box_on_the_page_and_none_in_the_notebook(fixture_build):
    """The web page shows the box, with its question as the field's label, the glued value
    as the expected answer and a live region; the notebook checks the exercise in a cell
    instead, so the box leaves no trace there."""
    from bs4 import BeautifulSoup

    root, _, log = fixture_build
    html = BeautifulSoup((root / "_build" / "html" / "en" / "constructs.html").read_text(encoding="utf8"), "html.parser")
    (box,) = html.select("div.answer-box")
    assert box["data-kind"] == "number" and box["data-expected"] == "42"
    field = box.select_one("input.answer-box-input")
    assert box.select_one(f"label[for={field['id']}]").get_text(strip=True) == "Your answer:"
    assert box.select_one(".answer-box-feedback")["aria-live"] == "polite"
    assert box.find_parent("div", class_="exercise"), "the box belongs in its exercise"
    assert html.find("script", src=re.compile(r"answer-box\.js"))
    notebook = nbformat.read(reader_notebook("en", "constructs", root), as_version=4)
    assert not any("Your answer:" in cell.source for cell in notebook.cells)


def test_a_check_answers_correct_not_yet_and_not_attempted(fixture_build):
    """The fixture page's checks cell, run here as the learner's kernel would run it: each
    verdict with its sentence, never the answer."""
    root, _, log = fixture_build
    cells = nbformat.read(reader_notebook("en", "constructs", root), as_version=4).cells
    namespace = {}
    exec(next(cell.source for cell in cells if cell.get("id") == "exercise-checks"), namespace)
    check = namespace["check"]
    assert check.verdict(1, {"product": 42}).as_dict() == {"status": "correct", "msgid": "Six sevens.",
                                                          "text": "Six sevens."}
    wrong = check.verdict(1, {"product": 41})
    assert (wrong.status, wrong.text) == ("not yet", "`product` is not 6 × 7.")
    learner = {"____": namespace["____"]}
    exec(next(cell.source for cell in cells if cell.get("id") == "attempt-ex-multiply"), learner)
    starter = check.verdict(1, learner)
    assert starter.status == "not attempted" and "`product` still holds ____" in starter.text
    assert check.verdict(1, {}).status == "not yet"  # the starter never ran: a missing variable
    assert "42" not in wrong.text + starter.text


def test_every_construct_reads_as_plain_markdown(fixture_build):
    root, _, log = fixture_build
    path = reader_notebook("en", "constructs", root)
    assert path.is_file(), log[-3000:]
    cells = nbformat.read(path, as_version=4).cells
    sources = [cell.source for cell in cells]
    site = f"{SITE}en/constructs.html"

    assert sources[0].startswith("# A fixture page\n") and site in sources[0]
    prose = next(s for s in sources if s.startswith("Some "))
    text = render(prose).get_text().strip()
    assert text == "Some prose with code, a link, $5, snake_case, 1 < 2 and [brackets]."
    assert "\\$5" in prose  # Jupyter would start a formula at "$"
    assert cells[sources.index(prose) + 1].source == "answer = 6 * 7\nprint(answer)"
    glued = next(s for s in sources if s.startswith("The answer"))
    dot = f"{SITE}en/_images/dot.png"  # a picture that no code draws comes from the site
    assert (root / "_build" / "html" / "en" / "_images" / "dot.png").is_file()
    assert glued == ("The answer is **42** and a big number is **27,210**.\n\n"
                     f"![A single dot.]({dot})\n\n"
                     f"*Fig. 1:* A picture that no code draws, and ![a dot]({dot}) inline.\n\n"
                     "> **Note**\n>\n> A note, with a list:\n>\n> 1. one\n> 2. two")

    exercise = sources.index("## Exercise 1 (Multiply)\n\nWhat is 6 × 7?")
    attempt, check, hint, heading, before, code, after = cells[exercise + 1: exercise + 8]
    assert attempt.id == "attempt-ex-multiply" and attempt.source == (
        "# Exercise 1: your attempt. Replace each ____ with your answer, run this cell, then the next one "
        "to check it.\nproduct = ____  # 6 × 7")
    assert check.id == "check-ex-multiply" and check.source == "check(1)"
    assert hint.source == "<details>\n<summary>Hint</summary>\n\nUse Python.\n\n</details>"
    assert heading.source == "### Solution to Exercise 1 (Multiply)"
    assert heading.id == heading.metadata["id"] == "solution-ex-multiply"
    assert heading.metadata["jp-MarkdownHeadingCollapsed"] is True
    assert before.source == ("<details>\n<summary>Solution to Exercise 1 (Multiply)</summary>\n\n"
                             "Prose before the code.\n\n</details>")
    assert code.source == "# @title Solution to Exercise 1 (continued)\nprint(6 * 7)"
    assert code.metadata["cellView"] == "form"
    assert code.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert after.source.startswith("<details>\n<summary>Solution to Exercise 1 (continued)</summary>")
    assert "Prose after the code." in after.source
    think = sources.index("## Exercise 2 (Think)\n\nWhy?")
    assert cells[think + 1].id == "attempt-ex-think"
    assert cells[think + 1].source.startswith("# Exercise 2: your answer, in words, as a comment.")
    assert sources[think + 2] == "### Solution to Exercise 2 (Think)"
    assert sources[think + 3] == "<details>\n<summary>Solution to Exercise 2 (Think)</summary>\n\nBecause.\n\n</details>"
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.colab.collapsed_sections == ["solution-ex-multiply", "solution-ex-think"]

    assert "## Check your understanding" in sources
    quiz = next(s for s in sources if s.startswith("Which is right?"))
    assert quiz == ("Which is right?\n\n- `41`\n- `42`\n\n<details>\n<summary>Show the answer</summary>\n\n"
                    "**Answer:** `42`\n\nBecause 6 × 7 = 42.\n\n</details>")
    assert f"[Draw a digit on the web page: the model reads it.]({site}#digit-pad)" in sources
    assert not any("thebe" in s or "<script" in s for s in sources)


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_a_pad_is_a_link_and_its_words_stay_on_the_web(lang, page):
    """What the web page says about its drawing pad ("draw a digit in the black square
    below") is the directive's content: the notebook, which has no pad, gives a sentence
    that links to it instead, and none of those words."""
    pads = built_page(lang, page).select("div.digit-pad")
    if not pads:
        pytest.skip(f"{lang}/{page} has no drawing pad")
    texts = [" ".join(render(text).get_text().split()) for text in markdown_cells(lang, page)]
    for pad in pads:
        words = [" ".join(p.get_text().split()) for p in pad.find_all("p", recursive=False)]
        assert words, f"{lang}/{page}: the pad has no words of the web page's"
        for sentence in words:
            assert not any(sentence[:60] in text for text in texts), f"{lang}/{page}: {sentence[:60]!r}"
        link = f"{SITE}{lang}/{page}.html#{pad['id']}"
        assert any(link in cell.source for cell in reader(lang, page).cells if cell.cell_type == "markdown")
