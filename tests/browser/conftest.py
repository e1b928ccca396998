"""Fixtures for the browser tests: the built site served over HTTP, and headless Chromium.

The site is the folder named by the environment variable BOOK_HTML, by default the
repository's `_build/html` (so `make html` first). Chromium is Debian's /usr/bin/chromium
(or BOOK_CHROMIUM), driven by Playwright; Playwright's own browser download is not used.
If the site is missing or the browser cannot start, the tests fail and say why: none is
ever skipped.
"""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("BOOK_HTML", REPO / "_build" / "html")).resolve()
# Screenshots go beside the served site, in its build folder (never committed).
SCREENSHOTS = SITE.parent / "screenshots"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LANGUAGES = ("es", "en")
NOT_CONTENT = {"genindex", "search"}  # Sphinx's generated pages


def site_pages():
    """The book's pages (names without .html), from the Spanish edition."""
    return sorted(
        page.stem for page in (SITE / "es").glob("*.html") if page.stem not in NOT_CONTENT
    )


def pytest_generate_tests(metafunc):
    """Run each test that takes `lang` and `name` on every page in both languages."""
    if {"lang", "name"} <= set(metafunc.fixturenames):
        # No built site: one case, which the site_url fixture fails with the reason.
        pages = site_pages() or ["index"]
        cases = [(lang, name) for name in pages for lang in LANGUAGES]
        metafunc.parametrize("lang,name", cases, ids=[f"{l}-{n}" for l, n in cases])


@pytest.fixture(scope="session")
def axe_script():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` at the repository root.", pytrace=False)
    return AXE


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest's output readable
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser closing a connection early is no failure of the site


@pytest.fixture(scope="session")
def site_url():
    """Base URL (no trailing slash) of the built site, served from a thread."""
    if not (SITE / "es" / "index.html").is_file():
        pytest.fail(f"No built site in {SITE}: run `make html` first.", pytrace=False)
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = None
    try:
        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001 - any failure to start is reported as is
        if playwright:
            playwright.stop()
        pytest.fail(
            f"Chromium could not start from {CHROMIUM} (Debian: `apt-get install chromium`; "
            f"or set BOOK_CHROMIUM): {error}",
            pytrace=False,
        )
    yield chromium
    chromium.close()
    playwright.stop()


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
def page(new_context):
    """A fresh page that records console errors and uncaught exceptions in `page.errors`."""
    page = new_context().new_page()
    page.errors = []

    def console(message):
        if message.type == "error":
            page.errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(f"pageerror: {error}"))
    return page
