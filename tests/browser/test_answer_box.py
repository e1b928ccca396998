"""The exercises' answer boxes (book/_ext/answer_box.py) in a real browser: each accepts the
value that the run glued, written as the edition writes numbers or as plain digits, and
rejects a wrong one, by keyboard, saying so in a live region in the edition's language;
and a page whose boxes show their verdicts passes axe."""

import re

import pytest

from tests.book import LANGUAGES, executed, number_style, pages_with_code, source, words

BOX_PAGES = [page for page in pages_with_code() if "{answer-box}" in source(LANGUAGES[0], page)]
CASES = [(lang, page) for page in BOX_PAGES for lang in LANGUAGES]


def written(value, lang, percent=False):
    """A glued value as the edition writes it: "30,730" or "30 730"; "91.7%" or "91.7 %"."""
    style = number_style(lang)
    if percent:
        return f"{100 * value:.1f}{style['percent']}"
    text = f"{int(value):,}"
    if len(str(int(value))) < style["group_from"]:
        text = text.replace(",", "")
    return text.replace(",", style["thousands"])


def wrong(value, percent=False):
    return f"{100 * value + 2:.1f}" if percent else str(int(value) + 1)


def answer(page, box, text):
    """Type an answer in a number box and press Enter; what the live region says."""
    field = box.locator("input.answer-box-input")
    field.fill("")
    field.focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    return box.locator(".answer-box-feedback").text_content()


@pytest.mark.parametrize("lang,name", CASES, ids=[f"{l}-{n}" for l, n in CASES])
def test_answer_boxes_accept_the_run_and_reject_a_wrong_answer(page, site_url, axe_script, lang, name):
    page.goto(f"{site_url}/{lang}/{name}.html", wait_until="load")
    right, not_quite = words(lang, "Right."), words(lang, "Not quite: try again, or open the hint.")
    glue = executed(name).glue
    glued = re.findall(r"^:::\{answer-box\} (\w+)\n(:percent:)?", source(lang, name), re.M)
    boxes = page.locator("div.answer-box")
    assert boxes.count() == len(glued) > 0
    for i, (glued_name, percent) in enumerate(glued):
        box = boxes.nth(i)
        value, where = glue[glued_name], f"{lang}/{name}, the box of {glued_name}"
        box.scroll_into_view_if_needed()
        feedback = box.locator(".answer-box-feedback")
        assert feedback.get_attribute("aria-live") == "polite" and feedback.get_attribute("role") == "status"
        if box.get_attribute("data-kind") == "choice":
            options = box.locator("input[type=radio]")
            expected = int(box.get_attribute("data-expected"))
            other = next(j for j in range(options.count()) if j != expected)
            options.nth(other).focus()
            page.keyboard.press("Space")
            box.locator(".answer-box-check").focus()
            page.keyboard.press("Enter")
            assert feedback.text_content() == not_quite, where
            options.nth(expected).check()
            assert feedback.text_content() == "", f"{where}: a new choice keeps the old verdict"
            box.locator(".answer-box-check").click()
            assert feedback.text_content() == right, where
            continue
        assert answer(page, box, wrong(value, bool(percent))) == not_quite, where
        assert answer(page, box, written(value, lang, bool(percent))) == right, where
        plain = f"{100 * value:.1f}" if percent else str(int(value))
        assert answer(page, box, plain) == right, f"{where}: {plain!r}"
        box.locator("input.answer-box-input").fill("")
        box.locator(".answer-box-check").click()
        assert feedback.text_content() == words(lang, "Write a number first."), where
        assert answer(page, box, wrong(value, bool(percent))) == not_quite, where
    # Some boxes now say "Not quite", in red: still accessible.
    page.add_script_tag(path=axe_script)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    serious = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert not page.errors, page.errors
