"""Small fixture books, built the way `make html` builds the real one.

A fixture book is a folder in a test's tmp_path holding this repository's `_config.yml`,
`tools/` and `book/_*` machinery, and pages of its own. `build()` runs `tools.build_book`
on it in a subprocess, with its own temporary folder, and returns the exit code and log.

A build takes seconds of both cores, so books that several tests only read, or start from,
are built once (tests/conftest.py): GOOD_PAGES, a good book, which tests that change it get
as its first build left it; FAULTY_PAGES, a page for each fault whose message tests read.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.book import ANSI, LANGUAGES, ROOT

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""
GLUE = "```{code-cell} ipython3\n:tags: [remove-cell]\n\nfrom myst_nb import glue\n```\n\n"


def cell(code):
    return f"```{{code-cell}} ipython3\n{code}\n```\n\n"


def executions(log, page=None):
    """How many pages a build's log says it ran; with `page`, how many times it ran that page."""
    if page is None:
        return log.count("Executing notebook using")
    return len(re.findall(rf"/{re.escape(page)}\.md: Executing notebook using", log))


def lines_with(log, *words):
    """The lines of a log that hold every one of `words` (a message and the page it names)."""
    return [line for line in log.splitlines() if all(word in line for word in words)]


def failed_code(log):
    """The pages that the build says failed in the first edition (and so ran there only)."""
    found = re.search(r"The code of (.*) failed; it ran in the first edition only\.", log)
    return found[1].split(", ") if found else []


def page(title, *cells, text=""):
    """A notebook page (with the glue cell) or, without cells, a plain Markdown page."""
    if not cells:
        return f"# {title}\n\n{text}\n"
    return HEADER + f"# {title}\n\n{text}\n\n" + GLUE + "".join(cells)


class FixtureBook:
    def __init__(self, root, pages):
        """`pages`: {name: text} for every edition, or {name: {lang: text}} to differ (None:
        no such page in that edition)."""
        self.root = Path(root)
        self.root.mkdir(parents=True)
        shutil.copy(ROOT / "_config.yml", self.root)
        names = list(pages)
        chapters = "".join(f"  - file: {name}\n" for name in names[1:])
        (self.root / "_toc.yml").write_text(f"format: jb-book\nroot: {names[0]}\n"
                                            + (f"chapters:\n{chapters}" if chapters else ""))
        shutil.copytree(ROOT / "tools", self.root / "tools", ignore=shutil.ignore_patterns("__pycache__"))
        for path in (ROOT / "book").glob("_*"):
            shutil.copytree(path, self.root / "book" / path.name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        shutil.copy(ROOT / "book" / "references.bib", self.root / "book")
        for name in ("requirements.txt", "runtime.txt"):  # Binder's environment comes from them
            shutil.copy(ROOT / name, self.root)
        for name, text in pages.items():
            for lang in LANGUAGES:
                (self.root / "book" / lang).mkdir(parents=True, exist_ok=True)
                body = text.get(lang) if isinstance(text, dict) else text
                if body is not None:
                    (self.root / "book" / lang / f"{name}.md").write_text(body, encoding="utf8")
        self.tmp = self.root.parent / f"{self.root.name}-tmp"  # the build's system temp folder
        self.tmp.mkdir(exist_ok=True)

    def env(self, unset=(), **extra):
        """The environment of a build: ours, less `unset`, plus `extra` and its own TMPDIR."""
        env = {key: value for key, value in os.environ.items() if key not in unset}
        env.update(TMPDIR=str(self.tmp), **extra)
        return env

    def command(self, *args):
        """The build's command line, to run in the book's folder (cwd=self.root)."""
        return [sys.executable, "-m", "tools.build_book", "--root", str(self.root), *args]

    def build(self, *args, unset=(), **env):
        result = subprocess.run(self.command(*args), cwd=self.root, capture_output=True, text=True,
                                timeout=600, env=self.env(unset, **env))
        return result.returncode, ANSI.sub("", result.stdout + result.stderr)

    def html(self, lang, name="index"):
        return (self.root / "_build" / "html" / lang / f"{name}.html").read_text(encoding="utf8")


FIGURE = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"
# A good book with code on two pages, a figure and an output ("42" and "84") on each.
GOOD_PAGES = {"index": page("Hola", cell("print(6 * 7)"), cell(FIGURE)), "other": page("Otra", cell("print(7 * 6 * 2)"))}
# A fault on each page; the tests that read its build's log name their page.
FAULTY_PAGES = {
    "index": page("Hola"),
    "zero": page("Cero", cell("1 / 0")),
    "sqrt": page("Raíz", cell("import math\nmath.sqrt(-1)")),
    "warn": page("Aviso", cell("import warnings\nwarnings.warn('something is off')")),
    "dying": page("Muere", cell("print(1)"), cell("import os\nos._exit(1)")),
    # The first edition's code fails; the second edition has a fault of its own.
    "own": {LANGUAGES[0]: page("Hola", cell("1 / 0")),
            LANGUAGES[1]: page("Hello", cell("1 / 0"), text="See {ref}`nowhere`.")},
    # An {if-run} whose condition is a number (book/_ext/if_run.py).
    "count": page("Cuenta", cell("glue('count', 3, display=False)"),
                  text=":::{if-run} count\nSome words.\n:::\n\n:::{if-run} not count\nOther words.\n:::\n"),
}
