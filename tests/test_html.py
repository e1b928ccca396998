"""The built site: languages, links between editions, figures, outputs, quoted numbers."""

import copy
import re

import pytest

from book._ext.typography import mistakes, typeset_glued
from tests.book import CONFIG, HTML, LANGUAGES, ROOT, SITE, glue_data, number_style, pages, pages_with_code, source, words

EVERY_PAGE = [(lang, page) for lang in LANGUAGES for page in pages(lang)]

# Strings of the theme that must appear in each edition's own language: (English, catalog).
UI = [("Back to top", "sphinx"), ("Print to PDF", "booktheme"), ("Skip to main content", "sphinx")]
# English strings of the theme and MyST-NB that must not show in another edition.
ENGLISH_ONLY = ["Show code cell", "Launch on", "Suggest edit", "Search this book", "Open issue",
                "Link to this heading", "Toggle primary sidebar", "Toggle secondary sidebar"]

GLUE_TEXT = re.compile(r"\{glue:text\}`([A-Za-z_][A-Za-z0-9_]*)(?::([^`]*))?`")


def test_root_page_offers_every_edition():
    root = (HTML / "index.html").read_text(encoding="utf8")
    assert "navigator.languages" in root
    for lang in LANGUAGES:
        assert f'href="{lang}/index.html"' in root
        assert (HTML / lang / "index.html").is_file()


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_page_declares_its_language(lang, page, html):
    assert html(lang, page).html["lang"] == lang


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_language_switch_reaches_the_same_page(lang, page, html):
    links = html(lang, page).select("a.language-switch")
    assert sorted(link["hreflang"] for link in links) == sorted(set(LANGUAGES) - {lang})
    for link in links:
        target = (HTML / lang / link["href"]).resolve()
        assert target == (HTML / link["hreflang"] / f"{page}.html").resolve(), link["href"]
        assert target.is_file(), f"{lang}/{page}: {link['href']} does not exist"


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_head_names_translations_and_describes_the_page(lang, page, html):
    head = html(lang, page).head
    alternates = {link["hreflang"]: link["href"] for link in head.select('link[rel="alternate"][hreflang]')}
    assert alternates == {other: f"{SITE}{other}/{page}.html" for other in LANGUAGES if other != lang}
    og = {meta["property"]: meta["content"] for meta in head.select('meta[property^="og:"]')}
    assert og["og:title"] == head.title.get_text().split(" — ")[0].strip()
    assert og["og:url"] == f"{SITE}{lang}/{page}.html" and og["og:locale"] == lang
    assert og["og:description"], f"{lang}/{page}: empty og:description"
    assert head.select_one('link[rel="canonical"]')["href"] == og["og:url"]


def test_sitemaps_list_every_page_with_its_translations():
    """The root sitemap indexes one sitemap per edition (sphinx-sitemap's); each lists its
    pages, each page with its translations."""
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    index = ElementTree.parse(HTML / "sitemap.xml").getroot()
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", ns)] == [f"{SITE}{lang}/sitemap.xml" for lang in LANGUAGES]
    for lang in LANGUAGES:
        urls = ElementTree.parse(HTML / lang / "sitemap.xml").getroot().findall("s:url", ns)
        listed = {url.find("s:loc", ns).text: url for url in urls}
        assert sorted(listed) == sorted(f"{SITE}{lang}/{page}.html" for page in pages(lang))
        for page in pages(lang):
            alternates = {link.get("hreflang"): link.get("href")
                          for link in listed[f"{SITE}{lang}/{page}.html"].findall("x:link", ns)}
            assert alternates == {other: f"{SITE}{other}/{page}.html" for other in LANGUAGES}


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_theme_speaks_the_page_language(lang, page, html):
    text = str(html(lang, page))
    expected = [words(lang, msgid, domain) for msgid, domain in UI]
    expected.append(CONFIG["languages"][lang]["html_theme_options"]["search_bar_text"].rstrip("…"))
    missing = [s for s in expected if s not in text]
    assert not missing, f"{lang}/{page} lacks {missing}"
    foreign = [s for s in ENGLISH_ONLY if s in text] if lang != "en" else []
    assert not foreign, f"{lang}/{page} shows {foreign}"


def test_every_icon_of_the_site_is_drawn():
    """The site loads no Font Awesome (book/_static/icons.css draws the icons): every icon
    class that a page or the theme's script uses needs its rule there (tools/icons.py)."""
    icons = (ROOT / "book" / "_static" / "icons.css").read_text(encoding="utf8")
    drawn = set(re.findall(r"\.(fa-[a-z0-9-]+)\b", icons))
    used = set()
    scripts = [HTML / "_static" / "scripts" / name for name in ("pydata-sphinx-theme.js", "sphinx-book-theme.js")]
    for path in [*HTML.glob("*/*.html"), *scripts]:
        used |= set(re.findall(r"\b(fa-[a-z0-9-]+)", path.read_text(encoding="utf8")))
    sizes_and_kinds = {"fa-lg", "fa-solid", "fa-brands", "fa-regular", "fa-fw", "fa-font-solid", "fa-font-brands"}
    missing = sorted(name for name in used - sizes_and_kinds - drawn if not name.startswith("fa-font"))
    assert not missing, f"icons without a rule in book/_static/icons.css (run python -m tools.icons): {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_index_uses_the_edition_language(lang):
    from sphinx.search import languages as search_languages
    from sphinx.util import import_object

    options = (HTML / lang / "_static" / "documentation_options.js").read_text(encoding="utf8")
    assert f"LANGUAGE: '{lang}'" in options
    stemmer = (HTML / lang / "_static" / "language_data.js").read_text(encoding="utf8")
    language = search_languages[lang]
    language = import_object(language) if isinstance(language, str) else language
    expected = (f"Stemmer = {language.language_name}Stemmer;" if language.js_stemmer_rawcode
                else language.js_stemmer_code.strip()[:200])
    assert expected in stemmer, f"{lang}: the search does not stem words in {language.language_name}"


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_no_junk_in_rendered_outputs(lang, page, html):
    for output in html(lang, page).select("div.cell_output"):
        text = output.get_text()
        assert not re.search(r" at 0x[0-9a-f]{6,}|[\b\r]|oneDNN|absl::|cuda", text), (
            f"{lang}/{page}: junk in an output: {text[:300]!r}"
        )


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_figures_have_alt_text_and_an_image(lang, page, html):
    for figure in html(lang, page).select("figure"):
        for img in figure.select("img"):
            alt = img.get("alt", "")
            assert alt and not re.search(r"\.(png|svg|jpe?g)$", alt), f"{lang}/{page}: alt {alt!r}"
            assert (HTML / lang / img["src"]).is_file(), f"{lang}/{page}: missing {img['src']}"
        assert figure.select_one("figcaption"), f"{lang}/{page}: a figure without caption"


GLUED_FIGURE = re.compile(r"^[`:]{3,}\{glue:figure\}\s+(\w+)\s*\n(?::[\w-]+:.*\n)*?:name:\s*(\S+)", re.M)


@pytest.mark.parametrize("lang, page", [(lang, page) for lang in LANGUAGES for page in pages_with_code()])
def test_every_glued_figure_shows_the_runs_picture(lang, page, html, run):
    """Each `{glue:figure}` of the source is a figure of the page, with the image the run
    drew (the glued value is a picture) at its `:name:`."""
    figures = GLUED_FIGURE.findall(source(lang, page))
    run(page)  # the page's executed notebook, or a failure saying to build first
    glued = {name for name, data in glue_data(lang, page).items() if any(k.startswith("image/") for k in data["data"])}
    soup = html(lang, page)
    for key, name in figures:
        assert key in glued, f"{lang}/{page}: {key!r} is not a glued picture"
        image = soup.select_one(f"figure#{name} img")
        assert image and (HTML / lang / image["src"]).is_file(), f"{lang}/{page}: figure {name} shows no picture"


@pytest.mark.parametrize("lang, page", [(lang, page) for lang in LANGUAGES for page in pages_with_code()])
def test_prose_quotes_the_executed_numbers(lang, page, html, run):
    """Each {glue:text} of the source shows, in the page, the value the run produced,
    typeset the way the edition's language writes numbers."""
    values = run(page).glue
    text = html(lang, page).get_text()
    for name, spec in GLUE_TEXT.findall(source(lang, page)):
        value = values[name] if name in values else pytest.fail(f"{page}: {name} not glued")
        expected = typeset_glued(format(value, spec) if spec else str(value), number_style(lang))
        assert expected in text, f"{lang}/{page}: the prose should quote {name} as {expected!r}"


@pytest.mark.parametrize("lang, page", EVERY_PAGE)
def test_numbers_follow_the_edition_typography(lang, page, html):
    """The prose as readers see it, glued numbers included (code and outputs aside)."""
    article = copy.copy(html(lang, page).select_one("article"))  # the shared tree stays whole
    for hidden in article.select("pre, code, script, style, .cell_output, .cell_input, .math"):
        hidden.decompose()
    text = article.get_text()
    for pattern, problem in mistakes(number_style(lang), rendered=True):
        match = pattern.search(text)
        assert not match, f"{lang}/{page}: {problem}: …{text[max(0, match.start() - 60):match.end() + 20]!r}"


# --- One stylesheet (book/_ext/one_stylesheet.py) -----------------------------------------

STYLESHEET = re.compile(r"(?:\.\./)+_static/styles/book-[0-9a-f]{16}\.css$")


def stylesheets(html, lang, page):
    return [link["href"] for link in html(lang, page).head.select('link[rel="stylesheet"]')]


def test_every_page_links_the_same_one_stylesheet_and_nothing_of_thebe(html):
    """A phone waits for every stylesheet of the head before it paints: every page links one
    file, the same (the browser's cache keeps it), and only the drawing pad's pages their
    own; sphinx-thebe (live code, which no page uses) puts nothing on a page."""
    shared = set()
    for lang, page in EVERY_PAGE:
        links = stylesheets(html, lang, page)
        ours = [href for href in links if STYLESHEET.match(href)]
        assert len(ours) == 1, f"{lang}/{page}: {links}"
        assert all(href.split("?")[0].endswith("/_static/digit-pad.css") for href in links if href not in ours), links
        shared.add(ours[0].rsplit("/", 1)[1])
        assert "thebe" not in str(html(lang, page)), f"{lang}/{page} loads sphinx-thebe"
    assert len(shared) == 1, f"the pages link different stylesheets: {shared}"


def test_the_one_stylesheet_holds_each_part_unchanged_and_its_links_resolve(html):
    """Each part is its file's rules, minified (the files stay in _static/ beside it), in
    the theme's order; no @import is left and every url() finds its file."""
    from book._ext.one_stylesheet import THEME, URL, inlined, minified

    lang, page = EVERY_PAGE[0]
    href = next(h for h in stylesheets(html, lang, page) if STYLESHEET.match(h))
    path = (HTML / lang / href).resolve()
    text = path.read_text(encoding="utf8")
    parts = re.findall(r"^/\* (_static/\S+\.css) \*/\n(.*?)\n(?=/\* _static/|\Z)", text, flags=re.M | re.S)
    sources = [source for source, _ in parts]
    assert sources[:2] == THEME and "_static/basic.css" not in sources, sources
    expected = {"_static/icons.css", "_static/book.css", "_static/pygments.css", "_static/styles/sphinx-book-theme.css"}
    assert expected <= set(sources), sources
    for source, rules in parts:
        assert rules == minified(inlined(HTML, source)), f"{source}: its part differs from the file"
    assert "@import" not in text and "sourceMappingURL" not in text
    # A custom property whose value is a space is not one whose value is empty: MyST-NB's
    # light and dark colours switch on `--light: ;` (an empty one once changed a border).
    assert not re.search(r"--[\w-]+:;", text), re.search(r".{40}--[\w-]+:;.{40}", text)
    assert minified("a { --light: ; color : red ; }") == "a{--light: ;color : red;}"
    for _, target in URL.findall(text):
        if not target.startswith("data:"):
            assert (path.parent / target).is_file(), f"url({target}) in {path.name} finds no file"
