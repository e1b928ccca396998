import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/book.py
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from book import BOOK, HTML, LANGUAGES, ROOT  # noqa: E402


def executed(page):
    """The executed notebook of a page, from the build's jupyter-cache.

    The page is read the way MyST-NB reads it, so it matches what `make html` cached;
    a page not yet in the cache is executed here (as the build would) and cached, so
    `make html` and `make test` never run the same code twice.
    """
    import yaml
    from build_book import kernel_environment
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    path = BOOK / LANGUAGES[0] / f"{page}.md"
    notebook = read_myst_markdown_notebook(path.read_text(encoding="utf8"), MdParserConfig(), path=path)
    execute = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))["execute"]
    cache = get_cache(str(ROOT / execute["cache"]))
    try:
        cache.match_cache_notebook(notebook)
    except KeyError:
        kernel_environment(ROOT)
        with tempfile.TemporaryDirectory() as cwd:
            result = single_nb_execution(
                notebook, cwd=cwd, timeout=execute["timeout"], allow_errors=False, meta_override=True
            )
        if result.err is not None:
            pytest.fail(f"{path} failed to execute:\n{result.exc_string}")
        record = cache.add_nb_to_project(str(path))
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}),
            check_validity=False, overwrite=True,
        )
    return cache.merge_match_into_notebook(notebook)[1]


@pytest.fixture(scope="session")
def notebooks():
    """Executed notebooks by page name, each page executed (or taken from the cache) once."""
    cache = {}

    def get(page):
        if page not in cache:
            cache[page] = executed(page)
        return cache[page]

    return get


@pytest.fixture(scope="session")
def html():
    """The built HTML of a page: html(lang, page) -> BeautifulSoup."""
    from bs4 import BeautifulSoup

    def get(lang, page):
        path = HTML / lang / f"{page}.html"
        assert path.is_file(), f"{path} is missing: run `make html` first"
        return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")

    return get
