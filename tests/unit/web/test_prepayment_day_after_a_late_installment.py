"""The prepayment form's proposed day follows the servicing rule: the latest due date up
to today whose installment and every one before it are paid, on time or late; an
installment due today and still unpaid leaves the due date before it; arrears leave none."""

from __future__ import annotations

import doctest
from datetime import date
from typing import Any

from autolend.web import loan_views
from autolend.web.loan_views import prepayment_day

TODAY = date(2026, 11, 5)


def loan(*statuses: str, penalty: str = "0.00") -> dict[str, Any]:
    """A loan due on the 5th from 2026-09-05, its installments in ``statuses``."""
    days = ["2026-09-05", "2026-10-05", "2026-11-05", "2026-12-05"]
    rows = [{"due_date": day, "status": s} for day, s in zip(days, statuses, strict=False)]
    return {"status": "active", "balances": {"penalty": penalty}, "schedule": rows}


def test_an_installment_due_today_and_unpaid_leaves_the_due_date_before_it() -> None:
    assert prepayment_day(loan("paid", "paid", "due", "future"), TODAY) == "2026-10-05"
    assert prepayment_day(loan("paid", "paid", "partly_paid", "future"), TODAY) == "2026-10-05"


def test_todays_installment_paid_makes_today_the_day() -> None:
    assert prepayment_day(loan("paid", "paid", "paid", "future"), TODAY) == "2026-11-05"


def test_arrears_leave_no_day() -> None:
    assert prepayment_day(loan("paid", "overdue", "due", "future"), TODAY) is None
    assert prepayment_day(loan("paid", "paid", "due", "future", penalty="0.01"), TODAY) is None
    assert prepayment_day(loan("due", "future"), date(2026, 9, 5)) is None


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(loan_views).failed == 0
