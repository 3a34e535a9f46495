"""One business day of accrual over a :class:`~autolend.batch.book.Book`, equal to the
single-loan reference :func:`autolend.domain.servicing.accrue` to the fen.

For day ``x`` and every active loan accrued through ``x - 1`` (in this order, integer
minor units; see :mod:`autolend.domain.servicing.accrual` for the rule):

1. **Roll.**  If the current installment fell due on ``x - 1``, what is unpaid of it
   becomes overdue (``earliest_unpaid_day`` is set if it was the first with principal
   or interest unpaid) and the next installment becomes current.
2. **Interest.**  Day ``e = x - period_start`` of a ``D``-day period with scheduled
   interest ``I`` earns ``round_half_up(I e / D) - round_half_up(I (e - 1) / D)``
   (``(2 I e + D) // 2D`` exactly); accrued-not-due is the cumulative, 0 on the due
   date.  50.00 over 30 days: day 1 earns 1.67, day 2 1.66, day 3 1.67.
3. **Falling due.**  On ``x = period_end`` the installment falls due and its monthly
   fee (at most what is unpaid of the row's fee) is billed and counts as cost.
4. **Penalty and compound.**  ``round_half_up(overdue principal x penalty rate /
   basis)`` and the same on overdue interest (if the product compounds), cut to the
   room under the ceiling ``cap = floor(cap_num x (x - start_day) / cap_den)`` less
   the cost after steps 2-3, penalty part first; ``ceiling_reached`` is
   ``room <= penalty + compound`` before the cut.  10,000.00 overdue at 9 % on 360:
   2.50 a day; with 1.00 of room, 1.00 of penalty and no compound.
5. **Advance.**  On a due date, an advance that covers the whole installment pays it
   (``cur_paid``; the loan is paid off if it was the last and nothing else is owed).
   Any other use of the advance (a partial cover, or anything overdue beside it)
   depends on the product's waterfall and is **not** computed here: the loan is
   flagged ``needs_reference`` and the runner takes it through the domain path; its
   columns from that day on are not to be used.

The days past due of day ``x`` count from ``earliest_unpaid_day``: ``x - earliest``,
the earliest due date with principal or interest unpaid; an unpaid fee alone (in
``overdue_fee``) is payable but counts no day, as
:meth:`~autolend.domain.servicing.LoanState.days_past_due`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from autolend.batch.book import NO_DAY, STATUS_ACTIVE, Book, Column
from autolend.batch.int_rounding import RATE_SCALE, IntArray, rounded_interest_per_row
from autolend.domain.money import RoundingMode

__all__ = ["STATUS_PAID_OFF", "DayAccrual", "accrue_day", "accrue_through"]

BoolArray = npt.NDArray[np.bool_]
STATUS_PAID_OFF = 1
_ROLL_COLUMNS = (
    "cur", "period_start", "period_end", "cur_interest", "cur_paid", "principal_not_due",
    "overdue_principal", "overdue_interest", "overdue_fee", "earliest_unpaid_day",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DayAccrual:
    """What day ``day`` did per loan (0 / False for loans not accrued that day):
    contractual ``interest``, the ``fee`` billed, ``penalty`` and ``compound``,
    ``ceiling_reached``, the installment amounts falling due, the advance applied,
    ``dpd`` at the end of the day, and ``referred``: newly routed to the reference."""

    day: int
    accrued: BoolArray
    interest: IntArray
    fee: IntArray
    penalty: IntArray
    compound: IntArray
    ceiling_reached: BoolArray
    due_principal: IntArray
    due_interest: IntArray
    due_fee: IntArray
    advance_applied: IntArray
    dpd: IntArray
    referred: BoolArray


def _roll(book: Book, act: BoolArray, day: int) -> dict[str, Column]:
    """Step 1: move the installment due on ``day - 1`` into the overdue totals."""
    out = {name: book[name].copy() for name in _ROLL_COLUMNS}
    counts = book.row_counts
    r = np.flatnonzero(act & (out["cur"] < counts) & (out["period_end"] < day))
    if r.size == 0:
        return out
    idx = book.offsets[r] + out["cur"][r]
    unpaid = ~out["cur_paid"][r]
    amounts = [np.where(unpaid, book.rows[c][idx], 0) for c in ("principal", "interest", "fee")]
    for name, amount in zip(("principal", "interest", "fee"), amounts, strict=True):
        out[f"overdue_{name}"][r] += amount
    earliest = out["earliest_unpaid_day"][r]
    first = (earliest == NO_DAY) & (amounts[0] + amounts[1] > 0)  # a fee alone: no DPD
    out["earliest_unpaid_day"][r] = np.where(first, out["period_end"][r], earliest)
    out["principal_not_due"][r] -= book.rows["principal"][idx]
    out["cur"][r] += 1
    out["cur_paid"][r] = False
    out["period_start"][r] = out["period_end"][r]
    more = out["cur"][r] < counts[r]
    nxt = np.minimum(idx + 1, max(book.offsets[-1] - 1, 0))
    out["period_end"][r] = np.where(more, book.rows["due_day"][nxt], out["period_end"][r])
    out["cur_interest"][r] = np.where(more, book.rows["interest"][nxt], 0)
    return out


def _interest(s: dict[str, Column], has: BoolArray, day: int) -> tuple[IntArray, IntArray]:
    """Step 2: the day's interest and the accrued-not-due interest after it."""
    start = s["period_start"].astype(np.int64)
    length = np.where(has, s["period_end"] - start, 1)
    elapsed = np.where(has, day - start, 0)
    twice = 2 * s["cur_interest"]
    through = (twice * elapsed + length) // (2 * length)
    before = (twice * (elapsed - 1) + length) // (2 * length)
    earned = np.where(has, through - before, 0)
    accrued = np.where(has & (s["period_end"] != day), through, 0)
    return earned, accrued


def _falling_due(book: Book, s: dict[str, Column], due: BoolArray) -> list[IntArray]:
    """Step 3: principal, interest and fee of the installment due today (else 0)."""
    d = np.flatnonzero(due)
    idx = book.offsets[d] + s["cur"][d]
    amounts = []
    for name in ("principal", "interest", "fee"):
        column = np.zeros(len(book), dtype=np.int64)
        column[d] = book.rows[name][idx]
        amounts.append(column)
    return amounts


def _penalty(
    book: Book, s: dict[str, Column], act: BoolArray, day: int, cost: IntArray
) -> tuple[IntArray, IntArray, BoolArray]:
    """Step 4: penalty and compound under the ceiling, and whether it is reached."""
    principal, interest = s["overdue_principal"], s["overdue_interest"]
    o = np.flatnonzero(act & ((principal > 0) | (interest > 0)))
    daily_p = np.zeros(len(book), dtype=np.int64)
    daily_c = np.zeros(len(book), dtype=np.int64)
    rate, den = book["penalty_rate"][o], book["penalty_basis"][o].astype(np.int64) * RATE_SCALE
    half_up = RoundingMode.HALF_UP
    daily_p[o] = rounded_interest_per_row(principal[o], rate, den, half_up)
    on_interest = rounded_interest_per_row(interest[o], rate, den, half_up)
    daily_c[o] = np.where(book["compounds"][o], on_interest, 0)
    days = np.where(act, day - book["start_day"].astype(np.int64), 0)
    cap = book["cap_num"] * days // book["cap_den"]
    room = cap - cost
    left = np.maximum(room, 0)
    penalty = np.where(act, np.minimum(daily_p, left), 0)
    compound = np.where(act, np.minimum(daily_c, left - penalty), 0)
    return penalty, compound, act & (room <= daily_p + daily_c)


def _advance(
    book: Book, s: dict[str, Column], act: BoolArray, due: BoolArray, cur_total: IntArray
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Step 5: the advance applied, the loans it pays off, and the loans referred."""
    advance = book["advance"]
    owed = s["penalty"] + s["compound"]
    owed += s["overdue_principal"] + s["overdue_interest"] + s["overdue_fee"]
    engaged = act & (advance > 0) & (owed + np.where(due, cur_total, 0) > 0)
    simple = engaged & due & (owed == 0) & (advance >= cur_total)
    applied = np.where(simple, cur_total, 0)
    paid_off = simple & (s["cur"] == book.row_counts - 1)
    return applied, paid_off, engaged & ~simple


def accrue_day(book: Book, day: int) -> tuple[Book, DayAccrual]:
    """Accrue day number ``day`` (see the module docstring) for every active loan
    accrued through ``day - 1`` and not routed to the reference; a pure function.

    A loan already accrued through ``day`` (or further) is left as it is, so running a
    day twice changes nothing.
    """
    act = (book["status"] == STATUS_ACTIVE) & (book["accrued_through"] == day - 1)
    act &= ~book["needs_reference"]
    s = _roll(book, act, day)
    has = act & (s["cur"] < book.row_counts)
    earned, accrued = _interest(s, has, day)
    due = has & (s["period_end"] == day)
    due_p, due_i, due_f = _falling_due(book, s, due)
    fee = np.minimum(book["monthly_fee"], due_f)
    cost = book["cost_charged"] + earned + fee
    penalty, compound, reached = _penalty(book, s, act, day, cost)
    s["penalty"] = book["penalty"] + penalty
    s["compound"] = book["compound"] + compound
    applied, paid_off, referred = _advance(book, s, act, due, due_p + due_i + due_f)
    s["cur_paid"] |= applied > 0
    s["advance"] = book["advance"] - applied
    s["status"] = np.where(paid_off, STATUS_PAID_OFF, book["status"])
    s["accrued_interest"] = np.where(act, accrued, book["accrued_interest"])
    s["cost_charged"] = np.where(act, cost + penalty + compound, book["cost_charged"])
    s["ceiling_reached"] = np.where(act, reached, book["ceiling_reached"])
    s["accrued_through"] = np.where(act, day, book["accrued_through"])
    s["needs_reference"] = book["needs_reference"] | referred
    earliest = s["earliest_unpaid_day"].astype(np.int64)
    dpd = np.where(earliest != NO_DAY, day - earliest, 0)
    zero = np.zeros(len(book), dtype=np.int64)
    result = DayAccrual(
        day, act, earned, np.where(act, fee, zero), penalty, compound, reached,
        np.where(due, due_p, zero), np.where(due, due_i, zero), np.where(due, due_f, zero),
        applied, dpd, referred,
    )  # fmt: skip
    return book.with_loans(**s), result


def accrue_through(book: Book, through: int) -> tuple[Book, list[DayAccrual]]:
    """Accrue every day from the earliest ``accrued_through + 1`` of the active loans
    to ``through``; each loan accrues only the days it has not (catching up a loan
    three days behind equals three daily runs)."""
    live = (book["status"] == STATUS_ACTIVE) & ~book["needs_reference"]
    if not live.any():
        return book, []
    days: list[DayAccrual] = []
    for day in range(int(book["accrued_through"][live].min()) + 1, through + 1):
        book, result = accrue_day(book, day)
        days.append(result)
    return book, days
