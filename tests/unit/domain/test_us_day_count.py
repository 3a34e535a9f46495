"""A loan counts its daily interest on its pack's year: CN ACT/360 (the PBOC convention),
US ACT/365 (the pack's ``day_count_basis``). US loans were quoted and booked on ACT/360,
so the interest a US loan accrues by the day (a partial prepayment's accrued interest, a
daily-basis loan's) came out 365/360 too high."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.daycount import DayCount
from autolend.domain.money import Money
from autolend.domain.payoff import accrued_interest
from autolend.domain.quote import QuoteRequest


def _request(pack: str, currency: str, **extra: object) -> QuoteRequest:
    return QuoteRequest(
        vehicle_price=Money.parse("125000.00", currency), annual_rate=Decimal("0.12"),
        term_months=36, start=date(2026, 1, 15), down_payment_ratio=Decimal("0.2"), pack=pack,
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("pack", "currency", "day_count", "interest"),
    # 100,000.00 x 0.12 x 15 / 360 = 500.00; x 15 / 365 = 493.1506... -> 493.15 (by hand).
    [("CN", "CNY", DayCount.ACT_360, 50_000), ("US", "USD", DayCount.ACT_365, 49_315)],
    ids=["cn", "us"],
)
def test_a_loan_quoted_under_a_pack_accrues_daily_interest_on_the_packs_year(
    pack: str, currency: str, day_count: DayCount, interest: int
) -> None:
    terms = _request(pack, currency).loan_terms()
    assert terms.day_count is day_count
    assert accrued_interest(terms, 10_000_000, date(2026, 2, 15), date(2026, 3, 2)) == interest


def test_a_day_count_the_deal_states_wins_over_the_packs() -> None:
    terms = _request("US", "USD", day_count=DayCount.ACT_360).loan_terms()
    assert terms.day_count is DayCount.ACT_360
