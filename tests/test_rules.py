"""The page rules of `make check` (tools/check_pages.py), each one a test."""

import pytest

from tools import check_pages


@pytest.mark.parametrize("rule", check_pages.RULES, ids=lambda rule: rule.__name__)
def test_rule(rule):
    problems = list(rule())
    assert not problems, "\n".join(problems)
