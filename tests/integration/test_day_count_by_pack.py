"""A loan booked over HTTP without a day count takes its pack's, on both databases: a USD
loan (US pack) counts ACT/365, a CNY loan (CN) ACT/360, and a day count the body states
wins. USD loans were booked on ACT/360, so the interest a US loan accrues by the day (a
partial prepayment's, a daily-basis loan's) was 365/360 of the US rule's."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_loan_contracts import TERMS
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("extra", "day_count"),
    [
        ({"currency": "USD"}, "ACT/365"),
        ({"currency": "CNY"}, "ACT/360"),
        ({"currency": "USD", "day_count": "ACT/360"}, "ACT/360"),
    ],
    ids=["usd-us-pack", "cny-cn-pack", "usd-stated-act360"],
)
def test_a_booked_loan_counts_days_on_its_packs_year_unless_the_body_says(
    client: TestClient,
    staff: dict[Role, str],
    container: Container,
    extra: dict[str, str],
    day_count: str,
) -> None:
    headers = as_role(client, staff, Role.SERVICING)
    booked = client.post("/api/v1/loans", json=TERMS | extra, headers=headers)
    assert booked.status_code == 201, booked.text
    with container.engine.connect() as conn:
        stored = conn.execute(
            select(t.loans.c.terms).where(t.loans.c.id == booked.json()["id"])
        ).scalar_one()
    assert json.loads(stored)["terms"]["day_count"] == day_count


def test_a_schedule_calculated_in_dollars_counts_days_as_the_us_pack_does(
    client: TestClient, staff: dict[Role, str]
) -> None:
    # A daily-basis schedule shows the day count in its interest: first period Jan 5 ->
    # Feb 5 (31 days) on 12,000.00 at 12 %: 12,000.00 x 0.12 x 31 / 365 = 122.30 (USD),
    # x 31 / 360 = 124.00 (CNY), by hand.
    headers = as_role(client, staff, Role.SERVICING)
    first = {}
    for currency in ("USD", "CNY"):
        body = TERMS | {"currency": currency, "interest_basis": "daily"}
        made = client.post("/api/v1/schedules", json=body, headers=headers)
        assert made.status_code == 200, made.text
        first[currency] = made.json()["rows"][0]["interest"]
    assert first == {"USD": "122.30", "CNY": "124.00"}
