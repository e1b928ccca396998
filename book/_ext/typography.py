"""Sphinx extension: write numbers in the prose the way each edition's language writes them.

The code cells are the same in both editions, so a glued number reaches the text formatted
by Python ("92.6%", "27,210"). This post-transform re-typesets numbers in the prose of the
page's language, glued or typed alike:

- Spanish (RAE): decimal point; a non-breaking space before "%" ("92.6 %"); thousands
  grouped with a narrow no-break space from five digits up ("27 210", but "6000").
- English: "92.6%"; thousands grouped with commas ("27,210").

Typed numbers are only given the right spaces (a plain space in "60 000" becomes a
narrow no-break space); `tools/check_pages.py` rejects a typed number that breaks the
rules, so the source reads as the page does. Code, outputs and literals are left alone.
"""

import re

from docutils import nodes

NBSP, NNBSP = "\u00a0", "\u202f"
PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")
GROUPED = re.compile(r"\b\d{1,3}(?:[ \u00a0\u202f]\d{3})+\b")
# An integer part, possibly grouped with commas already, not part of a decimal fraction.
INTEGER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,])\d+(?![\d,])")
# Elements whose text is code, output or markup, never prose.
NOT_PROSE = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block,
             nodes.comment, nodes.FixedTextElement)


def group(digits, language):
    """Digits of a whole number, grouped by thousands as `language` writes them."""
    if language == "es":
        if len(digits) < 5:
            return digits
        return f"{int(digits):,}".replace(",", NNBSP)
    return f"{int(digits):,}"


def typeset_glued(text, language):
    """A glued value: regroup its whole numbers, then space its percent signs."""
    text = INTEGER.sub(lambda m: group(m.group().replace(",", ""), language), text)
    return typeset_typed(text, language)


def typeset_typed(text, language):
    """Typed prose: only the spaces change."""
    if language == "es":
        text = PERCENT.sub(NBSP + "%", text)
        text = GROUPED.sub(lambda m: re.sub(r"[ \u00a0]", NNBSP, m.group()), text)
    return text


def in_prose(node):
    parent = node.parent
    while parent is not None:
        if isinstance(parent, NOT_PROSE) or "cell_output" in parent.get("classes", []):
            return False
        parent = parent.parent
    return True


def is_glued(node):
    parent = node.parent
    return isinstance(parent, nodes.inline) and "pasted-text" in parent["classes"]


def typeset_numbers(app, doctree, docname):
    language = app.config.language
    for text in list(doctree.findall(nodes.Text)):
        if not in_prose(text):
            continue
        typeset = typeset_glued if is_glued(text) else typeset_typed
        new = typeset(str(text), language)
        if new != str(text):
            text.parent.replace(text, nodes.Text(new))


def setup(app):
    app.connect("doctree-resolved", typeset_numbers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
