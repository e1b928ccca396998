"""The drawing pads of pages 01 and 03 (book/_ext/digit_pad.py, book/_static/digit-pad.js),
in Chromium: the page's own model answers, in both editions, light and dark, offline.

- Same numbers as Keras: the pad's forward pass on the first 200 MNIST test images against
  `predict` of the same model, rebuilt here from the page's glue data (keras is installed;
  the images come from $BOOK_DATA_MIRROR/mnist.npz, or from Keras's download without it).
- Same preprocessing as tests/digit_pad_reference.py (NumPy), within one grey level, at
  several device pixel ratios.
- Real drawing: the tests draw with the mouse (or touch, or the keyboard) and read only
  what the page shows: the answer in its live region and the 28 × 28 image.
"""

import base64
import math
import re
from functools import cache

import numpy as np
import pytest

from tests.book import LANGUAGES, SERVED_SITE as SITE, number_style, words
from tests.digit_pad_reference import to_mnist
from tools.check_pages import interface_strings
from tools.measure_digit_pad import compare, draw, keras_probabilities, mnist_test, open_pad, pad_probabilities

LINEAR, CONVOLUTIONAL = "01-first-neural-network", "03-convolutional-networks"
PAD_PAGES = (LINEAR, CONVOLUTIONAL)
# The number format each page's weights travel in (digit_pad.py picks it by size).
FORMATS = {LINEAR: "float32", CONVOLUTIONAL: "float16"}
IMAGES = 200


def ellipse(cx, cy, rx, ry, points=40):
    """A closed loop, starting at its top, as a fraction of the pad's side."""
    return [(cx + rx * math.sin(2 * math.pi * i / points), cy - ry * math.cos(2 * math.pi * i / points))
            for i in range(points + 1)]


# Strokes, each a list of points as fractions of the pad's side.
# The pad's instructions, as book/_ext/digit_pad.py writes them in English.
INSTRUCTIONS = next(s for s in interface_strings() if s.startswith("Draw a digit from 0 to 9 in the black square"))
SHAPES = {
    "vertical stroke": [[(0.5, 0.18), (0.5, 0.82)]],
    "loop": [ellipse(0.5, 0.5, 0.2, 0.3)],
    "seven": [[(0.28, 0.22), (0.72, 0.22), (0.44, 0.82)]],
    "small one in a corner": [[(0.12, 0.07), (0.12, 0.27)]],
}
READINGS = [
    (LINEAR, "vertical stroke", 1),
    (CONVOLUTIONAL, "vertical stroke", 1),
    (CONVOLUTIONAL, "loop", 0),
    (CONVOLUTIONAL, "seven", 7),
    (LINEAR, "small one in a corner", 1),
    (CONVOLUTIONAL, "small one in a corner", 1),
]


def pad_url(site_url, lang, name):
    return f"{site_url}/{lang}/{name}.html"


def announced(page):
    """The live region's text, once it gives an answer."""
    region = page.locator(".digit-pad-answer").first
    assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
    page.wait_for_function("/\\d/.test(document.querySelector('.digit-pad-answer').textContent)")
    return region.text_content()


def answer(page):
    """The digit the page announces (the first digit of the live region's sentence)."""
    return int(re.search(r"\d", announced(page)).group())


def clear(page):
    page.locator(".digit-pad-clear").first.click()
    page.wait_for_function("!/\\d/.test(document.querySelector('.digit-pad-answer').textContent)")


@cache
def keras_reference(name):
    images, _ = mnist_test(IMAGES)
    return images, keras_probabilities(name, images)


# ---- Same numbers as Keras --------------------------------------------------------------

@pytest.mark.parametrize("chapter", PAD_PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_forward_pass_matches_keras(page, site_url, lang, chapter):
    images, keras = keras_reference(chapter)
    open_pad(page, pad_url(site_url, lang, chapter))
    assert page.evaluate("window.bookDigitPadData['digit-pad'].model.dtype") == FORMATS[chapter]
    numbers = compare(keras, pad_probabilities(page, images))
    print(f"{chapter}: {numbers}")
    if FORMATS[chapter] == "float32":
        assert numbers["largest_difference"] <= 1e-4, numbers
    else:  # quantised weights: the same answers
        assert numbers["argmax_agreement"] >= 0.995, numbers
        assert numbers["largest_difference"] <= 1e-2, numbers
    assert not page.errors, "\n".join(page.errors)


# ---- Same preprocessing as the NumPy reference ------------------------------------------

# The canvases' RGBA bytes, in base64: as an array of numbers, the pad's million bytes at a
# devicePixelRatio of 2 took the browser and Playwright minutes to hand over.
READ_CANVASES = """() => {
    const pad = document.querySelector(".digit-pad-canvas");
    const seen = document.querySelector(".digit-pad-preview");
    const canvas = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height);
    const preview = seen.getContext("2d").getImageData(0, 0, 28, 28);
    const base64 = bytes => {
        let text = "";
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(text);
    };
    return {width: pad.width, height: pad.height, css: pad.clientWidth,
            canvas: base64(canvas.data), preview: base64(preview.data)};
}"""


def decoded(data, height, width):
    return np.frombuffer(base64.b64decode(data), np.uint8).reshape(height, width, 4)


@pytest.mark.parametrize("ratio", [1, 1.5, 2])
def test_preprocessing_matches_numpy_reference(new_page, site_url, ratio):
    page = new_page(device_scale_factor=ratio)
    open_pad(page, pad_url(site_url, "en", CONVOLUTIONAL))
    for shape, strokes in SHAPES.items():
        clear(page)
        draw(page, strokes)
        answer(page)
        seen = page.evaluate(READ_CANVASES)
        # The pad draws at the screen's resolution.
        assert seen["width"] == seen["height"] == round(seen["css"] * ratio), seen["width"]
        canvas = decoded(seen["canvas"], seen["height"], seen["width"])
        assert (canvas[..., 3] == 0).any(), "the pad's canvas should be transparent where there is no ink"
        preview = decoded(seen["preview"], 28, 28)
        assert (preview[..., 0] == preview[..., 1]).all() and (preview[..., 3] == 255).all()
        expected = to_mnist(canvas)
        assert expected is not None
        difference = np.abs(preview[..., 0].astype(int) - expected.astype(int))
        assert difference.max() <= 1, (
            f"{shape} at devicePixelRatio {ratio}: {int((difference > 1).sum())} pixels differ "
            f"by up to {difference.max()} grey levels"
        )
    assert not page.errors, "\n".join(page.errors)


def test_reference_follows_mnist():
    """The reference's steps on a synthetic drawing: a transparent canvas with an opaque
    white bar, wider than tall, in a corner."""
    rgba = np.zeros((300, 300, 4), np.uint8)
    rgba[10:40, 200:290] = 255
    image = to_mnist(rgba)
    rows, cols = np.flatnonzero(image.any(1)), np.flatnonzero(image.any(0))
    assert cols.size == 20 and rows.size == 7  # 90 x 30 pixels -> 20 x 7
    mass = image.astype(float)
    cy = (mass.sum(1) * np.arange(28)).sum() / mass.sum()
    cx = (mass.sum(0) * np.arange(28)).sum() / mass.sum()
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5
    assert to_mnist(np.zeros((50, 50, 4), np.uint8)) is None


# ---- Real drawing -----------------------------------------------------------------------

@pytest.mark.parametrize("chapter, shape, digit", READINGS, ids=[f"{c[:2]}-{s}" for c, s, _ in READINGS])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_drawing_reads_as(page, site_url, lang, chapter, shape, digit):
    open_pad(page, pad_url(site_url, lang, chapter))
    draw(page, SHAPES[shape])
    assert answer(page) == digit, f"{lang}/{chapter}: the {shape} reads as {announced(page)!r}"
    bars = page.locator(".digit-pad-bar-value").all_text_contents()
    assert len(bars) == 10 and all(re.search(r"\d", bar) for bar in bars), bars
    assert not page.errors, "\n".join(page.errors)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_alone(page, site_url, lang):
    """Draw a 1 with the arrow keys and the space bar, clear, then choose a test digit."""
    open_pad(page, pad_url(site_url, lang, CONVOLUTIONAL))
    page.locator(".digit-pad-canvas").first.focus()
    for key in ["ArrowUp"] * 9 + ["Space"] + ["ArrowDown"] * 18 + ["Space"]:
        page.keyboard.press(key)
    assert answer(page) == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('digit-pad-clear')")
    page.keyboard.press("Enter")
    assert not re.search(r"\d", page.locator(".digit-pad-answer").first.text_content())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    label = int(re.findall(r"\d", focused)[-1])  # "Test digit 1, labelled 7"
    page.keyboard.press("Enter")
    text = announced(page)
    assert str(label) in text and answer(page) == label, text  # the model reads it right
    assert not page.errors, "\n".join(page.errors)


# ---- Both editions, light and dark; a phone; offline -------------------------------------

@pytest.mark.parametrize("chapter", PAD_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_light_and_dark_without_console_errors(new_page, site_url, axe_script, lang, scheme, chapter):
    page = new_page(color_scheme=scheme)
    open_pad(page, pad_url(site_url, lang, chapter))
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    draw(page, SHAPES["seven"])
    answer(page)
    # White ink on black in both modes.
    assert page.locator(".digit-pad-canvas").first.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(0, 0, 0)"
    ink = page.evaluate("""() => { const c = document.querySelector('.digit-pad-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let m = 0; for (let i = 0; i < d.length; i += 4) m = Math.max(m, Math.min(d[i], d[i+1], d[i+2]) * d[i+3]);
        return m / 255; }""")
    assert ink == 255
    page.locator(".digit-pad-sample").nth(2).click()
    answer(page)
    # The pad, with an answer on show, passes axe in this colour scheme.
    page.add_script_tag(path=axe_script)
    violations = page.evaluate(
        "axe.run(document.querySelector('.digit-pad'), {resultTypes: ['violations']})"
    )["violations"]
    serious = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
               for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)
    clear(page)
    assert not page.errors, "\n".join(page.errors)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_interface_speaks_the_page_language(page, site_url, lang):
    open_pad(page, pad_url(site_url, lang, LINEAR))
    canvas = page.locator(".digit-pad-canvas").first
    name = canvas.get_attribute("aria-label")
    instructions = page.locator("#" + canvas.get_attribute("aria-describedby")).text_content()
    idle = page.locator(".digit-pad-answer").first.text_content()
    clear_button = page.locator(".digit-pad-clear").first.text_content()
    assert name == words(lang, "Drawing pad: draw a digit from 0 to 9")
    assert instructions == words(lang, INSTRUCTIONS)
    assert idle == words(lang, "Draw a digit, or choose one of the test digits.")
    assert clear_button == words(lang, "Clear")
    draw(page, SHAPES["vertical stroke"])
    text = announced(page)
    answer = words(lang, "The model answers {digit}, with a probability of {probability}.")
    assert text.startswith(answer.split("{")[0]), text
    # The probability is written as the edition writes percentages ("92.6 %" or "92.6%").
    percent = number_style(lang)["percent"]
    assert re.search(rf"\d{re.escape(percent)}", text) and text.count("%") == 1, text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_touch_draws_without_scrolling(new_page, site_url, lang):
    page = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True)
    open_pad(page, pad_url(site_url, lang, CONVOLUTIONAL))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    pad = page.locator(".digit-pad").first.bounding_box()
    assert pad["x"] >= 0 and pad["x"] + pad["width"] <= 390
    canvas = page.locator(".digit-pad-canvas").first
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "none"
    box = canvas.bounding_box()
    scroll = page.evaluate("window.scrollY")
    cdp = page.context.new_cdp_session(page)
    x = box["x"] + box["width"] / 2

    def touch(kind, fraction):
        points = [] if kind == "touchEnd" else [{"x": x, "y": box["y"] + fraction * box["height"], "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 0.2)
    for step in range(1, 21):
        touch("touchMove", 0.2 + 0.6 * step / 20)
    touch("touchEnd", 0.8)
    assert answer(page) == 1
    assert page.evaluate("window.scrollY") == scroll, "drawing with a finger scrolled the page"
    assert not page.errors, "\n".join(page.errors)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_works_offline_and_loads_nothing_from_elsewhere(page, site_url, lang):
    elsewhere = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(site_url) else None)
    open_pad(page, pad_url(site_url, lang, CONVOLUTIONAL))
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    draw(page, SHAPES["seven"])
    assert answer(page) == 7
    assert not elsewhere, f"requests outside the site: {elsewhere}"
    assert not page.errors, "\n".join(page.errors)


def test_works_from_a_file(page):
    open_pad(page, (SITE / "en" / f"{CONVOLUTIONAL}.html").as_uri())
    draw(page, SHAPES["vertical stroke"])
    assert answer(page) == 1
    assert not page.errors, "\n".join(page.errors)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_pages_with_a_pad_load_it(lang):
    for html in sorted((SITE / lang).glob("*.html")):
        text = html.read_text(encoding="utf8")
        has_pad = 'class="digit-pad"' in text
        assert ("digit-pad.js" in text) == has_pad, html.name
        # The page names its data file, which the script loads when the pad nears view.
        assert (f'data-page="{html.stem}"' in text) == has_pad, html.name
        assert has_pad == (html.stem in PAD_PAGES), html.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_loads_only_near_the_pad(new_page, site_url, lang):
    """A visit that never reaches the pad neither downloads its model nor builds it."""
    page = new_page(viewport={"width": 390, "height": 844})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/{lang}/{LINEAR}.html", wait_until="networkidle")
    assert not [url for url in requested if "/digit-pad/" in url], requested
    assert page.evaluate("Object.keys(window.bookDigitPad.pads).length") == 0
    page.locator(".digit-pad").first.scroll_into_view_if_needed()
    page.wait_for_function("Object.keys(window.bookDigitPad.pads).length > 0")
    assert [url for url in requested if url.endswith(f"/digit-pad/{LINEAR}.js")], requested
    assert not page.errors, "\n".join(page.errors)
