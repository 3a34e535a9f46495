"""CECL under the US pack, on both databases: a current US loan's allowance at a month-end
is its lifetime ECL (no 12-month stage 1), where the same CN loan's is 12 months; the US
loan has no five-tier class; the bulk end of day posts exactly what the per-loan one does.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_eod_allowance import held, runner
from tests.integration.test_eod_runner import SERVICING, assert_same, twin, verified

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

START, JAN_END = date(2026, 1, 5), date(2026, 1, 31)


def paid_out(container: Container, pack_code: str, currency: str) -> int:
    """27,000.00 at 6.99 % over 60 months from 2026-01-05 under ``pack_code``, booked
    with a PD of 0.4 %: grade 0, the best (a loan without one takes grade 6)."""
    principal = Money.parse("27000.00", currency)
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.0699"), periods=60,
                      start=START)  # fmt: skip
    request = BookingRequest(terms=terms, approved=principal, pack_code=pack_code,
                             pd_orig=Decimal("0.004"))  # fmt: skip
    loan_id = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))
    return loan_id


def snapshot(container: Container, loan_id: int) -> tuple[int, int, int]:
    """(class, stage, ECL) of the loan in the snapshot of Jan 31."""
    c = portfolio_risk.c
    query = select(c.risk_class, c.stage, c.ecl_minor).where(
        c.as_of == JAN_END, c.loan_id == loan_id
    )
    with container.engine.connect() as conn:
        row = conn.execute(query).one()
    return int(row[0]), int(row[1]), int(row[2])


def test_a_current_us_loan_is_provisioned_over_its_life_and_a_cn_loan_over_12_months(
    container: Container, twin: Container
) -> None:
    for world, bulk in ((container, True), (twin, False)):
        cn, us = paid_out(world, "CN", "CNY"), paid_out(world, "US", "USD")
        assert runner(world, bulk=bulk).run_through(SYSTEM_ACTOR, JAN_END).errors == 0
    assert_same(container, twin)
    verified(container, JAN_END)
    cn_class, cn_stage, cn_ecl = snapshot(container, cn)
    us_class, us_stage, us_ecl = snapshot(container, us)
    assert (cn_class, cn_stage, us_stage) == (0, 1, 1)  # both current: stage 1
    assert us_class == -1  # the five tiers are CN's
    # The kernel's sums over the same grade-0 loan (no car recorded: LGD 100 %): the
    # first 12 installments (CN) and all 60 (US, CECL); without CECL the US one is about 96.00 too.
    assert (cn_ecl, us_ecl) == (9_602, 25_624)
    assert held(container, cn) == cn_ecl and held(container, us) == us_ecl
    assert snapshot(twin, us) == (us_class, us_stage, us_ecl)
