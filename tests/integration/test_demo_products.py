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


def test_the_demo_has_a_second_underwriter_for_the_approvals_that_need_two_people(
    container: Container,
) -> None:
    """A large approval waits for a second underwriter, never the first: with one user
    per role the demo could not finish one."""
    s = container.services
    report = DemoSeeder(container.uow, s.users, s.customers, s.clock).seed(as_of=TEST_NOW.date())
    assert ("underwriter2", "demo-underwriter2") in report.users
    first = s.auth.authenticate("underwriter", "demo-underwriter")
    second = s.auth.authenticate("underwriter2", "demo-underwriter2")
    assert first.id != second.id
    assert [str(r) for r in second.roles] == [str(r) for r in first.roles] == ["underwriter"]


def test_the_demo_has_a_second_servicing_user_who_can_read_and_approve_a_waiver(
    container: Container,
) -> None:
    """A fee waiver asked by ``servicing`` needs another person; admin may approve one but
    cannot read the loan, so the demo seeds ``servicing2``."""
    s = container.services
    report = DemoSeeder(container.uow, s.users, s.customers, s.clock).seed(as_of=TEST_NOW.date())
    assert ("servicing2", "demo-servicing2") in report.users
    second = s.auth.authenticate("servicing2", "demo-servicing2")
    assert [str(r) for r in second.roles] == ["servicing"]
    assert second.id != s.auth.authenticate("servicing", "demo-servicing").id
