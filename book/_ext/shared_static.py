"""Sphinx extension: one `_static/` for every edition, so that the browser's cache serves a
language switch.

Each edition is built into `_build/html/<language>/`, and Sphinx writes its theme, scripts
and styles into that edition's `_static/`: the same files at two addresses, so a reader who
switched language downloaded everything again. Here the pages of every edition point to
one folder beside the editions, `_build/html/_static/`, and each edition's build moves its
static files there when it finishes. Only the files that differ by language stay in the
edition's own `_static/` (PER_EDITION: the language of the search and its word stemmer).

The pages' links are made by Sphinx's `pathto`, `css_tag` and `js_tag` and by the theme's
templates, all through the page's context: they are wrapped, for this page, so that a
static file's link climbs one folder more (`_static/x` becomes `../_static/x`). Links stay
relative, so the site works from any address and from `file://`.
"""

from pathlib import Path

# What Sphinx writes per language: the search's settings, its stemmer, the translations of
# its scripts.
PER_EDITION = {"documentation_options.js", "language_data.js", "base-stemmer.js", "translations.js"}


def is_shared(uri):
    return uri.startswith("_static/") and Path(uri.split("?")[0]).name not in PER_EDITION


def point_to_the_shared_folder(app, pagename, templatename, context, doctree):
    pathto = context["pathto"]
    own = pathto("_static/", 1)  # this page's way to its edition's _static/
    shared = "../" + own

    def shared_pathto(otheruri, resource=False, *args, **kwargs):
        uri = pathto(otheruri, resource, *args, **kwargs)
        return "../" + uri if resource and is_shared(otheruri) else uri

    def retarget(make_tag, attribute):
        def tag(asset):
            html = make_tag(asset)
            filename = str(getattr(asset, "filename", asset) or "")
            if is_shared("_static/" + filename.removeprefix("_static/")) and "://" not in filename:
                html = html.replace(f'{attribute}="{own}', f'{attribute}="{shared}', 1)
            return html
        return tag

    context["pathto"] = shared_pathto
    context["css_tag"] = retarget(context["css_tag"], "href")
    context["js_tag"] = retarget(context["js_tag"], "src")
    for key in ("favicon_url", "logo_url"):
        if (context.get(key) or "").startswith(own) and is_shared("_static/" + context[key][len(own):]):
            context[key] = "../" + context[key]


def move_static_files(app, exception):
    """The edition's static files go to the shared folder (the last edition built wins:
    they are the same in every edition); the edition keeps PER_EDITION."""
    if exception is not None or app.builder.format != "html":
        return
    own = Path(app.outdir) / "_static"
    shared = Path(app.outdir).parent / "_static"
    for path in sorted(own.rglob("*"), reverse=True):
        if path.is_file() and path.name not in PER_EDITION:
            target = shared / path.relative_to(own)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def setup(app):
    # Last, after every handler that adds a script or a style to the page.
    app.connect("html-page-context", point_to_the_shared_folder, priority=950)
    # Last, after every other extension has written its files into _static/.
    app.connect("build-finished", move_static_files, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
