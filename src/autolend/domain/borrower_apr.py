"""The annualised rate of a schedule's borrower cash flows (PBOC 年化利率, IRR method).

The borrower receives an amount at the start (the principal, less any fees paid in cash)
and pays each row's payment (plus any monthly fees). The first payment falls after a first
period that may be longer or shorter than a regular one; it counts as a fraction of a
period: its accrual days over the days of the regular period ending on the first due date.

Example: a monthly loan started 2024-01-10 with its first due date 2024-02-20 has a first
period of 41 days against the 31 days from 2024-01-20 to 2024-02-20, so the first payment
falls 41/31 periods after the advance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from fractions import Fraction

from autolend.domain.apr import AnnualisedRate, CashFlow, cn_annualised_rate, irr_at_times
from autolend.domain.calendar import add_months
from autolend.domain.daycount import accrual_days
from autolend.domain.money import Money
from autolend.domain.schedule import Schedule


def first_period_fraction(schedule: Schedule) -> Fraction:
    """The first period in regular periods: 1 when the first due date is one period after
    the start, else its days over the days of the regular period ending on the first due
    date, by the loan's day count (2024-01-10 -> 2024-02-20 monthly: 41/31)."""
    terms, first = schedule.terms, schedule.rows[0]
    frequency = terms.frequency
    if frequency.months:
        sticky = terms.sticky_end_of_month
        regular_start = add_months(first.due_date, -frequency.months, sticky_end_of_month=sticky)
    else:
        regular_start = first.due_date - timedelta(days=frequency.days)
    if regular_start == terms.start:
        return Fraction(1)
    return Fraction(first.days, accrual_days(regular_start, first.due_date, terms.day_count))


def borrower_apr(
    received: Money, payments: Sequence[Money], periods_per_year: int, first: Fraction
) -> AnnualisedRate:
    """IRR of receiving ``received`` and paying ``payments`` one period apart, the first
    after ``first`` periods; rows that pay nothing (payment holidays) are skipped."""
    if all(p.minor > 0 for p in payments):
        return cn_annualised_rate(
            received, list(payments), periods_per_year, first_period_fraction=first
        )
    flows = [CashFlow(Fraction(0), received.to_decimal())]
    flows += [CashFlow(first + k, -p.to_decimal()) for k, p in enumerate(payments) if p.minor > 0]
    return AnnualisedRate(irr_at_times(flows), periods_per_year)


def schedule_apr(schedule: Schedule) -> AnnualisedRate:
    """The annualised rate of a fee-free schedule: principal against the row payments."""
    payments = [row.money("payment") for row in schedule.rows]
    per_year = schedule.terms.frequency.periods_per_year
    return borrower_apr(
        schedule.terms.principal, payments, per_year, first_period_fraction(schedule)
    )
