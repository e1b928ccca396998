"""What the tests know about the book: its languages, its pages, their code cells."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
HTML = ROOT / "_build" / "html"
LANGUAGES = list(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))["languages"])

CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```$", re.M | re.S)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
HEADING = re.compile(r"^(#{1,6}) ", re.M)


def pages(lang):
    """Page names (without .md) in one language, sorted."""
    return sorted(p.stem for p in (BOOK / lang).glob("*.md"))


def source(lang, page):
    return (BOOK / lang / f"{page}.md").read_text(encoding="utf8")


def code_cells(text):
    """The code cells of a MyST notebook, exactly as written (options included)."""
    return CODE_CELL.findall(text)


def heading_levels(text):
    """The levels of the markdown headings, in order, outside code and directives."""
    return [len(m.group(1)) for m in HEADING.finditer(FENCE.sub("", text))]


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    return [toc["root"]] + [chapter["file"] for chapter in toc["chapters"]]


def pages_with_code():
    """The pages that have code cells (the same in every language)."""
    return [page for page in pages(LANGUAGES[0]) if code_cells(source(LANGUAGES[0], page))]


def text_outputs(notebook):
    """(cell number, text) of every code cell's text: its streams joined, then its data."""
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        yield number, "".join(o["text"] for o in outputs if o["output_type"] == "stream")
        for output in outputs:
            if "data" in output:
                yield number, output["data"].get("text/plain", "")


def glued(notebook):
    """The values a page glued, by name (Python literals as MyST-NB stores them)."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                values[scrapbook["name"]] = output["data"][scrapbook["mime_prefix"] + "text/plain"]
    return values
