"""Regulation packs: values in force on a date, the cost cap, unknown packs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.regulation import CN_PACK, US_PACK, cost_cap_amount, pack_for


def test_the_china_pack_holds_the_24_percent_ceiling_with_a_20_percent_warning() -> None:
    # REGULATION.md: comprehensive cost ceiling for licensed lenders (SPC 2017; NFRA 2025).
    ceiling = pack_for("cn").cost_ceiling(date(2026, 11, 28))
    assert (ceiling.ceiling, ceiling.warn_at) == (Decimal("0.24"), Decimal("0.20"))


def test_the_loan_prime_rate_follows_its_publication_dates() -> None:
    # NIFC: 1-year / 5-year LPR 3.1 % / 3.6 % from 2024-10-21, 3.0 % / 3.5 % from 2025-05-20.
    assert CN_PACK.lpr(date(2025, 5, 19)).one_year == Decimal("0.031")
    assert CN_PACK.lpr(date(2025, 5, 20)).one_year == Decimal("0.030")
    assert CN_PACK.lpr(date(2025, 5, 20)).five_year == Decimal("0.035")


def test_a_rule_has_no_value_before_it_came_into_force() -> None:
    with pytest.raises(InvalidInput, match="no loan prime rate rule in force"):
        CN_PACK.lpr(date(2020, 1, 1))


def test_term_limits_and_penalty_uplift_come_from_the_pack() -> None:
    limits = CN_PACK.term_limits_on(date(2026, 1, 1))
    assert (limits.new_car_months, limits.used_car_months) == (60, 36)
    uplift = CN_PACK.penalty_uplift(date(2026, 1, 1))
    assert (uplift.low, uplift.high) == (Decimal("0.3"), Decimal("0.5"))
    assert US_PACK.penalty_uplift(date(2026, 1, 1)).high == 0


def test_the_cost_cap_is_simple_interest_at_the_ceiling_rounded_down() -> None:
    cap = cost_cap_amount(Money.parse("100000", "CNY"), Decimal("0.24"), 90)
    assert cap == Money.parse("6000.00", "CNY")
    # 1,000.01 x 0.24 x 1 / 360 = 0.6666... -> 0.66, never past the cap.
    assert cost_cap_amount(Money.parse("1000.01", "CNY"), Decimal("0.24"), 1).minor == 66


def test_an_unknown_pack_names_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="known: CN, US"):
        pack_for("XX")


def test_the_cost_cap_multiplies_before_it_divides_so_no_fen_is_lost() -> None:
    # 12,000.00 x 24 % x 32 / 360 = 256.00 exactly (a Decimal factor 0.0213333... gives 255.99).
    for days in range(1, 2000):
        cap = cost_cap_amount(Money.parse("12000", "CNY"), Decimal("0.24"), days)
        assert cap.minor == (1_200_000 * 24 * days) // (100 * 360)
