"""A browser for the book's tests and measurements, and the built site served to it.

    from browser import start_browser, serve

`start_browser(playwright)` launches the first Chromium-based browser that starts, in this
order: the one named by BOOK_CHROMIUM; a Chromium or Chrome on the PATH; Playwright's own
Chromium, installed with `python -m playwright install chromium` when missing (that needs a
network). When none starts, it raises RuntimeError with one message saying what to install.
`playwright_in(folder)` starts Playwright with its temporary files in `folder`,
`serve(folder)` serves a folder over HTTP on localhost from a thread, and
`answer_as_github_pages(context, folder, site)` answers a browser's requests to the
published site's own addresses from the built folder, its 404 page included.
"""

import contextlib
import functools
import gzip
import http.server
import io
import mimetypes
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# No first-run work and no traffic of the browser's own: the tests load only the site.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
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


@contextlib.contextmanager
def playwright_in(temporary):
    """Playwright (sync API), whose driver and browsers keep their temporary files (profiles,
    artifacts, even those of a browser that failed to start) in the folder `temporary`,
    removed afterwards, rather than in the system's temporary folder."""
    from playwright.sync_api import sync_playwright

    temporary = Path(temporary)
    temporary.mkdir(parents=True, exist_ok=True)
    system = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(temporary)  # the driver starts now, with this environment
    try:
        playwright = sync_playwright().start()
    finally:
        os.environ.pop("TMPDIR") if system is None else os.environ.update(TMPDIR=system)
    try:
        yield playwright
    finally:
        playwright.stop()
        shutil.rmtree(temporary, ignore_errors=True)


def start_browser(playwright):
    """Launch the first browser that starts; raise RuntimeError saying why none did."""
    reasons = []
    for path in candidates():
        if path is None and not Path(playwright.chromium.executable_path).exists():
            subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                           capture_output=True, timeout=600)
        try:
            return playwright.chromium.launch(executable_path=path, args=ARGS)
        except Exception as error:  # noqa: BLE001 - every failure to start is reported
            reasons.append(f"{path or 'Playwright Chromium'}: {str(error).splitlines()[0]}")
    raise RuntimeError(NO_BROWSER + "\nTried: " + "; ".join(reasons))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the output readable
        pass


# What GitHub Pages compresses, and how long it lets browsers keep a file (max-age=600).
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map", ".ipynb")
MAX_AGE = 600


class PagesLikeHandler(QuietHandler):
    """Serves as GitHub Pages does: text gzipped, every file cacheable for 10 minutes; and
    records (path, bytes sent) of each response in the server's `sent` list."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) or not path.endswith(COMPRESSED) or not os.path.isfile(path):
            self.body_bytes = None
            return super().send_head()
        with open(path, "rb") as source:
            body = gzip.compress(source.read(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        self.end_headers()
        self.server.sent.append((self.path, len(body)))
        return io.BytesIO(body)

    def end_headers(self):
        if not self._headers_buffer or b"Cache-Control" not in b"".join(self._headers_buffer):
            self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        super().end_headers()

    def copyfile(self, source, outputfile):
        if isinstance(source, io.BytesIO):
            return super().copyfile(source, outputfile)
        start = source.tell()
        super().copyfile(source, outputfile)
        self.server.sent.append((self.path, source.tell() - start))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent = []  # (path, bytes) of each response, when served like GitHub Pages

    def handle_error(self, request, client_address):
        pass  # the browser closing a connection early is no failure of the site


def serve(folder, like_github_pages=False):
    """Serve `folder` on localhost from a thread: (server, base URL without a trailing /).
    `like_github_pages`: gzip text and let browsers cache for 10 minutes, as GitHub Pages
    does, recording the bytes of each response in `server.sent`."""
    handler = PagesLikeHandler if like_github_pages else QuietHandler
    server = Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def answer_as_github_pages(context, folder, site):
    """Answer every request of a Playwright browser `context` to the published `site` (its
    URL, ending in /) from the built site in `folder`, as GitHub Pages does: an address
    that holds nothing gets the site's 404.html, with status 404. Returns the list where
    (path, bytes sent, gzipped as GitHub Pages sends text) of each answer go."""
    folder, sent = Path(folder).resolve(), []

    def answer(route):
        path = urlsplit(route.request.url).path.removeprefix(urlsplit(site).path)
        target, status = (folder / path).resolve(), 200
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or folder not in target.parents:
            target, status = folder / "404.html", 404
        body = target.read_bytes()
        sent.append((path, len(gzip.compress(body, 9, mtime=0)) if target.suffix in COMPRESSED else len(body)))
        route.fulfill(status=status, body=body, content_type=mimetypes.guess_type(target.name)[0] or "application/octet-stream")

    context.route(f"{site}**", answer)
    return sent
