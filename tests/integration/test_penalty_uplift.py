"""The contract's penalty uplift on both databases: a loan charges penalty interest at
its own contract's uplift (the product's, e.g. the seasonal loan's +30 %), not the pack's
default (+50 %), on the bulk path exactly as loan by loan; the contract states it; the
booking API refuses one outside the pack's range naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.product_catalogue import SEASONAL
from autolend.domain.schedule import LoanTerms, Subsidy
from autolend.services.disbursement import DisbursementInput
from autolend.services.loans import BookingRequest
from autolend.services.product_terms import servicing_terms
from tests.integration.test_eod_runner import SERVICING, assert_same, cny, twin, verified
from tests.integration.test_late_fees import paid_out
from tests.integration.test_loan_contracts import TERMS
from tests.integration.test_loans_api import as_role

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration


def book(container: Container) -> tuple[int, int]:
    """12,000.00 at 12 % over 12 months from 2026-01-05, nothing paid: one at +30 %,
    one booked without an uplift (the pack's default, +50 %)."""
    return paid_out(container, penalty_uplift=Decimal("0.3")), paid_out(container)


@pytest.fixture
def svc(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


def penalty(container: Container, loan_id: int) -> str:
    return str(container.services.loans.get(SERVICING, loan_id)["balances"]["penalty"])


def test_penalty_accrues_at_the_contracts_uplift_on_both_paths(
    container: Container, twin: Container
) -> None:
    """Installment 1 (due 2026-02-05: principal 946.19, interest 120.00) unpaid, so
    Feb 6..Feb 15 is 10 days of penalty (ACT/360, each day rounded half-up):
    +30 %: 946.19 x 12 % x 1.3 / 360 = 0.41002 -> 0.41 and 120.00 x 0.156 / 360 = 0.052
    -> 0.05 compound: 0.46 a day, 4.60; +50 %: 946.19 x 0.18 / 360 = 0.47310 -> 0.47
    and 120.00 x 0.18 / 360 = 0.06: 0.53 a day, 5.30."""
    for world, bulk in ((container, True), (twin, False)):
        book(world)
        runner = EodRunner(world.uow, world.services.clock, partition_size=4, bulk=bulk)
        assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 15)).errors == 0
    assert_same(container, twin)
    verified(container, date(2026, 2, 15))
    assert (penalty(container, 1), penalty(container, 2)) == ("4.60", "5.30")
    shown = container.services.loans.get(SERVICING, 1)
    assert shown["penalty_uplift"] == "0.3"
    assert container.services.loans.get(SERVICING, 2)["penalty_uplift"] == "0.5"


def test_a_zero_percent_promotion_charges_penalty_on_its_contract_rate_on_both_paths(
    container: Container, twin: Container
) -> None:
    """A car maker's 0 % promotion: contract rate 12 %, the borrower pays 0 % and the
    maker the rest (贴息), booked as origination books it. Installment 1 (principal
    1,000.00, no interest) unpaid, so Feb 6..Feb 15 is 10 days of penalty on the
    contract rate (PBOC 2003, contract rate x 1.5), not on the borrower's 0 %:
    1,000.00 x 12 % x 1.5 / 360 = 0.50 a day, 5.00; no interest to compound."""
    promo = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12,
                      start=date(2026, 1, 5), subsidy=Subsidy(Decimal(0), "oem"))  # fmt: skip
    for world, bulk in ((container, True), (twin, False)):
        loan_id = world.services.loans.book(
            SERVICING, BookingRequest(terms=promo, approved=promo.principal)
        )
        world.services.loans.disburse(
            SERVICING, loan_id, DisbursementInput(promo.principal, promo.start)
        )
        runner = EodRunner(world.uow, world.services.clock, partition_size=4, bulk=bulk)
        assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 15)).errors == 0
    assert_same(container, twin)
    verified(container, date(2026, 2, 15))
    shown = container.services.loans.get(SERVICING, 1)
    assert (shown["annual_rate"], shown["customer_rate"]) == ("0.12", "0")
    assert shown["schedule"][0]["interest"] == "0.00"
    assert penalty(container, 1) == "5.00"


def test_the_seasonal_products_uplift_travels_with_its_loans() -> None:
    assert servicing_terms(SEASONAL, cny("100000")).penalty_uplift == Decimal("0.3")


@pytest.mark.parametrize("uplift", ["60", "20", "lots"])
def test_a_booking_with_an_uplift_outside_the_packs_range_is_a_422_naming_it(
    client: TestClient, svc: dict[str, str], uplift: str
) -> None:
    refused = client.post("/api/v1/loans", json=TERMS | {"penalty_uplift": uplift}, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "penalty_uplift"
    assert client.get("/api/v1/loans", headers=svc).json()["items"] == []


def test_a_booking_over_http_keeps_its_uplift(client: TestClient, svc: dict[str, str]) -> None:
    booked = client.post("/api/v1/loans", json=TERMS | {"penalty_uplift": "30"}, headers=svc)
    assert booked.status_code == 201, booked.text
    assert Decimal(booked.json()["penalty_uplift"]) == Decimal("0.3")
