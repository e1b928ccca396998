"""The exercises' checks in a reader notebook (book/_checks/): what the converter needs.

`book/_checks/<page>.py` registers one check per checked exercise of the page,

    @exercise(
        "ex-01-parameters",
        starter="cifar_parameters = ____  # ...\\n",
        from_glue={"cifar_parameters": "cifar_parameters"},
        wrong=[("cifar_parameters = 30_720", "biases")],
    )
    def parameters(learner): ...

and the notebook gets, near its top, one hidden cell that defines `check` and `____` from
`book/_checks/checking.py` and that file, wrapped in a function so that no other name
reaches the learner's namespace, with the sentences of the checks in the notebook's
language (from the edition's catalog, `sphinx.po`). Each checked exercise gets the starter
as its attempt cell and a cell `check(N)` after it. The keyword arguments stay out of the
notebook: `starter` is the attempt cell already, `from_glue` (starter names whose right
value the page glues, for paper answers) and `wrong` (typical wrong attempts, each with
words of the message that must answer it) are for the tests.
"""

import ast
import io
import textwrap
import tokenize
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sphinx.locale import _

CHECKS = Path(__file__).resolve().parents[2] / "_checks"
RUNTIME = CHECKS / "checking.py"


@dataclass
class Exercise:
    """What a page's check file says of one exercise."""

    label: str
    starter: str
    from_glue: dict = field(default_factory=dict)
    wrong: list = field(default_factory=list)


class CheckFileError(Exception):
    pass


def registrations(tree):
    """(label, call node) of each `@exercise(...)` of a check file."""
    for node in ast.walk(tree):
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "exercise":
                yield ast.literal_eval(decorator.args[0]), decorator


def check_file(docname):
    return CHECKS / f"{docname}.py"


@cache
def exercises(path):
    """{label: Exercise} of a check file, and its source without the keyword arguments of
    `@exercise(...)`, which are for the build and the tests, not for the notebook."""
    source = Path(path).read_text(encoding="utf8")
    lines = source.splitlines(keepends=True)
    found, drop = {}, set()
    for label, call in registrations(ast.parse(source)):
        options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
        found[label] = Exercise(label, textwrap.dedent(options.get("starter", "")).strip("\n"),
                                options.get("from_glue", {}), [tuple(w) for w in options.get("wrong", [])])
        for keyword in call.keywords:
            first, last = keyword.value.lineno, keyword.value.end_lineno
            if not lines[first - 1].lstrip().startswith(f"{keyword.arg}="):
                raise CheckFileError(f"{path}:{first}: put `{keyword.arg}=` at the start of its own line")
            drop |= set(range(first, last + 1))
    kept = "".join(line for number, line in enumerate(lines, start=1) if number not in drop)
    return found, kept


def page_exercises(docname):
    """{label: Exercise} of a page's checks ({} for a page without a check file)."""
    path = check_file(docname)
    return exercises(path)[0] if path.is_file() else {}


def judgements(docname):
    """The labels of a page's exercises that ask for judgement (`judgement("label")`)."""
    path = check_file(docname)
    if not path.is_file():
        return set()
    return {ast.literal_eval(node.args[0]) for node in ast.walk(ast.parse(path.read_text(encoding="utf8")))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "judgement"}


def starter_comments(starter):
    """The comments of a starter (`x = ____  # the parameters of ...`), in English: each
    edition's catalog translates them, as it does the checks' sentences."""
    return [token.string.removeprefix("#").strip()
            for token in tokenize.generate_tokens(io.StringIO(starter).readline) if token.type == tokenize.COMMENT]


def translated_starter(starter):
    """The starter with its comments in the edition's language."""
    lines = starter.splitlines()
    for token in reversed(list(tokenize.generate_tokens(io.StringIO(starter).readline))):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            text = token.string.removeprefix("#").strip()
            lines[row - 1] = f"{lines[row - 1][:column]}# {_(text)}"
    return "\n".join(lines)


def sentences(*sources):
    """The English sentences that the checks translate with `_("...")`."""
    found = []
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value not in found):
                found.append(node.args[0].value)
    return found


def checks_cell(app, docname, numbers):
    """The hidden cell that defines `check` and `____`; `numbers`: {exercise number: label}."""
    runtime = RUNTIME.read_text(encoding="utf8")
    page = exercises(check_file(docname))[1]
    # Only the sentences that the edition words differently (English is the source).
    messages = {text: str(_(text)) for text in sentences(runtime, page) if str(_(text)) != text}
    style = app.config.book_numbers
    body = textwrap.indent(f"{runtime}\n\n# The checks of this page.\n\n{page}\n\nreturn check, Placeholder()\n", "    ")
    return (f"# @title {_('Checks of the exercises: run this cell (you need not read it)')}\n"
            f"def book_checks(MESSAGES, NUMBERS, NUMBER_STYLE):\n{body}\n\n"
            f"check, ____ = book_checks(\n    MESSAGES={messages!r},\n    NUMBERS={numbers!r},\n"
            f"    NUMBER_STYLE={ {key: style[key] for key in ('percent', 'thousands', 'group_from')}!r},\n)\n"
            "del book_checks")
