"""From a page's resolved doctree to the cells of its reader notebook.

A small docutils visitor writes the page as plain CommonMark (with tables) and code cells:

- glossary terms, citations, `{numref}`, `{ref}` and `{doc}` become links to the published
  site (a citation as the page writes it, "(LeCun et al., 1998)"); glued values are the book's own
  run, formatted as on the page, and glued numbers are in bold;
- a glued figure is drawn by the code cell just above it when the reader runs it: only its
  caption is written, and its alt text as the figure's description; an admonition becomes
  a blockquote with its title, a dropdown one a collapsed `<details>`;
- an exercise is a heading, its statement, then an empty code cell for the reader's attempt;
  its solution is a section of its own under it, collapsed in Colab (`collapsed_sections`)
  and JupyterLab (`jp-MarkdownHeadingCollapsed`): prose in `<details>`, code cells hidden
  (a Colab form cell, `# @title` and `cellView: form`; `jupyter.source_hidden` and
  `outputs_hidden`), so that "Run all" shows no answer; a self-check question is its
  question, its options and, in `<details>`, its answer and explanation; a node carrying
  `reader_text` (the drawing pad) is that sentence, linked to the pad on the published page.

Cells tagged `remove-cell` are not in the doctree, so no `glue` and no `myst_nb` reach a
reader notebook; `hide-input` cells keep their source, hidden in JupyterLab as on the page.
A node that the visitor does not know raises `Unsupported`, which the build reports naming
the page, the line and the node: nothing is dropped silently.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import _, admonitionlabels
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

from .checks import checks_cell, page_exercises, translated_starter
from .markdown import (SCRIPTS, code_span, destination, details, escape, fence, list_block, plain, protect_start, quote, wrap)


class Unsupported(Exception):
    """A node that has no Markdown form here (yet): the build must say so."""

    def __init__(self, node, why="", fix="teach book/_ext/reader_notebooks/ to write it"):
        super().__init__(why)
        self.node = node
        self.why = why
        self.fix = fix


# --- What a page knows about itself -----------------------------------------------------

@dataclass
class Page:
    """What the visitors need to know about the page they convert."""

    app: object
    docname: str
    url: str = field(init=False)
    exercises: dict = field(init=False)  # the checked exercises, by label (book/_checks/)

    def __post_init__(self):
        self.url = f"{self.app.config.html_baseurl}{self.docname}.html"
        self.exercises = page_exercises(self.docname)

    def link(self, node):
        """The absolute URL of a reference: the published page for the book's own links."""
        if node.get("refuri"):
            uri = node["refuri"]
            return uri if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri) else urljoin(self.url, uri)
        if node.get("refid"):
            return f"{self.url}#{node['refid']}"
        return None

    def number(self, figtype, node):
        """The number the web page gives an enumerable node ("Fig. 2", "Exercise 1")."""
        numbers = self.app.env.toc_fignumbers.get(self.docname, {}).get(figtype, {})
        if node["ids"] and node["ids"][0] in numbers:
            return ".".join(map(str, numbers[node["ids"][0]]))
        return None

    def exercise_numbers(self):
        """{number as the site shows it: label} of the page's checked exercises."""
        numbers = self.app.env.toc_fignumbers.get(self.docname, {}).get("exercise", {})
        return {int(".".join(map(str, numbers[label]))): label for label in self.exercises if label in numbers}

    def drawn_by_the_run(self, image):
        """Whether an image is an output of the page's code (a glued figure)."""
        output = Path(self.app.env.mystnb_config.output_folder).resolve()
        return output in (Path(self.app.srcdir) / image["uri"]).resolve().parents

    def image_url(self, image):
        if image["uri"] not in self.app.env.images:
            raise Unsupported(image, "an image that Sphinx does not copy to _images/")
        return urljoin(self.url, f"_images/{self.app.env.images[image['uri']][1]}")

    def image_markdown(self, image):
        """An image, shown from the published site."""
        return f"![{escape(image.get('alt', ''))}]({destination(self.image_url(image))})"


# --- Inline content ---------------------------------------------------------------------

class StrictVisitor(nodes.NodeVisitor):
    """A visitor that knows each node it meets, or fails naming it: nothing is dropped."""

    def unknown_visit(self, node):
        raise Unsupported(node)

    def unknown_departure(self, node):
        raise Unsupported(node)

    def skip(self, node):
        raise nodes.SkipNode


class Inline(StrictVisitor):
    """The Markdown of a paragraph's content (or a title's, a caption's...)."""

    def __init__(self, document, page):
        super().__init__(document)
        self.page = page
        self.stack = [[]]
        self.strong = 0

    @property
    def text(self):
        return "".join(self.stack[0])

    def put(self, text):
        self.stack[-1].append(text)

    def push(self, node=None):
        self.stack.append([])

    def pop(self):
        return "".join(self.stack.pop())

    def visit_Text(self, node):
        self.put(escape(node.astext()))

    def depart_Text(self, node):
        pass

    def visit_emphasis(self, node):
        self.push()

    def depart_emphasis(self, node):
        self.put(wrap(self.pop(), "*"))

    visit_title_reference = visit_emphasis
    depart_title_reference = depart_emphasis

    def visit_strong(self, node):
        self.push()
        self.strong += 1

    def depart_strong(self, node):
        self.strong -= 1
        text = self.pop()
        self.put(wrap(text, "**") if not self.strong else text)

    def visit_literal(self, node):
        self.put(code_span(node.astext()))
        raise nodes.SkipNode

    visit_literal_strong = visit_literal_emphasis = visit_literal

    def visit_reference(self, node):
        self.push()

    def depart_reference(self, node):
        text, url = self.pop(), self.page.link(node)
        self.put(f"[{text}]({destination(url)})" if url else text)

    visit_number_reference = visit_reference
    depart_number_reference = depart_reference

    def visit_inline(self, node):
        # A glued value: the book's result, in bold (said once, in the first cell).
        if "pasted-text" in node["classes"]:
            self.visit_strong(node)
        else:
            self.push()

    def depart_inline(self, node):
        if "pasted-text" in node["classes"]:
            self.depart_strong(node)
        else:
            self.put(self.pop())

    def visit_math(self, node):
        self.put(f"${node.astext()}$")
        raise nodes.SkipNode

    def visit_image(self, node):
        self.put(self.page.image_markdown(node))
        raise nodes.SkipNode

    def visit_raw(self, node):
        if "html" in node.get("format", "").split():
            self.put(node.astext())
        raise nodes.SkipNode

    def visit_subscript(self, node):
        self.put("<sub>")

    def depart_subscript(self, node):
        self.put("</sub>")

    def visit_superscript(self, node):
        self.put("<sup>")

    def depart_superscript(self, node):
        self.put("</sup>")

    # Nothing to show: index entries, hyperlink targets, comments (as on the web page).
    visit_target = visit_index = visit_comment = StrictVisitor.skip

    def visit_abbreviation(self, node):
        pass

    depart_abbreviation = visit_generated = depart_generated = visit_abbreviation


def inline(node, page, children=None):
    visitor = Inline(node.document, page)
    for child in node.children if children is None else children:
        child.walkabout(visitor)
    return visitor.text.strip()


# --- Blocks and cells -------------------------------------------------------------------

@dataclass
class Markdown:
    text: str
    metadata: dict = field(default_factory=dict)
    id: str = ""


@dataclass
class Code:
    source: str
    metadata: dict = field(default_factory=dict)
    id: str = ""


# JupyterLab's mark of a heading cell whose section is collapsed (Colab lists them instead).
COLLAPSED_HEADING = "jp-MarkdownHeadingCollapsed"


def cell_id(text):
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


class ReaderNotebook(StrictVisitor):
    """The cells of a reader notebook: Markdown and code, from the page's doctree."""

    # What may follow a solution: what starts a heading, or shows nothing.
    AFTER_A_SOLUTION = (nodes.section, nodes.title, exercise_enumerable_node, exercise_node, nodes.target,
                        nodes.comment, addnodes.index, nodes.substitution_definition)

    def __init__(self, document, page, level=0, preamble=None):
        super().__init__(document)
        self.page = page
        self.level = level
        self.preamble = preamble  # the first cell's lines, after the page title
        self.items = []
        self.blocks = []
        # The solution just written: its section runs to the next heading, so nothing else
        # may come before one (it would be hidden with the solution).
        self.solution = None

    # Structure

    def flush(self):
        if self.blocks:
            self.items.append(Markdown("\n\n".join(self.blocks)))
            self.blocks = []

    def children(self, node, children=None):
        """The cells made of some of `node`'s children."""
        visitor = ReaderNotebook(node.document, self.page, self.level)
        for child in node.children if children is None else children:
            child.walkabout(visitor)
        visitor.flush()
        return visitor.items

    def markdown(self, node, children=None):
        """The Markdown of `node`'s children, which must hold no code cell."""
        items = self.children(node, children)
        if any(isinstance(item, Code) for item in items):
            raise Unsupported(node, "a code cell inside it (a notebook cannot nest one there)")
        return "\n\n".join(item.text for item in items)

    def inline(self, node, children=None):
        return inline(node, self.page, children)

    def dispatch_visit(self, node):
        if self.solution is not None and not isinstance(node, self.AFTER_A_SOLUTION):
            raise Unsupported(node, "content after a solution, before the next heading or exercise: "
                                    "in the notebook it would be hidden in the solution's collapsed section",
                              fix="move it before the exercise, or under a heading of its own")
        if "reader_text" in node.attributes:
            return self.visit_reader_text(node)
        if isinstance(node, nodes.Admonition) and not node.tagname.startswith(("exercise", "solution")):
            return self.visit_any_admonition(node)
        return super().dispatch_visit(node)

    def visit_document(self, node):
        pass

    def depart_document(self, node):
        self.flush()

    def visit_section(self, node):
        self.level += 1

    def depart_section(self, node):
        self.level -= 1

    def heading(self, level, text):
        """A heading line: a new cell starts with it, and a solution's section ends."""
        self.flush()
        self.solution = None
        self.blocks.append(f"{'#' * min(level, 6)} {text}")

    def visit_title(self, node):
        if not isinstance(node.parent, nodes.section):
            raise Unsupported(node, "a title outside a section")
        self.heading(self.level, self.inline(node))
        if self.preamble is not None:
            self.blocks += self.preamble
            self.preamble = None
            self.flush()
            if self.page.exercises:  # the checks, hidden, before anything can call them
                self.items.append(Code(checks_cell(self.page.app, self.page.docname, self.page.exercise_numbers()),
                                       {"cellView": "form", "jupyter": {"source_hidden": True}}, "exercise-checks"))
        raise nodes.SkipNode

    # Nothing to show, as on the web page.
    visit_comment = visit_target = visit_index = visit_substitution_definition = StrictVisitor.skip

    def visit_compound(self, node):
        """The root page's table of contents, which the page shows in its sidebar only."""
        if "toctree-wrapper" not in node["classes"]:
            raise Unsupported(node, "a compound other than a table of contents")
        raise nodes.SkipNode

    # Prose

    def visit_paragraph(self, node):
        text = self.inline(node)
        if text:
            self.blocks.append(protect_start(text))
        raise nodes.SkipNode

    def visit_bullet_list(self, node):
        items = [self.list_item(item) for item in node.children]
        self.blocks.append(list_block(items, ["- "] * len(items)))
        raise nodes.SkipNode

    def visit_enumerated_list(self, node):
        items = [self.list_item(item) for item in node.children]
        start = node.get("start", 1)
        self.blocks.append(list_block(items, [f"{start + i}. " for i in range(len(items))]))
        raise nodes.SkipNode

    def list_item(self, item):
        if not isinstance(item, nodes.list_item):
            raise Unsupported(item, "in a list, something other than a list item")
        return self.markdown(item)

    def visit_definition_list(self, node):
        items = []
        for entry in node.children:
            terms = [c for c in entry.children if isinstance(c, nodes.term)]
            definitions = [c for c in entry.children if isinstance(c, nodes.definition)]
            if len(terms) != 1 or len(definitions) != 1:
                raise Unsupported(entry, "a definition list entry without one term and one definition")
            items.append(f"**{self.inline(terms[0])}**: {self.markdown(definitions[0])}")
        self.blocks.append(list_block(items, ["- "] * len(items)))
        raise nodes.SkipNode

    def visit_block_quote(self, node):
        self.blocks.append(quote(self.markdown(node)))
        raise nodes.SkipNode

    def visit_attribution(self, node):
        self.blocks.append(f"— {self.inline(node)}")
        raise nodes.SkipNode

    def visit_literal_block(self, node):
        language = node.get("language", "")
        language = {"ipython3": "python", "ipython": "python", "default": "", "none": "",
                    "text": ""}.get(language, language)
        self.blocks.append(fence(node.astext(), language))
        raise nodes.SkipNode

    def visit_math_block(self, node):
        self.blocks.append(f"$$\n{node.astext().strip()}\n$$")
        raise nodes.SkipNode

    def visit_transition(self, node):
        self.blocks.append("---")
        raise nodes.SkipNode

    def visit_rubric(self, node):
        self.blocks.append(f"**{self.inline(node)}**")
        raise nodes.SkipNode

    def visit_raw(self, node):
        # HTML as the page has it; but not scripts (sphinx-thebe appends its configuration
        # to every page), which a notebook would not run anyway.
        if "html" in node.get("format", "").split() and not SCRIPTS.fullmatch(node.astext()):
            self.blocks.append(node.astext().strip())
        raise nodes.SkipNode

    def visit_table(self, node):
        groups = [c for c in node.children if isinstance(c, nodes.tgroup)]
        if len(groups) != 1:
            raise Unsupported(node, "a table without exactly one group of columns")
        if any(isinstance(c, nodes.title) for c in node.children):
            raise Unsupported(node, "a table with a title")
        head = [r for c in groups[0].children if isinstance(c, nodes.thead) for r in c.children]
        body = [r for c in groups[0].children if isinstance(c, nodes.tbody) for r in c.children]
        if len(head) != 1:
            raise Unsupported(node, "a table without one header row")
        rows = [self.table_row(row) for row in head + body]
        lines = [rows[0], "|" + "---|" * (rows[0].count(" | ") + 1)] + rows[1:]
        self.blocks.append("\n".join(lines))
        raise nodes.SkipNode

    def table_row(self, row):
        cells = []
        for entry in row.children:
            if entry.get("morerows") or entry.get("morecols"):
                raise Unsupported(entry, "a table cell that spans rows or columns")
            if len(entry.children) > 1 or (entry.children and not isinstance(entry[0], nodes.paragraph)):
                raise Unsupported(entry, "a table cell with more than one paragraph")
            text = self.inline(entry[0]) if entry.children else ""
            cells.append(re.sub(r"(?<!\\)\|", r"\\|", text))
        return "| " + " | ".join(cells) + " |"

    # Figures

    def visit_figure(self, node):
        images = [c for c in node.children if isinstance(c, nodes.image)]
        captions = [c for c in node.children if isinstance(c, nodes.caption)]
        legends = [c for c in node.children if isinstance(c, nodes.legend)]
        if len(images) != 1 or len(captions) > 1 or len(images) + len(captions) + len(legends) != len(node.children):
            raise Unsupported(node, "a figure other than one image, a caption and a legend")
        (image,) = images
        if not self.page.drawn_by_the_run(image):
            # A picture that no code draws: shown from the published site.
            self.blocks.append(self.page.image_markdown(image))
        number = self.page.number("figure", node)
        label = self.page.app.config.numfig_format["figure"] % number if number else ""
        if captions:
            caption = self.inline(captions[0])
            self.blocks.append(f"*{label}:* {caption}" if label else caption)
        if self.page.drawn_by_the_run(image) and image.get("alt"):
            # The figure is the cell's output, which has no alt text: the page's, in words.
            self.blocks.append(f"*{escape(_('Description of the figure:'))}* {escape(image['alt'])}")
        for legend in legends:
            self.blocks.append(self.markdown(legend))
        raise nodes.SkipNode

    def visit_image(self, node):
        self.blocks.append(self.page.image_markdown(node))
        raise nodes.SkipNode

    # Code cells

    def visit_container(self, node):
        if node.get("nb_element") != "cell_code":
            raise Unsupported(node, f"a container of classes {node['classes']}")
        sources = [c for c in node.findall(nodes.container) if c.get("nb_element") == "cell_code_source"]
        if len(sources) != 1:
            raise Unsupported(node, "a code cell whose page does not show its source (remove-input)")
        tags = set(node.get("cell_metadata", {}).get("tags", []))
        metadata = {"jupyter": {"source_hidden": True}} if tags & {"hide-input", "hide-cell"} else {}
        self.flush()
        self.items.append(Code(sources[0].astext(), metadata))
        raise nodes.SkipNode

    # Admonitions, exercises, solutions, questions

    def visit_any_admonition(self, node):
        titles = [c for c in node.children if isinstance(c, nodes.title)]
        label = str(admonitionlabels.get(node.tagname, node.tagname))  # "Note", without a title
        title = self.inline(titles[0]) if titles else escape(label)
        body = self.markdown(node, [c for c in node.children if not isinstance(c, nodes.title)])
        if "dropdown" in node["classes"]:
            self.flush()
            summary = plain(titles[0]) if titles else label
            self.blocks.append(details(summary, body))
            self.flush()
        else:
            self.blocks.append(quote(f"**{title}**\n\n{body}"))
        raise nodes.SkipNode

    def exercise_title(self, node):
        """(Markdown title, plain name) of an exercise, as the page numbers it."""
        title = node.children[0]
        if not isinstance(title, nodes.title):
            raise Unsupported(node, "an exercise without a title")
        number = self.page.number("exercise", node)
        if not (number and "%s" in title.get("title", "")):  # an exercise without a number
            return self.inline(title), plain(title)
        name = title["title"] % number  # "Exercise 1", as the web page numbers it
        subtitle = self.inline(title)  # "(Explore the data set)"
        return escape(name) + (f" {subtitle}" if subtitle else ""), name

    def visit_exercise_enumerable_node(self, node):
        """A heading of its own (so that its solution's section ends at the next one), its
        statement, and a cell for the reader's attempt: for a checked exercise, its starter
        (with `____` where the reader writes) and a cell that checks it; for one that asks
        for judgement, a comment that says so."""
        title, name = self.exercise_title(node)
        body = self.markdown(node, node.children[1:])
        self.heading(self.level + 1, title)
        self.blocks.append(body)
        self.flush()
        label = node["label"]
        exercise = self.page.exercises.get(label)
        if exercise is None:
            attempt = _("# {exercise}: your answer, in words, as a comment. It asks for judgement, "
                        "which no check can mark: compare it with the solution.")
            self.items.append(Code(attempt.format(exercise=name), {}, cell_id(f"attempt-{label}")))
            raise nodes.SkipNode
        number = self.page.number("exercise", node)
        if not (number and number.isdigit()):
            raise Unsupported(node, "a checked exercise without a number of its own", fix="number it")
        attempt = _("# {exercise}: your attempt. Replace each ____ with your answer, run this cell, "
                    "then the next one to check it.")
        self.items.append(Code(f"{attempt.format(exercise=name)}\n{translated_starter(exercise.starter)}", {},
                               cell_id(f"attempt-{label}")))
        self.items.append(Code(f"check({number})", {}, cell_id(f"check-{label}")))
        raise nodes.SkipNode

    visit_exercise_node = visit_exercise_enumerable_node

    def visit_solution_node(self, node):
        """A section under its exercise, collapsed in Colab and JupyterLab, whose prose is
        collapsed too and whose code cells hide their source and their outputs: after "Run
        all", no answer shows until the reader asks for it."""
        # "Solution to Exercise 1 (Count the parameters)", then "Solution to Exercise 1 (continued)".
        title = plain(node.children[0])
        continued = f"{node.get('title') or title} ({_('continued')})"
        items = self.children(node, node.children[1:])
        self.heading(self.level + 2, escape(title))
        self.flush()
        heading = self.items[-1]
        heading.id = cell_id(f"solution-{node['target_label']}")
        heading.metadata = {COLLAPSED_HEADING: True}
        code = 0
        for number, item in enumerate(items):
            summary = continued if number else title
            if isinstance(item, Markdown):
                self.items.append(Markdown(details(summary, item.text)))
            else:
                code += 1
                metadata = {**item.metadata, "cellView": "form",
                            "jupyter": {"source_hidden": True, "outputs_hidden": True}}
                self.items.append(Code(f"# @title {summary}\n{item.source}", metadata,
                                       cell_id(f"solution-{node['target_label']}-{code}")))
        self.solution = node
        raise nodes.SkipNode

    def visit_answer_box(self, node):
        """An exercise's answer box (book/_ext/answer_box.py): the notebook checks the
        exercise in a cell instead."""
        raise nodes.SkipNode

    def visit_quiz(self, node):
        question, options, explanation = node.children
        choices = [self.list_item(item) for item in options.children]
        answer = (f"**{escape(_('Answer:'))}** {choices[node['answer']]}\n\n"
                  f"{self.markdown(explanation)}").strip()
        self.flush()
        self.blocks.append(self.markdown(question))
        self.blocks.append(list_block(choices, ["- "] * len(choices)))
        self.blocks.append(details(_("Show the answer"), answer))
        self.flush()
        raise nodes.SkipNode

    def visit_reader_text(self, node):
        """A widget of the web page (the drawing pad): a line that links to it."""
        if not node["ids"]:
            raise Unsupported(node, "a node with `reader_text` but no id to link to")
        self.blocks.append(f"[{escape(node['reader_text'])}]({self.page.url}#{node['ids'][0]})")
        raise nodes.SkipNode


