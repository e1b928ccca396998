"""Sphinx extension: the reader notebooks, what Colab, Binder and the download button open.

For every page with code, each edition's build writes the page's **reader notebook** to
`_build/notebooks/<language>/<page>.ipynb` (the publishing workflow pushes that folder to the
repository's `notebooks` branch, where Colab and Binder open it) and a copy that the site
serves for the download button, `_build/html/<language>/_notebooks/<page>.ipynb`.

A reader notebook is made from the page as the web page shows it: from the doctree once
Sphinx has resolved every reference, MyST-NB has pasted the glued values and
`typography.py` has set the numbers in the edition's language (`doctree-resolved`, priority
800). A small docutils visitor writes it as plain CommonMark (with tables) and code cells:

- glossary terms, citations, `{numref}`, `{ref}` and `{doc}` become links to the published
  site (a citation as the page writes it, "(LeCun et al., 1998)"); glued values are the book's own
  run, formatted as on the page, and glued numbers are in bold (the first cell says so);
- a glued figure is drawn by the code cell just above it when the reader runs it: only its
  caption is written; an admonition becomes a blockquote with its title, a dropdown one a
  collapsed `<details>`;
- an exercise is its statement, then an empty code cell for the reader's attempt, then its
  solution collapsed: prose in `<details>`, code cells hidden both in Colab (a form cell,
  `# @title` and `cellView: form`) and in JupyterLab and Notebook 7
  (`jupyter.source_hidden`); a self-check question is its question, its options and, in
  `<details>`, its answer and explanation; a node carrying `reader_text` (the drawing pad)
  is that sentence, linked to the pad on the published page;
- the first cell is the title, a line linking to the web page and to the same notebook in
  the other languages, how to ask Colab for a GPU, and what the bold numbers are.

Cells tagged `remove-cell` are not in the doctree, so no `glue` and no `myst_nb` reach a
reader notebook; `hide-input` cells keep their source, hidden in JupyterLab as on the page.
A node that the visitor does not know fails the build (a warning, which the strict build
turns into an error) naming the page, the line and the node: nothing is dropped silently.

The extension also:

- moves MyST-NB's executed notebooks out of the published site, one folder per edition:
  `_build/jupyter_execute/<language>/` (`tools/book_sources.executed_notebook()`);
- adds the Colab, Binder and `.ipynb` header buttons of every page with code, in the theme's
  look and words (sphinx-book-theme's own launch buttons are off: they would open the
  MyST source);
- writes the Binder environment of the `notebooks` branch, `_build/notebooks/requirements.txt`
  and `runtime.txt`: only what the pages run, at the versions pinned in `requirements.txt`.

Settings (`_config.yml`, `sphinx: config:`): `reader_notebooks_branch`,
`reader_notebooks_colab_url`, `reader_notebooks_binder_url`.
"""

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.locale import _, admonitionlabels, get_translation
from sphinx.util import logging

logger = logging.getLogger(__name__)
booktheme = get_translation("booktheme")

# What the pages run, and so all that Binder installs (with what pip brings along).
BINDER_PACKAGES = ("tensorflow", "keras", "matplotlib", "numpy")

# The words a reader notebook adds to the page, in each edition's language.
WORDS = {
    "en": {
        "runnable": "This notebook is the runnable version of [this page]({page}) of *{book}*, "
                    "generated from it when the book was built.",
        "other": "[This notebook in English]({url})",
        "run": "Run the cells in order, from the top. Everything runs on the processor (CPU); "
               "in Colab you can ask for a GPU, which is faster, in "
               "*Runtime → Change runtime type*.",
        "bold": "Numbers in **bold** in the text are the results of the run that built the "
                "book; yours should be the same or very close.",
        "figures": "Each figure appears under the code cell that draws it when you run it; "
                   "its caption follows.",
        "attempt": "# {exercise}: your attempt. Write your code here (or your answer, as a comment).",
        "continued": "continued",
    },
    "es": {
        "runnable": "Este cuaderno es la versión ejecutable de [esta página]({page}) de "
                    "*{book}*, generada a partir de ella al construir el libro.",
        "other": "[Este cuaderno en español]({url})",
        "run": "Ejecuta las celdas en orden, desde el principio. Todo funciona en el "
               "procesador (CPU); en Colab puedes pedir una GPU, que es más rápida, en "
               "*Entorno de ejecución → Cambiar tipo de entorno de ejecución*.",
        "bold": "Los números en **negrita** del texto son los resultados de la ejecución con "
                "la que se construyó el libro; los tuyos deberían ser iguales o muy parecidos.",
        "figures": "Cada figura aparece debajo de la celda de código que la dibuja cuando la "
                   "ejecutas; su pie de figura va a continuación.",
        "attempt": "# {exercise}: tu intento. Escribe aquí tu código (o tu respuesta, como comentario).",
        "continued": "continuación",
    },
}


class Unsupported(Exception):
    """A node that has no Markdown form here (yet): the build must say so."""

    def __init__(self, node, why=""):
        super().__init__(why)
        self.node = node
        self.why = why


# --- Markdown helpers -------------------------------------------------------------------

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


# --- What a page knows about itself -----------------------------------------------------

@dataclass
class Page:
    """What the visitors need to know about the page they convert."""

    app: object
    docname: str
    words: dict = field(init=False)
    url: str = field(init=False)

    def __post_init__(self):
        config = self.app.config
        self.words = WORDS[config.language]
        self.url = f"{config.html_baseurl}{self.docname}.html"

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


@dataclass
class Code:
    source: str
    metadata: dict = field(default_factory=dict)
    id: str = ""


def cell_id(text):
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


class ReaderNotebook(StrictVisitor):
    """The cells of a reader notebook: Markdown and code, from the page's doctree."""

    def __init__(self, document, page, level=0, preamble=None):
        super().__init__(document)
        self.page = page
        self.level = level
        self.preamble = preamble  # the first cell's lines, after the page title
        self.items = []
        self.blocks = []

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

    def visit_title(self, node):
        if not isinstance(node.parent, nodes.section):
            raise Unsupported(node, "a title outside a section")
        self.flush()
        self.blocks.append(f"{'#' * min(self.level, 6)} {self.inline(node)}")
        if self.preamble is not None:
            self.blocks += self.preamble
            self.preamble = None
            self.flush()
        raise nodes.SkipNode

    # Nothing to show, as on the web page.
    visit_comment = visit_target = visit_index = visit_substitution_definition = StrictVisitor.skip

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
        title, name = self.exercise_title(node)
        body = self.markdown(node, node.children[1:])
        self.flush()
        self.blocks.append(quote(f"**{title}**\n\n{body}"))
        self.flush()
        attempt = self.page.words["attempt"].format(exercise=name)
        self.items.append(Code(attempt, {}, cell_id(f"attempt-{node['label']}")))
        raise nodes.SkipNode

    visit_exercise_node = visit_exercise_enumerable_node

    def visit_solution_node(self, node):
        # "Solution to Exercise 1 (Count the parameters)", then "Solution to Exercise 1 (continued)".
        title = plain(node.children[0])
        continued = f"{node.get('title') or title} ({self.page.words['continued']})"
        items = self.children(node, node.children[1:])
        self.flush()
        code = 0
        for number, item in enumerate(items):
            summary = continued if number else title
            if isinstance(item, Markdown):
                self.items.append(Markdown(details(summary, item.text)))
            else:
                code += 1
                metadata = {**item.metadata, "cellView": "form", "jupyter": {"source_hidden": True}}
                self.items.append(Code(f"# @title {summary}\n{item.source}", metadata,
                                       cell_id(f"solution-{node['target_label']}-{code}")))
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


# --- The notebook -----------------------------------------------------------------------

def repository(app):
    """(owner, name) of the GitHub repository named in _config.yml."""
    url = app.config.html_theme_options.get("repository_url", "")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)/?", url)
    if not match:
        raise ValueError(f"reader notebooks: `repository: url:` must be a GitHub repository, not {url!r}")
    return match.groups()


def colab_url(app, language, docname):
    owner, name = repository(app)
    return (f"{app.config.reader_notebooks_colab_url.rstrip('/')}/github/{owner}/{name}/blob/"
            f"{app.config.reader_notebooks_branch}/{language}/{docname}.ipynb")


def binder_url(app, language, docname):
    owner, name = repository(app)
    return (f"{app.config.reader_notebooks_binder_url.rstrip('/')}/v2/gh/{owner}/{name}/"
            f"{app.config.reader_notebooks_branch}?urlpath=lab/tree/{language}/{docname}.ipynb")


def preamble(app, docname, doctree, page):
    config, words = app.config, page.words
    others = [WORDS[code]["other"].format(url=colab_url(app, code, docname))
              for code in config.book_languages if code != config.language]
    lines = [words["runnable"].format(page=page.url, book=escape(config.html_title)) + " "
             + " · ".join(others), words["run"]]
    glued = doctree.findall(lambda n: isinstance(n, nodes.inline) and "pasted-text" in n["classes"])
    if next(glued, None) is not None:
        lines.append(words["bold"])
    if any(page.drawn_by_the_run(image) for image in doctree.findall(nodes.image)):
        lines.append(words["figures"])
    return lines


def is_notebook(app, docname):
    """A page that MyST-NB read as a notebook: a page with code."""
    return "kernelspec" in app.env.metadata.get(docname, {})


def reader_notebook(app, doctree, docname):
    """The reader notebook of a page, or None after a warning naming what it cannot show."""
    page = Page(app, docname)
    visitor = ReaderNotebook(doctree, page, preamble=preamble(app, docname, doctree, page))
    try:
        doctree.walkabout(visitor)
    except Unsupported as error:
        node = error.node
        what = f"<{node.tagname}> ({type(node).__module__}.{type(node).__name__})"
        logger.warning(
            f"the reader notebook of {docname!r} has no Markdown for the node {what}"
            + (f": {error.why}" if error.why else "")
            + "; teach book/_ext/reader_notebooks.py to write it",
            location=node if node.source else docname, type="reader_notebooks",
        )
        return None
    cells = []
    for number, item in enumerate(visitor.items, start=1):
        if isinstance(item, Markdown):
            cells.append(nbformat.v4.new_markdown_cell(item.text, id=f"cell-{number}"))
        else:
            cells.append(nbformat.v4.new_code_cell(item.source, id=item.id or f"cell-{number}",
                                                   metadata=item.metadata))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"name": f"{docname}.ipynb", "provenance": [], "toc_visible": True},
    })
    notebook.nbformat_minor = 5
    nbformat.validate(notebook)
    return notebook


def build_folder(app):
    """`_build/`, as tools/build_edition.py sets it (`book_build_folder`): each edition builds
    into `_build/html/<language>/`."""
    return Path(app.config.book_build_folder)


def notebook_paths(app, docname):
    """Where a page's reader notebook goes: for the `notebooks` branch, and in the site."""
    return [build_folder(app) / "notebooks" / app.config.language / f"{docname}.ipynb",
            Path(app.outdir) / "_notebooks" / f"{docname}.ipynb"]


def write_reader_notebook(app, doctree, docname):
    if app.builder.format != "html" or not is_notebook(app, docname):
        return
    notebook = reader_notebook(app, doctree, docname)
    text = None if notebook is None else nbformat.writes(notebook) + "\n"
    for path in notebook_paths(app, docname):
        if text is None:  # no notebook rather than an outdated one
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf8")


# --- Buttons ----------------------------------------------------------------------------

def add_buttons(app, pagename, templatename, context, doctree):
    """Colab, Binder and `.ipynb` entries, where sphinx-book-theme put its own."""
    buttons = context.get("header_buttons")
    if doctree is None or buttons is None or not is_notebook(app, pagename):
        return
    language = app.config.language
    launch = {"type": "group", "tooltip": booktheme("Launch interactive content"),
              "icon": "fas fa-rocket", "label": "launch-buttons", "buttons": [
                  {"type": "link", "text": "Binder", "tooltip": booktheme("Launch on") + " Binder",
                   "icon": "_static/images/logo_binder.svg", "url": binder_url(app, language, pagename)},
                  {"type": "link", "text": "Colab", "tooltip": booktheme("Launch on") + " Colab",
                   "icon": "_static/images/logo_colab.png", "url": colab_url(app, language, pagename)},
              ]}
    buttons.insert(0, launch)
    download = {"type": "link", "url": f"{context['pathto']('_notebooks', 1)}/{pagename}.ipynb",
                "text": ".ipynb", "icon": "fas fa-code", "tooltip": booktheme("Download notebook file"),
                "label": "download-notebook-button"}
    group = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if group is None:
        buttons.append({"type": "group", "tooltip": booktheme("Download this page"),
                        "icon": "fas fa-download", "buttons": [download], "label": "download-buttons"})
    else:
        group["buttons"].insert(0, download)


# --- Executed notebooks and the Binder environment --------------------------------------

def move_executed_notebooks(app):
    """MyST-NB writes each page's executed notebook (and its images and glue) to
    `_build/html/jupyter_execute/`, inside the published site and shared by the editions:
    one folder per edition instead, outside the site (after MyST-NB's own handler)."""
    if app.config.language not in WORDS:
        raise ExtensionError(f"reader notebooks: no words for the language {app.config.language!r} "
                             "in book/_ext/reader_notebooks.py's WORDS")
    if not app.config.book_build_folder:
        raise ExtensionError("reader notebooks: no `book_build_folder`: build the book with "
                             "tools/build_book.py (make html)")
    config = app.env.mystnb_config
    folder = build_folder(app) / "jupyter_execute" / app.config.language
    app.env.mystnb_config = config.copy(output_folder=str(folder.resolve()))
    # What earlier builds left in the site: MyST-NB's old folder, the theme's notebook copies.
    shutil.rmtree(Path(app.outdir).parent / "jupyter_execute", ignore_errors=True)
    for stale in Path(app.outdir, "_sources").glob("*.ipynb"):
        stale.unlink()


def pins(path):
    """{name: line} of the `name==version` lines of a requirements file."""
    found = {}
    for line in path.read_text(encoding="utf8").splitlines():
        line = line.split("#")[0].strip()
        match = re.match(r"([A-Za-z0-9._-]+)\s*==", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = line
    return found


BRANCH_README = """\
# Reader notebooks · Cuadernos para el lector

Generated by the build of [the book]({repository}) (`book/_ext/reader_notebooks.py`) and
published here by its *Publish the book* workflow. Do not edit them here: edit the pages in
`book/` on the main branch.

- {folders}: one notebook per page with code, as Colab, Binder and the book's download
  button open them.
- `requirements.txt`, `runtime.txt`: Binder's environment, only what the pages run, at the
  versions the book is built and tested with.

Generados por la construcción de [el libro]({repository}) y publicados aquí por su flujo de
trabajo *Publish the book*. No los edites aquí: edita las páginas de `book/` en la rama
principal.
"""


def finish(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    # The notebooks of pages that are gone or have no code any more.
    folder = build_folder(app) / "notebooks" / app.config.language
    for docname in {path.stem for path in folder.glob("*.ipynb")}:
        if docname not in app.env.found_docs or not is_notebook(app, docname):
            for path in notebook_paths(app, docname):
                path.unlink(missing_ok=True)
    write_binder_environment(app)


def write_binder_environment(app):
    root, out = build_folder(app).parent, build_folder(app) / "notebooks"
    if not (root / "requirements.txt").is_file():
        logger.info("reader notebooks: no requirements.txt, so no Binder environment")
        return
    pinned = pins(root / "requirements.txt")
    missing = [name for name in BINDER_PACKAGES if name not in pinned]
    if missing:
        logger.warning(f"reader notebooks: requirements.txt pins no {', '.join(missing)}, "
                       "which Binder must install at the book's version", type="reader_notebooks")
        return
    out.mkdir(parents=True, exist_ok=True)
    (out / "requirements.txt").write_text(
        "# What the pages run, at the versions in the book's requirements.txt (generated).\n"
        + "".join(f"{pinned[name]}\n" for name in BINDER_PACKAGES), encoding="utf8")
    shutil.copyfile(root / "runtime.txt", out / "runtime.txt")
    (out / "README.md").write_text(
        BRANCH_README.format(repository=app.config.html_theme_options.get("repository_url", ""),
                             folders=", ".join(f"`{code}/`" for code in app.config.book_languages)),
        encoding="utf8")


def setup(app):
    app.add_config_value("reader_notebooks_branch", "notebooks", "html")
    app.add_config_value("reader_notebooks_colab_url", "https://colab.research.google.com", "html")
    app.add_config_value("reader_notebooks_binder_url", "https://mybinder.org", "html")
    # `_build/`, set by tools/build_edition.py (the repository's root is its parent).
    app.add_config_value("book_build_folder", "", "env")
    # After MyST-NB's handler (500), which sets its output folder.
    app.connect("builder-inited", move_executed_notebooks, priority=600)
    # After typography.py (500) has set the numbers in the edition's language.
    app.connect("doctree-resolved", write_reader_notebook, priority=800)
    # After sphinx-book-theme's header buttons (501).
    app.connect("html-page-context", add_buttons, priority=510)
    app.connect("build-finished", finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
