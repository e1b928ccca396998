"""Fixtures for the browser tests: the built site served over HTTP, and headless Chromium.

The site is the folder named by the environment variable BOOK_HTML, by default the
repository's `_build/html` (so `make html` first). The browser, driven by Playwright, is
found by tools/browser.py: BOOK_CHROMIUM, then a Chromium or Chrome on the PATH, then
Playwright's own Chromium (installed when missing). When none can start, the first
browser test fails once with what to install, and the other browser tests are not run:
never a skip, never the same message two hundred times.
"""

import os
from pathlib import Path

import pytest

from tests.book import LANGUAGES, SERVED_SITE as SITE, pages
from tools.browser import playwright_in, serve, start_browser

# Screenshots go beside the served site, in its build folder (never committed), and so do
# the browser's temporary files, removed after the tests.
SCREENSHOTS = SITE.parent / "screenshots"
# One folder per test process (pytest-xdist names them gw0, gw1...).
BROWSER_TEMPORARY = SITE.parent / "tmp" / f"chromium-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
# axe-core, kept in the repository with its licences (vendor/axe-core/README.md): no npm.
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def pytest_generate_tests(metafunc):
    """Run each test that takes `lang` and `name` on every page of every edition, unless it
    names its own pages. The tests that read a page through `opened` go, page by page, to
    one test process (pytest-xdist's group), which loads the page once for all of them."""
    own = any("name" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize"))
    if {"lang", "name"} <= set(metafunc.fixturenames) and not own:
        cases = [(lang, name) for name in pages(LANGUAGES[0]) for lang in LANGUAGES]
        marks = ({lang_name: [pytest.mark.xdist_group(f"page-{lang_name[0]}-{lang_name[1]}")] for lang_name in cases}
                 if "opened" in metafunc.fixturenames else {})
        metafunc.parametrize("lang,name", [pytest.param(*case, marks=marks.get(case, ())) for case in cases],
                             ids=[f"{l}-{n}" for l, n in cases])


# Of the tests that share a page's load, those that change it (eager images, scrolled) go last.
CHANGES_THE_PAGE = {"test_every_image_loads"}


def shared_load_order(items):
    """The tests that read a page through `opened`, page after page, and for each page in
    the order of the module, CHANGES_THE_PAGE last."""
    readers = [item for item in items if "opened" in getattr(item, "fixturenames", ())]
    if not readers:
        return items
    first = items.index(readers[0])
    order = {name: (name in CHANGES_THE_PAGE, n)
             for n, name in enumerate(dict.fromkeys(item.originalname for item in readers))}
    pages = {key: n for n, key in enumerate(dict.fromkeys(
        (item.callspec.params["lang"], item.callspec.params["name"]) for item in readers))}
    readers.sort(key=lambda item: (pages[item.callspec.params["lang"], item.callspec.params["name"]],
                                   order[item.originalname]))
    others = [item for item in items if item not in set(readers)]
    return others[:first] + readers + others[first:]


def pytest_collection_modifyitems(config, items):
    """The tests that share a page's load, next to each other. When no browser starts, keep
    one browser test (it fails with the reason) and leave out the others."""
    items[:] = shared_load_order(items)
    browser_items = [item for item in items if Path(str(item.fspath)).parent == Path(__file__).parent]
    if not browser_items:
        return
    with playwright_in(BROWSER_TEMPORARY) as playwright:
        try:
            start_browser(playwright).close()
        except RuntimeError as error:
            config.book_no_browser = str(error)
            left_out = browser_items[1:]
            items[:] = [item for item in items if item not in left_out]
            config.hook.pytest_deselected(items=left_out)


@pytest.fixture(scope="session")
def axe_script():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: it belongs to the repository (git checkout it).", pytrace=False)
    return AXE


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def site_url():
    """Base URL (no trailing slash) of the built site, served from a thread."""
    if not (SITE / LANGUAGES[0] / "index.html").is_file():
        pytest.fail(f"No built site in {SITE}: run `make html` first.", pytrace=False)
    server, url = serve(SITE)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(pytestconfig):
    if getattr(pytestconfig, "book_no_browser", None):
        n = "the other browser tests were left out"
        pytest.fail(f"{pytestconfig.book_no_browser}\n({n})", pytrace=False)
    with playwright_in(BROWSER_TEMPORARY) as playwright:
        chromium = start_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Factory for browser contexts (light colour scheme unless told), all closed after."""
    contexts = []

    def make(**options):
        options.setdefault("color_scheme", "light")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context):
    """Factory for fresh pages, each in a new context made with the options given, that
    record console errors and uncaught exceptions in `page.errors` (closed with their
    contexts after the test)."""

    def make(**options):
        return recording_errors(new_context(**options).new_page())

    return make


def recording_errors(page):
    """The page, recording console errors and uncaught exceptions in `page.errors`."""
    page.errors = []

    def console(message):
        if message.type == "error":
            page.errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(f"pageerror: {error}"))
    return page


@pytest.fixture
def page(new_page):
    """A fresh page that records console errors and uncaught exceptions in `page.errors`."""
    return new_page()


@pytest.fixture(scope="session")
def opened(browser, site_url):
    """opened(lang, name): the page, loaded once (until the network is idle) in a fresh
    context of its own, light and 1280 px wide, with `page.errors` as `new_page` records them,
    for the tests that read it, one after the other (pytest_collection_modifyitems puts them
    together, in the module's order): a page is loaded once for them all, not once per test.
    The tests that click, switch language or resize load their own."""
    held = {}

    def get(lang, name):
        if (lang, name) not in held:
            for page in held.values():
                page.context.close()
            held.clear()
            context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            page = recording_errors(context.new_page())
            page.goto(f"{site_url}/{lang}/{name}.html", wait_until="load")
            page.wait_for_load_state("networkidle")
            held[lang, name] = page
        return held[lang, name]

    yield get
    for page in held.values():
        page.context.close()
