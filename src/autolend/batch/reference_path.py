"""The per-loan path for the loans the accrual kernel routes to the reference.

On a due date an advance that covers the installment only in part (or anything
overdue beside it) is spent by the product's waterfall, which the kernel does not
vectorise: :func:`~autolend.batch.accrual_kernel.accrue_day` flags the loan
``referred``.  :func:`accrue_day_with_reference` runs the kernel, then, for each
referred loan, rebuilds its domain state from the book as it stood before the day
(:func:`~autolend.batch.book_domain.state_of`), accrues the day with
:func:`autolend.domain.servicing.accrue`, and writes the result back: the day's
figures into the :class:`~autolend.batch.accrual_kernel.DayAccrual` and the state
into the book, with the installment due that day already moved into the overdue
totals (so the kernel takes the loan back the next day).

Loans flagged ``needs_reference`` before the day (a state the book cannot hold
exactly, see :mod:`autolend.batch.book_domain`) are not touched: the runner accrues
them from their stored domain state.

Example: an advance of 500.00 against an installment of 1,066.19 due today pays
interest and fee first, then 500.00 - 120.00 of principal (default waterfall); the
rest of the installment is overdue from tomorrow.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from autolend.batch.accrual_kernel import DayAccrual, accrue_day
from autolend.batch.book import Book, Column, from_day_number
from autolend.batch.book_domain import ServicedLoan, book_from_states, state_of
from autolend.domain.servicing import DailyAccrual, accrue

__all__ = ["accrue_day_with_reference"]

_STATE_COLUMNS = (
    "status", "accrued_through", "period_start", "period_end", "cur_interest",
    "principal_not_due", "overdue_principal", "overdue_interest", "overdue_fee",
    "earliest_unpaid_day", "accrued_interest", "penalty", "compound", "cost_charged",
    "ceiling_reached", "advance",
)  # fmt: skip
_DAY_FIELDS = ("interest", "fee", "penalty", "compound", "ceiling_reached",
               "advance_applied", "dpd")  # fmt: skip


def _day_values(day: DailyAccrual, dpd: int) -> tuple[int | bool, ...]:
    used = day.advance_applied
    applied = used.amount.minor - used.to_advance if used else 0
    return day.interest, day.fee, day.penalty, day.compound, day.ceiling_reached, applied, dpd


def accrue_day_with_reference(book: Book, day: int) -> tuple[Book, DayAccrual]:
    """:func:`~autolend.batch.accrual_kernel.accrue_day`, with the loans it refers
    accrued by the domain reference (see the module docstring)."""
    after, result = accrue_day(book, day)
    referred = np.flatnonzero(result.referred)
    if referred.size == 0:
        return after, result
    loans: dict[str, Column] = {name: after[name].copy() for name in (*_STATE_COLUMNS, "cur")}
    loans["cur_paid"] = after["cur_paid"].copy()
    loans["needs_reference"] = book["needs_reference"].copy()
    fields = {name: getattr(result, name).copy() for name in _DAY_FIELDS}
    as_of = from_day_number(day)
    for i in referred:
        loan = state_of(book, int(i))
        run = accrue(loan.state, as_of, loan.policy, loan.pack)
        values = _day_values(run.days[0], run.state.days_past_due(as_of))
        for name, value in zip(_DAY_FIELDS, values, strict=True):
            fields[name][i] = value
        single = book_from_states([ServicedLoan(run.state, loan.policy, loan.pack)])
        for name in _STATE_COLUMNS:
            loans[name][i] = single[name][0]
        loans["cur"][i] = book.row_counts[i] - single.row_counts[0]
        loans["cur_paid"][i] = False
    return after.with_loans(**loans), replace(result, **fields)
