"""A US loan is serviced under the US pack on both databases: booked over HTTP in USD it
carries the US pack (not CN's +50 % penalty and 24 %/360 ceiling), its uplift 0 is
accepted, a USD loan under CN is refused naming ``pack_code`` and stores nothing, and
left unpaid it accrues interest at the contract rate on overdue principal but no
compound interest on overdue interest, on the bulk path exactly as loan by loan."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.batch import eod_runner
from autolend.batch.bulk_book import LoanBook
from autolend.batch.bulk_day import BulkDay, bulk_day
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.eod_ports import BulkLoans
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_eod_runner import SERVICING, assert_same, twin, verified
from tests.integration.test_loan_contracts import TERMS
from tests.integration.test_loans_api import as_role

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

US_TERMS = TERMS | {"currency": "USD"}


@pytest.fixture
def svc(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


def stored_packs(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(select(t.loans.c.terms).order_by(t.loans.c.id)).all()
    return [json.loads(row.terms)["pack"] for row in rows]


def usd_loan(container: Container) -> int:
    """12,000.00 USD at 7.3 % over 12 months from 2026-01-05 under the US pack, paid out."""
    terms = LoanTerms(principal=Money.parse("12000", "USD"), annual_rate=Decimal("0.073"),
                      periods=12, start=date(2026, 1, 5))  # fmt: skip
    request = BookingRequest(terms=terms, approved=terms.principal, pack_code="US")
    loan_id = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(
        SERVICING, loan_id, DisbursementInput(terms.principal, terms.start)
    )
    return loan_id


def loan_state(container: Container, loan_id: int) -> dict[str, Any]:
    with container.engine.connect() as conn:
        text = conn.execute(select(t.loans.c.state).where(t.loans.c.id == loan_id)).scalar_one()
    state: dict[str, Any] = json.loads(text)
    return state


def test_a_usd_booking_over_http_is_stored_under_the_us_pack_with_its_uplift_of_zero(
    client: TestClient, container: Container, svc: dict[str, str]
) -> None:
    booked = client.post("/api/v1/loans", json=US_TERMS | {"penalty_uplift": "0"}, headers=svc)
    assert booked.status_code == 201, booked.text
    assert Decimal(booked.json()["penalty_uplift"]) == 0
    plain = client.post("/api/v1/loans", json=US_TERMS, headers=svc)
    assert plain.status_code == 201, plain.text
    assert Decimal(plain.json()["penalty_uplift"]) == 0  # the US pack's default
    named = client.post("/api/v1/loans", json=US_TERMS | {"pack_code": "us"}, headers=svc)
    assert named.status_code == 201, named.text
    assert stored_packs(container) == ["US", "US", "US"]


def test_a_cny_booking_over_http_is_still_stored_under_the_cn_pack(
    client: TestClient, container: Container, svc: dict[str, str]
) -> None:
    for body in (TERMS, TERMS | {"pack_code": "CN"}):
        booked = client.post("/api/v1/loans", json=body, headers=svc)
        assert booked.status_code == 201, booked.text
        assert Decimal(booked.json()["penalty_uplift"]) == Decimal("0.5")
    assert stored_packs(container) == ["CN", "CN"]


@pytest.mark.parametrize(
    "body",
    [
        US_TERMS | {"pack_code": "CN"},  # CN lends in CNY
        TERMS | {"pack_code": "US"},  # US lends in USD
        US_TERMS | {"pack_code": "XX"},  # no such pack
    ],
)
def test_a_pack_that_does_not_lend_in_the_loans_currency_is_a_422_naming_pack_code(
    client: TestClient, container: Container, svc: dict[str, str], body: dict[str, Any]
) -> None:
    refused = client.post("/api/v1/loans", json=body, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "pack_code"
    assert stored_packs(container) == []


def test_a_currency_no_pack_lends_in_is_a_422_naming_currency(
    client: TestClient, container: Container, svc: dict[str, str]
) -> None:
    refused = client.post("/api/v1/loans", json=TERMS | {"currency": "EUR"}, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "currency"
    assert stored_packs(container) == []


def test_the_service_refuses_a_usd_loan_under_the_cn_pack_naming_currency(
    container: Container,
) -> None:
    terms = LoanTerms(principal=Money.parse("12000", "USD"), annual_rate=Decimal("0.073"),
                      periods=12, start=date(2026, 1, 5))  # fmt: skip
    for request in (
        BookingRequest(terms=terms, approved=terms.principal),  # pack_code defaults to CN
        BookingRequest(terms=terms, approved=terms.principal, pack_code="CN"),
    ):
        with pytest.raises(InvalidInput) as refused:
            container.services.loans.book(SERVICING, request)
        assert refused.value.field == "currency"
    assert stored_packs(container) == []


def test_an_unpaid_us_loan_accrues_no_compound_interest_on_both_paths(
    container: Container, twin: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installment 1 (due 2026-02-05: principal 966.98, interest 73.00 = 12,000.00 x
    7.3 % / 12) unpaid, so Feb 6..Feb 15 is 10 days of "penalty" under the US pack:
    uplift 0 (the contract rate, 7.3 %) on a 365-day year, each day rounded half-up:
    966.98 x 0.073 / 365 = 0.193396 -> 0.19 a day, 1.90. The 73.00 of overdue interest
    bears nothing: with CN's compounding it would have added 73.00 x 0.073 / 365 = 0.0146
    -> 0.01 a day, 0.10 (penalty 2.00)."""
    kernel_days = 0

    def counting(loans: BulkLoans, loan_ids: list[int], held: LoanBook | None) -> BulkDay:
        nonlocal kernel_days
        out = bulk_day(loans, loan_ids, held)
        kernel_days += len(out.updates)
        return out

    monkeypatch.setattr(eod_runner, "bulk_day", counting)
    for world, bulk in ((container, True), (twin, False)):
        usd_loan(world)
        runner = EodRunner(world.uow, world.services.clock, partition_size=4, bulk=bulk)
        assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 15)).errors == 0
    assert_same(container, twin)
    verified(container, date(2026, 2, 15))
    assert kernel_days > 30  # the kernel carried the loan, overdue days included
    shown = container.services.loans.get(SERVICING, 1)
    assert shown["currency"] == "USD"
    assert shown["schedule"][0]["principal"] == "966.98"
    assert shown["balances"]["penalty"] == "1.90"
    for world in (container, twin):
        state = loan_state(world, 1)
        assert (state["penalty"], state["compound"]) == (190, 0)
