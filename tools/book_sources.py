"""What the book is made of: its editions, its pages and their cells, read as MyST-NB reads them.

The one place that lists the languages and the pages, for the build, `make check` and
every test suite (the browser tests included).
"""

import json
import re
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = ROOT / "_build"
HTML = BUILD / "html"


def executed_notebook(lang, page, root=ROOT):
    """Where the build writes a page's executed notebook (MyST-NB's copy, glue data beside it
    as `<page>.glue.json`): one folder per edition, outside the published site
    (book/_ext/reader_notebooks.py sets MyST-NB's output folder)."""
    return Path(root) / "_build" / "jupyter_execute" / lang / f"{page}.ipynb"


def reader_notebook(lang, page, root=ROOT):
    """Where the build writes a page's reader notebook, what Colab, Binder and the download
    button open (book/_ext/reader_notebooks.py; the site serves a copy)."""
    return Path(root) / "_build" / "notebooks" / lang / f"{page}.ipynb"


def read_config(root=ROOT):
    """`_config.yml` as a dict; a YAML error becomes one line naming the file, line and column."""
    path = Path(root) / "_config.yml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise SystemExit(
            f"{path}:{mark.line + 1}:{mark.column + 1}: {error.problem or error.context}"
        ) from None


@cache
def config(root=ROOT):
    """`_config.yml` of the book at `root`, read once (the build and every suite ask often)."""
    return read_config(root)


def languages(root=ROOT):
    """The editions' language codes, in `_config.yml`'s order (the first executes the pages)."""
    return list(config(root)["languages"])


def site(root=ROOT):
    """The published site's URL, ending in /; each edition lives under it, in <language>/."""
    return config(root)["html"]["baseurl"]


def pdf_name(lang, root=ROOT):
    """The file name of an edition's PDF (`make pdf`), after the repository's name:
    `introduccion-redes-neuronales-es.pdf`. The site serves it at `<site>pdf/<name>`."""
    repository = config(root)["repository"]["url"].rstrip("/").rsplit("/", 1)[-1]
    return f"{repository}-{lang}.pdf"


def toc_pages(root=ROOT):
    """The page names that `_toc.yml` lists, in reading order."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf8"))
    return [toc["root"]] + [chapter["file"] for chapter in toc.get("chapters", [])]


def pages(lang, root=ROOT):
    """Page names (without .md) in one language, sorted."""
    return sorted(p.stem for p in (Path(root) / "book" / lang).glob("*.md"))


def read_notebook(path):
    """The file at `path` as MyST-NB reads it: an nbformat notebook, or None when it is not
    a notebook (a plain Markdown page, a README)."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    text = Path(path).read_text(encoding="utf8")
    reader = create_nb_reader(str(path), MdParserConfig(), NbParserConfig(), text)
    return reader.read(text) if reader else None


@cache
def notebook(lang, page, root=ROOT):
    """A page as MyST-NB reads it: an nbformat notebook, or None for a plain Markdown page."""
    return read_notebook(Path(root) / "book" / lang / f"{page}.md")


FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})\s*(.*)$")
CODE_DIRECTIVES = ("{code", "{literalinclude", "{math")


def markdown_lines(lang, page, root=ROOT):
    """The lines of a page's Markdown outside code blocks, in order. Fence lines are left
    out; a directive's content is kept (it is prose), but not a code block's, nested ones
    included."""
    nb = notebook(lang, page, root)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"] if nb else [
        (Path(root) / "book" / lang / f"{page}.md").read_text(encoding="utf8")]
    for text in texts:
        fences = []  # (marker, is code) of the blocks we are in
        for line in text.splitlines():
            fence = FENCE.match(line.strip())
            if fence:
                marker, rest = fence.groups()
                top = fences[-1][0] if fences else ""
                if fences and not rest and marker[0] == top[0] and len(marker) >= len(top):
                    fences.pop()
                    continue
                if not (fences and fences[-1][1]):
                    fences.append((marker, not rest.startswith("{") or rest.startswith(CODE_DIRECTIVES)))
                    continue
            if not any(is_code for _, is_code in fences):
                yield line


def glue_data(lang, page, root=ROOT):
    """The values a page glued in the build, as MyST-NB keeps them beside the executed
    notebook: {name: output with its mime bundle}, or {} before any build."""
    path = executed_notebook(lang, page, root).with_suffix(".glue.json")
    return json.loads(path.read_text(encoding="utf8")) if path.is_file() else {}


def code_cells(lang, page, root=ROOT):
    """The code cells of a page: (source, metadata such as tags), in order."""
    nb = notebook(lang, page, root)
    return [
        (cell.source, dict(cell.metadata))
        for cell in (nb.cells if nb else [])
        if cell.cell_type == "code"
    ]


def pages_with_code(root=ROOT):
    """The pages that have code cells (the same in every language)."""
    lang = languages(root)[0]
    return [page for page in pages(lang, root) if code_cells(lang, page, root)]


def code_differences(root=ROOT):
    """Messages, one per page, for each page whose code cells differ between editions."""
    first, *others = languages(root)
    messages = []
    for page in pages(first, root):
        ours = code_cells(first, page, root)
        for lang in others:
            if not (Path(root) / "book" / lang / f"{page}.md").is_file():
                continue  # a missing page is Sphinx's to report
            theirs = code_cells(lang, page, root)
            if len(ours) != len(theirs):
                messages.append(f"book/{lang}/{page}.md has {len(theirs)} code cells, "
                                f"book/{first}/{page}.md has {len(ours)}")
                continue
            for number, (a, b) in enumerate(zip(ours, theirs), start=1):
                if a != b:
                    messages.append(f"book/{lang}/{page}.md: code cell {number} differs from "
                                    f"book/{first}/{page}.md")
    return messages
