"""The contract's late fee (逾期违约金, a "late charge" in a US retail installment
contract): a fixed amount charged once on an installment that is still unpaid
``after_days`` days after its due date.

The rule of day ``x``, run by :func:`~autolend.domain.servicing.accrue` after the day's
interest, monthly fee and penalty:

* the installment due on ``x - after_days`` is late if any of its principal or interest
  is unpaid at the start of ``x`` (a repayment is allocated after the day's accrual, so
  money arriving on ``x`` itself comes too late; a partial payment does not avoid it).
  It looks at that installment alone, not at the loan's days past due, which count from
  an earlier installment; an unpaid fee (an earlier late fee, say) is late for neither;
* where the pack forbids pyramiding (``late_fee_pyramiding_allowed`` False, US: the FTC
  Credit Practices Rule, 16 CFR 444.4) it is late only if, besides, the money received
  by then (everything paid on the loan, and the advance) falls short of the scheduled
  installments 1..n (principal, interest, monthly fees): money the waterfall took for
  an earlier late fee or for interest on overdue principal never makes a full, timely
  payment late (:func:`short_of_schedule`);
* it is charged ``min(amount, room)`` on its fee due, where ``room`` is what the
  comprehensive cost ceiling leaves after everything else charged through ``x``.
  Penalty interest is the regulated remedy (CN: contract rate + 30 %..50 %), so it
  takes the room first; with none left, nothing is charged.

Because the fee is part of the daily rule, the servicing replay states it like any
accrual: a backdated repayment that paid the installment in time takes the fee away
again, and a bounced repayment that is reversed brings it back.

Example: 50.00 after 15 days on a loan whose installment 1 fell due on 2026-02-05 and
was not paid: on 2026-02-20 installment 1 carries 50.00 more of fee (Dr 1130 fees /
Cr 4120 fee income), once; installment 2, due 2026-03-05 and paid on 2026-03-10, is
never charged.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from autolend.domain.errors import InvalidInput
from autolend.domain.servicing.state import LoanState

__all__ = ["MAX_AFTER_DAYS", "LateFeeRule", "late_fee_on", "short_of_schedule"]

MAX_AFTER_DAYS = 90
"""A later charge would fall after the loan is non-performing (91+ days past due)."""


@dataclass(frozen=True, slots=True)
class LateFeeRule:
    """``amount`` (minor units of the loan's currency, > 0) charged once on an
    installment still unpaid ``after_days`` (1..90) days after its due date.

    >>> LateFeeRule(5_000, 15)
    LateFeeRule(amount=5000, after_days=15)
    >>> LateFeeRule(5_000, 0)
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: after_days must be a whole number of days 1..90
    """

    amount: int
    after_days: int = 15

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount <= 0:
            raise InvalidInput("amount must be a positive amount", field="amount")
        days = self.after_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_AFTER_DAYS:
            message = f"after_days must be a whole number of days 1..{MAX_AFTER_DAYS}"
            raise InvalidInput(message, field="after_days")


def late_fee_on(
    state: LoanState,
    dues: Sequence[date],
    day: date,
    rule: LateFeeRule | None,
    room: int,
    *,
    pyramiding: bool = True,
) -> tuple[int, int]:
    """The installment ``n`` charged a late fee on ``day`` and the amount (``(0, 0)``:
    none); ``dues`` are the installments' due dates in order, ``room`` what the cost
    ceiling leaves and ``pyramiding`` the pack's ``late_fee_pyramiding_allowed`` (see
    the module docstring).

    >>> from decimal import Decimal
    >>> from autolend.domain.money import Money
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("1200", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> dues = [row.due_date for row in state.installments]
    >>> rule = LateFeeRule(5_000, 15)
    >>> late_fee_on(state, dues, date(2026, 2, 20), rule, room=100_000)  # Feb 5 + 15
    (1, 5000)
    >>> late_fee_on(state, dues, date(2026, 2, 20), rule, room=1_200)  # the ceiling cuts it
    (1, 1200)
    >>> late_fee_on(state, dues, date(2026, 2, 21), rule, room=100_000)
    (0, 0)
    """
    if rule is None or room <= 0:
        return 0, 0
    target = day - timedelta(days=rule.after_days)
    index = bisect_left(dues, target)
    if index == len(dues) or dues[index] != target:
        return 0, 0
    row = state.installments[index]
    if not row.principal_or_interest_unpaid:  # a fee alone, even an earlier late fee
        return 0, 0
    if not pyramiding and not short_of_schedule(state, row.n):
        return 0, 0  # short only by late fees or interest on arrears: paid in time
    return row.n, min(rule.amount, room)


def short_of_schedule(state: LoanState, n: int) -> bool:
    """Whether the money received for the loan so far (everything paid on it, penalty
    and compound included, plus the advance) falls short of installments 1..``n`` as
    scheduled: principal, interest and the monthly fee, not the late fees charged.

    Example: installments of 1,039.98; 1,039.98 paid 15 days late on installment 1
    (late fee 25.00) and 1,039.98 on installment 2's due date: 2,079.96 received of
    2,079.96 scheduled, not short, though installment 2 is still 27.98 short (the
    waterfall paid installment 1's 25.00 fee and 2.98 of interest on its arrears first).

    >>> from dataclasses import replace
    >>> from decimal import Decimal
    >>> from autolend.domain.money import Money
    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("1200", "USD"), annual_rate=Decimal("0.12"),
    ...                   periods=3, start=date(2026, 1, 5))
    >>> state = LoanState.from_schedule("L1", build_schedule(terms))
    >>> short_of_schedule(state, 1), short_of_schedule(replace(state, advance=40_803), 1)
    (True, False)
    """
    rows = state.installments
    received = sum(row.total_paid for row in rows) + state.advance
    received += state.penalty_paid + state.compound_paid
    scheduled = sum(
        row.principal_due + row.interest_due + min(state.monthly_fee, row.fee_due)
        for row in rows[:n]
    )
    return received < scheduled
