"""Sphinx extension: words that depend on how the run came out, chosen by the build.

    :::{if-run} worst_digits_tie
    The hardest are the {glue:text}`worst_digit` and the {glue:text}`worst_digit_2`, tied at
    {glue:text}`worst_accuracy:.1%`.
    :::

    :::{if-run} not worst_digits_tie
    The hardest is the {glue:text}`worst_digit`, at {glue:text}`worst_accuracy:.1%`.
    :::

A seed fixes a run on one machine only; on a reader's computer two close results may tie
or swap. Where the words must differ with the outcome, the page computes the outcome as a
glued boolean (in a remove-cell cell, like every glued value) and writes one passage for
each: the build keeps the passage whose condition holds and drops the other, in the web
page and in the reader notebook alike. The code stays the same in every edition; each
edition writes its passages in its own words. `make check` requires both passages,
`NAME` and `not NAME`, in every edition, in the same order.
"""

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def condition(argument):
    """(glued name, the value it must have) from `NAME` or `not NAME`."""
    words = argument.split()
    if len(words) == 2 and words[0] == "not":
        return words[1], False
    if len(words) == 1:
        return words[0], True
    raise ValueError(f"`{{if-run}} {argument}`: the argument is a glued name, or `not` and a glued name")


class IfRunDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 1
    has_content = True

    def run(self):
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        where = (self.env.doc2path(self.env.docname), self.lineno)
        try:
            name, wanted = condition(" ".join(self.arguments))
            # The message of a missing value is MyST-NB's own, which a failed page holds back.
            text = retrieve_glue_data(self.state.document, name).data.get("text/plain", "")
        except (ValueError, RetrievalError) as error:
            logger.warning(str(error), location=where)
            return []
        if text not in ("True", "False"):
            logger.warning(f"`{{if-run}}` needs a glued boolean: {name!r} is {text[:60]!r}, "
                           f"glue bool(...) instead", location=where)
            return []
        if (text == "True") != wanted:
            return []
        return self.parse_content_to_nodes()


def setup(app):
    app.add_directive("if-run", IfRunDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
