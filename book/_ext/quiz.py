"""Sphinx extension: self-check questions with immediate feedback, offline.

    :::{quiz}
    :answer: 2

    Which layer has no parameters?

    - `Dense`
    - `Flatten`

    `Flatten` only reshapes its input.
    :::

The content is the question, then a bullet list of options, then the explanation;
`:answer:` is the number of the right option, from 1. The page shows the options as radio
buttons in a fieldset and a button that says at once whether the choice is right (in a
live region, for screen readers); the answer and its explanation stay folded in a
`<details>` until asked for. It works by keyboard, without any download, and without
JavaScript (then only the folded answer works). The words of the interface come from
`book/_locale/<language>/LC_MESSAGES/sphinx.po`.
"""

from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import _
from sphinx.util.docutils import SphinxDirective


class quiz(nodes.General, nodes.Element):
    """A self-check question: children are the question, the options and the explanation."""


class quiz_question(nodes.General, nodes.Element):
    pass


class quiz_options(nodes.General, nodes.Element):
    pass


class quiz_explanation(nodes.General, nodes.Element):
    pass


class QuizDirective(SphinxDirective):
    has_content = True
    option_spec = {"answer": directives.positive_int}

    def run(self):
        body = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, body)
        lists = [i for i, child in enumerate(body.children) if isinstance(child, nodes.bullet_list)]
        where = f"{self.env.docname}:{self.lineno}"
        if not lists or lists[0] == 0:
            raise self.error(f"{where}: a quiz needs a question, then a bullet list of options")
        first = lists[0]
        options = body.children[first]
        answer = self.options.get("answer")
        if answer is None or not 1 <= answer <= len(options.children):
            raise self.error(f"{where}: `:answer:` must number one of the {len(options.children)} options")
        number = self.env.new_serialno("quiz") + 1
        node = quiz(ids=[f"quiz-{number}"], answer=answer - 1)
        node += quiz_question("", *body.children[:first])
        node += quiz_options("", *options.children)
        node += quiz_explanation("", *body.children[first + 1:])
        self.set_source_info(node)
        return [node]


def inline_children(node):
    """What to render of a paragraph, or of an item holding one paragraph, without the <p>."""
    if len(node.children) == 1 and isinstance(node.children[0], nodes.paragraph):
        node = node.children[0]
    return node.children if isinstance(node, nodes.paragraph) else [node]


def visit_quiz(self, node):
    self.body.append(self.starttag(node, "div", CLASS="quiz", **{"data-answer": str(node["answer"])}))
    self.body.append('<fieldset class="quiz-fieldset">\n')


def depart_quiz(self, node):
    self.body.append("</div>\n")


def visit_quiz_question(self, node):
    """The question's first paragraph is the fieldset's legend (which holds no <p>); any
    further element of the question (a code block, say) follows it."""
    first, *rest = node.children
    self.body.append('<legend class="quiz-question">')
    for child in inline_children(first):
        child.walkabout(self)
    self.body.append("</legend>\n")
    for child in rest:
        child.walkabout(self)
    raise nodes.SkipNode


def visit_quiz_options(self, node):
    quiz_node = node.parent
    name = quiz_node["ids"][0]
    for index, item in enumerate(node.children):
        self.body.append(
            f'<label class="quiz-option"><input type="radio" name="{name}" value="{index}"> '
        )
        # Render the option's inline content with this translator.
        for child in inline_children(item):
            child.walkabout(self)
        self.body.append("</label>\n")
    self.body.append(
        f'</fieldset>\n<button type="button" class="quiz-check btn btn-sm">{escape(_("Check"))}</button>\n'
        f'<p class="quiz-feedback" role="status" aria-live="polite"'
        f' data-right="{escape(_("Right."))}" data-wrong="{escape(_("Not quite: try again, or show the answer."))}"'
        f' data-none="{escape(_("Choose an answer first."))}"></p>\n'
    )
    raise nodes.SkipNode


def visit_quiz_explanation(self, node):
    quiz_node = node.parent
    right = quiz_node.children[1].children[quiz_node["answer"]]
    self.body.append(f'<details class="quiz-answer"><summary>{escape(_("Show the answer"))}</summary>\n')
    self.body.append(f'<p class="quiz-right"><strong>{escape(_("Answer:"))}</strong> ')
    for child in inline_children(right):
        child.walkabout(self)
    self.body.append("</p>\n")


def depart_quiz_explanation(self, node):
    self.body.append("</details>\n")


def add_script(app, pagename, templatename, context, doctree):
    if doctree and next(doctree.findall(quiz), None) is not None:
        app.add_js_file("quiz.js", loading_method="defer")


def skip(self, node):
    raise nodes.SkipNode


def setup(app):
    app.add_node(
        quiz,
        html=(visit_quiz, depart_quiz),
        latex=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None),
    )
    app.add_node(quiz_question, html=(visit_quiz_question, None))
    app.add_node(quiz_options, html=(visit_quiz_options, None))
    app.add_node(quiz_explanation, html=(visit_quiz_explanation, depart_quiz_explanation))
    app.add_directive("quiz", QuizDirective)
    app.connect("html-page-context", add_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
