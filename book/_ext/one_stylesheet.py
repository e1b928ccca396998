"""Sphinx extension: one stylesheet for every page, where the themes and extensions link a dozen.

Sphinx, the two themes, MyST-NB and each extension link a stylesheet of their own, and the
theme's first one imports Sphinx's `basic.css`: a page waited for thirteen files, on a
phone's slow network, before it showed a line. Here every page links one file instead,
`_static/styles/book-<digest>.css`: the same stylesheets in the same order (so the same
cascade), the `@import` in place, each `url()` pointing from the new folder to the same
file, source-map comments, other comments and needless spaces left out, and a comment
naming each part. Every page links the same file, so the browser's cache keeps it from page
to page and, as book/_ext/shared_static.py shares `_static/`, from edition to edition; a
page's own stylesheet (the drawing pad's, on its pages) stays a link of its own. The
theme's two stylesheets, which its `head_pre_assets` macro would link (our
book/_templates/static/webpack-macros.html leaves it empty), open the file.

Some extensions (MyST-NB, sphinx-exercise) copy their stylesheets only when the build
finishes, after the pages are written: the pages name the file by a digest of what makes
its parts (name()), and it is written when the build finishes.
"""

import hashlib
import importlib.metadata
import posixpath
import re
from pathlib import Path

# pydata-sphinx-theme's stylesheets (its webpack-macros.html links them before the others).
THEME = ["_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css"]
FOLDER = "_static/styles"
IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s]+)["']?\s*\)?\s*;""")
URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
# Strings first, so that what looks like a comment or spaces inside a string stays.
SPACES = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|\s*([{}])\s*|(?<!:)\s*(;)\s*""")
TOKENS = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|(/\*.*?\*/)|(\s+)""", re.DOTALL)


def local(filename):
    return "://" not in filename and not filename.startswith("//")


def rebased(css, source):
    """The stylesheet `css` of the static file `source`, its relative urls made relative to
    FOLDER."""
    def rebase(match):
        quote, target = match.groups()
        if target.startswith(("data:", "#", "/")) or "://" in target:
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        return f"url({quote}{posixpath.relpath(path, FOLDER)}{quote})"
    return URL.sub(rebase, css)


def inlined(outdir, source):
    """The text of a static file, its `@import`s replaced by the imported files."""
    css = (Path(outdir) / source).read_text(encoding="utf8")
    css = re.sub(r'@charset\s+"[^"]*"\s*;', "", css)

    def imported(match):
        return inlined(outdir, posixpath.normpath(posixpath.join(posixpath.dirname(source), match.group(1))))
    return rebased(IMPORT.sub(imported, css), source)


def minified(css):
    """Comments (licences `/*! */` kept) and needless spaces out; strings untouched."""
    def token(match):
        string, comment, space = match.groups()
        if string:
            return string
        if comment:
            return comment + "\n" if comment.startswith("/*!") else ""
        return " "
    css = TOKENS.sub(token, css)
    # Around braces and semicolons a space does not matter (outside strings, kept above),
    # but for one: a custom property whose value is a space (`--light: ;`, which MyST-NB's
    # colours switch on) is not one whose value is empty.
    return SPACES.sub(lambda m: m.group(1) or m.group(2) or m.group(3), css).strip()


def part(outdir, source):
    """One file's part of the joined stylesheet, under a comment that names it."""
    return f"/* {source} */\n{minified(inlined(outdir, source))}\n"


def name(app, sources):
    """The joined file's name: a digest of what makes its parts, which are not all there yet:
    the list of files, the installed packages (which provide them, Sphinx's basic.css and
    Pygments' styles included), the book's own files (book/_*: its stylesheets) and the
    Pygments styles that pygments.css is made of."""
    digest = hashlib.sha256("\n".join(sources).encode())
    for package in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(package.encode() + b"\0")
    for setting in ("book_tooling_digest", "pygments_style", "pygments_dark_style"):
        digest.update(str(getattr(app.config, setting, "")).encode() + b"\0")
    return f"{FOLDER}/book-{digest.hexdigest()[:16]}.css"


def one_stylesheet(app, pagename, templatename, context, doctree):
    css_files = context.get("css_files", [])
    # The stylesheets of every page: Sphinx keeps them aside while it adds a page's own (the
    # drawing pad's, on its pages), which stay links of their own: one file for every page
    # is one download for the whole site.
    every_page = getattr(app.builder, "_orig_css_files", css_files)
    joined = [c for c in css_files if local(str(c.filename)) and c in every_page]
    if not joined:
        return
    sources = tuple(THEME + [str(c.filename).split("?")[0] for c in joined])
    files = app.builder.__dict__.setdefault("book_stylesheets", {})  # {sources: file name}
    if sources not in files:
        files[sources] = name(app, sources)
    stylesheet = type(joined[0])(files[sources], priority=joined[0].priority, rel="stylesheet", type="text/css")
    context["css_files"] = [c for c in css_files if c not in joined] + [stylesheet]


def write_stylesheets(app, exception):
    """Write each joined stylesheet that the pages link, now that every part is there."""
    if exception is not None or app.builder.format != "html":
        return
    files = app.builder.__dict__.get("book_stylesheets", {})
    for sources, filename in files.items():
        text = '@charset "UTF-8";\n' + "".join(part(app.outdir, s) for s in sources)
        path = Path(app.outdir) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf8")
    # Those of earlier builds, in the folder that shared_static.py fills, go.
    current = {Path(filename).name for filename in files.values()}
    for old in (Path(app.outdir).parent / FOLDER).glob("book-*.css") if current else []:
        if old.name not in current:
            old.unlink()


def setup(app):
    # After lighter_pages.py (920), which leaves out the styles no page uses; before
    # shared_static.py (950), which points the links to the shared _static/.
    app.connect("html-page-context", one_stylesheet, priority=930)
    # After the extensions that copy their stylesheets then (500); before shared_static.py
    # moves the static files to the shared folder (950).
    app.connect("build-finished", write_stylesheets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
