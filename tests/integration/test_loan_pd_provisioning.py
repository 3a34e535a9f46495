"""The PD a loan is booked with sets its ECL grade on every end-of-day path, on both
databases: loans alike but for their PD (1 %, 20 %, none recorded) hold different
allowances at the month-end, each the kernel's figure of its grade's 12-month PD (1.2 %,
25 %, and the default grade 6's 9 %), the bulk end of day posting exactly what the
per-loan one does; ``POST /api/v1/loans`` takes the PD and refuses one outside 0 < PD < 1
with a 422 naming ``pd_orig``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.db import tables as t
from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.eod_runner import EodRunner
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_eod_allowance import held, risk, runner
from tests.integration.test_eod_runner import SERVICING, assert_same, twin, verified
from tests.integration.test_loans_api import as_role
from tests.support.ecl import flat_ecl

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

START, JAN_END = date(2026, 1, 5), date(2026, 1, 31)
TERMS = {"principal": "12000.00", "annual_rate": "12", "periods": 12, "start": "2026-01-05"}


def paid_out(container: Container, pd: str | None) -> int:
    """12,000.00 at 12 % over 12 months from 2026-01-05, no car, booked with ``pd``."""
    principal = Money.parse("12000.00", "CNY")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
    request = BookingRequest(terms=terms, approved=principal,
                             pd_orig=None if pd is None else Decimal(pd))  # fmt: skip
    loan_id = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))
    return loan_id


def test_loans_alike_but_for_their_pd_hold_the_allowance_of_their_grade_on_both_paths(
    container: Container, twin: Container
) -> None:
    for world, bulk in ((container, True), (twin, False)):
        low, high, unknown = (paid_out(world, pd) for pd in ("0.01", "0.2", None))
        assert runner(world, bulk=bulk).run_through(SYSTEM_ACTOR, JAN_END).errors == 0
    assert_same(container, twin)  # bulk and per-loan: the same allowances and snapshot
    verified(container, JAN_END)
    ecl = {loan: risk(container, JAN_END, loan)[3] for loan in (low, high, unknown)}
    assert {loan: held(container, loan) for loan in ecl} == ecl
    # 1 % -> grade 2 (1.2 %), 20 % -> grade 8 (25 %), none -> grade 6 (9 %), not grade 0.
    assert ecl == {
        low: flat_ecl(container, low, 0.012, JAN_END),
        high: flat_ecl(container, high, 0.25, JAN_END),
        unknown: flat_ecl(container, unknown, 0.09, JAN_END),
    }
    assert flat_ecl(container, unknown, 0.004, JAN_END) < ecl[low] < ecl[unknown] < ecl[high]


def test_the_month_end_grades_on_the_lenders_own_scale_on_both_paths(
    container: Container, twin: Container
) -> None:
    # A lender whose grades run 1 %, 2 %, ... 10 %: 8.1 % is its grade 8 (9 %), and a
    # loan without a PD its grade 6 (7 %).
    lender = ColumnRiskAssessor(EclParameters(annual_pd=[(g + 1) / 100 for g in range(10)]))
    for world, bulk in ((container, True), (twin, False)):
        graded, unknown = paid_out(world, "0.081"), paid_out(world, None)
        eod = EodRunner(world.uow, world.services.clock, partition_size=2, bulk=bulk,
                        assessor=lender)  # fmt: skip
        assert eod.run_through(SYSTEM_ACTOR, JAN_END).errors == 0
    assert_same(container, twin)
    assert risk(container, JAN_END, graded)[3] == flat_ecl(container, graded, 0.09, JAN_END)
    assert risk(container, JAN_END, unknown)[3] == flat_ecl(container, unknown, 0.07, JAN_END)


def stored_terms(container: Container, loan_id: int) -> dict[str, object]:
    with container.engine.connect() as conn:
        text = conn.execute(select(t.loans.c.terms).where(t.loans.c.id == loan_id)).scalar_one()
    return dict(json.loads(text))


def test_a_loan_booked_over_http_with_a_pd_stores_it_exactly(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    svc = as_role(client, staff, Role.SERVICING)
    booked = client.post("/api/v1/loans", json=TERMS | {"pd_orig": "0.082346"}, headers=svc)
    assert booked.status_code == 201, booked.text
    assert stored_terms(container, booked.json()["id"])["pd_orig"] == "0.082346"
    plain = client.post("/api/v1/loans", json=TERMS, headers=svc)
    assert "pd_orig" not in stored_terms(container, plain.json()["id"])


@pytest.mark.parametrize("pd", ["0", "1", "1.2", "-0.05", "8%", "NaN", "lots"])
def test_a_bad_pd_is_a_422_naming_pd_orig_and_books_nothing(
    client: TestClient, staff: dict[Role, str], container: Container, pd: str
) -> None:
    svc = as_role(client, staff, Role.SERVICING)
    refused = client.post("/api/v1/loans", json=TERMS | {"pd_orig": pd}, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "pd_orig"
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.loans)).scalar_one() == 0
