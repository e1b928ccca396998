"""Print each edition of the built site as one PDF: the book to read offline or on paper.

    python -m tools.build_pdf [--language CODE]        (make pdf, after make html)

For each edition, from its pages as `make html` built them (no page runs again), one
document: a title page in the edition's language, then the pages in `_toc.yml`'s order
(the chapters, the glossary, the references), each from a new page. The tests' Chromium
(tools/browser.py), driven by Playwright, prints it to
`_build/pdf/<repository>-<language>.pdf`, which is also copied into the site
(`_build/html/pdf/`), where every page's download menu links it (book/_ext/book_pdf.py).

In the document (`book_document`):
- each page's article, its ids prefixed with the page's name so that a link to another
  page (a glossary term, a reference, a figure) jumps inside the PDF; any other relative
  link (a notebook, the other edition) goes to the published site;
- exercises keep their hints, open; their solutions and the answers to the self-check
  questions are gathered under "Solutions" at the end of each chapter, each linked both
  ways;
- the drawing pad becomes the sentence that links to it on the web page;
- what works only on a screen goes: buttons, radio buttons, the anchors' "#", and the
  code that the page keeps folded (`hide-input`).
The words it adds are the edition's, from `_build/words/<language>.json` (book_pdf.py).

Printing (`print_pdf`): every figure loads before printing (the site's load lazily), and
one that does not load stops the print, naming it; the colours are light whatever the
system prefers; code and outputs too wide for the page get a smaller font, then wrap,
never cut (tools/book_pdf.css has the rest of the looks). Chromium writes the outline
from the headings, tags the PDF with the page's language (/Lang) and embeds the fonts;
pypdf adds the author, shows the outline when the PDF opens, and mends the outline's
entries that Chromium writes twice (`finish`).

Jupyter Book's own `pdfhtml` builder does less (a singlehtml build printed by
Playwright's own Chromium, which needs a download, with no outline, tags, title page or
gathered solutions), and would read every page with Sphinx once more: the site's pages,
built already, are the better source.
"""

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from tools.book_sources import BUILD, HTML, ROOT, config, languages, pdf_name, site, toc_pages
from tools.browser import playwright_in, serve, start_browser

PDF = BUILD / "pdf"
STYLE = Path(__file__).with_name("book_pdf.css")
# What works only on a screen: controls, the anchors' "#", the code a page keeps folded, the
# exercises' answer boxes (on paper, the statement asks the question and the solution answers).
SCREEN_ONLY = ("button, input, select, textarea, form, script, noscript, template, a.headerlink, "
               "details.above-input, .quiz-feedback, .answer-box")
# A4, with margins, in CSS pixels: the window's width is the printed text's, so that what
# the page measures before printing (wide code) is what the paper gets.
MARGIN_MM = 18
TEXT_WIDTH = round((210 - 2 * MARGIN_MM) / 25.4 * 96)
FOOTER = ('<div style="width: 100%; font: 8pt sans-serif; color: #555; text-align: center;">'
          '<span class="pageNumber"></span></div>')

# In the page, before printing: every figure loaded (the broken ones' addresses returned);
# then code and outputs wider than the text get a smaller font, down to 60%, then wrap.
LOAD_FIGURES = """async () => {
  const images = [...document.images];
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  return images.filter((image) => !image.naturalWidth).map((image) => image.getAttribute("src"));
}"""
FIT_WIDE_BLOCKS = """() => {
  for (const block of document.querySelectorAll("pre")) {
    const wide = block.scrollWidth / block.clientWidth;
    if (wide > 1) {
      const size = parseFloat(getComputedStyle(block).fontSize);
      block.style.fontSize = `${Math.max(0.6, 0.98 / wide) * size}px`;
    }
  }
  document.documentElement.classList.add("fitted");
}"""


def words_of(lang):
    path = BUILD / "words" / f"{lang}.json"
    if not path.is_file():
        sys.exit(f"{path} is missing: run `make html` first.")
    return json.loads(path.read_text(encoding="utf8"))["pdf"]


def read_page(lang, page):
    path = HTML / lang / f"{page}.html"
    if not path.is_file():
        sys.exit(f"{path} is missing: run `make html` first.")
    return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")


def retarget(href, lang, page, names):
    """A link of `page` as the PDF needs it: inside the document when it names one of its
    pages (`names`), to the published site when it is relative, as it was otherwise."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    target = parts.path.removesuffix(".html") if parts.path else page
    if target in names and "/" not in target:
        return f"#{target}--{parts.fragment}" if parts.fragment else f"#{target}"
    return urljoin(f"{site()}{lang}/{page}.html", href)


def gather_solutions(soup, article, page, say):
    """Exercises' solutions and the self-check questions' answers, moved to a "Solutions"
    section at the end of the chapter; each exercise and question links to its own."""
    moved = []
    for solution in article.select("div.solution"):
        back = solution.select_one(".admonition-title a[href^='#']")
        exercise = article.find(id=back["href"][1:]) if back else None
        if exercise is not None:
            after = exercise.find_next_sibling()
            after = after if after is not None and "hint" in after.get("class", []) else exercise
            see = soup.new_tag("p", attrs={"class": "book-pdf-see"})
            see.append(soup.new_tag("a", href=f"#{solution['id']}", string=say["solution_at_end"]))
            after.insert_after(see)
        moved.append(solution.extract())
    for number, quiz in enumerate(article.select("div.quiz"), start=1):
        question = say["question"].format(number=number)
        fieldset = quiz.select_one("fieldset")
        legend = fieldset.select_one("legend")
        legend.name = "p"
        legend.insert(0, soup.new_tag("strong", string=f"{question}. "))
        options = soup.new_tag("ol", attrs={"class": "quiz-options", "type": "a"})
        for option in fieldset.select("label.quiz-option"):
            option.name = "li"
            options.append(option.extract())
        fieldset.append(options)
        fieldset.name = "div"
        answer = quiz.select_one("details.quiz-answer")
        answer.summary.decompose()
        answer.name = "div"
        answer["id"] = f"{quiz['id']}-answer"
        heading = soup.new_tag("p")
        heading.append(soup.new_tag("strong"))
        heading.strong.append(soup.new_tag("a", href=f"#{quiz['id']}", string=question))
        answer.insert(0, heading)
        see = soup.new_tag("p", attrs={"class": "book-pdf-see"})
        see.append(soup.new_tag("a", href=f"#{answer['id']}", string=say["answer_at_end"]))
        quiz.append(see)
        moved.append(answer.extract())
    if moved:
        section = soup.new_tag("section", id=f"{page}--solutions", attrs={"class": "book-pdf-solutions"})
        section.append(soup.new_tag("h2", string=say["solutions"]))
        section.extend(moved)
        (article.find("section") or article).append(section)


def chapter(soup, lang, page, names, say):
    """The article of one built page, made ready for print, inside `soup`."""
    article = read_page(lang, page).select_one("article.bd-article")
    for pad in article.select("div.digit-pad"):
        sentence = soup.new_tag("p", attrs={"class": "book-pdf-see"})
        sentence.append(soup.new_tag("a", href=f"{site()}{lang}/{page}.html#{pad['id']}", string=say["digit_pad"]))
        pad.replace_with(sentence)
    for element in article.select(SCREEN_ONLY):
        element.decompose()
    for details in article.select("details:not(.quiz-answer)"):
        if details.summary:
            details.summary.decompose()
        details.unwrap()
    for cell in article.select("div.cell"):
        if not cell.get_text(strip=True) and not cell.find("img"):
            cell.decompose()  # a cell whose code the page folds away, without output
    for folded in article.select(".dropdown"):
        folded["class"].remove("dropdown")  # hints and solutions, open
    for heading in article.select("h1, h2, h3, h4, h5, h6"):
        for text in heading.find_all(string=True):  # one line each (book_pdf.css: pre-wrap)
            text.replace_with(re.sub(r"\s+", " ", text))
    for element in article.select("[id]"):
        element["id"] = f"{page}--{element['id']}"
    for link in article.select("a[href]"):
        link["href"] = retarget(link["href"], lang, page, names)
    for image in article.select("img[loading]"):
        del image["loading"]
    gather_solutions(soup, article, page, say)
    article.attrs = {"class": ["bd-article", "book-pdf-page"], "id": page}
    return article


def book_document(lang):
    """The whole edition as one HTML document, to be served from the edition's folder."""
    edition, say = config()["languages"][lang], words_of(lang)
    names = toc_pages()
    first = read_page(lang, names[0])
    soup = BeautifulSoup("<!DOCTYPE html><html><head></head><body></body></html>", "html.parser")
    soup.html.attrs = {"lang": lang, "data-theme": "light", "data-mode": "light"}
    soup.head.append(soup.new_tag("meta", charset="utf-8"))
    soup.head.append(soup.new_tag("title", string=edition["html_title"]))
    for sheet in first.head.select('link[rel="stylesheet"]'):
        soup.head.append(soup.new_tag("link", rel="stylesheet", href=sheet["href"]))
    soup.head.append(soup.new_tag("style", string=STYLE.read_text(encoding="utf8")))
    title = soup.new_tag("section", attrs={"class": "book-pdf-title-page"})
    title.append(soup.new_tag("p", attrs={"class": "book-pdf-title"}, string=edition["html_title"]))
    author = edition["author"]
    title.append(soup.new_tag("p", attrs={"class": "book-pdf-author"}, string=author[:1].upper() + author[1:]))
    online = soup.new_tag("p", attrs={"class": "book-pdf-online"}, string=say["online"] + " ")
    online.append(soup.new_tag("a", href=f"{site()}{lang}/index.html", string=f"{site()}{lang}/"))
    title.append(online)
    soup.body.append(title)
    for page in names:
        soup.body.append(chapter(soup, lang, page, names, say))
    return soup


def print_pdf(browser, url, document, path):
    """Print the document, served at `url`, to `path`; exit naming any figure that did not load."""
    context = browser.new_context(viewport={"width": TEXT_WIDTH, "height": 1000}, color_scheme="light")
    try:
        tab = context.new_page()
        tab.route(url, lambda route: route.fulfill(body=document, content_type="text/html; charset=utf-8"))
        tab.emulate_media(media="print", color_scheme="light")
        tab.goto(url, wait_until="load")
        broken = tab.evaluate(LOAD_FIGURES)
        if broken:
            sys.exit(f"{path.name}: figures that did not load: {', '.join(broken)}")
        tab.evaluate(FIT_WIDE_BLOCKS)
        margin = f"{MARGIN_MM}mm"
        tab.pdf(path=path, format="A4", margin={"top": margin, "bottom": margin, "left": margin, "right": margin},
                print_background=True, outline=True, tagged=True, display_header_footer=True,
                header_template="<span></span>", footer_template=FOOTER)
    finally:
        context.close()


def outline_items(node):
    """The entries of a PDF outline below `node`, in the document's order."""
    item = node.get("/First")
    while item is not None:
        item = item.get_object()
        yield item
        yield from outline_items(item)
        item = item.get("/Next")


def finish(path, lang, headings):
    """What Chromium leaves out: the author, and the outline shown when the PDF opens. And
    what it gets wrong: an outline entry of a heading that it moved to the next page says
    the heading twice ("SummarySummary"); each entry must say its heading (`headings`, in
    the document's order), or the print stops."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    edition = config()["languages"][lang]
    writer = PdfWriter(path, incremental=True)  # Chromium's file as it is, and an update
    entries = list(outline_items(writer.root_object["/Outlines"]))
    if len(entries) != len(headings):
        sys.exit(f"{path.name}: {len(entries)} entries in the outline for {len(headings)} headings")
    for entry, heading in zip(entries, headings):
        if entry["/Title"] == heading * 2:
            entry[NameObject("/Title")] = TextStringObject(heading)
        elif entry["/Title"] != heading:
            sys.exit(f"{path.name}: the outline says {entry['/Title']!r} for the heading {heading!r}")
    writer.add_metadata({"/Title": edition["html_title"], "/Author": edition["author"]})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    writer.write(path)
    return len(writer.pages)


def build(langs):
    PDF.mkdir(parents=True, exist_ok=True)
    (HTML / "pdf").mkdir(exist_ok=True)
    server, url = serve(HTML)
    try:
        with playwright_in(BUILD / "tmp" / "chromium-pdf") as playwright:
            browser = start_browser(playwright)
            for lang in langs:
                start = time.perf_counter()
                path = PDF / pdf_name(lang)
                document = book_document(lang)
                headings = [" ".join(h.get_text().split()) for h in document.select("h1, h2, h3, h4, h5, h6")]
                print_pdf(browser, f"{url}/{lang}/book-pdf.html", str(document), path)
                pages = finish(path, lang, headings)
                shutil.copyfile(path, HTML / "pdf" / path.name)
                print(f"{path.relative_to(ROOT)}: {pages} pages, {path.stat().st_size / 1e6:.1f} MB, "
                      f"{time.perf_counter() - start:.0f} s", flush=True)
            browser.close()
    finally:
        server.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=languages(), help="print only this edition")
    args = parser.parse_args()
    build([args.language] if args.language else languages())
    return 0


if __name__ == "__main__":
    sys.exit(main())
