"""No pyramiding of late fees on a US loan through end of day, on both databases and on
the bulk path exactly as loan by loan: installment 1 paid 15 days late draws its 25.00,
installments 2 and 3 paid in full on their due dates draw none, though the waterfall
first took the old fee out of them (16 CFR 444.4); the same loan in CNY under CN is
charged on each installment as before. The numbers are worked by hand in
tests/unit/domain/test_late_fee_pyramiding.py."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_eod_runner import SERVICING, assert_same, twin, verified

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

LATE_FEE = {"amount": "25.00", "after_days": 10}
PAID = (date(2026, 2, 20), date(2026, 3, 5), date(2026, 4, 5))  # 1,039.98 each
THROUGH = date(2026, 4, 20)


def booked(container: Container, currency: str, pack_code: str) -> int:
    """12,000.00 at 7.3 % over 12 months from 2026-01-05 with the late fee, paid out."""
    terms = LoanTerms(principal=Money.parse("12000", currency), annual_rate=Decimal("0.073"),
                      periods=12, start=date(2026, 1, 5))  # fmt: skip
    request = BookingRequest(terms=terms, approved=terms.principal, pack_code=pack_code,
                             late_fee=LATE_FEE)  # fmt: skip
    loan_id = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(
        SERVICING, loan_id, DisbursementInput(terms.principal, terms.start)
    )
    return loan_id


def story(container: Container, *, bulk: bool) -> dict[str, int]:
    """Both loans booked, end of day up to each payment day, the payment, ... Apr 20."""
    ids = {"US": booked(container, "USD", "US"), "CN": booked(container, "CNY", "CN")}
    runner = EodRunner(container.uow, container.services.clock, partition_size=4, bulk=bulk)
    for day in PAID:
        assert runner.run_through(SYSTEM_ACTOR, day - timedelta(days=1)).errors == 0
        for code, loan_id in ids.items():
            money = Money.parse("1039.98", "USD" if code == "US" else "CNY")
            data = MoneyIn(money, day, "bank_transfer", f"ref-{loan_id}-{day}")
            container.services.servicing.post_repayment(SERVICING, loan_id, data)
    assert runner.run_through(SYSTEM_ACTOR, THROUGH).errors == 0
    return ids


def late_fee_days(container: Container, loan_id: int) -> list[str]:
    """The value dates of the late fees the ledger holds (charged and not reversed)."""
    entries = container.services.loans.ledger(SERVICING, loan_id)
    undone = {e["reverses"] for e in entries if e["reverses"]}
    return sorted(
        str(e["value_date"])
        for e in entries
        if str(e["fact"]).startswith("lf:") and not e["reverses"] and e["id"] not in undone
    )


def test_a_us_loan_paid_on_time_after_one_late_installment_draws_one_late_fee_on_both_paths(
    container: Container, twin: Container
) -> None:
    ids = story(container, bulk=True)
    story(twin, bulk=False)
    assert_same(container, twin)
    verified(container, THROUGH)
    assert late_fee_days(container, ids["US"]) == ["2026-02-15"]
    assert late_fee_days(container, ids["CN"]) == ["2026-02-15", "2026-03-15", "2026-04-15"]
    schedule = container.services.loans.get(SERVICING, ids["US"])["schedule"]
    assert [row["fee"] for row in schedule[:3]] == ["25.00", "0.00", "0.00"]
