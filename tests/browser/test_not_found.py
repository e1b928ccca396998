"""The site's 404 page, as GitHub Pages serves it at a mistyped address of the published
site (answered here from the built site, tools/browser.py): in every edition's words,
accessible, light, and every link and search of it leads somewhere."""

from urllib.parse import urlsplit

import pytest

from tests.book import CONFIG, LANGUAGES, SERVED_SITE, SITE, words
from tools.browser import answer_as_github_pages
from tools.page_weight import MISTYPED, NOT_FOUND_KB, PHONE, not_found


@pytest.fixture
def not_found_page(new_context):
    context = new_context()
    answer_as_github_pages(context, SERVED_SITE, SITE)
    tab = context.new_page()
    response = tab.goto(SITE + MISTYPED)
    return tab, response


def test_a_mistyped_address_gets_the_books_404_page(not_found_page):
    tab, response = not_found_page
    assert response.status == 404
    assert tab.evaluate("document.documentElement.lang") == LANGUAGES[0]
    text = tab.locator("main").inner_text()
    for lang in LANGUAGES:
        say = [words(lang, "Page not found"), CONFIG["languages"][lang]["html_title"],
               words(lang, "Go to the start of the book"), words(lang, "Search the book")]
        assert all(s in text for s in say), f"the 404 page lacks {lang} words: {say}"
        assert tab.locator(f'section[lang="{lang}"]').count() == 1


def test_every_address_on_the_404_page_leads_to_a_page_of_the_site(not_found_page):
    """Its links, search forms and icon start at the server's root (the page is served at
    any depth), and each names a file of the built site; each edition's start and search
    are among them."""
    tab, _ = not_found_page
    addresses = tab.evaluate("""[...document.querySelectorAll('a[href], link[href], form[action]')]
        .map(e => e.href || e.action)""")
    root = urlsplit(SITE).path
    missing = [a for a in addresses if not (a.startswith(SITE) and (SERVED_SITE / urlsplit(a).path.removeprefix(root)).is_file())]
    assert not missing, f"addresses of the 404 page that lead nowhere: {missing}"
    for lang in LANGUAGES:
        assert {f"{SITE}{lang}/index.html", f"{SITE}{lang}/search.html"} <= set(addresses), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_404_pages_search_opens_the_editions_search(not_found_page, lang):
    tab, _ = not_found_page
    section = tab.locator(f'section[lang="{lang}"]')
    section.get_by_role("searchbox", name=words(lang, "Search the book")).fill("red")
    section.get_by_role("button", name=words(lang, "Search")).click()
    tab.wait_for_url(f"{SITE}{lang}/search.html?q=red")
    assert tab.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_404_page_passes_axe_in_both_colour_schemes(new_context, axe_script, scheme):
    context = new_context(color_scheme=scheme, **PHONE)
    answer_as_github_pages(context, SERVED_SITE, SITE)
    tab = context.new_page()
    tab.goto(SITE + MISTYPED)
    tab.add_script_tag(path=axe_script)
    violations = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert not violations, [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations]


def test_the_404_page_is_light(browser):
    status, kb = not_found(browser, SERVED_SITE)
    assert status == 404
    assert kb <= NOT_FOUND_KB, f"the 404 page downloads {kb:.1f} kB gzipped"
