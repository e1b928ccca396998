"""Sphinx extension: author-year citations in round brackets, "(LeCun et al., 1998)".

sphinxcontrib-bibtex's `author_year` style writes "[LeCun et al., 1998]"; its documented
way to change the brackets is a referencing style of our own, registered as a plugin.
`_config.yml` selects it (`bibtex_reference_style: author_year_round`), and the reader
notebooks write citations the same way.
"""

from dataclasses import dataclass, field

import sphinxcontrib.bibtex.plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def round_brackets():
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYearStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
    bracket_textual: BracketStyle = field(default_factory=round_brackets)
    bracket_author: BracketStyle = field(default_factory=round_brackets)
    bracket_label: BracketStyle = field(default_factory=round_brackets)
    bracket_year: BracketStyle = field(default_factory=round_brackets)


def setup(app):
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearStyle
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
