"""Sphinx extension: answer boxes, where an exercise's answer is a number or one of a few
choices; they say at once whether it is right, offline.

    :::{answer-box} cifar_parameters
    How many parameters does its `Dense` layer have?
    :::

    :::{answer-box} wide_has_more
    Does it have more parameters than our network, or fewer?

    - More
    - Fewer
    :::

The argument names a value that the page glues, so the expected answer comes from the run,
never typed: a number (with `:percent:`, a fraction that the reader may give as a
percentage, "91.7%", or as a fraction, "0.917"), or, for a box with a bullet list of
options, the number of the right option, from 1 (or, with two options, a boolean that is
True when the first is right). The content is the question (a box goes
inside its exercise, after the statement). The page shows a text field, or radio buttons,
and a button; `answer-box.js` says whether the answer is right in a live region, for screen
readers, and Enter in the field checks too. A number is accepted however the reader writes
it: "30730", "30,730", "30 730", "782/782" (Keras's way); a percentage to the precision
the reader gives, up to half a point. The reader notebook has the exercise's check
instead (book/_checks/), so the converter leaves boxes out; so does every builder but HTML.
The interface's words come from `book/_locale/<language>/LC_MESSAGES/sphinx.po`.
"""

from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from quiz import inline_children

logger = logging.getLogger(__name__)


class answer_box(nodes.General, nodes.Element):
    """An answer box: children are the question and, for a choice, the options."""


class AnswerBoxDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"percent": directives.flag}

    def run(self):
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        where = (self.env.doc2path(self.env.docname), self.lineno)
        name = self.arguments[0]
        try:
            # The message of a missing value is MyST-NB's own, which a failed page holds back.
            expected = retrieve_glue_data(self.state.document, name).data.get("text/plain", "")
        except RetrievalError as error:
            logger.warning(str(error), location=where)
            return []
        body = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, body)
        lists = [child for child in body.children if isinstance(child, nodes.bullet_list)]
        question = [child for child in body.children if not isinstance(child, nodes.bullet_list)]
        if not question or len(lists) > 1:
            logger.warning("an answer box needs a question and, for a choice, one bullet list of "
                           "options after it", location=where)
            return []
        number = self.env.new_serialno("answer-box") + 1
        node = answer_box(ids=[f"answer-box-{number}"], glued=name, percent="percent" in self.options)
        node += nodes.paragraph("", "", *[n for child in question for n in inline_children(child)])
        if lists:
            options = lists[0].children
            if len(options) == 2 and expected in ("True", "False"):  # a yes-or-no question
                expected = "1" if expected == "True" else "2"
            if not (expected.isdigit() and 1 <= int(expected) <= len(options)):
                logger.warning(f"the answer box of {name!r} has {len(options)} options, so {name!r} must "
                               f"be the number of the right one, from 1 (or, for two options, a "
                               f"boolean: True for the first), not {expected[:40]!r}", location=where)
                return []
            node["expected"] = str(int(expected) - 1)
            node += nodes.bullet_list("", *options)
        else:
            try:
                float(expected)
            except ValueError:
                logger.warning(f"an answer box needs a glued number: {name!r} is {expected[:40]!r}", location=where)
                return []
            node["expected"] = expected
        self.set_source_info(node)
        return [node]


def feedback(kind):
    """The live region that answer-box.js fills, with the words it may need."""
    none = _("Choose an answer first.") if kind == "choice" else _("Write a number first.")
    return (f'<p class="answer-box-feedback quiz-feedback" role="status" aria-live="polite"'
            f' data-right="{escape(_("Right."))}"'
            f' data-wrong="{escape(_("Not quite: try again, or open the hint."))}"'
            f' data-none="{escape(none)}"></p>\n')


def visit_answer_box(self, node):
    question, *options = node.children
    box = node["ids"][0]
    kind = "choice" if options else ("percent" if node["percent"] else "number")
    self.body.append(self.starttag(node, "div", CLASS=f"answer-box answer-box-{kind}",
                                   **{"data-kind": kind, "data-expected": node["expected"]}))
    if options:
        self.body.append('<fieldset class="quiz-fieldset"><legend class="answer-box-question">')
        for child in question.children:
            child.walkabout(self)
        self.body.append("</legend>\n")
        for index, item in enumerate(options[0].children):
            self.body.append(f'<label class="quiz-option"><input type="radio" name="{box}" value="{index}"> ')
            for child in inline_children(item):
                child.walkabout(self)
            self.body.append("</label>\n")
        self.body.append("</fieldset>\n")
    else:
        self.body.append(f'<label class="answer-box-question" for="{box}-input">')
        for child in question.children:
            child.walkabout(self)
        self.body.append(f'</label>\n<input id="{box}-input" class="answer-box-input" type="text" '
                         f'inputmode="decimal" autocomplete="off" spellcheck="false">\n')
    self.body.append(f'<button type="button" class="answer-box-check quiz-check btn btn-sm">{escape(_("Check"))}</button>\n')
    self.body.append(feedback(kind))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def add_script(app, pagename, templatename, context, doctree):
    if doctree and next(doctree.findall(answer_box), None) is not None:
        app.add_js_file("answer-box.js", loading_method="defer")


def skip(self, node):
    raise nodes.SkipNode


def setup(app):
    app.add_node(answer_box, html=(visit_answer_box, None),
                 latex=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None))
    app.add_directive("answer-box", AnswerBoxDirective)
    app.connect("html-page-context", add_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
