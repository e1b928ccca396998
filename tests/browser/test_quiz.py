"""Self-check questions (book/_ext/quiz.py) answer at once, by keyboard too, in both editions."""

import pytest

from tests.book import LANGUAGES, pages_with_code, words

PAGE = pages_with_code()[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_quiz_says_at_once_whether_the_choice_is_right(page, site_url, lang):
    page.goto(f"{site_url}/{lang}/{PAGE}.html", wait_until="load")
    right_word, wrong_word, show = (words(lang, msgid) for msgid in (
        "Right.", "Not quite: try again, or show the answer.", "Show the answer"))
    quiz = page.locator(".quiz").first
    answer = int(quiz.get_attribute("data-answer"))
    options = quiz.locator("input[type=radio]")
    wrong = next(i for i in range(options.count()) if i != answer)
    explanation = quiz.locator("details.quiz-answer")
    assert not explanation.evaluate("d => d.open"), "the answer shows before it is asked for"
    # By keyboard: focus an option, choose it with Space, go to the button, press Enter.
    options.nth(wrong).focus()
    page.keyboard.press("Space")
    quiz.locator(".quiz-check").focus()
    page.keyboard.press("Enter")
    feedback = quiz.locator(".quiz-feedback")
    assert wrong_word in feedback.text_content()
    assert feedback.get_attribute("aria-live") == "polite"
    options.nth(answer).check()
    assert feedback.text_content() == "", "a new choice keeps the old verdict"
    quiz.locator(".quiz-check").click()
    assert feedback.text_content() == right_word
    assert not explanation.evaluate("d => d.open")
    explanation.locator("summary").click()
    assert explanation.evaluate("d => d.open") and show in explanation.locator("summary").text_content()
    assert not page.errors, page.errors
