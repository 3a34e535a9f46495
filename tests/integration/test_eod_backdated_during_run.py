"""A loan paid out backdated across month-ends while end of day runs is left for the
next run, which catches it up month-end by month-end: it ends with the snapshot rows,
allowance and accruals of a world where it was paid out before any run. (Found by R4 on
2026-11-29: the run accrued such a loan past two month-ends in one replay, and it never
got their snapshot rows or allowance.) Both databases.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_eod_allowance import FEB_END, JAN_END, START, cny, held, risk, runner
from tests.integration.test_eod_runner import SERVICING, assert_same, twin, verified

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

SET_UP, THROUGH = date(2026, 3, 1), date(2026, 3, 6)
PRINCIPAL = "12000.00"


def booked(container: Container, *, paid_out: bool) -> int:
    """A 12,000.00 loan at 12 % over 12 months from START (Jan 24), paid out or not."""
    principal = cny(PRINCIPAL)
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=principal))
    if paid_out:
        loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))
    return loan_id


def accrued_through(container: Container, loan_id: int) -> date | None:
    query = select(t.loans.c.accrued_through).where(t.loans.c.id == loan_id)
    with container.engine.connect() as conn:
        found = conn.execute(query).scalar_one()
    return found if found is None or isinstance(found, date) else date.fromisoformat(found)


def test_a_loan_paid_out_backdated_during_a_run_waits_for_the_next_run_and_its_month_ends(
    container: Container, twin: Container
) -> None:
    first = booked(container, paid_out=True)
    runner(container).run_through(SYSTEM_ACTOR, SET_UP)
    late = booked(container, paid_out=False)

    def pay_out_after_the_first_days_commit(day: date, done: int, _planned: int) -> None:
        if (day, done) == (SET_UP.replace(day=2), 1):  # no lock held: between partitions
            loans = container.services.loans
            loans.disburse(SERVICING, late, DisbursementInput(cny(PRINCIPAL), START))

    run = runner(container).run_through(SYSTEM_ACTOR, THROUGH, pay_out_after_the_first_days_commit)
    assert run.errors == 0
    assert accrued_through(container, first) == THROUGH
    assert accrued_through(container, late) is None  # behind Jan 31 and Feb 28: left alone
    assert held(container, late) == 0

    again = runner(container).run_through(SYSTEM_ACTOR, THROUGH)

    assert {JAN_END, FEB_END} <= {p.day for p in again.partitions}
    assert accrued_through(container, late) == THROUGH
    assert held(container, late) == risk(container, FEB_END, late)[3] > 0
    assert risk(container, JAN_END, late)[3] > 0  # its Jan 31 snapshot row too
    # The other world: both loans paid out before any run.
    assert (booked(twin, paid_out=True), booked(twin, paid_out=True)) == (first, late)
    runner(twin).run_through(SYSTEM_ACTOR, THROUGH)
    assert_same(container, twin)
    verified(container, THROUGH)
