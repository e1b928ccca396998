"""What the tests know about the book: its editions and pages (from tools/book_sources.py,
the one list for every suite) and the build's executed notebooks."""

import ast
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import nbformat
import pytest
import yaml

from tools.book_sources import (  # noqa: F401 (what the tests know, from one place)
    BOOK, BUILD, HTML, ROOT, code_cells, executed_notebook, pages, pages_with_code,
    reader_notebook, toc_pages,
)
from tools.book_sources import config, glue_data, languages, markdown_lines, site  # noqa: F401

CONFIG = config()
LANGUAGES = languages()
SITE = site()

# The built site that the browser tests serve: BOOK_HTML, or the repository's _build/html.
SERVED_SITE = Path(os.environ.get("BOOK_HTML", HTML)).resolve()
# Terminal colours: of Sphinx's and IPython's messages, and of Keras's model.summary().
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Run:
    """A page's executed notebook, as the build wrote it."""

    page: str
    notebook: nbformat.NotebookNode
    glue: dict = field(default_factory=dict)  # glued values, as Python values where possible

    def outputs(self):
        """(cell number, text) of each code cell's text outputs: streams, then text/plain."""
        for number, cell in enumerate(self.notebook.cells):
            if cell.cell_type != "code":
                continue
            outputs = cell.get("outputs", [])
            yield number, "".join(o["text"] for o in outputs if o["output_type"] == "stream")
            for output in outputs:
                if "data" in output:
                    yield number, output["data"].get("text/plain", "")

    @cached_property
    def text(self):
        """Every text output of the page, joined, without terminal colours."""
        return ANSI.sub("", "\n".join(text for _, text in self.outputs()))


def literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


# The runs that the claim tests read: the build's, or others laid out like it
# (tools/robustness.py sets BOOK_EXECUTED to each of its runs in turn).
EXECUTED = Path(os.environ.get("BOOK_EXECUTED") or executed_notebook(LANGUAGES[0], "_").parent.parent)


@cache
def executed(page, lang=LANGUAGES[0]):
    """The executed notebook of a page and its glued values, from `_build` (`make html` first)
    or from the run that BOOK_EXECUTED names."""
    path = EXECUTED / lang / f"{page}.ipynb"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make html` first", pytrace=False)
    glue_file = path.with_suffix(".glue.json")
    glued = json.loads(glue_file.read_text(encoding="utf8")) if glue_file.is_file() else {}
    values = {name: literal(data["data"].get("text/plain", "")) for name, data in glued.items()}
    return Run(page, nbformat.read(path, as_version=4), values)


def source(lang, page):
    return (BOOK / lang / f"{page}.md").read_text(encoding="utf8")


def heading_levels(lang, page):
    """The levels of the page's Markdown headings, in order, outside code blocks."""
    return [len(line) - len(line.lstrip("#")) for line in markdown_lines(lang, page)
            if line.startswith("#") and line.lstrip("#").startswith(" ")]


def workflow(name):
    """A GitHub workflow of `.github/workflows/`, as a dict."""
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


INPUT = re.compile(r"\$\{\{ inputs\.([\w-]+) \}\}")
INPUT_TEST = re.compile(r"inputs\.([\w-]+) == '([^']*)'")


def action_steps(step):
    """The steps of one of our composite actions (`uses: ./.github/actions/NAME`), as they
    run for `step`: its inputs in place, the steps whose `if` on an input fails left out."""
    action = yaml.safe_load((ROOT / step["uses"] / "action.yml").read_text())
    inputs = {name: str(spec.get("default", "")) for name, spec in action.get("inputs", {}).items()}
    inputs.update({name: str(value) for name, value in step.get("with", {}).items()})
    for inner in action["runs"]["steps"]:
        test = INPUT_TEST.fullmatch(inner.get("if", ""))
        if test and inputs.get(test[1]) != test[2]:
            continue
        yield yaml.safe_load(INPUT.sub(lambda m: inputs[m[1]], yaml.safe_dump(inner)))


def steps(data):
    """The steps of every job of a workflow, in order, our composite actions' in place."""
    found = []
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            found += list(action_steps(step)) if step.get("uses", "").startswith("./") else [step]
    return found


def number_style(lang):
    """How an edition writes numbers (`book_numbers` in `_config.yml`; book/_ext/typography.py)."""
    return CONFIG["languages"][lang]["book_numbers"]


# Where each catalog of interface words lives: ours first (book/_locale/), then the
# package's, as the build looks them up (book/_ext/bilingual.py).
def _catalog_folders():
    import pydata_sphinx_theme
    import sphinx
    import sphinx_book_theme
    import sphinx_exercise

    def folder(module, *parts):
        return Path(module.__file__).parent.joinpath(*parts)

    return {
        "sphinx": [BOOK / "_locale", folder(sphinx, "locale"), folder(pydata_sphinx_theme, "locale")],
        "booktheme": [BOOK / "_locale", folder(sphinx_book_theme, "theme", "sphinx_book_theme", "static", "locales")],
        "exercise": [BOOK / "_locale", folder(sphinx_exercise, "translations", "locales")],
    }


@cache
def _catalog(folder, lang, domain):
    """{msgid: msgstr} of one catalog, from its .po (ours are not compiled in the sources)."""
    from babel.messages.pofile import read_po

    path = Path(folder) / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id and message.string}


def words(lang, msgid, domain="sphinx"):
    """An interface string (in English, as the code writes it) in an edition's language, as
    the build translates it; English is the source language."""
    if lang == "en":
        return msgid
    for folder in _catalog_folders()[domain]:
        translated = _catalog(folder, lang, domain).get(msgid)
        if translated:
            return translated
    raise LookupError(f"no {lang} translation of {msgid!r} in the {domain!r} catalogs")
