"""The quote calculator's input under each regulation pack: the currency is the pack's
unless given, another is refused naming ``currency``, and a late payment is priced under
the pack's own penalty policy (US: no uplift, no compound interest, ACT/365)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.daycount import DayCount
from autolend.domain.errors import InvalidInput
from autolend.domain.penalty import PenaltyPolicy, policy_from_pack
from autolend.domain.quote_input import (
    QuoteInput,
    late_payment_example,
    pack_currency,
    price_quote,
)
from autolend.domain.regulation import CN_PACK, US_PACK, RegulationPack

TODAY = date(2024, 3, 10)
DEAL = QuoteInput(
    vehicle_price="150000", down_payment_ratio="30", annual_rate="4.5", term_months=36
)


def test_a_quote_without_a_currency_is_in_its_packs_and_the_same_one_given_is_accepted() -> None:
    assert price_quote(DEAL, TODAY).quote.installment.currency.code == "CNY"
    us = price_quote(DEAL, TODAY, US_PACK)
    assert us.quote.installment.currency.code == "USD"
    assert us.quote.regz is not None and us.ceiling_rate == Decimal("0.36")
    given = price_quote(replace(DEAL, currency="USD"), TODAY, US_PACK)
    assert given.quote.installment == us.quote.installment
    assert pack_currency(DEAL, CN_PACK) == "CNY"


@pytest.mark.parametrize(
    ("currency", "pack"), [("USD", CN_PACK), ("CNY", US_PACK), ("usd", US_PACK), ("", CN_PACK)]
)
def test_a_currency_the_pack_does_not_lend_in_is_refused_naming_the_field(
    currency: str, pack: RegulationPack
) -> None:
    with pytest.raises(InvalidInput) as caught:
        price_quote(replace(DEAL, currency=currency), TODAY, pack)
    assert caught.value.field == "currency"


def test_the_cn_late_payment_is_the_pboc_default_as_before() -> None:
    assert policy_from_pack(CN_PACK, TODAY) == PenaltyPolicy()
    late = late_payment_example(price_quote(DEAL, TODAY).quote, pack=CN_PACK)
    assert late.penalty_rate == Decimal("0.0675")
    assert (late.per_day.to_api(), late.total.to_api()) == ("0.58", "17.40")


def test_a_us_late_payment_bears_the_contract_rate_only_with_no_compound_interest() -> None:
    policy = policy_from_pack(US_PACK, TODAY)
    assert (policy.uplift, policy.compound_overdue_interest) == (Decimal("0"), False)
    assert policy.day_count is DayCount.ACT_365
    quote = price_quote(DEAL, TODAY, US_PACK).quote
    late = late_payment_example(quote, pack=US_PACK)
    assert late.penalty_rate == Decimal("0.045")
    principal = quote.schedule.rows[0].principal  # minor units; interest bears nothing
    per_day = (Decimal(principal) * Decimal("0.045") / 365).quantize(Decimal(1))
    assert late.per_day.minor == int(per_day)
    assert late.total.minor == int(per_day) * 30
    assert late.total.currency.code == "USD"
