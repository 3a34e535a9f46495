"""A lender whose catalogue holds US products only (both databases): a body naming a
product it lacks is read under the US pack, so the answer names the product, not a US
applicant's SSN as a bad resident ID."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.errors import InvalidInput
from autolend.domain.product_catalogue_us import US_DEMO_HISTORY
from tests import conftest as shared
from tests.integration.test_us_origination import counted, us_body

pytestmark = pytest.mark.integration

DEALER = Actor(user_id=1, username="dealer", roles=(Role.DEALER,), dealer_id=1)


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    settings = shared.test_settings(db_url, tmp_path).model_copy(
        update={"jurisdiction": "US", "timezone": "America/New_York"}
    )
    built = build_container(settings, clock=clock)
    built.services.products.seed(SYSTEM_ACTOR, US_DEMO_HISTORY)
    yield built
    built.close()


def test_an_unknown_product_is_named_and_the_us_body_is_not_read_as_a_cn_one(
    container: Container,
) -> None:
    """Before, a product code the catalogue lacks read the body under CN: the US
    applicant's SSN, phone and consents were refused as a resident ID, a mobile and a
    missing sensitive-data consent, and the product was never named."""
    body = us_body() | {"product_code": "US_NEW_AUTOX"}
    with pytest.raises(InvalidInput) as refused:
        container.services.applications.create(DEALER, body)
    assert [e.field for e in refused.value.every()] == ["product_code"]
    assert counted(container, at.applications) == 0
