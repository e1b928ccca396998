"""The PDF of each edition (`make pdf`, tools/build_pdf.py): a book in the edition's
language, with every page of the site in `_toc.yml`'s order, its outline, every figure of
the site, links that jump inside it, the solutions at the end of each chapter, and nothing
of the web page's controls. pypdf reads its structure; pypdfium2 (PDFium, Chromium's own
PDF library) its text, forty times faster."""

import re
from functools import cache

import pytest
from bs4 import BeautifulSoup

from tests.book import BUILD, CONFIG, HTML, LANGUAGES, markdown_lines, toc_pages, words
from tools.book_sources import pdf_name

MAX_MB = 15


@cache
def reader(lang):
    from pypdf import PdfReader

    path = BUILD / "pdf" / pdf_name(lang)
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` first", pytrace=False)
    return PdfReader(path)


def flat(text):
    return re.sub(r"\s+", " ", text).strip()


@cache
def texts(lang):
    """The text of each page of the PDF, its white space made single spaces."""
    import pypdfium2

    document = pypdfium2.PdfDocument(BUILD / "pdf" / pdf_name(lang))
    try:
        return [flat(page.get_textpage().get_text_bounded()) for page in document]
    finally:
        document.close()


@cache
def site_page(lang, page):
    return BeautifulSoup((HTML / lang / f"{page}.html").read_text(encoding="utf8"), "html.parser").select_one("article")


def headings(lang, page, level):
    marker = "#" * level + " "
    return [line[len(marker):].strip() for line in markdown_lines(lang, page) if line.startswith(marker)]


def title(lang, page):
    return flat(re.sub(r"\{\w+\}`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", headings(lang, page, 1)[0]))


def outline(lang):
    """[(title, first page, [(title, page) of its sections])] of the outline's chapters."""
    pdf, found = reader(lang), []
    for item in pdf.outline:
        if isinstance(item, list):
            found[-1][2].extend((child.title, pdf.get_destination_page_number(child))
                                for child in item if not isinstance(child, list))
        else:
            found.append((item.title, pdf.get_destination_page_number(item), []))
    return found


def starts(lang):
    """{page of the site: number of the PDF page where the outline opens it}."""
    return {page: number for page, (_, number, _) in zip(toc_pages(), outline(lang))}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_the_site_starts_a_page_of_the_pdf_in_toc_order(lang):
    """After the title page, each page of the site, in _toc.yml's order, starts a page of
    the PDF that shows its title at the top; the outline opens it there."""
    first = texts(lang)[0]
    assert CONFIG["languages"][lang]["html_title"] in first, f"title page: {first[:200]}"
    chapters = outline(lang)
    assert [flat(name) for name, _, _ in chapters] == [title(lang, page) for page in toc_pages()]
    numbers = [number for _, number, _ in chapters]
    assert numbers[0] == 1 and numbers == sorted(set(numbers)), f"pages where the chapters start: {numbers}"
    for page, number in zip(toc_pages(), numbers):
        heading = title(lang, page)
        top = texts(lang)[number][:len(heading) + 200]  # (the references' labels come first)
        assert heading in top, f"page {number + 1} of the PDF does not start {page}: {top!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_holds_the_whole_glossary(lang):
    terms = [flat(dt.get_text()).rstrip("#").strip() for dt in site_page(lang, "glossary").select("dl.glossary dt")]
    glossary = " ".join(texts(lang)[starts(lang)["glossary"]:starts(lang)["references"]])
    assert len(terms) > 10
    missing = [term for term in terms if term not in glossary]
    assert not missing, f"glossary terms missing from the PDF: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_outline_lists_every_section_of_every_chapter(lang):
    for (name, _, sections), page in zip(outline(lang), toc_pages()):
        expected = [flat(re.sub(r"\{\w+\}`([^`]*)`", r"\1", h)) for h in headings(lang, page, 2)]
        got = [flat(t) for t, _ in sections]
        assert got[:len(expected)] == expected, f"{name}: sections {got}"
        assert not [t for t in got if t.endswith("#")], "an anchor's # in the outline"


def solution_words(lang):
    """The words that open a solution of an exercise and the answer of a question."""
    return words(lang, "Solution to", "exercise"), words(lang, "Answer:")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_solutions_and_answers_are_gathered_at_the_end_of_each_chapter(lang):
    """Every solution of an exercise and every answer of a question of the site is in the
    PDF, after the chapter's "Solutions" heading, and none before it; every hint is
    there too, before it."""
    solution, answer = solution_words(lang)
    heading = words(lang, "Solutions")
    pages, found = toc_pages(), starts(lang)
    for (name, first, sections), page, following in zip(outline(lang), pages, pages[1:] + [None]):
        article = site_page(lang, page)
        solutions, quizzes = len(article.select("div.solution")), len(article.select("div.quiz"))
        end = found[following] if following else len(texts(lang))
        gathered = [number for t, number in sections if flat(t) == heading]
        if not solutions + quizzes:
            assert not gathered, f"{name}: a Solutions section without solutions"
            continue
        assert len(gathered) == 1, f"{name}: {len(gathered)} Solutions sections"
        before = " ".join(texts(lang)[first:gathered[0]])
        after = " ".join(texts(lang)[gathered[0]:end])
        assert before.count(f"{solution} ") == 0 and before.count(answer) == 0, f"{name}: a solution shown inline"
        assert after.count(f"{solution} ") == solutions, f"{name}: {after.count(solution)} solutions of {solutions}"
        assert after.count(answer) == quizzes, f"{name}: {after.count(answer)} answers of {quizzes}"
        for hint in article.select("div.hint"):  # (spaces compared out: code spans add some)
            sentence = re.sub(r"\s", "", hint.select_one("p:not(.admonition-title)").get_text())[:60]
            assert sentence in re.sub(r"\s", "", before), f"{name}: hint missing: {sentence!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_of_the_site_is_in_the_pdf(lang):
    """Every image of every page of the site is a figure of the tagged PDF, with its alt
    text, and every raster one is drawn (an image in the PDF's pages)."""
    site, raster = [], set()
    for page in toc_pages():
        for image in site_page(lang, page).select("img"):
            site.append(flat(image.get("alt", "")))
            if not image["src"].endswith(".svg"):
                raster.add(image["src"])
    figures = []

    def walk(element):
        element = element.get_object()
        if element.get("/S") == "/Figure":
            figures.append(flat(str(element.get("/Alt", ""))))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get") and "/S" in kid:
                walk(kid)

    walk(reader(lang).trailer["/Root"]["/StructTreeRoot"])
    missing = [alt for alt in site if alt not in figures]
    assert not missing, f"figures of the site missing from the PDF: {missing}"
    drawn = sum(1 for page in reader(lang).pages for image in (page["/Resources"].get("/XObject") or {}).values()
                if image.get_object().get("/Subtype") == "/Image")
    assert drawn >= len(raster), f"{drawn} images drawn in the PDF, {len(raster)} raster figures on the site"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_links_of_the_pdf_jump_inside_it_or_to_the_published_site(lang):
    """A link is either a jump to a place of the PDF that exists, or an address on the web
    (never the local server the PDF was printed from); every glossary term of the pages
    jumps to the glossary."""
    pdf = reader(lang)
    destinations = pdf.named_destinations
    found, glossary = starts(lang), []
    glossary_pages = range(found["glossary"], found["references"])
    for number, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                assert name in destinations, f"page {number + 1}: a link to {name}, which is nowhere"
                if name.startswith("/glossary--term-"):
                    glossary.append(pdf.get_destination_page_number(destinations[name]) in glossary_pages)
            else:
                uri = str(annotation["/A"]["/URI"])
                assert uri.startswith(("https://", "http://", "mailto:")) and "127.0.0.1" not in uri, uri
    terms = sum(len(site_page(lang, page).select('a[href^="glossary.html#term-"]')) for page in toc_pages())
    assert len(glossary) >= terms > 0 and all(glossary), f"{len(glossary)} links to glossary terms, {terms} on the site"


def web_only_words(lang):
    """Words that only the web page shows: its controls, the quiz's, the answer boxes' and the
    drawing pad's."""
    theme = [("Skip to main content", "sphinx"), ("Back to top", "sphinx"), ("Print to PDF", "booktheme"),
             ("Download this page", "booktheme"), ("Color mode", "sphinx"), ("Launch on", "booktheme")]
    ours = ["Show the answer", "Choose an answer first.", "Not quite: try again, or show the answer.",
            "The drawing pad needs JavaScript.", "Drawing pad: draw a digit from 0 to 9", "What the model sees",
            "Draw a digit, or choose one of the test digits.", "Book (PDF)",
            "Write a number first.", "Not quite: try again, or open the hint."]
    code = CONFIG["languages"][lang].get("nb_code_prompt_show", "Show code cell {type}").split("{")[0].strip()
    return [words(lang, msgid, domain) for msgid, domain in theme] + [words(lang, msgid) for msgid in ours] + [code]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_shows_no_web_controls_nor_untranslated_words(lang):
    text = " ".join(texts(lang))
    shown = [w for w in web_only_words(lang) if w in text]
    assert not shown, f"words of the web page in the PDF: {shown}"
    say = words(lang, "Try the drawing pad on the web page of this chapter.")
    assert text.count(say) == sum(len(site_page(lang, p).select("div.digit-pad")) for p in toc_pages())
    if lang != "en":
        english = ["Solutions", "Solution at the end of the chapter.", "Answer at the end of the chapter.",
                   "Question 1", "Try the drawing pad", "Solution to", "Exercise 1"]
        assert not [w for w in english if w in text], f"English words in the {lang} PDF"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_says_its_language_title_and_author_and_embeds_its_fonts(lang):
    pdf, edition = reader(lang), CONFIG["languages"][lang]
    assert pdf.trailer["/Root"]["/Lang"] == lang
    assert pdf.metadata.title == edition["html_title"]
    assert pdf.metadata.author == edition["author"]
    assert pdf.outline, "no outline"
    fonts = {}
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font).get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), f"fonts not embedded: {[f for f, ok in fonts.items() if not ok]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_is_small_enough_for_a_phone_and_served_by_the_site(lang):
    path = BUILD / "pdf" / pdf_name(lang)
    assert path.stat().st_size <= MAX_MB * 1e6, f"{path.name}: {path.stat().st_size / 1e6:.1f} MB"
    served = HTML / "pdf" / pdf_name(lang)
    assert served.is_file() and served.read_bytes() == path.read_bytes(), f"the site does not serve {path.name}"
    for page in toc_pages():
        built = (HTML / lang / f"{page}.html").read_text(encoding="utf8")
        assert f'href="../pdf/{pdf_name(lang)}"' in built, f"{lang}/{page} does not offer the PDF"
