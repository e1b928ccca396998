"""Build one edition of the book with Sphinx, strictly: the work of one process.

    python -m tools.build_edition CODE [--root DIR] [--skip PAGE ...]

`tools.build_book` runs one such process per edition (Sphinx keeps the translations it
loaded in global state, so two editions cannot share a process) after preparing the
environment that the kernels inherit. The edition `CODE` of `_config.yml`'s `languages:` is
built from `book/CODE/` into `_build/html/CODE/`, with its block passed to Sphinx as
overrides. Pages named with --skip are not executed: their code failed in another edition.
A failing cell, a warning or a broken reference fails the build (exit 1), naming the page.
"""

import argparse
import hashlib
import importlib.metadata
import sys
from pathlib import Path

from tools.book_sources import ROOT, pdf_name, read_config

# Extensions that Jupyter Book loads in every book and that no page of ours uses, each of
# which would put its script, style or settings on every page: sphinx-thebe runs a page's
# code live on Binder (the Colab and Binder buttons open the reader notebooks instead).
UNUSED_EXTENSIONS = {"sphinx_thebe"}

def installed_digest():
    """A digest of every installed distribution and its version: outputs come from these."""
    installed = sorted(f"{d.metadata['Name']}=={d.version}".lower() for d in importlib.metadata.distributions())
    return hashlib.sha256("\n".join(installed).encode()).hexdigest()[:16]


def tooling_digest(root):
    """A digest of what shapes every page besides its source (extensions, kernel start-up,
    templates, static files, translations): Sphinx rewrites every page when it changes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in (root / "book").glob("_*/**/*") if p.is_file() and p.suffix != ".mo"):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def outputs(root, code):
    """What an edition's build writes: its site, its executed notebooks, its reader notebooks."""
    return [root / "_build" / folder / code for folder in ("html", "jupyter_execute", "notebooks")]


def failed_pages(root, code):
    """The pages whose code failed in an edition's last build (MyST-NB reports their tracebacks)."""
    return sorted(p.name.removesuffix(".err.log") for p in (outputs(root, code)[0] / "reports").glob("*.err.log"))


def extensions(root, code):
    """The Sphinx extensions that Jupyter Book would load for `_config.yml`, less UNUSED_EXTENSIONS."""
    from jupyter_book.config import get_final_config

    loaded = get_final_config(user_yaml=root / "_config.yml", cli_config={"latex_individualpages": False},
                              sourcedir=root / "book" / code)[0]["extensions"]
    return [name for name in loaded if name not in UNUSED_EXTENSIONS]


def overrides(root, code, config, skipped):
    """Sphinx settings of this edition: its `languages:` block, its URLs, the shared cache,
    the build folder, the extensions."""
    site, languages = config["html"]["baseurl"], config["languages"]
    edition = {key: value for key, value in languages[code].items() if key != "label"}
    return {
        **edition, "extensions": extensions(root, code),
        "html_baseurl": f"{site}{code}/", "site_url": site, "sitemap_locales": list(languages),
        "ogp_site_url": f"{site}{code}/", "ogp_site_name": edition["html_title"],
        "ogp_custom_meta_tags": [f'<meta property="og:locale" content="{code}">'],
        "nb_execution_cache_path": str(root / config["execute"]["cache"] / installed_digest()),
        "nb_execution_excludepatterns": [f"{page}.md" for page in skipped],
        "external_toc_path": str(root / "_toc.yml"), "nitpicky": True, "latex_individualpages": False,
        "book_languages": {c: block["label"] for c, block in languages.items()},
        "book_skipped_pages": list(skipped), "book_tooling_digest": tooling_digest(root),
        "book_build_folder": str(root / "_build"), "book_pdf_path": f"pdf/{pdf_name(code, root)}",
    }


def manifest_of(root, code):
    """The list of what an edition's last good build wrote: while it stands complete, the
    next build may be incremental."""
    return root / "_build" / "doctrees" / code / "outputs.txt"


def read_every_page_again(root):
    """Make the next build of every edition read all its pages (their outputs come from the
    execution cache, or run again where the cache has none)."""
    for path in (root / "_build" / "doctrees").glob("*/outputs.txt"):
        path.unlink()


def build_edition(root, code, skipped=()):
    """Build one edition; True if it built without a warning."""
    from jupyter_book.sphinx import build_sphinx

    site = outputs(root, code)[0]
    manifest = manifest_of(root, code)
    # After a failed build, or when a user removed some output, read every page again (the
    # execution cache keeps that cheap): a warning cannot hide in an incremental build.
    fresh = not (manifest.is_file() and all(Path(f).exists() for f in manifest.read_text().splitlines()))
    manifest.unlink(missing_ok=True)
    for report in (site / "reports").glob("*"):
        report.unlink()
    status = build_sphinx(
        root / "book" / code, site, path_config=root / "_config.yml", noconfig=True,
        doctreedir=manifest.parent, freshenv=fresh, warningiserror=True, keep_going=True,
        confoverrides=overrides(root, code, read_config(root), skipped),
    )
    if status == 0:
        manifest.write_text("\n".join(str(f) for out in outputs(root, code) for f in out.rglob("*")))
    return status == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("language")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--skip", nargs="*", default=[], help="pages not to execute")
    args = parser.parse_args()
    return 0 if build_edition(args.root.resolve(), args.language, args.skip) else 1


if __name__ == "__main__":
    sys.exit(main())
