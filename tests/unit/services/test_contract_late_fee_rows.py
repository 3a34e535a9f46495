"""The contract's late fees read from the facts the ledger states now: each on the day it was
charged, on the installment due ``after_days`` before (None where none fell due then),
other facts left alone, and the transactions list merging them among the events by day."""

from __future__ import annotations

import doctest
from datetime import UTC, date, datetime

from autolend.domain.ledger import accrual_entry, fee_charge_entry
from autolend.domain.money import Money
from autolend.domain.servicing import LateFeeRule
from autolend.services import contract_late_fees
from autolend.services.contract_late_fees import ChargedLateFee, charged_late_fees
from autolend.services.loan_ports import InstallmentRow, LoanEventRow, StoredEntry
from autolend.services.loan_views import transaction_rows

RULE = LateFeeRule(5_000, 15)
ROWS = [InstallmentRow(n, date(2026, n + 1, 5), 0, 0, 0, 0, 0, 0) for n in (1, 2)]


def stored(entry_id: int, fact: str, day: date, amount: str, *, fee: bool = True) -> StoredEntry:
    money = Money.parse(amount, "CNY")
    entry = fee_charge_entry(7, day, money) if fee else accrual_entry(7, day, money)
    return StoredEntry(entry_id, entry, "x", fact, datetime(2026, 3, 1, tzinfo=UTC))


def test_the_examples_in_the_module_hold() -> None:
    assert doctest.testmod(contract_late_fees).failed == 0


def test_each_late_fee_is_on_the_installment_due_after_days_before_its_day() -> None:
    stated = {
        "lf:2026-03-20": stored(12, "lf:2026-03-20", date(2026, 3, 20), "50.00"),
        "ai:2026-02-21": stored(10, "ai:2026-02-21", date(2026, 2, 21), "3.95", fee=False),
        "lf:2026-02-20": stored(9, "lf:2026-02-20", date(2026, 2, 20), "12.00"),  # the ceiling
        "lf:2026-04-01": stored(14, "lf:2026-04-01", date(2026, 4, 1), "50.00"),  # none due 3-17
    }
    assert charged_late_fees(stated, RULE, ROWS, "CNY") == [
        ChargedLateFee(date(2026, 2, 20), 1_200, "CNY", 1, 9),
        ChargedLateFee(date(2026, 3, 20), 5_000, "CNY", 2, 12),
        ChargedLateFee(date(2026, 4, 1), 5_000, "CNY", None, 14),
    ]
    assert charged_late_fees(stated, None, ROWS, "CNY") == []


def event(event_id: int, day: date, seq: int) -> LoanEventRow:
    return LoanEventRow(event_id, 7, "repayment", 10_000, "CNY", day, "cash", None, "posted",
                        None, None, None, None, seq, datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip


def test_a_late_fee_goes_before_the_events_of_its_day_and_after_those_before() -> None:
    events = [event(3, date(2026, 2, 10), 0), event(5, date(2026, 2, 20), 0),
              event(4, date(2026, 2, 20), 1)]  # fmt: skip
    fee = ChargedLateFee(date(2026, 2, 20), 5_000, "CNY", 1, 9)
    rows = transaction_rows(events, {}, [fee])
    assert [(r["id"], r["source"]) for r in rows] == [
        (3, "event"),
        (None, "contract"),
        (5, "event"),
        (4, "event"),
    ]
    assert (rows[1]["fee_kind"], rows[1]["n"], rows[1]["amount"]) == ("late_fee", 1, "50.00")
    assert [r["n"] for r in rows if r["source"] == "event"] == [None, None, None]
