"""A small fixture book proves that the build fails loudly, naming the page."""

import shutil
import subprocess
import sys

import pytest

from book import ROOT

CELL = "```{{code-cell}} ipython3\n{code}\n```\n"
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


def fixture_book(tmp_path, es_page, en_page=None):
    """A one-page book in tmp_path with this repository's configuration and tools."""
    shutil.copy(ROOT / "_config.yml", tmp_path)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    shutil.copytree(ROOT / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("_templates", "_static", "references.bib"):
        if (ROOT / "book" / name).exists():
            copy = shutil.copytree if (ROOT / "book" / name).is_dir() else shutil.copy
            copy(ROOT / "book" / name, tmp_path / "book" / name)
    for lang, text in (("es", es_page), ("en", en_page if en_page is not None else es_page)):
        (tmp_path / "book" / lang).mkdir(parents=True, exist_ok=True)
        if text:
            (tmp_path / "book" / lang / "index.md").write_text(text)
    return tmp_path


def build(root):
    result = subprocess.run(
        [sys.executable, str(root / "tools" / "build_book.py"), "--root", str(root)],
        capture_output=True, text=True, timeout=600,
    )
    return result.returncode, result.stdout + result.stderr


def test_a_good_page_builds(tmp_path):
    page = HEADER + "# Hola\n\n" + CELL.format(code="print(6 * 7)")
    status, log = build(fixture_book(tmp_path, page))
    assert status == 0, log
    assert "42" in (tmp_path / "_build" / "html" / "es" / "index.html").read_text()


def test_a_raising_cell_fails_the_build_naming_the_page(tmp_path):
    page = HEADER + "# Hola\n\n" + CELL.format(code="1 / 0")
    status, log = build(fixture_book(tmp_path, page))
    assert status != 0
    assert "book/es/index.md" in log and "ZeroDivisionError" in log


def test_output_on_stderr_fails_the_build(tmp_path):
    code = "import warnings\nwarnings.warn('something is off')"
    status, log = build(fixture_book(tmp_path, HEADER + "# Hola\n\n" + CELL.format(code=code)))
    assert status != 0
    assert "index" in log and "stderr" in log


def test_a_broken_reference_fails_every_time(tmp_path):
    page = "# Hola\n\nVer {ref}`no-such-label`.\n"
    root = fixture_book(tmp_path, page)
    first, log = build(root)
    assert first != 0 and "no-such-label" in log and "index" in log
    again, log = build(root)  # nothing changed: the failure must not hide in an incremental build
    assert again != 0 and "no-such-label" in log


def test_a_missing_translation_fails_the_build(tmp_path):
    status, log = build(fixture_book(tmp_path, "# Hola\n", en_page=""))
    assert status != 0
    assert "index" in log
