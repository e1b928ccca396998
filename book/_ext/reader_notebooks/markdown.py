"""Markdown for the reader notebooks: prose as literal CommonMark, and the blocks a page
needs (code spans, fences, quotes, lists, collapsed blocks). Pure functions of text."""

import html
import re

SPECIAL = re.compile(r"([\\`*_\[\]<$|~])")
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
SCRIPTS = re.compile(r"\s*(<script\b.*?</script>\s*)*", re.S | re.I)


def escape(text):
    """Prose as literal CommonMark text: no emphasis, link, HTML or math can start in it
    (`$` would start math in Jupyter). Soft line breaks become spaces."""
    text = SPECIAL.sub(r"\\\1", SOFT_BREAK.sub(" ", text))
    return re.sub(r"&(?=#?\w+;)", "&amp;", text)


def protect_start(text):
    """A paragraph that starts like a heading, quote, list item or thematic break."""
    text = re.sub(r"^([#>+=-])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def code_span(text):
    text = SOFT_BREAK.sub(" ", text)
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{'`' * ticks}{pad}{text}{pad}{'`' * ticks}"


def fence(text, language=""):
    ticks = max((len(run) for run in re.findall(r"^`{3,}", text, re.M)), default=2) + 1
    return f"{'`' * ticks}{language}\n{text.rstrip()}\n{'`' * ticks}"


def wrap(text, marker):
    """`text` between emphasis markers, with its outer spaces outside them."""
    match = re.fullmatch(r"(\s*)(.*?)(\s*)", text, re.S)
    lead, body, trail = match.groups()
    return f"{lead}{marker}{body}{marker}{trail}" if body else text


def destination(url):
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def indent(text, prefix):
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def quote(text):
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def details(summary, body):
    """A collapsed block; the blank lines let Markdown work inside it."""
    return f"<details>\n<summary>{html.escape(summary)}</summary>\n\n{body}\n\n</details>"


def list_block(items, markers):
    """Markdown list items: a tight list unless an item holds several blocks."""
    rendered = [marker + indent(item, " " * len(marker)).lstrip() for item, marker in zip(items, markers)]
    return ("\n\n" if any("\n\n" in item for item in items) else "\n").join(rendered)


def plain(node):
    return " ".join(node.astext().split())

