"""Small fixture books, built the way `make html` builds the real one.

A fixture book is a folder in a test's tmp_path holding this repository's `_config.yml`,
`tools/` and `book/_*` machinery, and pages of its own. `build()` runs `tools.build_book`
on it in a subprocess, with its own temporary folder, and returns the exit code and log.
"""

import os
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


def executions(log):
    """How many pages a build's log says it ran."""
    return log.count("Executing notebook using")


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
