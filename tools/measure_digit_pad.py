"""Measure the drawing pads (book/_ext/digit_pad.py) of the built site: what issue 10 asks
to report, not to test against a threshold.

    BOOK_DATA_MIRROR=../shared/data .venv/bin/python -m tools.measure_digit_pad [--images 200] [--strokes 20]

For each page with a pad, it prints:
- the weight of what the pad downloads, gzipped: the page's data file (model and test
  digits) plus digit-pad.js and digit-pad.css;
- the number format of the weights, the largest difference between the pad's
  probabilities (its forward pass, in Chromium) and Keras's `predict` on the same model,
  rebuilt from the page's glue data, for the first test images; and how often both pick
  the same digit;
- the time from the end of a stroke (pointerup) to the answer on the page, in Chromium.

The browser tests (tests/browser/test_digit_pad.py) use the helpers here.
"""

import argparse
import base64
import gzip
import os
import statistics
import sys
from pathlib import Path

import numpy as np

from book._ext.digit_pad import MODEL_MIME, decode
from tools.book_sources import BOOK, HTML, glue_data, languages, pages
from tools.browser import playwright_in, serve, start_browser

def pad_pages():
    """The pages with a drawing pad, in the first edition's order of files."""
    lang = languages()[0]
    return [page for page in pages(lang) if "{digit-pad}" in (BOOK / lang / f"{page}.md").read_text(encoding="utf8")]


def glued(page, key, lang=None):
    """A page's glued value, as the build's executed notebook holds it (mime bundle)."""
    data = glue_data(lang or languages()[0], page)
    if not data:
        raise FileNotFoundError(f"no glue data for {lang}/{page}: build the book first")
    if key not in data:
        raise KeyError(f"{page} glues no {key!r}")
    return data[key]["data"]


def keras_model(page, key="pad_model"):
    """The page's model, rebuilt in this process from its glued bundle (float32 weights)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    bundle = glued(page, key)[MODEL_MIME]
    model = keras.models.model_from_json(bundle["keras_json"])
    model.set_weights([decode(w) for layer in bundle["layers"] for w in layer["weights"]])
    return model


def mnist_test(count):
    """The first `count` MNIST test images (uint8, 28 x 28) and labels: from the offline
    mirror when BOOK_DATA_MIRROR names one, otherwise as the pages load them (download)."""
    mirror = os.environ.get("BOOK_DATA_MIRROR")
    if mirror:
        with np.load(Path(mirror) / "mnist.npz") as data:
            return data["x_test"][:count], data["y_test"][:count]
    import keras

    _, (images, labels) = keras.datasets.mnist.load_data()
    return images[:count], labels[:count]


def keras_probabilities(page, images):
    """What the page's own model says about `images` (uint8), given as the page gives them:
    pixels 0-255 to a model that rescales them itself (its first layer is Rescaling), 0-1
    to any other, in the shape of the model's input."""
    model = keras_model(page)
    rescales = any(type(layer).__name__ == "Rescaling" for layer in model.layers[:1])
    inputs = images.astype("float32") / (1 if rescales else 255)
    return model.predict(inputs.reshape((len(images), *model.input_shape[1:])), verbose=0)


# The images travel as base64 bytes: as a list of numbers, 200 images (157,000 pixels) took
# Playwright tens of seconds to hand over. Each image reaches the model as the array of its
# pixels, as the pad gives it.
PAD_PROBABILITIES = """([pad, data, count]) => {
    const model = window.bookDigitPad.pads[pad].model;
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const size = bytes.length / count;
    return Array.from({length: count}, (_, i) => model.predict(Array.from(bytes.subarray(i * size, (i + 1) * size))));
}"""


def pad_probabilities(page_handle, images, pad="digit-pad"):
    """The pad's forward pass, in the browser, on uint8 images."""
    data = base64.b64encode(np.ascontiguousarray(images, dtype=np.uint8).tobytes()).decode()
    return np.array(page_handle.evaluate(PAD_PROBABILITIES, [pad, data, len(images)]))


def compare(keras, pad):
    return {
        "largest_difference": float(np.abs(keras - pad).max()),
        "argmax_agreement": float((keras.argmax(1) == pad.argmax(1)).mean()),
    }


def open_pad(page_handle, url):
    """Load a page and wait for its pads; bring the first into view."""
    page_handle.goto(url, wait_until="load")
    page_handle.locator(".digit-pad").first.scroll_into_view_if_needed()  # it loads its model there
    page_handle.wait_for_function("window.bookDigitPad && Object.keys(window.bookDigitPad.pads).length > 0")
    page_handle.locator(".digit-pad-canvas").first.scroll_into_view_if_needed()
    return page_handle


def draw(page_handle, strokes, steps=6):
    """Draw with the mouse on the first pad: for each stroke (points as fractions of the
    pad's side), press, move through the points, `steps` mouse moves each, release."""
    box = page_handle.locator(".digit-pad-canvas").first.bounding_box()
    for stroke in strokes:
        (x, y), *rest = stroke
        page_handle.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page_handle.mouse.down()
        for x, y in rest:
            page_handle.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=steps)
        page_handle.mouse.up()


def gzipped(path):
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0))


TIMER = """() => {
    window.padTimes = [];
    let start = null;
    const canvas = document.querySelector(".digit-pad-canvas");
    window.addEventListener("pointerup", (event) => {
        if (event.target === canvas) start = performance.now();
    }, {capture: true});
    const answer = document.querySelector(".digit-pad-answer");
    new MutationObserver(() => {
        if (start !== null) { window.padTimes.push(performance.now() - start); start = null; }
    }).observe(answer, {childList: true, characterData: true, subtree: true});
}"""


def stroke_times(page_handle, strokes):
    """Milliseconds from the end of a stroke to the answer, for `strokes` sevens, on a page
    opened with `open_pad`."""
    page_handle.evaluate(TIMER)
    for _ in range(strokes):
        page_handle.locator(".digit-pad-clear").first.click()
        draw(page_handle, [[(0.28, 0.22), (0.72, 0.22), (0.42, 0.8)]], steps=10)
        page_handle.wait_for_function("window.padTimes.length > 0")
    return page_handle.evaluate("window.padTimes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=200, help="test images to compare (200)")
    parser.add_argument("--strokes", type=int, default=20, help="strokes to time on each pad (20)")
    parser.add_argument("--ratio", type=float, default=1, help="the screen's devicePixelRatio (1)")
    args = parser.parse_args()
    lang = languages()[0]
    site = HTML
    static = site / "_static"  # one for every edition (book/_ext/shared_static.py)
    widget = gzipped(static / "digit-pad.js") + gzipped(static / "digit-pad.css")
    images, _ = mnist_test(args.images)
    server, url = serve(site)
    with playwright_in(site.parent / "tmp" / "chromium") as playwright:
        browser = start_browser(playwright)
        for page in pad_pages():
            data_file = static / "digit-pad" / f"{page}.js"
            tab = open_pad(browser.new_page(device_scale_factor=args.ratio), f"{url}/{lang}/{page}.html")
            dtype = tab.evaluate("window.bookDigitPadData['digit-pad'].model.dtype")
            parameters = tab.evaluate("window.bookDigitPadData['digit-pad'].model.parameters")
            numbers = compare(keras_probabilities(page, images), pad_probabilities(tab, images))
            data = gzipped(data_file)
            print(f"{page}:")
            print(f"  weights {dtype}, {parameters:,} parameters")
            print(f"  gzipped: data file {data / 1000:.1f} kB + widget (js + css) "
                  f"{widget / 1000:.1f} kB = {(data + widget) / 1000:.1f} kB")
            print(f"  first {args.images} test images: largest probability difference "
                  f"{numbers['largest_difference']:.2e}, argmax agreement {numbers['argmax_agreement']:.1%}")
            if args.strokes:
                times = stroke_times(tab, args.strokes)
                print(f"  end of stroke to answer ({len(times)} strokes, devicePixelRatio {args.ratio:g}): median "
                      f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms")
            tab.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
