"""The built site in a real browser: navigation, search, images, theme, launch links,
accessibility (alt text, headings, axe-core) and a screenshot of every page.

Tests taking `lang` and `name` run on every page of every edition (tests/book.py lists
them), so a new chapter is covered as soon as it exists: conftest.py parametrizes them and
holds the fixtures. Those that only read a page share one load of it (`opened`); those that
click, switch language or resize load their own.
"""

import re

import pytest

from tests.book import CONFIG, LANGUAGES, pages_with_code, words

OTHER = {lang: next(other for other in LANGUAGES if other != lang) for lang in LANGUAGES}
# A word of each edition's own title, which its pages use.
SEARCH_WORDS = {lang: CONFIG["languages"][lang]["html_title"].split()[-1] for lang in LANGUAGES}
FILE_NAME = re.compile(r"\.(png|svg|jpe?g|gif|webp)\b", re.IGNORECASE)


def open_page(page, site_url, lang, name):
    page.goto(f"{site_url}/{lang}/{name}.html", wait_until="load")
    return page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_root_page_sends_each_browser_to_its_language(new_context, site_url, lang):
    page = new_context(locale=lang).new_page()
    page.goto(f"{site_url}/index.html")
    page.wait_for_url(f"{site_url}/{lang}/index.html")
    assert page.evaluate("document.documentElement.lang") == lang


def test_language_switch_opens_same_page_in_other_language(page, site_url, lang, name):
    open_page(page, site_url, lang, name)
    other = OTHER[lang]
    assert page.evaluate("document.documentElement.lang") == lang
    # The alternate may name the published site (an absolute URL): same page, other language.
    alternate = page.locator(f'link[rel="alternate"][hreflang="{other}"]').get_attribute("href")
    assert alternate and alternate.endswith(f"/{other}/{name}.html"), f"alternate: {alternate}"
    switch = page.locator("a.language-switch")
    # Fully on show: nothing (the sticky top bar, say) covers its top or bottom edge.
    covered = switch.evaluate(
        """a => { const r = a.getBoundingClientRect(), x = r.left + r.width / 2;
                  return [r.top + 2, r.bottom - 2]
                    .filter(y => !a.contains(document.elementFromPoint(x, y))); }"""
    )
    assert not covered, f"the language switch is partly hidden at y={covered}"
    switch.click()
    page.wait_for_url(f"{site_url}/{other}/{name}.html")
    assert page.evaluate("document.documentElement.lang") == other


def test_theme_labels_are_in_the_page_language(opened, lang, name):
    # pydata-sphinx-theme's English labels; the Spanish edition must have its own words.
    page = opened(lang, name)
    labels = (
        page.locator("button.theme-switch-button").first.get_attribute("aria-label"),
        page.locator("button.search-button__button .search-button__default-text").first.text_content().strip(),
    )
    assert labels == (words(lang, "Color mode"), words(lang, "Search")), f"theme labels: {labels}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_pages_of_the_same_language(page, site_url, lang):
    page.goto(f"{site_url}/{lang}/search.html?q={SEARCH_WORDS[lang]}")
    page.locator("#search-results ul.search li a").first.wait_for()
    # Sphinx writes the summary ("Search finished, found N pages...") once it is done.
    page.wait_for_function(
        "document.querySelector('#search-results .search-summary')?.textContent.trim()"
    )
    links = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert links, f"no results for {SEARCH_WORDS[lang]!r}"
    elsewhere = [link for link in links if not link.startswith(f"{site_url}/{lang}/")]
    assert not elsewhere, f"results outside {lang}/: {elsewhere}"


def test_every_image_loads(opened, lang, name):
    page = opened(lang, name)
    # Load lazy images too: make them eager and bring each into view.
    page.evaluate(
        """() => { for (const img of document.images) {
                     img.loading = "eager"; img.scrollIntoView(); } }"""
    )
    page.wait_for_function("[...document.images].every(img => img.complete)")
    broken = page.evaluate(
        "[...document.images].filter(img => !(img.complete && img.naturalWidth > 0))"
        ".map(img => img.getAttribute('src'))"
    )
    assert not broken, f"images that did not load: {broken}"


def test_theme_switch_toggles_light_and_dark(page, site_url, lang, name):
    open_page(page, site_url, lang, name)
    button = page.locator("button.theme-switch-button").first
    state = "({...document.documentElement.dataset})"  # mode (light/dark/auto) and theme
    seen = [page.evaluate(state)]
    for _ in range(3):  # the theme cycles through its modes (light, dark, system)
        button.click()
        seen.append(page.evaluate(state))
    modes = [s["mode"] for s in seen]
    assert all(a != b for a, b in zip(modes, modes[1:])), f"mode did not change: {modes}"
    assert {"light", "dark"} <= {s["theme"] for s in seen}, f"themes seen: {seen}"


def test_no_console_errors(opened, screenshots_dir, lang, name):
    """...and a screenshot of the whole page, for a person to look at (_build/screenshots/)."""
    page = opened(lang, name)  # loaded until the network is idle
    page.screenshot(path=screenshots_dir / f"{lang}-{name}.png", full_page=True)
    assert not page.errors, "\n".join(page.errors)


def test_a_phone_reads_it_without_scrolling_sideways(new_page, site_url, screenshots_dir, lang, name):
    """At a small phone's 360 px, the page is no wider than the screen (code and tables
    scroll in their own boxes); its screenshot goes beside the desktop one. (A phone's
    browser widens its window to the page, so the page is compared with the layout width,
    clientWidth, not with window.innerWidth: the header once overflowed unseen.)"""
    page = new_page(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    open_page(page, site_url, lang, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=screenshots_dir / f"{lang}-{name}-phone.png", full_page=True)
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && e.getClientRects().length && !e.closest('pre, table, .bd-sidebar-primary, .bd-sidebar-secondary'))
        .slice(0, 3).map(e => e.className || e.tagName)""")
    assert overflow <= 0, f"{lang}/{name} is {overflow} px wider than a 360 px phone: {wide}"


@pytest.mark.parametrize("lang,name", [pytest.param(lang, name, marks=pytest.mark.xdist_group(f"page-{lang}-{name}"))
                                       for name in pages_with_code() for lang in LANGUAGES])
def test_pages_with_code_have_colab_and_binder_links(opened, lang, name):
    page = opened(lang, name)
    source = f"/{lang}/{name}.ipynb"  # the page's reader notebook, in the page's language
    for service in ("https://colab.research.google.com/", "https://mybinder.org/"):
        links = page.locator(f'a[href^="{service}"]').evaluate_all("l => l.map(a => a.href)")
        assert links, f"no {service} launch link"
        assert any(source in link for link in links), f"{service} links miss {source}: {links}"


def test_figures_have_real_alt_text(opened, lang, name):
    page = opened(lang, name)
    images = page.locator("article .cell_output img, article figure img").evaluate_all(
        "imgs => imgs.map(img => ({src: img.getAttribute('src'), alt: img.getAttribute('alt')}))"
    )
    bad = [i for i in images if not (i["alt"] or "").strip() or FILE_NAME.search(i["alt"])]
    assert not bad, f"figures without a real alt text: {bad}"


def test_headings_one_h1_and_no_skipped_level(opened, lang, name):
    page = opened(lang, name)
    # Headings a reader (or a screen reader) gets: hidden ones (print-only copies) do not count.
    headings = page.evaluate(
        """[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
             .filter(h => h.checkVisibility())
             .map(h => [Number(h.tagName[1]),
                        h.textContent.replace(/#$/, '').trim().slice(0, 60)])"""
    )
    h1s = [text for level, text in headings if level == 1]
    assert len(h1s) == 1, f"expected one h1, found {h1s}"
    assert headings[0][0] == 1, f"the first heading is not the h1: {headings[0]}"
    skips = [
        f"h{a} {ta!r} -> h{b} {tb!r}"
        for (a, ta), (b, tb) in zip(headings, headings[1:])
        if b > a + 1
    ]
    assert not skips, f"heading levels skipped: {skips}"


def test_axe_no_serious_or_critical_violations(opened, axe_script, lang, name):
    page = opened(lang, name)
    page.add_script_tag(path=axe_script)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        + (f" and {len(v['nodes']) - 3} more" if len(v["nodes"]) > 3 else "")
        for v in serious
    ]
    assert not serious, "\n".join(report)
