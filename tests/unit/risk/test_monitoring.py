"""Population stability (PSI) and performance by month."""

from __future__ import annotations

import doctest
import json
import math

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk import monitoring
from autolend.risk.monitoring import (
    EPSILON,
    feature_stability,
    performance_by_month,
    population_stability,
    psi_status,
)


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(monitoring, optionflags=doctest.ELLIPSIS).failed == 0


def test_a_worked_two_bin_example_gives_the_hand_computed_psi() -> None:
    """Baseline shares (0.5, 0.5), window (0.6, 0.4):

    PSI = (0.6 - 0.5) ln(0.6 / 0.5) + (0.4 - 0.5) ln(0.4 / 0.5)
        = 0.1 ln(1.2) + (-0.1) ln(0.8) = 0.01823 + 0.02231 = 0.0405.
    """
    result = population_stability(["a"] * 50 + ["b"] * 50, ["a"] * 60 + ["b"] * 40)
    assert result.kind == "categorical"
    assert result.psi == pytest.approx(0.1 * math.log(1.2) - 0.1 * math.log(0.8))
    assert round(result.psi, 4) == 0.0405
    assert [b.label for b in result.bins] == ["a", "b"]
    assert [b.contribution for b in result.bins] == pytest.approx(
        [0.1 * math.log(1.2), -0.1 * math.log(0.8)]
    )


def test_a_sample_against_itself_is_perfectly_stable() -> None:
    values = np.random.default_rng(1).normal(size=5_000)
    result = population_stability(values, values)
    assert result.psi == 0.0
    assert result.status == "stable"
    assert len(result.bins) == 10
    assert all(b.baseline_count == 500 for b in result.bins)


def test_a_shifted_sample_calls_for_action() -> None:
    rng = np.random.default_rng(2)
    result = population_stability(rng.normal(size=5_000), rng.normal(0.8, 1, size=5_000))
    assert result.psi > 0.25
    assert result.status == "act"


def test_two_draws_of_the_same_population_stay_stable() -> None:
    rng = np.random.default_rng(3)
    assert population_stability(rng.normal(size=5_000), rng.normal(size=5_000)).psi < 0.02


def test_missing_values_get_their_own_bin() -> None:
    baseline = pd.Series([1.0, 2.0, 3.0, 4.0, None, None, 5.0, 6.0, 7.0, 8.0])
    window = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    result = population_stability(baseline, window, bins=4)
    missing = result.bins[-1]
    assert (missing.label, missing.baseline_count, missing.window_count) == ("missing", 2, 0)
    # The empty window share counts as epsilon: (eps - 0.2) ln(eps / 0.2) > 0.
    assert missing.contribution == pytest.approx((EPSILON - 0.2) * math.log(EPSILON / 0.2))


def test_ties_merge_quantile_bins_and_window_values_beyond_the_range_land_in_the_end_bins() -> None:
    baseline = [0] * 85 + [1] * 10 + [2] * 5
    result = population_stability(baseline, [0] * 50 + [9] * 50)
    assert [b.label for b in result.bins] == ["< 1", ">= 1"]
    assert [b.window_count for b in result.bins] == [50, 50]


def test_a_category_unseen_in_the_baseline_adds_to_the_psi() -> None:
    result = population_stability(["ice"] * 100, ["ice"] * 90 + ["nev"] * 10)
    new = next(b for b in result.bins if b.label == "nev")
    assert new.baseline_count == 0
    assert new.contribution == pytest.approx((0.1 - EPSILON) * math.log(0.1 / EPSILON))


@pytest.mark.parametrize(
    ("psi", "status"),
    [(0.0, "stable"), (0.0999, "stable"), (0.1, "watch"), (0.2499, "watch"), (0.25, "act")],
)
def test_status_thresholds_are_0_1_watch_and_0_25_act(psi: float, status: str) -> None:
    assert psi_status(psi) == status


def test_a_negative_or_undefined_psi_is_refused() -> None:
    for bad in (-0.1, float("nan")):
        with pytest.raises(InvalidInput):
            psi_status(bad)


def test_fewer_than_two_bins_or_an_empty_side_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        population_stability([1, 2], [1, 2], bins=1)
    assert caught.value.field == "bins"
    with pytest.raises(InvalidInput) as caught:
        population_stability([1, 2], [])
    assert caught.value.field == "window"


def test_feature_stability_covers_each_feature_then_the_score_and_serialises() -> None:
    rng = np.random.default_rng(4)
    base = pd.DataFrame({"tier": rng.integers(1, 5, 2_000), "score": rng.normal(600, 50, 2_000)})
    window = base.assign(score=base["score"] - 60)
    result = feature_stability(base, window, ["tier"], score_col="score")
    assert [(f.feature, f.is_score, f.status) for f in result] == [
        ("tier", False, "stable"),
        ("score", True, "act"),
    ]
    payload = json.loads(json.dumps([f.as_dict() for f in result]))
    assert payload[1]["feature"] == "score"
    assert len(payload[1]["bins"]) == 10


def test_feature_stability_names_a_missing_column() -> None:
    base = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(InvalidInput) as caught:
        feature_stability(base, base.rename(columns={"a": "b"}), ["a"])
    assert caught.value.field == "a"


def _months_frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    pd_ = rng.uniform(0.01, 0.4, 600)
    bad = (rng.random(600) < pd_).astype(int)
    frame = pd.DataFrame({"month": ["2025-02"] * 300 + ["2025-01"] * 300, "pd": pd_, "bad": bad})
    single = pd.DataFrame({"month": ["2025-03"] * 20, "pd": np.linspace(0.1, 0.2, 20), "bad": 0})
    return pd.concat([frame, single], ignore_index=True)


def test_performance_by_month_reports_each_month_in_order_with_sklearn_auc() -> None:
    frame = _months_frame()
    result = performance_by_month(frame, month_col="month", pd_col="pd")
    assert [m.month for m in result] == ["2025-01", "2025-02", "2025-03"]
    january = frame[frame["month"] == "2025-01"]
    assert result[0].auc == pytest.approx(roc_auc_score(january["bad"], january["pd"]))
    assert result[0].count == 300
    assert result[0].bad_rate == pytest.approx(january["bad"].mean())
    assert result[0].mean_pd == pytest.approx(january["pd"].mean())
    assert 0 < result[0].ks < 1  # type: ignore[operator]


def test_a_month_with_a_single_class_reports_none_with_a_reason() -> None:
    march = performance_by_month(_months_frame(), month_col="month", pd_col="pd")[-1]
    assert (march.auc, march.ks, march.bads, march.bad_rate) == (None, None, 0, 0.0)
    assert march.note is not None
    assert "only goods" in march.note
    assert json.loads(json.dumps(march.as_dict()))["auc"] is None


def test_a_score_where_higher_is_safer_gives_the_same_auc_as_the_pd() -> None:
    frame = _months_frame().assign(points=lambda f: 600 - 100 * np.log(f["pd"]))
    by_pd = performance_by_month(frame, month_col="month", pd_col="pd")
    by_score = performance_by_month(frame, month_col="month", score_col="points")
    assert [m.auc for m in by_score] == pytest.approx([m.auc for m in by_pd])
    assert by_score[0].auc > 0.5  # type: ignore[operator]
    assert by_score[0].mean_pd is None


def test_performance_needs_exactly_one_of_score_or_pd_and_a_binary_target() -> None:
    frame = _months_frame()
    with pytest.raises(InvalidInput):
        performance_by_month(frame, month_col="month")
    with pytest.raises(InvalidInput):
        performance_by_month(frame, month_col="month", pd_col="pd", score_col="pd")
    with pytest.raises(InvalidInput) as caught:
        performance_by_month(frame.assign(bad=2), month_col="month", pd_col="pd")
    assert caught.value.field == "bad"


def test_text_in_the_target_or_the_score_is_refused_naming_the_column() -> None:
    frame = _months_frame()
    with pytest.raises(InvalidInput) as caught:
        performance_by_month(frame.assign(bad="no"), month_col="month", pd_col="pd")
    assert caught.value.field == "bad"
    with pytest.raises(InvalidInput) as caught:
        performance_by_month(frame.assign(pd="high"), month_col="month", pd_col="pd")
    assert caught.value.field == "pd"


def test_the_score_psi_states_the_training_rows_per_bin_when_the_card_kept_them() -> None:
    from autolend.risk.card import _psi_baseline
    from autolend.risk.monitoring_report import score_psi

    training = np.arange(1000, dtype=float)  # ten deciles of 100 rows
    baseline = _psi_baseline(training)
    assert baseline["counts"] == [100] * 10
    result = score_psi(np.arange(0, 1000, 2, dtype=float), baseline)
    assert result.baseline_count == 1000 and result.window_count == 500
    assert [b.baseline_count for b in result.bins] == [100] * 10
    # A card of before the counts were kept: unknown, not 0 rows.
    old = score_psi([1.0, 2.0], {k: v for k, v in baseline.items() if k != "counts"})
    assert old.baseline_count is None
    assert {b.baseline_count for b in old.bins} == {None}
    assert json.loads(json.dumps(old.as_dict()))["baseline_count"] is None
