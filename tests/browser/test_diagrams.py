"""The diagrams drawn for the book (book/<language>/figures/*.svg) as a reader sees them: on a
small phone's 360 px screen and on a desktop, every word and number of every diagram is at
least 12 px high, and no two texts of a diagram overlap or leave the drawing.

A diagram is shown as an <img>, whose inside a page's script cannot reach. So the test loads
the same SVG file inline, in a shadow root (out of the page's styles), at the very size that
the <img> has on the page, and measures each text there: its font size times the scale from
the SVG's units to the screen (getScreenCTM), and its box on the screen.
"""

import re

import pytest

from tests.book import LANGUAGES, pages, source

SMALLEST_TEXT_PX = 12
FIGURE = re.compile(r"^`{3,}\{figure\}\s+(figures/\S+\.svg)\s*$", re.M)
SCREENS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1280, "height": 900}}


def diagrams(lang, name):
    return FIGURE.findall(source(lang, name))


CASES = [(lang, name) for name in pages(LANGUAGES[0]) for lang in LANGUAGES if diagrams(lang, name)]

MEASURE = """async () => {
  const found = [];
  for (const img of document.querySelectorAll("article img")) {
    const src = img.getAttribute("src") || "";
    if (!src.endsWith(".svg")) continue;
    img.loading = "eager";
    img.scrollIntoView();
    await img.decode();
    const shown = img.getBoundingClientRect();
    const markup = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
    svg.setAttribute("width", shown.width);
    svg.setAttribute("height", shown.height);
    const host = document.createElement("div");
    host.style.cssText = "position: absolute; left: 0; top: 0;";
    document.body.appendChild(host);
    const inline = host.attachShadow({mode: "open"}).appendChild(document.importNode(svg, true));
    const frame = inline.getBoundingClientRect();
    const texts = [];
    for (const element of inline.querySelectorAll("text, tspan")) {
      const own = [...element.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
        .map(n => n.textContent).join("").trim();
      const m = element.getScreenCTM();
      const box = element.getBoundingClientRect();
      texts.push({
        text: element.textContent.trim(), own, tag: element.tagName,
        px: parseFloat(getComputedStyle(element).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)),
        box: [box.left - frame.left, box.top - frame.top, box.right - frame.left, box.bottom - frame.top],
      });
    }
    host.remove();
    found.push({src, width: shown.width, height: shown.height, texts});
  }
  return found;
}"""


def overlap(a, b, tolerance=0.5):
    return (min(a[2], b[2]) - max(a[0], b[0]) > tolerance and min(a[3], b[3]) - max(a[1], b[1]) > tolerance)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang,name", CASES, ids=[f"{lang}-{name}" for lang, name in CASES])
def test_diagram_texts_are_readable(new_page, site_url, lang, name, screen):
    page = new_page(viewport=SCREENS[screen], is_mobile=screen == "phone", has_touch=screen == "phone")
    page.goto(f"{site_url}/{lang}/{name}.html", wait_until="load")
    shown = page.evaluate(MEASURE)
    expected = sorted(path.rsplit("/", 1)[-1] for path in diagrams(lang, name))
    assert sorted(d["src"].rsplit("/", 1)[-1] for d in shown) == expected, "a diagram of the page is not shown"
    problems = []
    for diagram in shown:
        figure = diagram["src"].rsplit("/", 1)[-1]
        texts = [t for t in diagram["texts"] if t["own"]]
        assert texts, f"{figure}: no text measured"
        problems += [f"{figure}: {t['own']!r} is {t['px']:.1f} px high" for t in texts if t["px"] < SMALLEST_TEXT_PX - 0.01]
        whole = [t for t in diagram["texts"] if t["tag"] == "text"]  # a text's box holds its tspans
        for t in whole:
            left, top, right, bottom = t["box"]
            if left < -0.5 or top < -0.5 or right > diagram["width"] + 0.5 or bottom > diagram["height"] + 0.5:
                problems.append(f"{figure}: {t['text']!r} leaves the drawing ({[round(v) for v in t['box']]})")
        for i, a in enumerate(whole):
            problems += [f"{figure}: {a['text']!r} overlaps {b['text']!r}" for b in whole[i + 1:] if overlap(a["box"], b["box"])]
    assert not problems, f"{lang}/{name} on a {screen} ({SCREENS[screen]['width']} px):\n" + "\n".join(problems)
