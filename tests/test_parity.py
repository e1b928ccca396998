"""Both editions have the same pages, the same code and the same structure."""

import pytest

from tests.book import BOOK, CONFIG, LANGUAGES, heading_levels, pages, pages_with_code, toc_pages
from tools.book_sources import code_differences

FIRST, OTHERS = LANGUAGES[0], LANGUAGES[1:]


def test_every_edition_has_its_pages_words_and_numbers():
    """An edition is a `languages:` block of _config.yml, a folder of pages, and, but for
    English (the language the code writes its interface in), a catalog of its words."""
    assert len(LANGUAGES) >= 2 and len(set(LANGUAGES)) == len(LANGUAGES)
    for lang in LANGUAGES:
        block = CONFIG["languages"][lang]
        assert block["language"] == lang and block["label"] and block["html_title"], lang
        assert set(block["book_numbers"]) == {"percent", "thousands", "group_from"}, lang
        assert (BOOK / lang).is_dir() and pages(lang), f"no pages in book/{lang}/"
        if lang != "en":
            assert (BOOK / "_locale" / lang / "LC_MESSAGES" / "sphinx.po").is_file(), f"no catalog for {lang}"


@pytest.mark.parametrize("lang", OTHERS)
def test_same_pages_in_every_language(lang):
    assert pages(lang) == pages(FIRST), f"book/{FIRST}/ and book/{lang}/ hold different pages"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_toc_lists_every_page_of_each_language(lang):
    assert sorted(toc_pages()) == pages(lang), f"_toc.yml and book/{lang}/ disagree"


def test_code_cells_are_identical():
    assert code_differences() == []


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("page", pages(FIRST))
def test_same_section_structure(page, lang):
    assert heading_levels(lang, page) == heading_levels(FIRST, page), (
        f"{page}: the headings of {FIRST} and {lang} differ in number or level"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", pages(FIRST))
def test_one_title_and_no_skipped_heading_level(page, lang):
    levels = heading_levels(lang, page)
    assert levels[:1] == [1] and levels.count(1) == 1, f"{lang}/{page}: needs exactly one # title, first"
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"{lang}/{page}: heading level jumps from {before} to {after}"


def test_the_book_has_code():
    assert pages_with_code(), "no page of the book has code"
