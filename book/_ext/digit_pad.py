"""Sphinx extension: a drawing pad where the reader draws a digit and the page's own model,
trained in this very build, answers in the browser, offline.

    ```{digit-pad} pad_model
    :samples: pad_samples
    :labels: pad_labels

    Draw a digit in the black square below: ...
    ```

The argument is the glue key of a Keras model; `:samples:` (optional) that of a few test
images (N × 28 × 28, or N × 28 × 28 × 1; pixels 0–255, or 0–1 as floats), `:labels:` their
labels; its content, what the web page says about the pad, shows before it (a reader
notebook, which has no pad, gives a sentence that links to it instead). The page glues them
in a remove-cell cell (`glue("pad_model", model, display=False)`);
`book/_kernel/digit_pad_export.py`, run by the build's kernels only, gives those values the
mimetypes read here. Nothing of this shows in the page's code.

The directive checks that the model is a chain of layers the pad's JavaScript computes
(InputLayer, Rescaling, Flatten, Dense, Conv2D, MaxPooling2D, Dropout, ReLU, Softmax,
Activation), picks the number format of its weights by size (float32 up to
FLOAT32_MAX_PARAMETERS parameters, so that the browser matches Keras within 1e-4;
float16 above, to stay small), and keeps what the page needs in the Sphinx environment, so
that it survives incremental builds (a Sphinx domain, `digitpad`). Every HTML build then
writes each page's data to `_static/digit-pad/<page>.js`, a script that assigns to a global,
so that the pad also works offline and from file://. Only pages with a pad load
`digit-pad.js` and `digit-pad.css`, and the script loads the page's data file (named by the
pad's `data-page`) only when the reader scrolls near the pad. The model's input scale follows its first layer: a model that starts with
`Rescaling` gets pixels 0–255, any other 0–1.

The widget's HTML is the template `book/_templates/digit-pad.html`. The words of the
interface come from `book/_locale/<language>/LC_MESSAGES/sphinx.po`. For
the reader notebooks generated from the doctree, the node has an anchor (`ids`) and
`reader_text`, a translated sentence pointing to the pad on the web page.
"""

import base64
import json
from pathlib import Path

import numpy as np
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.domains import Domain
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

MODEL_MIME = "application/vnd.book.keras-model+json"
ARRAY_MIME = "application/vnd.book.ndarray+json"
# Up to this many parameters the weights travel as float32 (page 01's 7,850: exact to
# float32); above, as float16 (page 03's ~35,000: half the bytes).
FLOAT32_MAX_PARAMETERS = 20_000
STATIC_FOLDER = "digit-pad"
GLOBAL = "bookDigitPadData"
SUPPORTED = {
    "InputLayer", "Rescaling", "Flatten", "Dense", "Conv2D", "MaxPooling2D", "Dropout",
    "ReLU", "Softmax", "Activation",
}
ACTIVATIONS = {"linear", "relu", "softmax"}


class DigitPadDomain(Domain):
    """What the build knows of each page's pads ({docname: {anchor: {model, samples}}}),
    kept in the environment so that it survives incremental builds, and purged and merged
    with its pages by Sphinx (as sphinx/ext/duration.py keeps its data)."""

    name = "digitpad"
    label = "drawing pads"
    initial_data = {"pages": {}}

    @property
    def pages(self):
        return self.data["pages"]

    def clear_doc(self, docname):
        self.pages.pop(docname, None)

    def merge_domaindata(self, docnames, otherdata):
        for docname in docnames:
            if docname in otherdata["pages"]:
                self.pages[docname] = otherdata["pages"][docname]


def pad_pages(env):
    """{docname: {anchor: data}} of the pages with a pad."""
    return env.get_domain(DigitPadDomain.name).pages


class digit_pad(nodes.General, nodes.Element):
    """A drawing pad. Attributes: ids (its anchor), reader_text (a sentence for the reader
    notebooks, which have no pad), pad (the key of its data in the page's data file)."""


class DigitPadError(Exception):
    pass


def glued(document, key, mimetype, what):
    from myst_nb.core.variables import RetrievalError
    from myst_nb.ext.glue.utils import retrieve_glue_data

    try:
        data = retrieve_glue_data(document, key).data
    except RetrievalError as error:
        raise DigitPadError(f"{error} Glue {what} in a remove-cell cell: glue({key!r}, ..., display=False).")
    if mimetype not in data:
        raise DigitPadError(
            f"the glued value {key!r} is not {what} (it has no {mimetype} output: does "
            "book/_kernel/digit_pad_export.py run in the build's kernels?)"
        )
    return data[mimetype]


def decode(entry):
    raw = base64.b64decode(entry["base64"])
    return np.frombuffer(raw, dtype=np.dtype(entry["dtype"]).newbyteorder("<")).reshape(entry["shape"])


def encode(array, dtype):
    array = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "shape": list(array.shape), "base64": base64.b64encode(array.tobytes()).decode("ascii")}


def pad_model(bundle):
    """The model as the JavaScript computes it: its layers with their weights, in the number
    format its size calls for, and the scale of the pixels it expects."""
    layers = bundle["layers"]
    shape = bundle["input_shape"][1:]
    if shape not in ([28, 28], [28, 28, 1]):
        raise DigitPadError(f"the model takes inputs of shape {shape}, not 28 × 28 (× 1)")
    if bundle["output_shape"][1:] != [10]:
        raise DigitPadError(f"the model gives outputs of shape {bundle['output_shape'][1:]}, not 10")
    parameters = sum(int(np.prod(w["shape"])) for layer in layers for w in layer["weights"])
    dtype = "float32" if parameters <= FLOAT32_MAX_PARAMETERS else "float16"
    out = []
    for layer in layers:
        kind, config = layer["class_name"], layer["config"]
        if kind not in SUPPORTED:
            raise DigitPadError(f"layer {config.get('name')!r} is a {kind}, which the pad cannot compute")
        if config.get("data_format", "channels_last") != "channels_last":
            raise DigitPadError(f"layer {config.get('name')!r} is not channels_last")
        if kind in ("Dense", "Conv2D", "Activation") and config.get("activation") not in ACTIVATIONS:
            raise DigitPadError(f"layer {config.get('name')!r} has activation {config.get('activation')!r}")
        if kind == "Conv2D" and (config.get("dilation_rate") != [1, 1] or config.get("groups", 1) != 1):
            raise DigitPadError(f"layer {config.get('name')!r}: dilated or grouped convolution")
        if kind == "Rescaling" and not isinstance(config.get("scale"), (int, float)):
            raise DigitPadError(f"layer {config.get('name')!r}: a scale per channel")
        if kind == "ReLU" and any(config.get(k) not in (None, 0, 0.0) for k in ("max_value", "negative_slope", "threshold")):
            raise DigitPadError(f"layer {config.get('name')!r}: a ReLU with options")
        weights = [{"name": w["name"], **encode(decode(w), dtype)} for w in layer["weights"]]
        out.append({"class_name": kind, "config": config, "weights": weights})
    first = next((layer["class_name"] for layer in layers if layer["class_name"] != "InputLayer"), None)
    return {
        "input_shape": shape,
        # A model that rescales its input itself gets the pixels as MNIST stores them.
        "input_max": 255 if first == "Rescaling" else 1,
        "parameters": parameters,
        "dtype": dtype,
        "layers": out,
    }


def pad_samples(images, labels):
    """The test digits as 28 × 28 grey levels 0–255 (base64, one byte per pixel)."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DigitPadError(f"the samples have shape {images.shape}, not N × 28 × 28")
    if images.dtype.kind == "f" and images.max() <= 1:
        images = images * 255
    pixels = np.clip(np.floor(images.astype(np.float64) + 0.5), 0, 255).astype(np.uint8)
    labels = [None] * len(pixels) if labels is None else [int(label) for label in labels]
    if len(labels) != len(pixels):
        raise DigitPadError(f"{len(pixels)} samples but {len(labels)} labels")
    return [{"label": label, "pixels": base64.b64encode(p.tobytes()).decode("ascii")}
            for p, label in zip(pixels, labels)]


class DigitPadDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"samples": directives.unchanged, "labels": directives.unchanged}

    def run(self):
        document = self.state.document
        where = f"{self.env.docname}:{self.lineno}"
        try:
            model = pad_model(glued(document, self.arguments[0], MODEL_MIME, "a Keras model"))
            samples = []
            if "samples" in self.options:
                images = decode(glued(document, self.options["samples"], ARRAY_MIME, "a small NumPy array"))
                labels = None
                if "labels" in self.options:
                    labels = decode(glued(document, self.options["labels"], ARRAY_MIME, "a small NumPy array"))
                samples = pad_samples(images, labels)
        except DigitPadError as error:
            raise self.error(f"{where}: digit-pad: {error}")
        number = self.env.new_serialno("digit-pad") + 1
        anchor = "digit-pad" if number == 1 else f"digit-pad-{number}"
        pad_pages(self.env).setdefault(self.env.docname, {})[anchor] = {"model": model, "samples": samples}
        node = digit_pad(
            ids=[anchor],
            pad=anchor,
            reader_text=reader_text(),
        )
        self.set_source_info(node)
        # The directive's content: what the web page says about the pad ("draw a digit in
        # the black square below"). A reader notebook has no pad: it gives `reader_text`.
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def reader_text():
    """What stands for the pad where it cannot work (a reader notebook, the PDF), linked to
    the pad on the web page."""
    return str(_("Try the drawing pad on the web page of this chapter."))


def widget_words():
    """The words of the widget's HTML, in the edition's language."""
    return {
        "noscript": _("The drawing pad needs JavaScript."),
        "instructions": _("Draw a digit from 0 to 9 in the black square, with the mouse, a finger or a pen: the model answers at the end of each stroke. With the keyboard, the arrow keys move the pen and the space bar puts it down or lifts it."),
        "canvas": _("Drawing pad: draw a digit from 0 to 9"),
        "clear": _("Clear"),
        "preview": _("The 28 × 28 image that the model receives"),
        "seen": _("What the model sees"),
        "probabilities": _("Probabilities"),
        "samples": _("Test digits"),
    }


def strings():
    """The words that the pad's script writes, in the edition's language."""
    return {
        "answer": _("The model answers {digit}, with a probability of {probability}."),
        "label": _("In the test set, this digit is labelled {label}."),
        "idle": _("Draw a digit, or choose one of the test digits."),
        "sample": _("Test digit {number}, labelled {label}"),
        "sampleNoLabel": _("Test digit {number}"),
    }


def visit_digit_pad(self, node):
    """The pad's element, which holds the directive's prose (the web page's words about the
    pad); the widget follows them."""
    data = {key: str(value) for key, value in strings().items()}
    self.body.append(self.starttag(node, "div", CLASS="digit-pad", **{
        "data-pad": node["pad"], "data-page": self.builder.current_docname, "data-strings": json.dumps(data)}))


def depart_digit_pad(self, node):
    """The widget, from book/_templates/digit-pad.html, in the edition's words."""
    words = {key: str(value) for key, value in widget_words().items()}
    self.body.append(self.builder.templates.render("digit-pad.html", {"pad": node["pad"], "words": words}))
    self.body.append("</div>\n")


def skip(self, node):
    raise nodes.SkipNode


def data_script(pads):
    payload = json.dumps(pads, separators=(",", ":"), sort_keys=True)
    return (
        "// The drawing pad's model and test digits for this page (book/_ext/digit_pad.py),\n"
        "// from this build's run of the page.\n"
        f"Object.assign((window.{GLOBAL} = window.{GLOBAL} || {{}}), {payload});\n"
    )


def write_data_files(app, builder):
    """Each page's data, written by every HTML build (before the pages, which name it)."""
    if builder.format != "html":
        return
    folder = Path(builder.outdir) / "_static" / STATIC_FOLDER
    wanted = {folder / f"{docname}.js": pads for docname, pads in pad_pages(app.env).items()}
    for stale in folder.rglob("*.js") if folder.is_dir() else []:
        if stale not in wanted:
            stale.unlink()
    for path, pads in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = data_script(pads)
        if not path.is_file() or path.read_text(encoding="utf8") != text:
            path.write_text(text, encoding="utf8")


def pages_missing_their_data(app, env, added, changed, removed):
    """Re-read a page whose data file has gone from the output (Sphinx writes nothing when
    no page is out of date). The file is in the edition's `_static/`, or in the one that
    the editions share, where shared_static.py moves it at the end of each build."""
    if app.builder.format != "html":
        return []
    outdir = Path(app.builder.outdir)
    folders = [outdir / "_static" / STATIC_FOLDER, outdir.parent / "_static" / STATIC_FOLDER]
    return [docname for docname in pad_pages(env) if docname not in removed
            and not any((folder / f"{docname}.js").is_file() for folder in folders)]


def add_assets(app, pagename, templatename, context, doctree):
    """The pad's script and style, on the pages that have one (as the environment knows
    them: the directive records its page, purge and merge keep the record in step)."""
    if pagename not in pad_pages(app.env):
        return
    app.add_css_file("digit-pad.css")
    # digit-pad.js loads the page's data file, from its own folder, when the pad nears view.
    app.add_js_file("digit-pad.js", loading_method="defer")


def setup(app):
    app.add_node(
        digit_pad,
        html=(visit_digit_pad, depart_digit_pad),
        latex=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None),
    )
    app.add_directive("digit-pad", DigitPadDirective)
    app.connect("env-get-outdated", pages_missing_their_data)
    app.connect("write-started", write_data_files)
    app.connect("html-page-context", add_assets)
    app.add_domain(DigitPadDomain)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
