"""A loan started late in a month whose first due date is a month end (2026-01-28 ->
2026-02-28, 2026-03-30 -> 2026-04-30) has a regular first month: the schedule charges a
full month's interest for it, so the disclosed APR (PBOC [2021] No. 3: IRR x 12, and
(1 + IRR) ** 12 - 1) must count it as one month too.

Golden numbers from an independent recomputation with numpy-financial (not autolend's
code): the standard new-car deal (200,000.00, 60,000.00 down, 36 months at 5.24 %, the
1 % origination fee of 1,400.00 paid in cash, the 1,500.00 GPS fee financed) is a
141,500.00 loan of ``npf.pmt(0.0524 / 12, 36, -141500)`` = 4,256.15 a month, interest
rounded half-up on each month's balance, the last row 4,255.99; the borrower receives
138,600.00, and ``npf.irr`` of those flows gives 6.6298 % nominal and 6.8350 % effective
(6.63 % / 6.84 %) -- before the fix 6.59 % was disclosed for the 28 January start.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from autolend.domain.decision_rules import deal_request
from autolend.domain.money import Money
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.quote import Quote, build_quote, first_period_fraction

NPF_NOMINAL = Decimal("6.63")
NPF_EFFECTIVE = Decimal("6.84")


def quote_started(start: date) -> Quote:
    request = deal_request(
        STANDARD_NEW, price=Money.parse("200000", "CNY"), down_payment=Money.parse("60000", "CNY"),
        term_months=36, rate=Decimal("0.0524"), start=start,
    )  # fmt: skip
    return build_quote(request)


@pytest.mark.parametrize(
    ("start", "first_due"),
    [
        (date(2026, 1, 28), date(2026, 2, 28)),
        (date(2026, 1, 30), date(2026, 2, 28)),
        (date(2026, 3, 30), date(2026, 4, 30)),
        (date(2026, 10, 30), date(2026, 11, 30)),
        (date(2026, 11, 30), date(2026, 12, 31)),
    ],
)
def test_a_first_month_ending_on_a_month_end_is_one_month_in_the_apr(
    start: date, first_due: date
) -> None:
    quote = quote_started(start)
    assert quote.schedule.rows[0].due_date == first_due
    assert quote.installment.to_api() == "4256.15"
    assert first_period_fraction(quote.schedule) == 1
    assert quote.apr.nominal_percent() == NPF_NOMINAL
    assert quote.apr.effective_percent() == NPF_EFFECTIVE
    assert abs(quote.apr.nominal - Decimal("0.066298145044")) < Decimal("1e-9")


def test_an_irregular_first_period_still_counts_its_days_over_a_regular_month() -> None:
    """Started 2024-01-10, first due 2024-02-20: 41 days over the 31 of 01-20 .. 02-20."""
    request = deal_request(
        STANDARD_NEW, price=Money.parse("200000", "CNY"), down_payment=Money.parse("60000", "CNY"),
        term_months=36, rate=Decimal("0.0524"), start=date(2024, 1, 10),
    )  # fmt: skip
    quote = build_quote(replace(request, first_due=date(2024, 2, 20)))
    assert first_period_fraction(quote.schedule) == Fraction(41, 31)
