"""Lighthouse's scores of a few pages of the built site, as a phone on a slow network sees them.

    .venv/bin/python -m tools.lighthouse [--pages index 01-first-neural-network ...]

Runs npm's `lighthouse` (package.json; `npm ci` installs it) with its default mobile
profile (a mid-range phone, throttled network and CPU) against the Chromium that the
browser tests use, on the site served gzipped and cacheable as GitHub Pages serves it
(tools/browser.py). Prints the four category scores of each page, and the largest
opportunities of performance. `make bench` writes them into benchmarks/RESULTS.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from tools.book_sources import HTML, ROOT, languages
from tools.browser import ARGS, candidates, serve

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["index", "01-first-neural-network", "03-convolutional-networks", "glossary"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# The measurements behind the performance score, as Lighthouse shows them.
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
           "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS", "speed-index": "SI"}


def chromium():
    """The first browser on the list the tests use that exists (Lighthouse starts its own)."""
    found = next((path for path in candidates() if path), None)
    if found is None:
        sys.exit("No Chromium for Lighthouse: see tools/browser.py")
    return found


def audit(url):
    """Lighthouse's report of one URL, as a dict."""
    if not LIGHTHOUSE.exists():
        sys.exit(f"No {LIGHTHOUSE.relative_to(ROOT)}: Lighthouse is an npm package; install Node.js with npm "
                 "and run `npm ci` at the repository root (make bench does).")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        flags = " ".join(["--headless=new", *ARGS, f"--user-data-dir={tmp}/profile"])
        subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"],
                       check=True, env=dict(os.environ, CHROME_PATH=chromium(), TMPDIR=tmp), timeout=300)
        with open(report, encoding="utf8") as data:
            return json.load(data)


def scores(pages=PAGES, lang=None, site=HTML, runs=1):
    """{page: ({category: score 0-100}, {metric: value as shown}, [(opportunity, ms saved)])}.
    With several runs (Lighthouse's throttled timings vary with the machine's load), each
    score is the median of the runs, and the metrics and opportunities are the median run's."""
    lang = lang or languages()[-1]
    server, url = serve(site, like_github_pages=True)
    found = {}
    try:
        for page in pages:
            reports = sorted((audit(f"{url}/{lang}/{page}.html") for _ in range(runs)),
                             key=lambda report: report["categories"]["performance"]["score"])
            report = reports[len(reports) // 2]
            categories = {name: round(100 * statistics.median(r["categories"][name]["score"] for r in reports))
                          for name in CATEGORIES}
            opportunities = sorted(((audit_["title"], audit_["details"].get("overallSavingsMs", 0))
                                    for audit_ in report["audits"].values()
                                    if (audit_.get("details") or {}).get("type") == "opportunity"
                                    and audit_["details"].get("overallSavingsMs", 0) > 0),
                                   key=lambda item: -item[1])
            metrics = {short: report["audits"][name]["displayValue"] for name, short in METRICS.items()}
            found[page] = (categories, metrics, opportunities[:3])
    finally:
        server.shutdown()
    return found


def table(found):
    """The scores as a Markdown table."""
    lines = ["| page | " + " | ".join(CATEGORIES) + " | " + " | ".join(METRICS.values()) + " | largest opportunities |",
             "| --- | " + " | ".join("---:" for _ in [*CATEGORIES, *METRICS]) + " | --- |"]
    for page, (categories, metrics, opportunities) in found.items():
        hints = "; ".join(f"{title} ({ms / 1000:.1f} s)" for title, ms in opportunities) or "none"
        lines.append(f"| {page} | " + " | ".join(str(categories[c]) for c in CATEGORIES) + " | "
                     + " | ".join(metrics[m] for m in METRICS.values()) + f" | {hints} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--lang", default=None)
    parser.add_argument("--runs", type=int, default=1, help="median of this many runs per page")
    args = parser.parse_args()
    print(table(scores(args.pages, args.lang, runs=args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
