"""Recognising a promotion's deferred subsidy (贴息) as income over the loan's life.

A car maker's (or the state's) buy-down is booked at disbursement as Cr 2400 deferred
subsidy income. IFRS 9 B5.4.1-B5.4.3 treats such compensation as part of the loan's
effective interest, so it is earned in the pattern of the interest, not straight-line.
Approximated per installment period: each installment ``n`` takes the share

    ``subsidy x w_n / (w_1 + ... + w_N)``

where ``w_n`` is the interest the loan would earn in period ``n`` at the product's list
(unsubsidised) rate on the borrower's own principal path (:func:`list_rate_weights`).
Every share but the last is rounded **down** to the fen (:func:`floor_share`, the only
rounding here); the last installment takes the remainder, so the amounts sum exactly to
the subsidy and none is ever negative (the remainder is at least the last exact share).

Worked example (checked by hand): a 0 % promotion on 240,000.00 over 12 monthly
installments at a 6 % list rate, the maker's subsidy capped at 6,000.00. The borrower
repays 20,000.00 a month, so the opening balances are 240,000.00, 220,000.00, ...,
20,000.00 and the list-rate interest 1,200.00, 1,100.00, ..., 100.00 (7,800.00 in all;
weights 12 : 11 : ... : 1, sum 78).
Installment 1 takes 6,000.00 x 12 / 78 = 923.0769... -> 923.07, installment 2
6,000.00 x 11 / 78 = 846.1538... -> 846.15, ..., installment 11 6,000.00 x 2 / 78 =
153.8461... -> 153.84; together 5,923.02 (5.69 fen rounded away), so the last
takes 6,000.00 - 5,923.02 = 76.98 (its exact share is 76.923...).

>>> amounts = subsidy_schedule(600_000, [120_000 - 10_000 * k for k in range(12)])
>>> amounts[:3], amounts[-2:], sum(amounts)
((92307, 84615, 76923), (15384, 7698), 600000)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from autolend.domain.errors import InvalidInput
from autolend.domain.schedule import Schedule

__all__ = [
    "Reamortisation", "SubsidyLine", "balance_day_weights", "floor_share", "list_rate_weights",
    "recognition_plan", "revised_plan", "subsidy_schedule",
]  # fmt: skip

_Line = TypeVar("_Line")  # what a plan line carries beside its date (an amount, say)


def floor_share(total: int, weight: int, total_weight: int) -> int:
    """``total x weight / total_weight`` rounded down to a whole minor unit (exact integer
    arithmetic): the one rounding of the subsidy schedule.

    >>> floor_share(600_000, 12, 78)  # 92,307.69... fen
    92307
    """
    return total * weight // total_weight


def subsidy_schedule(total: int, weights: Sequence[int]) -> tuple[int, ...]:
    """The subsidy ``total`` (minor units, >= 0) spread over the installments in
    proportion to ``weights`` (one per installment, >= 0, summing above 0): every share
    but the last by :func:`floor_share`, the last the remainder.

    >>> subsidy_schedule(1_000, [1, 1, 1])
    (333, 333, 334)
    >>> subsidy_schedule(0, [5, 4])
    (0, 0)
    """
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise InvalidInput(f"the subsidy must be >= 0 minor units, got {total!r}", field="subsidy")
    if not weights or any(isinstance(w, bool) or not isinstance(w, int) or w < 0
                          for w in weights):  # fmt: skip
        raise InvalidInput("the weights must be whole numbers >= 0, one per installment",
                           field="subsidy_schedule")  # fmt: skip
    total_weight = sum(weights)
    if total_weight == 0:
        raise InvalidInput("the weights must not all be zero", field="subsidy_schedule")
    head = [floor_share(total, w, total_weight) for w in weights[:-1]]
    return (*head, total - sum(head))


def list_rate_weights(schedule: Schedule) -> tuple[int, ...]:
    """Per row, the interest at the contract (list) rate of a schedule built with its
    subsidy: what the borrower's rate accrued plus the subsidiser's share
    (``interest + capitalised + deferred + subsidy_interest``, see
    :mod:`autolend.domain.schedule.subsidy`). Without a subsidy it is the row's interest."""
    return tuple(
        r.interest + r.capitalised_interest + r.deferred_interest + r.subsidy_interest
        for r in schedule.rows
    )


def balance_day_weights(schedule: Schedule) -> tuple[int, ...]:
    """Per row, the opening balance times the period's accrual days: proportional to the
    interest at any one constant rate on an actual-day basis (the rate cancels out of the
    shares). Stands in for :func:`list_rate_weights` when the list rate is not known,
    e.g. a loan booked at 0 % whose subsidy is only given at disbursement; a period with
    no balance or no days weighs nothing.

    E.g. 12,000.00 over 2 months of 31 and 30 days, 6,000.00 repaid after the first:
    weights 1,200,000 x 31 and 600,000 x 30, shares 67.4 % and 32.6 %."""
    return tuple(max(r.opening_balance, 0) * max(r.days, 0) for r in schedule.rows)


def recognition_plan(
    amounts: Sequence[tuple[date, _Line]], through: date, closed_on: date | None = None
) -> list[tuple[date, _Line]]:
    """The scheduled ``(due date, amount)`` lines recognised one by one through
    ``through``: each installment due by then, but on a loan paid off or written off on
    ``closed_on`` only those due before it. The rest of the subsidy is recognised on the
    closing date in one amount (IFRS 9: the loan is derecognised, so no deferred part of
    its effective interest can remain); the caller takes it from the 2400 balance.

    >>> plan = [(date(2026, 2, 5), 600), (date(2026, 3, 5), 300), (date(2026, 4, 5), 100)]
    >>> recognition_plan(plan, date(2026, 3, 5))
    [(datetime.date(2026, 2, 5), 600), (datetime.date(2026, 3, 5), 300)]
    >>> recognition_plan(plan, date(2026, 3, 31), closed_on=date(2026, 3, 5))
    [(datetime.date(2026, 2, 5), 600)]
    """
    closing = closed_on if closed_on is not None and closed_on <= through else None
    return [
        (day, amount)
        for day, amount in amounts
        if day <= through and (closing is None or day < closing)
    ]


@dataclass(frozen=True)
class Reamortisation:
    """A partial prepayment (event ``event_id``) that re-amortised the loan on the due date
    ``on``: the :func:`balance_day_weights` of the rows of the schedule in force that
    were still to come (``before``), and ``(due date, weight)`` of each new row."""

    event_id: int
    on: date
    before: tuple[int, ...]
    after: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class SubsidyLine:
    """One amount of the deferred subsidy earned on ``due``; ``catch_up_of`` names the
    prepayment whose catch-up it is (``None`` for an installment's own share)."""

    due: date
    amount: int
    catch_up_of: int | None = None


def revised_plan(
    plan: Sequence[tuple[date, int]], reamortised: Sequence[Reamortisation]
) -> list[SubsidyLine]:
    """The booked ``plan`` revised at each partial prepayment, in the order they were
    applied (IFRS 9 B5.4.6: revised cash flows are a catch-up in profit or loss).

    At a prepayment on ``on`` the subsidy not yet earned (the lines due after ``on``,
    ``rest``) is split as the loan's remaining list-rate interest falls: the new rows keep
    ``rest x after / before`` (:func:`floor_share`, the total of the new rows' weights
    over the total of the old remaining rows'), spread over the new rows by their weights
    (:func:`subsidy_schedule`); the rest is earned at once on ``on`` as the catch-up, as
    a payoff earns all of it. Weights are opening balance x days, so for one list rate the
    ratio is the ratio of the interest that rate would earn.

    Worked example (checked by hand): 6,000.00 over 12 installments with weights
    12 : 11 : ... : 1 earns 923.07 + 846.15 + 769.23 = 2,538.45 by the third due date,
    leaving 3,461.55. A prepayment there halves the balance of every later row, so the
    new weights are half the old: the new rows keep 3,461.55 / 2 = 1,730.775 -> 1,730.77
    and the catch-up on the third due date is 3,461.55 - 1,730.77 = 1,730.78. The nine
    new rows share 1,730.77 as 9 : 8 : ... : 1 (sum 45): the first 1,730.77 x 9 / 45 =
    346.154 -> 346.15.

    >>> booked = list(zip(range(1, 13), subsidy_schedule(600_000, range(12, 0, -1))))
    >>> prepaid = Reamortisation(7, 3, tuple(range(18, 0, -2)),
    ...                          tuple(zip(range(4, 13), range(9, 0, -1))))
    >>> lines = revised_plan(booked, [prepaid])
    >>> [(x.due, x.amount, x.catch_up_of) for x in lines[2:5]]
    [(3, 76923, None), (3, 173078, 7), (4, 34615, None)]
    >>> sum(x.amount for x in lines)
    600000
    """
    lines = [SubsidyLine(due, amount) for due, amount in plan]
    for change in reamortised:
        earned = [line for line in lines if line.due <= change.on]
        rest = sum(line.amount for line in lines if line.due > change.on)
        before, after = sum(change.before), sum(w for _, w in change.after)
        kept = rest if before <= 0 or after >= before else floor_share(rest, after, before)
        weights = [w for _, w in change.after]
        shares = subsidy_schedule(kept, weights) if after > 0 else tuple(0 for _ in weights)
        lines = [
            *earned,
            SubsidyLine(change.on, rest - kept, change.event_id),
            *(SubsidyLine(due, share) for (due, _), share in zip(change.after, shares,
                                                                 strict=True)),
        ]  # fmt: skip
    return lines
