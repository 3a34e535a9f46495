"""Discrimination and calibration measures on hand-checkable inputs."""

from __future__ import annotations

import pytest

from autolend.risk.metrics import auc, brier, gini, ks, ks_curve, reliability_table, roc_points


def test_a_perfect_ranking_has_auc_gini_and_ks_of_one() -> None:
    y, pd_ = [0, 0, 0, 1, 1], [0.05, 0.1, 0.2, 0.6, 0.7]
    assert (auc(y, pd_), gini(y, pd_), ks(y, pd_)) == (1.0, 1.0, 1.0)


def test_a_reversed_ranking_has_auc_zero_and_gini_minus_one() -> None:
    y, pd_ = [1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]
    assert (auc(y, pd_), gini(y, pd_)) == (0.0, -1.0)


def test_auc_counts_ties_as_half() -> None:
    # one bad and one good with the same PD: the only pair is a tie -> 0.5
    assert auc([0, 1], [0.3, 0.3]) == 0.5


def test_brier_is_the_mean_squared_gap() -> None:
    # (0.2^2 + 0.4^2 + 0.1^2 + 0.5^2) / 4 = (0.04 + 0.16 + 0.01 + 0.25) / 4 = 0.115
    assert brier([0, 1, 0, 1], [0.2, 0.6, 0.1, 0.5]) == pytest.approx(0.115)


def test_ks_is_the_largest_gap_between_bad_and_good_capture() -> None:
    # PD >= 0.8 catches 2 of 3 bads and no good: gap 2/3, and no threshold does better
    y, pd_ = [1, 1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]
    curve = ks_curve(y, pd_)
    assert ks(y, pd_) == pytest.approx(max(b - g for g, b in zip(curve.x, curve.y, strict=True)))
    assert ks(y, pd_) == pytest.approx(2 / 3)


def test_the_roc_curve_runs_from_the_origin_to_the_top_right_corner() -> None:
    curve = roc_points([0, 1, 0, 1], [0.1, 0.8, 0.4, 0.35])
    assert (curve.x[0], curve.y[0], curve.x[-1], curve.y[-1]) == (0.0, 0.0, 1.0, 1.0)


def test_the_reliability_table_counts_every_row_once_with_observed_bad_rates() -> None:
    y = [0, 0, 1, 0, 1, 1, 0, 1]
    pd_ = [0.1, 0.1, 0.2, 0.2, 0.7, 0.8, 0.8, 0.9]
    table = reliability_table(y, pd_, bins=2)
    assert sum(b.count for b in table) == 8
    assert [(b.count, b.bad_rate) for b in table] == [(4, 0.25), (4, 0.75)]
    assert table[0].mean_pd == pytest.approx(0.15)


def test_the_reliability_table_of_constant_predictions_is_one_bin() -> None:
    table = reliability_table([0, 1, 1], [0.4, 0.4, 0.4])
    assert [(b.count, round(b.bad_rate, 4)) for b in table] == [(3, 0.6667)]
