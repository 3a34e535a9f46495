"""Build a repayment schedule from loan terms: :func:`build_schedule`.

Order of work for a loan of ``g`` grace periods and ``n`` regular periods:

1. due dates and per-period interest factors (:mod:`.dates`);
2. ``g`` grace rows (:class:`~.enums.GraceKind`): interest only; or a capitalised
   holiday (nothing paid, interest added to the balance); or a deferred holiday
   (nothing paid, the interest set aside interest-free and paid in full, as
   ``deferred_interest_paid``, with the first regular installment);
3. the method's targets for the ``n`` regular rows on the balance after grace
   (:mod:`.methods`), then the rows: each accrues ``round_interest(balance, ...)``
   and pays towards its target; the last row repays the whole remaining balance;
4. with a subsidy, the borrower's rows are those at the customer rate and each row
   records the subsidiser's share (:mod:`.subsidy`).

Installment-driven rows (equal installment, balloon, step): principal is the
installment less the interest, never more than the balance; if the interest exceeds
the installment (a zero step weight, or a long first period) the shortfall is
capitalised rather than producing a negative principal.  Principal-driven rows (equal
principal, flat, interest only): the interest is paid in full and the principal is the
target, never more than the balance.  A coarse ``installment_multiple`` rounded UP can
repay the loan early; the remaining rows are then all zero.

>>> from autolend.domain.money import Money
>>> terms = LoanTerms(principal=Money.of_minor(500_000, "CNY"), annual_rate=Decimal("0.12"),
...                   periods=18, start=date(2022, 11, 1), first_due=date(2022, 12, 1))
>>> row = build_schedule(terms).rows[0]
>>> row.due_date.isoformat(), row.principal, row.interest, row.payment, row.balance
('2022-12-01', 25491, 5000, 30491, 474509)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from autolend.domain.money import Currency, Money
from autolend.domain.schedule.dates import periods_of
from autolend.domain.schedule.enums import GraceKind
from autolend.domain.schedule.methods import RegularPlan, regular_plan
from autolend.domain.schedule.result import Schedule, ScheduleRow
from autolend.domain.schedule.rounding import interest_rounder
from autolend.domain.schedule.subsidy import apply_subsidy
from autolend.domain.schedule.terms import LoanTerms

__all__ = ["build_schedule", "regular_installment"]


@dataclass(frozen=True, slots=True)
class _Accrual:
    """Per-loan constants the row loops read: dates, days and rate factors."""

    dates: tuple[date, ...]
    days: tuple[int, ...]
    rate_nums: list[Decimal]
    dens: list[Decimal]
    interest: Callable[[int, Decimal, Decimal], int]  # round_interest at the loan's mode
    currency: Currency


def build_schedule(terms: LoanTerms) -> Schedule:
    """The full schedule of ``terms``: ``grace_periods + periods`` rows and totals."""
    periods = periods_of(terms)
    subsidy = terms.subsidy
    rate = terms.annual_rate if subsidy is None else subsidy.customer_rate
    rate_nums, dens = periods.rate_factors(rate)
    cur = terms.principal.currency
    rounder = interest_rounder(terms.rounding)
    acc = _Accrual(periods.due_dates, periods.days, rate_nums, dens, rounder, cur)
    rows, balance, deferred = _grace_rows(acc, terms)
    plan = regular_plan(terms, balance, rate)
    rows.extend(_regular_rows(acc, terms.grace_periods, balance, plan, deferred))
    if subsidy is not None:
        rows = apply_subsidy(terms, periods, rows, plan.flat_base)
    return Schedule(terms, tuple(rows), Money(_regular_level(plan, rows, terms), cur))


def regular_installment(terms: LoanTerms) -> Money:
    """``build_schedule(terms).regular_installment`` without building the rows where it
    does not need them: a method with a level amount (equal installment, balloon, flat)
    and no grace period, whose level is set by the plan before any row is built.

    Affordability searches price after price for the payment of each; a 60-month
    schedule is 60 rows of date and interest arithmetic for the one number they want.
    E.g. 12,000.00 at 12 % over 12 months: 1,066.19, as the schedule says.

    >>> from autolend.domain.money import Money
    >>> terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=12, start=date(2026, 1, 5))
    >>> regular_installment(terms).to_api()
    '1066.19'
    """
    if terms.grace_periods == 0:
        subsidy = terms.subsidy
        rate = terms.annual_rate if subsidy is None else subsidy.customer_rate
        level = regular_plan(terms, terms.principal.minor, rate).level
        if level is not None:
            return Money(level, terms.principal.currency)
    return build_schedule(terms).regular_installment


def _regular_level(plan: RegularPlan, rows: list[ScheduleRow], terms: LoanTerms) -> int:
    if plan.level is not None:
        return plan.level
    first = rows[terms.grace_periods]
    return first.principal + first.interest


def _grace_rows(acc: _Accrual, terms: LoanTerms) -> tuple[list[ScheduleRow], int, int]:
    """Grace rows; returns them, the balance after grace and the deferred interest."""
    rows: list[ScheduleRow] = []
    balance, deferred, kind, cur = terms.principal.minor, 0, terms.grace_kind, acc.currency
    for i in range(terms.grace_periods):
        interest = acc.interest(balance, acc.rate_nums[i], acc.dens[i])
        n, due, days = i + 1, acc.dates[i], acc.days[i]
        if kind is GraceKind.INTEREST_ONLY:
            row = ScheduleRow(n, due, days, balance, 0, interest, interest, balance, cur,
                              grace=True)  # fmt: skip
        elif kind is GraceKind.HOLIDAY_CAPITALISED:
            row = ScheduleRow(n, due, days, balance, 0, 0, 0, balance + interest, cur,
                              capitalised_interest=interest, grace=True)  # fmt: skip
            balance += interest
        else:
            row = ScheduleRow(n, due, days, balance, 0, 0, 0, balance, cur,
                              deferred_interest=interest, grace=True)  # fmt: skip
            deferred += interest
        rows.append(row)
    return rows, balance, deferred


def _regular_rows(
    acc: _Accrual, first: int, balance: int, plan: RegularPlan, deferred: int
) -> list[ScheduleRow]:
    """The regular rows; the last repays the balance, the first also pays ``deferred``."""
    if plan.installments is not None:
        rows, balance = _installment_rows(acc, first, balance, plan.installments[:-1])
    else:
        assert plan.principals is not None
        rows, balance = _principal_rows(acc, first, balance, plan.principals[:-1], plan.flat_base)
    rows.append(_final_row(acc, first + len(rows), balance, plan.flat_base))
    if deferred:
        head = rows[0]
        rows[0] = head._replace(payment=head.payment + deferred, deferred_interest_paid=deferred)
    return rows


def _span(acc: _Accrual, first: int) -> Iterator[tuple[int, date, int, Decimal, Decimal]]:
    """``(n, due date, days, rate x num, den)`` of the rows from index ``first`` on."""
    return zip(
        itertools.count(first + 1),
        acc.dates[first:],
        acc.days[first:],
        acc.rate_nums[first:],
        acc.dens[first:],
        strict=False,
    )


def _installment_rows(
    acc: _Accrual, first: int, balance: int, installments: tuple[int, ...]
) -> tuple[list[ScheduleRow], int]:
    """Rows paying one installment each; returns them and the balance after them."""
    rows: list[ScheduleRow] = []
    append, interest_of, cur = rows.append, acc.interest, acc.currency
    for (n, due, days, rate_num, den), installment in zip(
        _span(acc, first), installments, strict=False
    ):
        interest = interest_of(balance, rate_num, den)
        if installment < interest:  # pay what the installment covers, capitalise the rest
            capitalised, closing = interest - installment, balance + interest - installment
            append(ScheduleRow(n, due, days, balance, 0, installment, installment, closing,
                               cur, 0, capitalised, 0, 0, False))  # fmt: skip
            balance = closing
            continue
        principal = min(installment - interest, balance)
        closing = balance - principal  # rows are built positionally: the cheapest way
        append(ScheduleRow(n, due, days, balance, principal, interest, principal + interest,
                           closing, cur, 0, 0, 0, 0, False))  # fmt: skip
        balance = closing
    return rows, balance


def _principal_rows(
    acc: _Accrual, first: int, balance: int, principals: tuple[int, ...], flat_base: int | None
) -> tuple[list[ScheduleRow], int]:
    """Rows repaying a target principal each (never more than the balance) plus the
    period's interest in full; returns them and the balance after them."""
    rows: list[ScheduleRow] = []
    append, interest_of, cur = rows.append, acc.interest, acc.currency
    for (n, due, days, rate_num, den), target in zip(_span(acc, first), principals, strict=False):
        base = balance if flat_base is None or balance == 0 else flat_base
        interest = interest_of(base, rate_num, den)
        principal = target if target < balance else balance
        closing = balance - principal
        append(ScheduleRow(n, due, days, balance, principal, interest, principal + interest,
                           closing, cur, 0, 0, 0, 0, False))  # fmt: skip
        balance = closing
    return rows, balance


def _final_row(acc: _Accrual, index: int, balance: int, flat_base: int | None) -> ScheduleRow:
    """The last row: the period's interest and the whole remaining balance."""
    base = balance if flat_base is None or balance == 0 else flat_base
    interest = acc.interest(base, acc.rate_nums[index], acc.dens[index])
    return ScheduleRow(index + 1, acc.dates[index], acc.days[index], balance, balance, interest,
                       balance + interest, 0, acc.currency, 0, 0, 0, 0, False)  # fmt: skip
