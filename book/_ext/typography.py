"""Sphinx extension: write numbers in the prose the way each edition's language writes them.

The code cells are the same in both editions, so a glued number reaches the text formatted
by Python ("92.6%", "27,210"). This post-transform re-typesets numbers in the prose of the
page's language, glued or typed alike, by the edition's `book_numbers` style in
`_config.yml` (its `languages:` block):

- `percent`: what follows a number for "%" (Spanish, RAE: a no-break space, "92.6 %";
  English: nothing, "92.6%");
- `thousands`: the separator of thousands (Spanish: a narrow no-break space, "27 210";
  English: a comma, "27,210");
- `group_from`: the fewest digits a whole number needs to be grouped (Spanish: 5, so
  "6000" but "27 210"; English: 4, "6,000").

Typed numbers are only given the right spaces (a plain space in "60 000" becomes a
narrow no-break space); `tools/check_pages.py` rejects a typed number that breaks the
rules (`mistakes`), so the source reads as the page does. Code, outputs and literals are
left alone.
"""

import re

from docutils import nodes

SPACES = " \u00a0\u202f"
PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")
GROUPED = re.compile(r"\b\d{1,3}(?:[ \u00a0\u202f]\d{3})+\b")
# An integer part, possibly grouped with commas already, not part of a decimal fraction.
INTEGER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,])\d+(?![\d,])")
# Elements whose text is code, output or markup, never prose.
NOT_PROSE = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block,
             nodes.comment, nodes.FixedTextElement)


def group(digits, style):
    """Digits of a whole number, grouped by thousands as the style writes them."""
    if len(digits) < style["group_from"]:
        return digits
    return f"{int(digits):,}".replace(",", style["thousands"])


def typeset_glued(text, style):
    """A glued value: regroup its whole numbers, write its minus signs as the prose does
    (−0.20, not Python's -0.20), then space its percent signs."""
    text = INTEGER.sub(lambda m: group(m.group().replace(",", ""), style), text)
    text = re.sub(r"(?<![\w.])-(?=\d)", "\u2212", text)
    return typeset_typed(text, style)


def typeset_typed(text, style):
    """Typed prose: only the spaces change."""
    text = PERCENT.sub(style["percent"], text)
    if style["thousands"] in SPACES:
        text = GROUPED.sub(lambda m: re.sub(r"[ \u00a0\u202f]", style["thousands"], m.group()), text)
    return text


def example(digits, style):
    return typeset_glued(str(digits), style)


def mistakes(style, rendered=False):
    """(pattern, problem) of the numbers the style forbids: in a page's source (typed the
    simple way: a plain space is fine where the page shows a no-break one) or, `rendered`,
    in the built page's text."""
    spaced = style["thousands"] in SPACES
    found = [(re.compile(r"(?<![\d.])\d{5,}\b"),
              f"leaves a number of five or more digits ungrouped (write {example(60000, style)})"),
             (re.compile(r"(?<![\w.\-])-\d"), "writes a minus sign as a hyphen (write \u22120.20)")]
    if spaced:
        found.append((re.compile(r"\d,\d{3}\b"), f"groups thousands with a comma (write {example(27210, style)})"))
        if style["group_from"] > 4:
            found.append((re.compile(r"(?<![\d.,\u00a0\u202f])\d[ \u00a0\u202f]\d{3}\b(?![ \u00a0\u202f]?\d)"),
                          f"groups a four-digit number (write {example(6000, style)})"))
    if style["percent"] == "%":
        found.append((re.compile(r"\d[ \u00a0\u202f]%"), f"has a space before % (write {typeset_typed('92.6%', style)})"))
    elif rendered:
        others = "".join(space for space in SPACES if space != style["percent"][:-1])
        found.append((re.compile(rf"\d[{others}]?%"), "a percent sign without the edition's space before it"))
    else:
        found.append((re.compile(r"\d%"), f"needs a space before % (write {typeset_typed('92.6%', style)})"))
    return found


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
    style = app.config.book_numbers
    for text in list(doctree.findall(nodes.Text)):
        if not in_prose(text):
            continue
        typeset = typeset_glued if is_glued(text) else typeset_typed
        new = typeset(str(text), style)
        if new != str(text):
            text.parent.replace(text, nodes.Text(new))


def setup(app):
    app.add_config_value("book_numbers", {"percent": "%", "thousands": ",", "group_from": 4}, "env")
    app.connect("doctree-resolved", typeset_numbers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
