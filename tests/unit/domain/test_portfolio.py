"""Portfolio arithmetic: roll-rate matrices from two snapshots, coverage, month-ends, and
the overview's sums (:mod:`autolend.domain.portfolio`, :mod:`autolend.services.portfolio_views`).

The figures are small hand sums (no external golden numbers needed): e.g. 900.00 of a
1,000.00 bucket staying is a 90 % roll rate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.portfolio import (
    closed_month_ends,
    coverage,
    month_ends,
    roll_matrix,
    share,
    warning_names,
)
from autolend.services.portfolio_ports import RiskGroup
from autolend.services.portfolio_views import overview_from


def test_a_bucket_whose_balance_splits_90_10_rolls_90_percent_and_10_percent() -> None:
    matrix = roll_matrix([(0, 0, 90_000), (0, 1, 10_000)], 6)
    assert matrix.rows[0][:2] == (Decimal("0.9000"), Decimal("0.1000"))
    assert matrix.balance[0] == 100_000


def test_loans_gone_by_the_second_month_end_count_in_the_gone_column() -> None:
    matrix = roll_matrix([(1, 2, 30_000), (1, -1, 10_000)], 3)
    assert matrix.rows[1] == (Decimal("0.0000"), Decimal("0.0000"), Decimal("0.7500"))
    assert matrix.gone[1] == Decimal("0.2500")


def test_each_row_with_a_balance_sums_to_one_within_rounding() -> None:
    matrix = roll_matrix([(0, 0, 1), (0, 1, 1), (0, 2, 1), (2, 2, 5)], 3)
    for row, gone, balance in zip(matrix.rows, matrix.gone, matrix.balance, strict=True):
        if balance:
            assert abs(sum(row) + gone - 1) <= Decimal("0.0002")
        else:
            assert sum(row) + gone == 0


def test_several_loans_moving_the_same_way_add_up() -> None:
    matrix = roll_matrix([(0, 1, 100), (0, 1, 300), (0, 0, 400)], 2)
    assert matrix.rows[0] == (Decimal("0.5000"), Decimal("0.5000"))


def test_a_bucket_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="bucket out of range"):
        roll_matrix([(6, 0, 1)], 6)


def test_shares_round_half_up_to_four_places() -> None:
    assert share(1, 8) == Decimal("0.1250")
    assert share(1, 16) == Decimal("0.0625")
    assert share(1, 20_000) == Decimal("0.0001")  # 0.00005 rounds up
    assert share(3, 0) == Decimal("0.0000")


def test_coverage_is_ecl_over_the_balance() -> None:
    assert coverage(50_000, 2_000_000) == Decimal("0.0250")  # 500.00 on 20,000.00
    assert coverage(0, 0) == Decimal("0.0000")


def test_the_last_snapshot_of_each_month_is_its_month_end() -> None:
    days = [date(2026, 3, 31), date(2026, 2, 27), date(2026, 2, 28), date(2026, 1, 15)]
    assert month_ends(days) == [date(2026, 1, 15), date(2026, 2, 28), date(2026, 3, 31)]


def test_warning_bits_decode_to_their_names_in_flag_order() -> None:
    flags = [("missed_first_payment", 1), ("rolled_worse", 2), ("low_collateral", 16)]
    assert warning_names(0b10011, flags) == ["missed_first_payment", "rolled_worse",
                                            "low_collateral"]  # fmt: skip
    assert warning_names(0, flags) == []


def test_the_overview_sums_buckets_classes_and_stages_with_coverage() -> None:
    # bucket, class, stage, loans, balance, ECL
    groups = [
        RiskGroup(0, 0, 1, 2, 2_000_000, 20_000),
        RiskGroup(2, 1, 2, 1, 1_000_000, 100_000),
        RiskGroup(4, 2, 3, 1, 500_000, 250_000),
    ]
    view = overview_from(date(2026, 3, 31), groups, [], [])
    assert (view.loans, view.balance_minor, view.ecl_minor) == (4, 3_500_000, 370_000)
    assert [line.balance_minor for line in view.buckets] == [2_000_000, 0, 1_000_000, 0, 500_000, 0]
    assert [line.loans for line in view.classes] == [2, 1, 1, 0, 0]
    assert [s.coverage for s in view.stages] == [Decimal("0.0100"), Decimal("0.1000"),
                                                 Decimal("0.5000")]  # fmt: skip
    assert view.coverage == Decimal("0.1057")  # 3,700.00 / 35,000.00 = 0.105714...


def test_an_empty_overview_has_every_line_at_zero() -> None:
    view = overview_from(None, [], [], [])
    assert view.loans == 0 and len(view.buckets) == 6 and len(view.classes) == 5
    assert all(s.coverage == 0 for s in view.stages)


def test_a_month_under_way_is_no_month_end_for_the_roll_rates() -> None:
    days = [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 2)]
    assert closed_month_ends(days) == [date(2026, 2, 28), date(2026, 3, 31)]
    assert closed_month_ends(days[:2]) == days[:2]  # March has ended: it counts
    assert closed_month_ends([date(2026, 1, 15), date(2026, 2, 3)]) == [date(2026, 1, 15)]
