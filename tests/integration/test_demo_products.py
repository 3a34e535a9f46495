"""Demo seeding publishes the eight demo products once (both backends)."""

from __future__ import annotations

import pytest

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.demo import DemoSeeder
from tests.conftest import TEST_NOW

pytestmark = pytest.mark.integration


def test_demo_seeding_publishes_the_catalogue_once(container: Container) -> None:
    s = container.services
    seeder = DemoSeeder(container.uow, s.users, s.customers, s.clock)
    seeder.seed(as_of=TEST_NOW.date())
    products = s.products.active(SYSTEM_ACTOR)
    assert len(products) == 8
    assert [v.version for v in s.products.history(SYSTEM_ACTOR, "NEV_GREEN")] == [2, 1]
    assert seeder.seed(as_of=TEST_NOW.date()).created is False
    assert len(s.products.history(SYSTEM_ACTOR, "NEV_GREEN")) == 2
