"""The exercises as a teacher reads them: hints that ask or point instead of handing over
the code, statements and solutions that say what the run shows, answer boxes whose
expected answer is the run's; and their checks' files (book/_checks/), which the reader
notebooks carry (tests/test_reader_notebooks.py runs them)."""

import ast
import re

import pytest

from book._ext.reader_notebooks.checks import CHECKS, judgements, page_exercises
from tests.book import LANGUAGES, executed, pages_with_code, source

CODE_PAGES = [(lang, page) for lang in LANGUAGES for page in pages_with_code()]
# A code span of a hint that holds a line of code rather than naming a tool: a call with
# arguments (other than `(...)`), an index, an assignment or keyword, an operator.
LINE_OF_CODE = re.compile(r"\w\((?!\)|\.\.\.\))|\[|=|\s[-+*/<>%]\s")
CODE_SPAN = re.compile(r"(?<![}`])`([^`\n]+)`(?!`)")


def block(text, start):
    """The directive block that begins at `start` (a colon or backtick fence), its fences included."""
    fence = re.match(r"[:`]{3,}", text[start:])[0]
    end = re.compile(rf"^{re.escape(fence)}\s*$", re.M).search(text, start + len(fence))
    return text[start:end.end()]


def exercises(lang, page):
    """{label: (statement, hint, solution)} of a page's exercises, from its source."""
    text = source(lang, page)
    found = {}
    for match in re.finditer(r"^([:`]{3,})\{exercise\}.*\n:label: (\S+)", text, re.M):
        label = match[2]
        statement = block(text, match.start())
        after = text[match.start() + len(statement):]
        hint = re.search(r"^:::\{admonition\} (Hint|Pista)\n(.*?)^:::$", after, re.M | re.S)
        solution = re.search(rf"^```\{{solution-start\}} {label}\n.*?^```\{{solution-end\}}\n```$"
                             rf"|^(:{{3,}})\{{solution\}} {label}\n.*?^\1$", text, re.M | re.S)
        found[label] = (statement, hint[2] if hint else "", solution[0] if solution else "")
    return found


def code_of(text):
    """The code cells of a piece of a page."""
    return re.findall(r"^```\{code-cell\} ipython3\n(.*?)^```$", text, re.M | re.S)


@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_hints_ask_or_point_and_hand_over_no_line(lang, page):
    """A hint asks a question or points to a tool (a function's name in a code span); none of
    its code spans is a line of code (a call with its arguments, an index, an assignment):
    the learner still writes the key line."""
    for label, (_statement, hint, _solution) in exercises(lang, page).items():
        where = f"{lang}/{page}, the hint of {label}"
        assert hint, f"{where}: no hint"
        spans = CODE_SPAN.findall(hint)
        assert "?" in hint or spans, f"{where} neither asks nor points to a tool: {hint[:100]!r}"
        lines = [span for span in spans if LINE_OF_CODE.search(span)]
        assert not lines, f"{where} hands over code: {lines}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_training_below_validation_says_what_it_shows(lang):
    """Exercise "Training below validation" (chapter 3): the gap between the two accuracies
    of the log is no sign of over- or underfitting, and calling it "the opposite of
    overfitting" invited "so it is underfitting"; the solution says what it shows and how to
    compare the two sets."""
    statement, _hint, solution = exercises(lang, "03-convolutional-networks")["ex-03-train-below-validation"]
    opposite = {"en": "opposite of", "es": "lo contrario del"}[lang]
    assert opposite not in statement + solution
    underfitting = {"en": "underfitting", "es": "subajuste"}[lang]
    assert underfitting in solution and "`evaluate`" in solution


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_threshold_exercise_needs_code(lang):
    """Exercise "Hand the doubtful ones to a person" (chapter 4) asked about the 90%
    threshold, whose counts the chapter prints: its answer could be read, not computed. It
    asks about another threshold now, which its solution computes."""
    page = "04-understanding-errors"
    statement, _hint, solution = exercises(lang, page)["ex-04-threshold"]
    printed = set(re.findall(r"(\d+)% confidence", executed(page).text))
    asked = set(re.findall(r"(\d+)\s?%", statement))
    assert asked and not asked <= printed, (asked, printed)
    assert code_of(solution), "the solution computes the counts"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_mnist_comparison_is_a_new_step(lang):
    """Exercise "Compare with MNIST" (chapter 6) repeated "Train the linear model" layer by
    layer; now it copies the architecture with `keras.models.clone_model`, a new step."""
    _statement, _hint, solution = exercises(lang, "06-exercises-fashion-mnist")["ex-06-mnist"]
    code = "\n".join(code_of(solution))
    assert "keras.models.clone_model(linear_model)" in code
    assert "keras.layers." not in code, "the solution writes the layers again"


# --- The checks' files ---------------------------------------------------------------------

def test_every_checks_file_names_a_page():
    pages = set(pages_with_code())
    for path in CHECKS.glob("*.py"):
        assert path.stem == "checking" or path.stem in pages, f"{path}: no page {path.stem!r}"


@pytest.mark.parametrize("page", pages_with_code())
def test_starters_and_wrong_attempts_are_python(page):
    """Each starter holds `____` where the learner writes and assigns the names its check
    reads; each wrong attempt, the words of its message; each paper answer, a glued value."""
    glue = executed(page).glue
    for label, exercise in page_exercises(page).items():
        ast.parse(exercise.starter)
        assert "____" in exercise.starter, f"{page}, {label}: a starter without ____"
        assert exercise.wrong, f"{page}, {label}: no typical wrong attempt to test the check with"
        for code, words in exercise.wrong:
            ast.parse(code)
            assert words.strip(), f"{page}, {label}: {code!r} names no words of its message"
        for name, glued in exercise.from_glue.items():
            assert name in exercise.starter, f"{page}, {label}: {name} is not in the starter"
            assert glued in glue, f"{page}, {label}: {glued!r} is not glued"
    assert not set(page_exercises(page)) & judgements(page)


# --- Answer boxes --------------------------------------------------------------------------

@pytest.mark.parametrize("lang, page", CODE_PAGES)
def test_answer_boxes_expect_the_glued_value(lang, page, html):
    """Each answer box sits in its exercise and expects the value that the run glued: a
    number as glued, an option by its number (a yes-or-no question by a glued boolean)."""
    glue = executed(page).glue
    text = source(lang, page)
    names = re.findall(r"^:::\{answer-box\} (\w+)", text, re.M)
    boxes = html(lang, page).select("div.answer-box")
    assert len(boxes) == len(names), f"{lang}/{page}: {len(names)} boxes in the source, {len(boxes)} on the page"
    for box, name in zip(boxes, names):
        where = f"{lang}/{page}, the box of {name}"
        assert box.find_parent("div", class_="exercise"), f"{where} is outside its exercise"
        value = glue[name]
        if box["data-kind"] == "choice":
            options = box.select("input[type=radio]")
            expected = (0 if value else 1) if isinstance(value, bool) else value - 1
            assert int(box["data-expected"]) == expected < len(options), where
        else:
            assert float(box["data-expected"]) == float(value), where


@pytest.mark.parametrize("page", pages_with_code())
def test_every_edition_has_the_same_answer_boxes(page):
    """The same boxes, in the same order, asking for the same glued values, in every edition."""
    boxes = {lang: re.findall(r"^:::\{answer-box\} (\w+)\n(:percent:)?", source(lang, page), re.M)
             for lang in LANGUAGES}
    first, *others = LANGUAGES
    for lang in others:
        assert boxes[lang] == boxes[first], f"{page}: the answer boxes of {lang} differ from {first}'s"
