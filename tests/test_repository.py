"""What the repository promises around the book: pinned requirements within their
supported ranges, and workflows that publish the site and try the newest releases."""


import base64
import hashlib
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.book import ROOT, action_steps, steps, workflow


def requirements(name):
    lines = (ROOT / name).read_text().splitlines()
    parsed = [Requirement(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]
    return {r.name.lower(): r.specifier for r in parsed}


def test_every_pin_lies_in_its_supported_range():
    pins, ranges = requirements("requirements.txt"), requirements("requirements-ranges.txt")
    assert pins.keys() == ranges.keys()
    for name, pin in pins.items():
        (exact,) = list(pin)
        assert exact.operator == "==", f"{name} is not pinned in requirements.txt"
        assert exact.version in ranges[name], f"{name}=={exact.version} is outside {ranges[name]}"
    assert "2" not in ranges["jupyter-book"], "jupyter-book 2 is a different tool"


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make html" in readme and "make test" in readme


def test_publishing_workflow_publishes_only_what_passed_the_tests():
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    build = data["jobs"]["build"]["steps"]
    runs = [step.get("run") for step in build]
    uses = [step.get("uses", "") for step in build]
    upload = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@"))
    assert build[upload]["with"]["path"] == "_build/html"
    tests = runs.index("make test")
    assert tests < upload, "the site is uploaded before the tests ran"
    assert "make html" not in runs
    assert build[tests]["env"]["BOOK_CHROMIUM"], "the browser tests need the runner's Chrome"
    assert any(u.startswith("actions/deploy-pages@") for u in uses + [s.get("uses", "") for s in deploy["steps"]])


def test_the_published_site_holds_the_pdfs_that_the_tests_read():
    """`make test` prints the PDFs (make pdf) before it tests them, into the site's pdf/,
    which the Publish workflow uploads once the tests pass."""
    import re

    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\bpdf\b", makefile, re.M), "make test does not print the PDFs"
    assert re.search(r"^pdf:.*\bhtml\b", makefile, re.M), "make pdf does not build the site first"
    build = workflow("publish.yml")["jobs"]["build"]["steps"]
    runs = [step.get("run") or "" for step in build]
    check = next(i for i, run in enumerate(runs) if "_build/html/pdf/" in run)
    assert runs.index("make test") < check < next(i for i, s in enumerate(build)
                                                   if s.get("uses", "").startswith("actions/upload-pages-artifact@"))


@pytest.mark.parametrize("name, saved", [("publish.yml", True), ("test.yml", False)])
def test_the_execution_cache_is_keyed_by_the_installed_versions(name, saved):
    steps_ = steps(workflow(name))
    (cache,) = [s for s in steps_ if s.get("uses", "").startswith("actions/cache")]
    assert cache["uses"].startswith("actions/cache/restore@") != saved, "pull requests must not save the cache"
    runs = [s.get("run") or "" for s in steps_]
    install = next(i for i, run in enumerate(runs) if run.startswith("make venv"))
    assert steps_.index(cache) > install, "the cache is restored before the install"
    assert cache["with"]["path"] == "_build/.jupyter_cache"
    installed = "hashFiles('.venv/installed.txt')"
    assert cache["with"]["key"].startswith(f"jupyter-cache-${{{{ {installed} }}}}-")
    for fallback in str(cache["with"].get("restore-keys", "")).splitlines():
        assert fallback.startswith(f"jupyter-cache-${{{{ {installed} }}}}-"), fallback


def test_pull_requests_run_every_test():
    data = workflow("test.yml")
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    assert "make test" in [step.get("run") for step in steps(data)]


def test_weekly_workflow_tries_the_newest_releases():
    data = workflow("weekly.yml")
    assert data["on"]["schedule"][0]["cron"].split()[4] not in ("*", "")  # once a week
    assert data["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in steps(data)]
    assert "make test REQUIREMENTS=requirements-ranges.txt" in runs


WORKFLOWS = sorted(path.name for path in (ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflows_use_python_311_with_pips_cache(name):
    setups = [s for s in steps(workflow(name)) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups and setups[0]["with"]["python-version"] == "3.11"
    assert setups[0]["with"]["cache"] == "pip"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_failing_run_keeps_its_reports_and_screenshots(name):
    """Every job that runs `make test` uploads, when it fails, the failing pages' reports
    (MyST-NB's), the kernels' log and the screenshots."""
    for job in workflow(name)["jobs"].values():
        runs = [step.get("run") or "" for step in job.get("steps", [])]
        if not any(run.startswith("make test") for run in runs):
            continue
        kept = [step for step in job["steps"] if step.get("uses") == "./.github/actions/keep-failure-reports"]
        assert kept and kept[0]["if"] == "failure()", f"{name}: a failure leaves nothing to look at"
        (upload,) = action_steps(kept[0])
        assert upload["uses"].startswith("actions/upload-artifact@")
        assert set(upload["with"]["path"].split()) == {"_build/html/*/reports/", "_build/logs/", "_build/screenshots/"}


def test_our_copy_of_the_themes_asset_macros_only_drops_font_awesome_and_the_stylesheets():
    """book/_templates/static/webpack-macros.html replaces the theme's file of the same
    name: it must be the pinned theme's, less the line that loads Font Awesome's script
    (book/_static/icons.css draws the icons) and the links to the theme's stylesheets, which
    open the one stylesheet of every page (book/_ext/one_stylesheet.py joins the same files),
    or a theme upgrade would load stale assets."""
    import pydata_sphinx_theme

    from book._ext.one_stylesheet import THEME

    theme = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
             / "webpack-macros.html").read_text().splitlines()
    ours = (ROOT / "book" / "_templates" / "static" / "webpack-macros.html").read_text()
    ours = ours.split("-#}\n", 1)[1].splitlines()  # after our comment
    dropped = [line for line in theme if line not in ours]
    assert [line for line in ours if line not in theme] == []
    stylesheets = [line for line in dropped if 'rel="stylesheet"' in line]
    assert [re.search(r"pathto\('([^']+)'", line)[1] for line in stylesheets] == THEME, stylesheets
    others = [line for line in dropped if line not in stylesheets]
    assert all("fontawesome" in line or "custom icons" in line for line in others) and others, others


def test_the_theme_whose_markup_our_templates_copy_is_pinned():
    """Two of book/_templates copy pydata-sphinx-theme's markup (0.18 changed it): it is
    pinned like a direct dependency, not left to sphinx-book-theme's range."""
    pins, ranges = requirements("requirements.txt"), requirements("requirements-ranges.txt")
    assert "pydata-sphinx-theme" in pins
    assert not ranges["pydata-sphinx-theme"].contains("0.18.0")


def test_axe_core_is_the_released_file_with_its_licences():
    """The browser tests' axe-core is kept in the repository (no npm for `make test`): the
    release's own axe.min.js, as Deque's sri-history.json records it, and its licences."""
    folder = ROOT / "tests" / "browser" / "vendor" / "axe-core"
    script = (folder / "axe.min.js").read_bytes()
    version = script.split(b"\n", 1)[0].decode()
    assert version == "/*! axe v4.14.1" and "axe-core 4.14.1" in (folder / "README.md").read_text()
    sri = "sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert sri == "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw=", f"axe.min.js differs from the release: {sri}"
    assert (folder / "LICENSE").read_text().startswith("Mozilla Public License, version 2.0")
    assert "MIT License" in (folder / "LICENSE-3RD-PARTY.txt").read_text()
