"""Fixtures for the browser tests: the built site served over HTTP, and headless Chromium.

The site is the folder named by the environment variable BOOK_HTML, by default the
repository's `_build/html` (so `make html` first). The browser, driven by Playwright, is the
first of:
  1. the one named by BOOK_CHROMIUM;
  2. a Chromium or Chrome on the PATH;
  3. Playwright's own Chromium, installed with `python -m playwright install chromium` when
     missing (that needs a network).
When none can start, the first browser test fails once with what to install, and the other
browser tests are not run: never a skip, never the same message two hundred times.
"""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from book import LANGUAGES, ROOT, SERVED_SITE as SITE, pages


# Screenshots go beside the served site, in its build folder (never committed).
SCREENSHOTS = SITE.parent / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NO_BROWSER = (
    "No browser for the browser tests. Install Chromium or Chrome (Debian/Ubuntu: "
    "`sudo apt-get install chromium`), or set BOOK_CHROMIUM to a Chromium-based browser, or "
    "let Playwright install its own with `.venv/bin/python -m playwright install chromium` "
    "(needs a network)."
)


def candidates():
    """Browsers to try, in order: BOOK_CHROMIUM, the PATH, Playwright's own (None)."""
    if os.environ.get("BOOK_CHROMIUM"):
        yield os.environ["BOOK_CHROMIUM"]
    for name in ON_PATH:
        if shutil.which(name):
            yield shutil.which(name)
    yield None


def start_browser(playwright):
    """Launch the first browser that starts; raise RuntimeError saying why none did."""
    reasons = []
    for path in candidates():
        if path is None and not Path(playwright.chromium.executable_path).exists():
            subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                           capture_output=True, timeout=600)
        try:
            return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - every failure to start is reported
            reasons.append(f"{path or 'Playwright Chromium'}: {str(error).splitlines()[0]}")
    raise RuntimeError(NO_BROWSER + "\nTried: " + "; ".join(reasons))


def pytest_generate_tests(metafunc):
    """Run each test that takes `lang` and `name` on every page of every edition."""
    if {"lang", "name"} <= set(metafunc.fixturenames):
        cases = [(lang, name) for name in pages(LANGUAGES[0]) for lang in LANGUAGES]
        metafunc.parametrize("lang,name", cases, ids=[f"{l}-{n}" for l, n in cases])


def pytest_collection_modifyitems(config, items):
    """When no browser starts, keep one browser test (it fails with the reason) and leave
    out the others."""
    browser_items = [item for item in items if Path(str(item.fspath)).parent == Path(__file__).parent]
    if not browser_items:
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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
    if not (SITE / LANGUAGES[0] / "index.html").is_file():
        pytest.fail(f"No built site in {SITE}: run `make html` first.", pytrace=False)
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(pytestconfig):
    if getattr(pytestconfig, "book_no_browser", None):
        n = "the other browser tests were left out"
        pytest.fail(f"{pytestconfig.book_no_browser}\n({n})", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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
