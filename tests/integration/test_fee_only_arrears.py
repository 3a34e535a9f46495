"""A fee left unpaid alone does not make a loan past due, on both databases: the end of
day on the bulk path and loan by loan post the same lines and store the same month-end
snapshot rows, and both count the days past due only from an installment whose principal
or interest is unpaid (CN five-tier rule: days overdue of 本金、利息; 16 CFR 444.4: a
late charge alone is no delinquency); the loan page says the same.

Every loan is 12,000.00 at 12 % over 12 months from 2026-01-05: installment 1 is 946.19
of principal and 120.00 of interest (1,066.19) due 2026-02-05.

* ``fee_left``: the contract's 50.00 late fee after 15 days and the principal-first
  waterfall (先本后息); nothing paid until the fee falls on Feb 20, then 1,066.19 on Feb 23
  pays installment 1's principal and interest and leaves the fee (and the penalty).
* ``fen_short``: the same, 1,066.18 on Feb 23: 0.01 of interest left unpaid.
* ``by_hand``: no late-fee rule; installment 1 paid on its due date, then a 50.00 fee
  charged by hand on it (value date Feb 10) and left unpaid.

On Feb 28 (a month-end, snapshot taken by the end of day) ``fee_left`` and ``by_hand``
are 0 days past due, bucket current, class 正常; ``fen_short`` 23 (Feb 5 .. Feb 28),
bucket 1-30, class 关注.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.batch import eod_runner
from autolend.batch.bulk_book import LoanBook
from autolend.batch.bulk_day import BulkDay, bulk_day
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.eod_ports import BulkLoans
from autolend.services.fees import FeeCharge
from tests.integration.test_eod_runner import SERVICING, assert_same, cny, pay, twin, verified
from tests.integration.test_late_fees import LATE_FEE, paid_out

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

MONTH_END = date(2026, 2, 28)
NAMES = ("fee_left", "fen_short", "by_hand")


def story(container: Container, *, bulk: bool) -> dict[str, int]:
    """The three loans (module docstring) through end of day Mar 1; their ids by name."""
    ids = {name: paid_out(container, late_fee=LATE_FEE, waterfall="principal_first")
           for name in NAMES[:2]}  # fmt: skip
    ids["by_hand"] = paid_out(container)
    runner = EodRunner(container.uow, container.services.clock, partition_size=2, bulk=bulk)
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 14)).errors == 0
    pay(container, ids["by_hand"], "1066.19", date(2026, 2, 5))
    fee = FeeCharge("late_fee", cny("50.00"), n=1, value_date=date(2026, 2, 10))
    container.services.fees.charge_fee(SERVICING, ids["by_hand"], fee)
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 22)).errors == 0
    pay(container, ids["fee_left"], "1066.19", date(2026, 2, 23))
    pay(container, ids["fen_short"], "1066.18", date(2026, 2, 23))
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 3, 1)).errors == 0
    return ids


def risk_rows(container: Container, ids: dict[str, int]) -> dict[str, tuple[int, int, int]]:
    """Each loan's days past due, bucket and five-tier class in the Feb 28 snapshot."""
    c = portfolio_risk.c
    query = select(c.loan_id, c.dpd, c.bucket, c.risk_class).where(c.as_of == MONTH_END)
    with container.engine.connect() as conn:
        found = {int(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in conn.execute(query)}
    return {name: found[loan_id] for name, loan_id in ids.items()}


def test_a_fee_left_unpaid_alone_is_no_days_past_due_on_the_bulk_path_and_loan_by_loan(
    container: Container, twin: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: dict[date, set[int]] = {}

    def recording(loans: BulkLoans, loan_ids: list[int], held: LoanBook | None) -> BulkDay:
        out = bulk_day(loans, loan_ids, held)
        kept.setdefault(loans.day, set()).update(out.updates)
        return out

    monkeypatch.setattr(eod_runner, "bulk_day", recording)
    ids = story(container, bulk=True)
    story(twin, bulk=False)
    assert_same(container, twin)  # every line, installment, state and snapshot row
    verified(container, date(2026, 3, 1))
    schedules = {n: container.services.loans.get(SERVICING, i)["schedule"][0]
                 for n, i in ids.items()}  # fmt: skip
    assert {n: (row["fee"], row["outstanding"]) for n, row in schedules.items()} == {
        "fee_left": ("50.00", "50.00"), "fen_short": ("50.00", "50.01"),
        "by_hand": ("50.00", "50.00"),
    }  # fmt: skip
    # (days past due, bucket 0 current / 1 "1-30", class 0 正常 / 1 关注), both worlds
    expected = {"fee_left": (0, 0, 0), "fen_short": (23, 1, 1), "by_hand": (0, 0, 0)}
    assert risk_rows(container, ids) == risk_rows(twin, ids) == expected
    # owing only its late fee, the loan is back on the bulk path: no late fee can fall
    assert ids["fee_left"] in kept[date(2026, 3, 1)]
    assert ids["fen_short"] not in kept[date(2026, 3, 1)]  # its fee may: loan by loan


def test_the_loan_page_counts_no_day_for_a_fee_and_shows_it_unpaid(container: Container) -> None:
    ids = story(container, bulk=True)
    views = {n: container.services.loans.get(SERVICING, i) for n, i in ids.items()}
    shown = {
        n: (v["days_past_due"], v["schedule"][0]["status"], v["overdue"], v["fees_unpaid"])
        for n, v in views.items()
    }
    none = {"installments": 0, "amount": "0.00"}
    fee = {"installments": 1, "amount": "50.00"}
    assert shown == {
        "fee_left": (0, "fee_unpaid", none, fee),
        "fen_short": (24, "overdue", {"installments": 1, "amount": "50.01"}, none),
        "by_hand": (0, "fee_unpaid", none, fee),
    }  # serviced through Mar 1: Feb 5 .. Mar 1 is 24 days
    # the collector's list of late loans holds only the one past due
    late = container.services.loans.list_loans(SERVICING, limit=10, offset=0, overdue=True)
    assert [row["id"] for row in late["items"]] == [ids["fen_short"]]
