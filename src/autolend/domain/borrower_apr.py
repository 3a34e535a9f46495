"""The annualised rate of a schedule's borrower cash flows (PBOC 年化利率, IRR method).

The borrower receives an amount at the start (the principal, less any fees paid in cash)
and pays each row's payment (plus any monthly fees). The first payment falls after a first
period that may be longer or shorter than a regular one; it counts as a fraction of a
period: its accrual days over the days of the regular period ending on the first due date.

Example: a monthly loan started 2024-01-10 with its first due date 2024-02-20 has a first
period of 41 days against the 31 days from 2024-01-20 to 2024-02-20, so the first payment
falls 41/31 periods after the advance.

That is the CN rule (PBOC announcement [2021] No. 3).  Under the US pack (its
``apr_method`` is ``appendix_j``) the disclosed APR is Regulation Z's instead
(:func:`disclosed_apr`): Appendix J counts the odd days of the first period over a
30-day month, whatever the month.  Started 2026-02-03 and first due
2026-03-02, the first period is 27/28 of a month under the CN rule but 27/30 under
Appendix J; 5,000.00 at 20 % over 12 months less a 300.00 fee paid at signing: 32.23 %
by the CN rule, 32.57 % by Appendix J.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from autolend.domain.apr import AnnualisedRate, CashFlow, cn_annualised_rate, irr_at_times
from autolend.domain.money import Money
from autolend.domain.regulation import pack_for
from autolend.domain.regz import ClosedEndDisclosures, closed_end_disclosures
from autolend.domain.schedule import Schedule
from autolend.domain.schedule.dates import first_period_share

__all__ = [
    "ClosedEndDisclosures", "borrower_apr", "disclosed_apr", "first_period_fraction",
    "schedule_apr",
]  # fmt: skip


def first_period_fraction(schedule: Schedule) -> Fraction:
    """The first period in regular periods: 1 when the first due date is one period after
    the start by the schedule's own due-date rule, else its days over the days of the
    regular period ending on the first due date, by the loan's day count (2024-01-10 ->
    2024-02-20 monthly: 41/31). The schedule charges a full month's interest for a loan
    started 2026-01-28 and first due 2026-02-28, so the APR counts one month too, not
    31 days over the 28 from the month end 01-31 (which understated it: 6.59 % for 6.63 %).
    """
    days, regular = first_period_share(schedule.terms, schedule.rows[0].due_date)
    return Fraction(days, regular)


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


def disclosed_apr(
    pack: str,
    received: Money,
    payments: Sequence[tuple[date, Money]],
    schedule: Schedule,
    *,
    cash_price: Money | None = None,
) -> tuple[AnnualisedRate, ClosedEndDisclosures | None]:
    """The APR a quote, offer or contract under ``pack`` states for the borrower who
    receives ``received`` and pays ``payments`` (due date, amount) on ``schedule``.

    By the pack's ``apr_method``: under ``appendix_j`` (US) it is Reg Z's: ``received``
    is the amount financed, the APR is Appendix J's from the schedule's start, and the
    1026.18 figures come with it (``cash_price`` gives a credit sale its total sale
    price).  Under ``pboc`` (CN) it is :func:`borrower_apr` with
    :func:`first_period_fraction`, and no Reg Z figures.  An unknown pack is refused
    (field ``jurisdiction``).
    """
    terms = schedule.terms
    if pack_for(pack).apr_method == "appendix_j":
        figures = closed_end_disclosures(
            received, payments, terms.start, terms.frequency.value, cash_price=cash_price
        )
        return figures.rate.annualised(), figures
    amounts = [amount for _, amount in payments]
    first = first_period_fraction(schedule)
    return borrower_apr(received, amounts, terms.frequency.periods_per_year, first), None
