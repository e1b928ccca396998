"""A failing claim speaks first: its page, its sentence as the reader sees it, and the values
that broke it, before pytest's traceback (in `make test`, `make robust` and the workflows).

Each test `test_NAME` of this folder protects the passage that follows `% claim: NAME` in
its chapter's page (the module's PAGE). When it fails, its report starts with that
passage, read from the English page with the run's glued values in place, and the
failure's message, which pytest's assertion rewriting fills with the values compared; the
one-line summary (`FAILED ... - `) says the same in short.
"""

import re

import pytest
from _pytest._code.code import ExceptionChainRepr, ReprEntryNative

from tests.book import BOOK, executed

GLUE_TEXT = re.compile(r"\{glue:text\}`([A-Za-z_]\w*)(?::([^`]*))?`")
ROLE = re.compile(r"\{(\w+)\}`([^`<]*?)\s*(?:<[^>]*>)?`")
ALT = re.compile(r"^:alt:\s*(.*)$", re.M)
SENTENCE_CHARACTERS = 700


IF_RUN = re.compile(r"\s*(:{3,})\{if-run\}\s+(not\s+)?(\w+)\s*\n(.*?)\n\1\s*\n", re.S)


def chosen(text, glue):
    """The passage that the build keeps of the `{if-run}` passages at the start of `text`
    (book/_ext/if_run.py), or None when `text` does not start with one."""
    for match in iter(lambda: IF_RUN.match(text), None):
        text = text[match.end():]
        if glue.get(match.group(3)) is (not match.group(2)):
            return match.group(4)
    return None


def passages(page, name, glue, lang="en"):
    """The passages that `% claim: name` marks in a page: each paragraph or list after a
    marker (of `{if-run}` passages, the one the run chose), or the alt text of the figure
    it marks."""
    text = (BOOK / lang / f"{page}.md").read_text(encoding="utf8")
    found = []
    for match in re.finditer(rf"^% claim: {re.escape(name)}\s*$", text, re.M):
        rest = text[match.end():].lstrip("\n")
        while rest.startswith("% claim:"):
            rest = rest.split("\n", 1)[1]
        block = chosen(rest, glue) or re.split(r"\n\s*\n", rest, maxsplit=1)[0]
        block = "\n".join(line for line in block.splitlines() if not line.startswith("% claim:"))
        alt = ALT.search(block)
        if block.lstrip().startswith(("```", ":::")):
            # A directive (a figure, an exercise): its alt text or its words, without options.
            block = alt.group(1) if alt else "\n".join(
                line for line in block.splitlines()[1:] if not line.startswith((":", "```")))
        found.append(" ".join(block.split()))
    return found


def with_values(passage, glue):
    """The passage as the page shows it: glued values in place, roles reduced to their words."""
    def value(match):
        name, spec = match.group(1), match.group(2) or ""
        if name not in glue:
            return f"[{name}: not glued in this run]"
        try:
            return format(glue[name], spec)
        except (TypeError, ValueError):
            return str(glue[name])

    passage = ROLE.sub(lambda m: m.group(2), GLUE_TEXT.sub(value, passage))
    return passage if len(passage) <= SENTENCE_CHARACTERS else passage[:SENTENCE_CHARACTERS] + "…"


def what_broke(excinfo):
    message = str(excinfo.value).strip() or excinfo.typename
    return message if isinstance(excinfo.value, AssertionError) else f"{excinfo.typename}: {message}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = getattr(item.module, "PAGE", None)
    if not (report.failed and call.excinfo and page and isinstance(report.longrepr, ExceptionChainRepr)):
        return report
    name = item.originalname.removeprefix("test_")
    try:
        glue = executed(page).glue
    except BaseException:  # the run itself is missing: its own failure says so
        glue = {}
    sentences = [with_values(p, glue) for p in passages(page, name, glue)] or ["(no `% claim:` marker found)"]
    values = what_broke(call.excinfo)
    header = [f"The claim `{name}` of {page} does not hold in this run.\n"]
    header += [f'  It says: "{sentence}"\n' for sentence in sentences]
    header += ["  What broke it: " + values.replace("\n", "\n    ") + "\n", "\n"]
    report.longrepr.chain[0][0].reprentries.insert(0, ReprEntryNative(header))
    lines = values.splitlines() or [""]
    # "message: assert a < b": a custom message alone ("accuracy") says too little.
    comparison = next((line.strip() for line in lines[1:] if line.strip().startswith("assert ")), None)
    first_line = f"{lines[0]}: {comparison}" if comparison and not lines[0].startswith("assert") else lines[0]
    report.longrepr.reprcrash.message = f"{page}: claim `{name}` does not hold: {first_line}"
    return report
