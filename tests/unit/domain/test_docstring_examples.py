"""Every worked example in the domain's docstrings still holds."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import autolend.domain

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(autolend.domain.__path__, prefix="autolend.domain.")
)


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_domain_module_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
