"""What the repository promises around the book: pinned requirements within their
supported ranges, and workflows that publish the site and try the newest releases."""

import re

import pytest
import yaml
from packaging.requirements import Requirement

from book import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def requirements(name):
    lines = (ROOT / name).read_text().splitlines()
    parsed = [Requirement(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]
    return {r.name.lower(): r.specifier for r in parsed}


def workflow(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def steps(data):
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


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


def test_publishing_workflow():
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    uses = [step.get("uses", "") for step in steps(data)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    upload = next(s for s in steps(data) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    assert "make html" in [step.get("run") for step in steps(data)]
    cache = next(s for s in steps(data) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "_build/.jupyter_cache"
    assert re.search(r"hashFiles\('requirements\.txt', 'book/\*\*/\*\.md'\)", cache["with"]["key"])


def test_weekly_workflow_tries_the_newest_releases():
    data = workflow("weekly.yml")
    assert data["on"]["schedule"][0]["cron"].split()[4] not in ("*", "")  # once a week
    assert data["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in steps(data)]
    assert "make test REQUIREMENTS=requirements-ranges.txt" in runs


@pytest.mark.parametrize("name", ["publish.yml", "weekly.yml"])
def test_workflows_use_python_311(name):
    setups = [s for s in steps(workflow(name)) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups and setups[0]["with"]["python-version"] == "3.11"
