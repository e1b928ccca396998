"""What a reader's phone downloads, measured as GitHub Pages serves the site (gzip, cached
for ten minutes): every page of every edition stays within the budgets of
tools/page_weight.py, and no page asks for Font Awesome's script or fonts, nor for
sphinx-thebe's files, and the site's stylesheet is one file."""

import pytest

from tests.book import LANGUAGES, SERVED_SITE, pages
from tools.browser import serve
from tools.page_weight import FIRST_VISIT_KB, SECOND_PAGE_KB, SWITCH_KB, weigh

NAMES = pages(LANGUAGES[0])


@pytest.fixture(scope="module")
def pages_like_server():
    server, url = serve(SERVED_SITE, like_github_pages=True)
    yield server, url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang,name", [(lang, name) for name in NAMES for lang in LANGUAGES])
def test_first_visit_switch_and_second_page_within_budget(browser, pages_like_server, lang, name):
    server, url = pages_like_server
    other = LANGUAGES[(LANGUAGES.index(lang) + 1) % len(LANGUAGES)]
    start = len(server.sent)
    first, switch, second = weigh(browser, server, url, lang, name,
                                  before=NAMES[NAMES.index(name) - 1], after=other)
    assert first <= FIRST_VISIT_KB, f"{lang}/{name}: a first visit downloads {first:.0f} kB"
    assert switch <= SWITCH_KB, f"{lang}/{name}: switching to {other} downloads {switch:.0f} kB"
    assert second <= SECOND_PAGE_KB, f"{lang}/{name}: coming from another page downloads {second:.0f} kB"
    fetched = [path for path, _ in server.sent[start:]]
    assert not [path for path in fetched if "fontawesome" in path or "thebe" in path], fetched
    # One stylesheet for the whole site, and the drawing pad's on its pages (one_stylesheet.py).
    stylesheets = {path.split("?")[0].rsplit("/", 1)[1] for path in fetched if path.split("?")[0].endswith(".css")}
    assert len(stylesheets - {"digit-pad.css"}) == 1, stylesheets
