"""A customer's regulation pack is stored with them (migration 0020), on both databases.

It was guessed from the stored ID's shape (nine digits: US), so a third pack whose people
have nine-digit IDs read as US: its customers' incomes and credit reports in dollars. Rows
registered before the column keep no pack and are read by that shape, as they were.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Actor
from autolend.domain.money import parse_money
from autolend.domain.regulation import US_PACK
from autolend.services.auth import actor_of
from autolend.services.customers import CustomerInput, CustomerView
from tests.support import third_pack

pytestmark = pytest.mark.integration


def underwriter(container: Container) -> Actor:
    user = container.services.users.create(
        SYSTEM_ACTOR, username="li.uw", password="pw-li-uw-long-1", roles=["underwriter"]
    )
    return actor_of(user)


def register(
    container: Container, clock: FixedClock, pack: str, currency: str
) -> tuple[Actor, CustomerView]:
    staff = underwriter(container)
    income = parse_money("6000.00", currency, field="monthly_income")
    data = CustomerInput("John Smith", "123-45-6788", "6145550100", None, income, pack)
    return staff, container.services.customers.register(staff, data, as_of=clock.today())


def stored_pack(container: Container, customer_id: int) -> str | None:
    with container.engine.connect() as conn:
        query = select(t.customers.c.pack).where(t.customers.c.id == customer_id)
        pack: str | None = conn.execute(query).scalar_one()
        return pack


def test_a_third_packs_nine_digit_customer_reads_as_their_own_pack_not_as_us(
    container: Container, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    third_pack.register(monkeypatch, replace(US_PACK, code="UZ", currency="EUR"))
    staff, customer = register(container, clock, "UZ", "EUR")
    assert stored_pack(container, customer.id) == "UZ"
    # by the ID's shape this customer read as US: income and reports in USD
    assert customer.currency == "EUR"
    again = container.services.customers.get(staff, customer.id)
    assert (again.currency, again.identity_scheme) == ("EUR", "taxpayer_id")


def test_a_customer_registered_before_the_pack_was_stored_reads_by_their_ids_shape(
    container: Container, clock: FixedClock
) -> None:
    staff, customer = register(container, clock, "US", "USD")
    assert stored_pack(container, customer.id) == "US"
    with container.engine.begin() as conn:
        conn.execute(update(t.customers).where(t.customers.c.id == customer.id).values(pack=None))
    again = container.services.customers.get(staff, customer.id)
    assert (again.currency, again.identity_scheme) == ("USD", "taxpayer_id")
