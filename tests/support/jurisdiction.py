"""The ``container`` fixture of a module that tests a lender under either jurisdiction: the
CN pack unless a test parametrises it indirectly.

Example: a module imports ``jurisdiction_container`` (it is its ``container``), and
``@pytest.mark.parametrize("container", ["US"], indirect=True)`` runs a test for a US
lender (``AUTOLEND_JURISDICTION=US``); the module's other tests get a CN lender.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container, build_container
from tests import conftest as shared


@pytest.fixture(name="container")
def jurisdiction_container(
    db_url: str, tmp_path: Path, clock: FixedClock, request: pytest.FixtureRequest
) -> Iterator[Container]:
    """A lender under the CN pack (parametrised ``"US"``: ``AUTOLEND_JURISDICTION=US``)."""
    jurisdiction = getattr(request, "param", "CN")
    settings = shared.test_settings(db_url, tmp_path).model_copy(
        update={"jurisdiction": jurisdiction}
    )
    built = build_container(settings, clock=clock)
    yield built
    built.close()
