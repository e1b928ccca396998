"""Sphinx extension: a page that is no longer built leaves the site.

Sphinx writes the pages it builds and never removes one (sphinx-doc/sphinx#5908): a page
taken out of `_toc.yml` or deleted kept its HTML and its source under `_sources/` in the
site, reachable by its old address and by search engines, in the published site too. After
every HTML build, the pages and sources that no document of this build accounts for go.
"""

from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)
# Pages that Sphinx's HTML builder makes without a document.
GENERATED = {"genindex", "search", "py-modindex"}
# Folders of the site that hold no page of ours.
NOT_PAGES = {"_static", "_images", "_sources", "_notebooks", "_downloads", "reports"}


def remove_stale_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    keep = set(app.env.found_docs) | GENERATED | set(app.config.html_additional_pages)
    stale = [page for page in out.rglob("*.html")
             if not NOT_PAGES & set(page.relative_to(out).parts)
             and page.relative_to(out).with_suffix("").as_posix() not in keep]
    sources = out / "_sources"
    stale += [source for source in (sources.rglob("*") if sources.is_dir() else [])
              if source.is_file() and source.relative_to(sources).as_posix().split(".")[0] not in keep]
    for path in stale:
        path.unlink()
    if stale:
        logger.info(f"removed from the site, no longer built: {', '.join(str(p.relative_to(out)) for p in stale)}")


def setup(app):
    app.connect("build-finished", remove_stale_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
