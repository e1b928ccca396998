"""A reader notebook as a learner runs it, with the checks of its exercises put to the test.

`learner_notebook(page)` is the first language's reader notebook in which every checked
exercise (book/_checks/<page>.py) goes through what learners do, before its hint and
solution run as "Run all" runs them:

1. the attempt cell holds the book's own solution: the code of its solution cells, and the
   glued values for the paper answers (`from_glue`); the notebook's `check(N)` runs;
2. each typical wrong attempt written beside the check runs, and the check with it; then
   the starter's variables are put back as they were;
3. the untouched starter runs, `____` and all, and the check with it.

After each check, a probe cell asks the verdict in every language, each language's hidden
checks cell having run once in a namespace of its own (the learner's variables are the
kernel's), and prints it on a line of its own. `verdicts(notebook)` reads them back after the run:
[(label, case, language, verdict)], case "solution", "wrong 1", ..., "starter".
"""

import ast
import json

import nbformat

from book._ext.reader_notebooks.checks import page_exercises
from tests.book import LANGUAGES, executed, reader_notebook

MARK = "book-verdict "
# Each language's checks cell, run once in a namespace of its own (the checks keep the data
# they load there); a probe asks each for its verdict.
CHECKS = """\
_BOOK_CHECKS = {{}}
for _book_lang, _book_source in {sources!r}.items():
    _BOOK_CHECKS[_book_lang] = {{}}
    exec(_book_source, _BOOK_CHECKS[_book_lang])
"""
PROBE = """\
import json as _book_json
for _book_lang, _book_namespace in _BOOK_CHECKS.items():
    _book_verdict = _book_namespace["check"].verdict({number})
    print({mark!r} + _book_json.dumps({{"label": {label!r}, "case": {case!r}, "language": _book_lang,
                                     **_book_verdict.as_dict()}}))
"""


def starter_names(starter):
    """The variables that a starter assigns (`x = ____`, `d["key"] = ____`, `a, b = ____, ____`)."""
    names = []
    for node in ast.walk(ast.parse(starter)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                    while isinstance(element, ast.Subscript):
                        element = element.value
                    if isinstance(element, ast.Name) and element.id not in names:
                        names.append(element.id)
    return names


def solution_code(cells, label):
    """The code of an exercise's solution cells, without their `# @title` line."""
    prefix = f"solution-{label}-"
    return "\n\n".join(cell.source.split("\n", 1)[1] for cell in cells
                       if cell.cell_type == "code" and cell.get("id", "").startswith(prefix))


def attempt_from_solution(exercise, cells, glue):
    """The attempt of a learner who writes the book's solution."""
    code = solution_code(cells, exercise.label)
    answers = [f"{name} = {glue[glued]!r}" for name, glued in exercise.from_glue.items()]
    return "\n".join(filter(None, [code, *answers]))


def code_cell(source, **metadata):
    return nbformat.v4.new_code_cell(source, metadata={"book_learner_run": True, **metadata})


def learner_notebook(page):
    """The first language's reader notebook with the learner's cases put in (see above)."""
    lang = LANGUAGES[0]
    notebook = nbformat.read(reader_notebook(lang, page), as_version=4)
    exercises = page_exercises(page)
    glue = executed(page).glue
    checks_cells = {language: next(c.source for c in nbformat.read(reader_notebook(language, page), as_version=4).cells
                                   if c.get("id") == "exercise-checks")
                    for language in LANGUAGES} if exercises else {}
    cells = []
    for cell in notebook.cells:
        cell_id = cell.get("id", "")
        label = cell_id.removeprefix("attempt-")
        if cell_id.startswith("attempt-") and label in exercises:
            first_line = cell.source.split("\n", 1)[0]
            cell.source = first_line + "\n" + attempt_from_solution(exercises[label], notebook.cells, glue)
        if cell_id == "exercise-checks":
            cells.append(cell)
            cells.append(code_cell(CHECKS.format(sources=checks_cells)))
            continue
        cells.append(cell)
        label = cell_id.removeprefix("check-")
        if not (cell_id.startswith("check-") and label in exercises):
            continue
        exercise = exercises[label]
        number = int(cell.source.removeprefix("check(").removesuffix(")"))

        def probe(case):
            return code_cell(PROBE.format(number=number, label=label, case=case, mark=MARK))

        cells.append(probe("solution"))
        names = starter_names(exercise.starter)
        for i, (wrong, _words) in enumerate(exercise.wrong, start=1):
            # Containers are copied, since a wrong attempt may change them in place
            # (`val_accuracy["linear"] = ...`); anything else is kept as it is (copying a
            # Keras model serialises it).
            cells.append(code_cell(
                f"_book_saved = {{n: (globals()[n].copy() if isinstance(globals()[n], (dict, list, set)) else globals()[n])\n"
                f"               for n in {names!r} if n in globals()}}"))
            cells.append(code_cell(wrong))
            cells.append(probe(f"wrong {i}"))
            cells.append(code_cell("globals().update(_book_saved)"))
        cells.append(code_cell(exercise.starter))
        cells.append(probe("starter"))
    notebook.cells = cells
    return notebook


def verdicts(notebook):
    """[(label, case, language, {"status", "msgid", "text"})] that the probes printed."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith(MARK):
                    verdict = json.loads(line.removeprefix(MARK))
                    found.append((verdict.pop("label"), verdict.pop("case"), verdict.pop("language"), verdict))
    return found


def check_outputs(notebook):
    """{label: what the notebook's own `check(N)` cell printed}, after the learner's attempt."""
    return {cell["id"].removeprefix("check-"): "".join(o.get("text", "") for o in cell.get("outputs", []))
            for cell in notebook.cells if cell.get("id", "").startswith("check-")}
