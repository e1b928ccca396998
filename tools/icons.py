"""Write book/_static/icons.css: the few Font Awesome icons the site shows, as CSS.

    .venv/bin/python -m tools.icons

The theme draws its icons with Font Awesome's script (1.5 MB, 70% of what a first visit
downloaded) or, without it, with its web fonts (270 kB). The site shows about twenty icons:
this takes their outlines from the installed theme's copy of Font Awesome and writes each
as a CSS mask in the text's colour, so that they follow light and dark mode. Run it again
after upgrading the theme or using a new icon (tests/test_html.py names any icon of the
site that icons.css lacks). Font Awesome Free's icons are under CC BY 4.0.
"""

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pydata_sphinx_theme

from tools.book_sources import BOOK

OUT = BOOK / "_static" / "icons.css"
FONT_AWESOME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"
# The icons of the site, by the pack that holds them: solid ("fas") or brands ("fab").
ICONS = {
    "fas": ["angle-left", "angle-right", "arrow-up", "bars", "circle-half-stroke", "code",
            "download", "expand", "file", "file-pdf", "language", "lightbulb", "list",
            "magnifying-glass", "moon", "outdent", "pencil", "rocket", "sun", "xmark"],
    "fab": ["github"],
}
# What the themes draw in CSS with Font Awesome's font (an admonition's icon, a link's
# mark): the selector of the pseudo-element, its icon, the variable that carries it.
PSEUDO = [
    (".admonition > .admonition-title::after, div.admonition > .admonition-title::after", "--book-admonition-icon"),
    (".bd-sidebar-secondary .onthispage::after", "--book-onthispage-icon"),
    ("nav.bd-links li > a.reference.external::after, .nav-link.nav-external::after", "--book-external-icon"),
]
# The icon of each kind of admonition, as pydata-sphinx-theme picks it.
ADMONITIONS = {
    "": "bell", "note": "circle-info", "hint": "lightbulb", "tip": "lightbulb",
    "attention": "circle-exclamation", "important": "circle-exclamation",
    "caution": "triangle-exclamation", "warning": "triangle-exclamation",
    "danger": "triangle-exclamation", "error": "circle-xmark", "seealso": "share", "todo": "pencil",
}
VARIABLES = {"--book-onthispage-icon": "angle-down", "--book-external-icon": "up-right-from-square"}
# What a data URL may keep as it is, in a double-quoted CSS url().
SAFE = " '/=:;.,-"
HEADER = """\
/* The site's icons (tools/icons.py writes this file; do not edit it by hand).
 * Icons: Font Awesome Free by Fonticons, Inc., https://fontawesome.com, CC BY 4.0
 * (https://creativecommons.org/licenses/by/4.0/), unchanged outlines.
 * Each icon is a mask painted in the text's colour: no script and no web font. */
:is(.fa-solid, .fas, .fa-brands, .fab, .fa-regular, .far) {
  font-family: inherit !important;
}
:is(.fa-solid, .fas, .fa-brands, .fab, .fa-regular, .far)::before {
  content: "" !important;
  display: inline-block;
  width: 1.15em;
  height: 1em;
  vertical-align: -0.125em;
  background-color: currentColor;
  -webkit-mask: var(--book-icon) center / contain no-repeat;
  mask: var(--book-icon) center / contain no-repeat;
}
"""


def packs(source):
    """{pack: text of its icon definitions}: each pack's definitions end where the script
    registers them, `("fab", ...`, `("far", ...`, `("fas", ...`."""
    found, start = {}, 0
    for call in re.finditer(r'\(\s*"(fa[srb])"\s*,', source):
        found.setdefault(call.group(1), source[start:call.start()])
        start = call.end()
    return found


def outline(definitions, name):
    """(width, height, SVG path, aliases) of one icon in a pack's definitions."""
    match = re.search(r'(?<![\w-])"?%s"?:\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+","([^"]+)"\]' % re.escape(name),
                      definitions)
    if match is None:
        raise SystemExit(f"{FONT_AWESOME} has no icon {name!r}")
    width, height, aliases, path = match.groups()
    return int(width), int(height), re.findall(r'"([\w-]+)"', aliases), path


def mask(source, pack, name):
    """The CSS url() of one icon, and its aliases."""
    width, height, aliases, path = outline(source[pack], name)
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return f'url("data:image/svg+xml,{quote(svg, safe=SAFE)}")', aliases


def css():
    source = packs(FONT_AWESOME.read_text(encoding="utf8"))
    rules = [HEADER]
    for pack, names in ICONS.items():
        for name in names:
            url, aliases = mask(source, pack, name)
            selectors = ", ".join(f".fa-{n}" for n in [name, *aliases])
            rules.append(f"{selectors} {{ --book-icon: {url}; }}\n")
    for selector, variable in PSEUDO:
        rules.append(f"{selector} {{\n  font: inherit !important;\n  content: \"\" !important;\n"
                     f"  width: 1em;\n  height: 1em;\n  background-color: currentColor;\n"
                     f"  -webkit-mask: var({variable}) center / contain no-repeat;\n"
                     f"  mask: var({variable}) center / contain no-repeat;\n}}\n")
    for kind, name in ADMONITIONS.items():
        selector = f".admonition.{kind}" if kind else ".admonition"
        rules.append(f"{selector} {{ --book-admonition-icon: {mask(source, 'fas', name)[0]}; }}\n")
    for variable, name in VARIABLES.items():
        rules.append(f":root {{ {variable}: {mask(source, 'fas', name)[0]}; }}\n")
    return "".join(rules)


def main():
    OUT.write_text(css(), encoding="utf8")
    print(f"Wrote {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
