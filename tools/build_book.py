"""Build the book's HTML: one strict Sphinx build per language, then the root page.

    python tools/build_book.py [--root DIR]

Each language in `_config.yml`'s `languages:` gets its own Sphinx build of `book/<code>/`
into `_build/html/<code>/`, with that block's settings (`language` among them) passed to
Sphinx as overrides, so that Sphinx and the theme load their translations in that language.
Both builds share the jupyter-cache in `_build/.jupyter_cache`: the pages' code cells are
identical in every language, so each page runs once. A failing cell, a warning or a broken
reference fails the build (exit 1) and Sphinx's message names the page.
"""

import argparse
import hashlib
import html
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from kernel_environment import kernel_environment

TOOLS = Path(__file__).resolve().parent


def tooling_digest(root):
    """A digest of what shapes every page besides its source: our extensions, kernel
    start-up files, templates, static files and translations. Sphinx rewrites every page
    when it changes."""
    files = [*(root / "book").glob("_*/**/*")]
    digest = hashlib.sha256()
    for path in sorted(f for f in files if f.is_file() and f.suffix != ".mo"):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def read_config(root):
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf8"))


def build_language(root, code, config):
    from jupyter_book.sphinx import build_sphinx

    out = root / "_build" / "html" / code
    ok = root / "_build" / "doctrees" / f"{code}.ok"
    # Sphinx reports warnings only for the pages it re-reads: after a failed build, re-read
    # everything (the execution cache keeps that cheap) so the failure cannot hide.
    fresh = not ok.exists()
    ok.unlink(missing_ok=True)
    status = build_sphinx(
        root / "book" / code,
        out,
        path_config=root / "_config.yml",
        noconfig=True,
        doctreedir=root / "_build" / "doctrees" / code,
        confoverrides={
            **{key: value for key, value in config["languages"][code].items() if key != "label"},
            "html_baseurl": config["html"]["baseurl"] + f"{code}/",
            "external_toc_path": str(root / "_toc.yml"),
            "nitpicky": True,
            "book_languages": {c: block["label"] for c, block in config["languages"].items()},
            "book_tooling_digest": tooling_digest(root),
            "latex_individualpages": False,
        },
        freshenv=fresh,
        warningiserror=True,
        keep_going=True,
    )
    if status != 0:
        print(f"\nThe {code!r} edition failed to build: see the messages above.", file=sys.stderr)
        return False
    ok.touch()
    return True


ROOT_PAGE = """<!DOCTYPE html>
<html lang="{first}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<script>
  // Send the visitor to the edition in their browser's language, or to the first one.
  const editions = {codes};
  const wanted = (navigator.languages || [navigator.language || ""])
    .map((tag) => tag.slice(0, 2).toLowerCase());
  const code = wanted.find((c) => editions.includes(c)) || editions[0];
  location.replace(code + "/index.html");
</script>
</head>
<body>
<main>
<h1>{heading}</h1>
<ul>
{links}
</ul>
</main>
</body>
</html>
"""


def write_root_page(root, langs):
    links = "\n".join(
        f'<li><a href="{code}/index.html" hreflang="{code}" lang="{code}">'
        f'{html.escape(block["html_title"])} ({html.escape(block["label"])})</a></li>'
        for code, block in langs.items()
    )
    page = ROOT_PAGE.format(
        first=next(iter(langs)),
        title=" / ".join(html.escape(b["html_title"]) for b in langs.values()),
        heading=" / ".join(
            f'<span lang="{code}">{html.escape(b["html_title"])}</span>' for code, b in langs.items()
        ),
        codes=json.dumps(list(langs)),
        links=links,
    )
    (root / "_build" / "html" / "index.html").write_text(page, encoding="utf8")


def write_sitemap(root, langs, baseurl):
    """sitemap.xml: every page of every edition, each with its translations."""
    html_dir = root / "_build" / "html"
    names = sorted(p.stem for p in (root / "book" / next(iter(langs))).glob("*.md"))
    entries = []
    for name in names:
        links = [f'<xhtml:link rel="alternate" hreflang="{code}" href="{baseurl}{code}/{name}.html"/>'
                 for code in langs]
        entries += [f"<url><loc>{baseurl}{code}/{name}.html</loc>{''.join(links)}</url>" for code in langs]
    (html_dir / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n",
        encoding="utf8",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=TOOLS.parent, help="the book's folder")
    parser.add_argument("--language", help="build only this edition (no root page)")
    args = parser.parse_args()
    root = args.root.resolve()
    os.chdir(root)  # _config.yml's relative paths (the execution cache) start here
    config = read_config(root)
    langs = config["languages"]
    if args.language:
        kernel_environment(root)
        return 0 if build_language(root, args.language, config) else 1
    # One process per edition: Sphinx keeps the translations it loaded in global state,
    # so a second build in the same process would speak the first one's language.
    # In order, not at once: the first executes the pages, the others reuse its cache.
    failed = [
        code for code in langs
        if subprocess.run([sys.executable, __file__, "--root", str(root), "--language", code]).returncode
    ]
    if failed:
        print(f"\nFailed: the {', '.join(failed)} edition(s); see the messages above.", file=sys.stderr)
        return 1
    write_root_page(root, langs)
    write_sitemap(root, langs, config["html"]["baseurl"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
