"""The champion scorecard: scaling, known answers, points that add up, lookups = optbinning."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest
from optbinning import BinningProcess  # type: ignore[import-untyped]

from autolend.risk.dataset import TrainingData, training_data
from autolend.risk.metrics import auc
from autolend.risk.scorecard import Champion, ScorecardScaling, fit_champion


def _step(rows: int = 2000, seed: int = 3) -> pandas.DataFrame:
    """``dsr`` decides: bad when it exceeds 0.6, with 2 % of outcomes flipped; rest is noise.

    (optbinning never makes a bin without bads or goods, whose WoE would be infinite, so a
    feature that separates with no noise at all stays in one bin: hence the flips.)
    """
    rng = np.random.default_rng(seed)
    dsr = rng.uniform(0, 1, rows)
    flipped = rng.uniform(0, 1, rows) < 0.02
    return pandas.DataFrame(
        {
            "dsr": dsr,
            "tenure": rng.integers(0, 120, rows).astype(float),
            "region": rng.choice(["north", "south", "east"], rows),
            "bad": ((dsr > 0.6) ^ flipped).astype(int),
        }
    )


def _noisy(rows: int = 1500, seed: int = 5) -> pandas.DataFrame:
    """Risk rises with ``dsr``, falls with ``income``; region ``east`` is riskier."""
    rng = np.random.default_rng(seed)
    frame = pandas.DataFrame(
        {
            "dsr": rng.uniform(0, 1, rows),
            "income": rng.lognormal(8.5, 0.4, rows),
            "region": rng.choice(["north", "south", "east"], rows),
        }
    )
    logit = -1.5 + 2.5 * frame["dsr"] - 0.0002 * (frame["income"] - 5000)
    logit += np.where(frame["region"] == "east", 0.8, 0.0)
    frame["bad"] = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame


@cache
def _fitted() -> tuple[TrainingData, Champion]:
    data = training_data(_noisy(), "bad", 1)
    return data, fit_champion(data, ScorecardScaling(), seed=0)


def test_600_points_mean_odds_of_50_to_1_and_20_points_double_them() -> None:
    scaling = ScorecardScaling(base_points=600, base_odds=50, pdo=20)
    assert scaling.score_of_pd(1 / 51) == pytest.approx(600)
    assert scaling.score_of_pd(1 / 101) == pytest.approx(620)
    assert scaling.score_of_pd(1 / 26) == pytest.approx(580)


def test_a_step_rule_is_found_and_ranks_as_well_as_the_rule_itself() -> None:
    # Known answer: with 40 % above the step and 2 % flips, the rule "dsr > 0.6" has an AUC
    # of about 0.978 (0.9703 * 0.9866 + half the ties); the scorecard can do no better.
    data = training_data(_step(), "bad", 1)
    champion = fit_champion(data, ScorecardScaling(), seed=0)
    rule = auc(data.y, (data.features["dsr"] > 0.6).astype(float))
    assert rule == pytest.approx(0.978, abs=0.01)
    assert auc(data.y, champion.predict_pd(data.features)) == pytest.approx(rule, abs=0.01)
    assert 0.6 in champion.bins[0].splits or any(
        abs(s - 0.6) < 0.01 for s in champion.bins[0].splits
    )


def test_points_by_feature_add_up_to_the_total_score() -> None:
    data, champion = _fitted()
    by_feature = champion.points_by_feature(data.features.head(50))
    total = champion.points(data.features.head(50))
    np.testing.assert_allclose(by_feature.sum(axis=1).to_numpy(), total, rtol=1e-12)


def test_the_total_score_is_the_scaled_log_odds_of_the_predicted_pd() -> None:
    data, champion = _fitted()
    pd_ = champion.predict_pd(data.features.head(20))
    expected = [ScorecardScaling().score_of_pd(float(p)) for p in pd_]
    np.testing.assert_allclose(champion.points(data.features.head(20)), expected, rtol=1e-9)


def test_an_applicant_in_every_best_bin_loses_no_points() -> None:
    data, champion = _fitted()
    table = champion.scorecard_table()
    best = table.loc[table["count"] > 0].groupby("feature")["points"].max()
    lost = champion.points_lost(champion.bin_matrix(data.features))
    assert lost.min() == pytest.approx(0.0)
    assert (lost >= -1e-9).all()
    by_feature = champion.points_by_feature(data.features)
    for j, name in enumerate(champion.schema.names):
        row = int(np.argmax(by_feature[name].to_numpy()))
        assert by_feature[name].iloc[row] == pytest.approx(best[name])
        assert lost[row, j] == pytest.approx(0.0)


def test_the_trend_says_whether_risk_rises_or_falls_with_the_value() -> None:
    _data, champion = _fitted()
    assert (champion.trend("dsr"), champion.trend("income"), champion.trend("region")) == (1, -1, 0)


def test_the_scorecard_table_lists_every_bin_with_plain_labels_and_exports_to_csv() -> None:
    table = _fitted()[1].scorecard_table()
    assert list(table.columns) == [
        "feature",
        "bin",
        "count",
        "event_rate",
        "woe",
        "coefficient",
        "points",
    ]
    regions = table.loc[table["feature"] == "region", "bin"].tolist()
    assert "east" in regions and regions[-2:] == ["Missing", "Unseen"]
    assert (
        table.loc[table["bin"] != "Unseen", "count"].groupby(table["feature"]).sum().eq(1500).all()
    )
    assert "east" in table.to_csv(index=False)


@pytest.mark.filterwarnings("ignore::Warning")  # optbinning's own pandas 4 notice
def test_bin_lookups_give_the_same_woe_as_optbinning_itself() -> None:
    data, champion = _fitted()
    process = BinningProcess(
        ["dsr", "income", "region"],
        categorical_variables=["region"],
        min_bin_size=0.05,
        binning_fit_params={n: {"monotonic_trend": "auto_asc_desc"} for n in ("dsr", "income")},
    ).fit(data.features, data.y)
    theirs = process.transform(data.features, metric="woe").to_numpy()
    bins = champion.bin_matrix(data.features)
    ours = np.column_stack([np.asarray(b.woe)[bins[:, j]] for j, b in enumerate(champion.bins)])
    np.testing.assert_allclose(ours, theirs, atol=1e-9)


def test_missing_and_unseen_values_score_without_error() -> None:
    _data, champion = _fitted()
    odd = pandas.DataFrame({"dsr": [math.nan], "income": [None], "region": ["mars"]})
    assert 0 < champion.predict_pd(odd)[0] < 1
