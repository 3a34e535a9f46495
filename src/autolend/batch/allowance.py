"""The month-end allowance (ECL provision) of the end of day.

**When.** On a month-end business date -- the calendar's last day of the month
(:func:`is_month_end`) -- and only then: provisioning is monthly in practice, and a
daily entry for every loan of a large book would double the day's writes.

**How much.** Every loan's allowance moves to its ECL of that day, the ECL the
portfolio snapshot of the day stores for it (:mod:`autolend.services.portfolio`: the
loan at the start of the day through the end-of-day kernels, so the ledger's allowance
equals the portfolio page's ECL loan by loan). The end of day takes that snapshot
partition by partition, each partition's rows before its accruals and from the same
read (:mod:`autolend.batch.month_end`; replayed per loan on the per-loan path), and
keeps the rows written once the day has begun, so a rerun after a crash finishes with
the same figures.
A loan that is no longer active when its partition runs (paid off, written off,
closed), or is not in the snapshot, targets zero: its allowance is released in full.
An active loan not serviced through the day (behind, or its accrual failed) keeps its
allowance until the run that catches it up reaches the month-end: month-ends move a
loan's allowance in their order, never an earlier one after a later one.

**The entry.** ``change = ECL - allowance held`` (the credit balance of the loan's
1190 sub-ledger), when non-zero: :func:`~autolend.domain.ledger.allowance_entry`,
a charge Dr 5100 impairment expense / Cr 1190 allowance (loan), a release the mirror
image; fact ``al:<D>``, idempotency key ``allowance:<loan>:<D>`` (one per loan and
month-end: a rerun posts nothing new). It is posted in the partition of the loan's id
block, in the partition's transaction with its checkpoint, after the day's accruals:
in bulk on the bulk path (:func:`bulk_allowances`), entry by entry through the ledger
on the per-loan path (:func:`post_allowances`); both post the same entries.

**Written off.** A write-off uses the loan's allowance first (Dr 1190 up to the
allowance held when it was recorded, Dr 5100 the shortfall:
:func:`~autolend.domain.ledger.write_off_entry`); whatever allowance is left is released
at the next month-end, when a written-off loan targets zero.

Example: a loan 35 days late on 2026-03-31 whose snapshot ECL is 1,234.56 and which
holds 200.00 of allowance gets ``al:2026-03-31`` Dr 5100 / Cr 1190 (loan) 1,034.56;
cured by April's end with an ECL of 150.00, ``al:2026-04-30`` releases 1,084.56.

>>> is_month_end(date(2026, 2, 28)), is_month_end(date(2028, 2, 28))
(True, False)
>>> [p.amount.minor for p in allowance_journal_entry(7, date(2026, 3, 31), 103456, "CNY").postings]
[103456, 103456]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from autolend.batch.bulk_day import FactTemplate, fast_entry
from autolend.domain.access import Actor
from autolend.domain.calendar import is_end_of_month, last_day_of_month
from autolend.domain.ledger import JournalEntry, allowance_entry
from autolend.domain.money import Money
from autolend.services.eod_ports import BulkEntry
from autolend.services.loan_books import post
from autolend.services.ports import Clock, UnitOfWork

__all__ = [
    "Changes",
    "allowance_fact",
    "allowance_journal_entry",
    "bulk_allowances",
    "is_month_end",
    "month_ends_between",
    "post_allowances",
    "previous_month_end",
]

Changes = Mapping[int, tuple[int, str]]
"""Loan id -> (allowance change in minor units, currency code)."""


def is_month_end(day: date) -> bool:
    """The calendar's last day of ``day``'s month (Feb 29 in a leap year)."""
    return is_end_of_month(day)


def previous_month_end(day: date) -> date:
    """The last month-end before ``day``: end of day catches a loan up to ``day`` only
    from it or later (:class:`~autolend.batch.eod_runner.EodRunner`), so no loan passes
    a month-end's snapshot and allowance unseen.

    >>> previous_month_end(date(2026, 11, 5)), previous_month_end(date(2026, 11, 1))
    (datetime.date(2026, 10, 31), datetime.date(2026, 10, 31))
    """
    return day.replace(day=1) - timedelta(days=1)


def month_ends_between(after: date, before: date) -> list[date]:
    """The month-ends strictly between ``after`` and ``before``.

    >>> month_ends_between(date(2026, 2, 20), date(2026, 4, 10))
    [datetime.date(2026, 2, 28), datetime.date(2026, 3, 31)]
    >>> month_ends_between(date(2026, 2, 28), date(2026, 3, 31))
    []
    """
    found, end = [], last_day_of_month(after + timedelta(days=1))
    while end < before:
        found.append(end)
        end = last_day_of_month(end + timedelta(days=1))
    return found


_KEY = "allowance:{loan}:{day}"  # an allowance entry's idempotency key


def allowance_fact(day: date) -> str:
    """The fact an allowance entry states: ``al:2026-03-31``."""
    return f"al:{day.isoformat()}"


def allowance_journal_entry(loan_id: int, day: date, change: int, code: str) -> JournalEntry:
    """The month-end entry moving loan ``loan_id``'s allowance by ``change`` minor
    units, with its idempotency key ``allowance:<loan>:<day>``."""
    entry = allowance_entry(loan_id, day, Money.of_minor(change, code))
    return replace(entry, idempotency_key=_KEY.format(loan=loan_id, day=day.isoformat()))


def _release(loan_id: int, day: date, amount: Money) -> JournalEntry:
    return allowance_entry(loan_id, day, -amount)


_CHARGE = FactTemplate("al", allowance_entry, _KEY, "allowance charge for loan {loan}", None)
_RELEASE = FactTemplate("al", _release, _KEY, "allowance release for loan {loan}", None)
"""The month-end entry in each direction as a template for
:func:`~autolend.batch.bulk_day.fast_entry` (the same entry as
:func:`allowance_journal_entry`, without building it: the tests compare the two)."""


def bulk_allowances(changes: Changes, day: date) -> list[BulkEntry]:
    """The entries of ``changes`` as the bulk writer takes them."""
    return [
        fast_entry(_CHARGE if change > 0 else _RELEASE, loan_id, day, abs(change), code)
        for loan_id, (change, code) in sorted(changes.items())
    ]


def post_allowances(
    uow: UnitOfWork, clock: Clock, actor: Actor, changes: Changes, day: date
) -> int:
    """Post the entries of ``changes`` one by one through the ledger (the per-loan
    reference path); how many were posted."""
    fact = allowance_fact(day)
    for loan_id, (change, code) in sorted(changes.items()):
        post(uow, clock, actor, allowance_journal_entry(loan_id, day, change, code), fact)
    return len(changes)
