"""Weigh what a reader's browser downloads from the built site, as GitHub Pages serves it.

    .venv/bin/python -m tools.page_weight [--site _build/html]

For every page of every edition, in headless Chromium at a phone's size, with the site
served gzipped and cacheable as GitHub Pages serves it (tools/browser.py), three numbers
of kilobytes actually sent:

- first visit: the page opened with an empty cache;
- language switch: then the same page in the next edition, with the browser's cache;
- second page: the page opened after the previous page of the same edition (the first
  after the last).

And the 404 page, which GitHub Pages serves at any address of the site that holds
nothing (a first visit, like the others).

`make bench` writes them into benchmarks/RESULTS.md; tests/browser/test_weight.py and
tests/browser/test_not_found.py hold them to the budgets below.
"""

import argparse
import sys
from pathlib import Path

from tools.book_sources import HTML, languages, pages
from tools.book_sources import site as published_site
from tools.browser import answer_as_github_pages, playwright_in, serve, start_browser

FIRST_VISIT_KB, SWITCH_KB, SECOND_PAGE_KB = 400, 150, 150
NOT_FOUND_KB = 10
# An address of the published site that holds nothing.
MISTYPED = f"{languages()[0]}/no-such-page.html"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def visit(tab, server, url):
    """Open `url` in `tab` and wait until the network is idle; kilobytes the server sent."""
    start = len(server.sent)
    tab.goto(url, wait_until="networkidle")
    return sum(size for _, size in server.sent[start:]) / 1000


def weigh(browser, server, url, lang, page, before=None, after=None):
    """(first visit, language switch, second page) in kB for one page of one edition:
    `after` is the other edition's code, `before` the page visited before the second one."""
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    first = visit(tab, server, f"{url}/{lang}/{page}.html")
    switch = visit(tab, server, f"{url}/{after}/{page}.html")
    context.close()
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    visit(tab, server, f"{url}/{lang}/{before}.html")
    second = visit(tab, server, f"{url}/{lang}/{page}.html")
    context.close()
    return first, switch, second


def not_found(browser, folder=HTML):
    """(HTTP status, kB sent) of a first visit to a mistyped address of the published
    site, answered from the built `folder` as GitHub Pages answers it."""
    context = browser.new_context(**PHONE)
    sent = answer_as_github_pages(context, folder, published_site())
    response = context.new_page().goto(published_site() + MISTYPED, wait_until="networkidle")
    context.close()
    return response.status, sum(size for _, size in sent) / 1000


def not_found_weight(folder=HTML):
    """not_found() in a browser of its own: (HTTP status, kB sent)."""
    with playwright_in(Path(folder).parent / "tmp" / "chromium-weight") as playwright:
        browser = start_browser(playwright)
        try:
            return not_found(browser, folder)
        finally:
            browser.close()


def weights(site=HTML):
    """{(lang, page): (first visit, switch, second page)} for every page of every edition."""
    langs = languages()
    server, url = serve(site, like_github_pages=True)
    found = {}
    try:
        with playwright_in(Path(site).parent / "tmp" / "chromium-weight") as playwright:
            browser = start_browser(playwright)
            for lang in langs:
                names = pages(lang)
                for n, page in enumerate(names):
                    other = langs[(langs.index(lang) + 1) % len(langs)]
                    found[lang, page] = weigh(browser, server, url, lang, page, before=names[n - 1], after=other)
            browser.close()
    finally:
        server.shutdown()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=HTML)
    args = parser.parse_args()
    print("| page | first visit kB | language switch kB | second page kB |")
    print("| --- | ---: | ---: | ---: |")
    for (lang, page), (first, switch, second) in weights(args.site).items():
        print(f"| {lang}/{page} | {first:.0f} | {switch:.0f} | {second:.0f} |")
    status, kb = not_found_weight(args.site)
    print(f"\nThe 404 page (a mistyped address, status {status}): {kb:.1f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
