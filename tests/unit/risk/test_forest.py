"""The forest member: scikit-learn's PDs, bounded size, missing and unseen values, ranks."""

from __future__ import annotations

import pickle

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest
from sklearn.ensemble import RandomForestClassifier  # type: ignore[import-untyped]

from autolend.risk.dataset import training_data
from autolend.risk.forest import ForestSettings, Quantiles, fit_forest, rank_average

SMALL = ForestSettings(trees=60)


def _applicants(rows: int = 800, seed: int = 5) -> pandas.DataFrame:
    rng = np.random.default_rng(seed)
    dsr = rng.uniform(0, 1, rows)
    region = rng.choice(["north", "south", "east"], rows)
    logit = -1.5 + 3.0 * dsr + np.where(region == "east", 0.8, 0.0)
    frame = pandas.DataFrame(
        {
            "dsr": dsr,
            "age": rng.integers(20, 70, rows),
            "income": rng.lognormal(8.8, 0.5, rows).round(),
            "region": region,
        }
    )
    frame["bad"] = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame


def test_the_flat_trees_give_scikit_learns_probabilities() -> None:
    data = training_data(_applicants(), "bad", 1)
    forest = fit_forest(data, seed=2, settings=SMALL)
    matrix = forest.matrix(data.features)
    reference = RandomForestClassifier(
        n_estimators=60, min_samples_leaf=5, max_depth=8, max_features="sqrt", random_state=2
    ).fit(matrix, data.y)
    expected = reference.predict_proba(matrix)[:, 1]
    np.testing.assert_allclose(forest.pd_of_matrix(matrix), expected, atol=1e-12)


def test_leaves_of_five_rows_and_eight_levels_bound_the_forest_whatever_the_rows() -> None:
    # Pure noise makes trees grow as far as allowed: with one-row leaves the forest grows
    # with the data (it memorises rows); bounded, it cannot pass 2**9 - 1 nodes per tree.
    rng = np.random.default_rng(3)
    frame = pandas.DataFrame({f"x{i}": rng.normal(size=3000) for i in range(6)})
    frame["bad"] = rng.integers(0, 2, 3000)
    data = training_data(frame, "bad", 1)
    memorising = fit_forest(data, seed=0, settings=ForestSettings(20, min_leaf=1, max_depth=60))
    bounded = fit_forest(data, seed=0, settings=ForestSettings(20))
    assert memorising.nodes > 20 * 1000  # about one node per 2-3 training rows, per tree
    assert bounded.nodes <= ForestSettings(20).max_nodes == 20 * 511


def test_the_artifact_stays_under_two_megabytes_for_a_thousand_rows() -> None:
    data = training_data(_applicants(rows=1000), "bad", 1)
    forest = fit_forest(data, seed=1)  # the default settings: 300 trees
    assert len(pickle.dumps(forest)) < 2_000_000
    assert forest.nodes <= ForestSettings().max_nodes


def test_a_single_row_equals_the_batch_and_missing_or_unseen_values_are_scored() -> None:
    data = training_data(_applicants(), "bad", 1)
    forest = fit_forest(data, seed=0, settings=SMALL)
    frame = pandas.DataFrame(
        {"dsr": [0.9, None], "age": [30, 40], "income": [5000, None], "region": ["moon", None]}
    )
    batch = forest.predict_pd(frame)
    singles = [
        forest.pd_of_matrix(forest.row_matrix(forest.schema.row(row)))[0]
        for row in frame.to_dict("records")
    ]
    assert batch.tolist() == singles
    assert np.all((batch > 0) & (batch < 1))
    restored = pickle.loads(pickle.dumps(forest))
    np.testing.assert_array_equal(restored.predict_pd(frame), batch)


def test_positions_are_smoothed_mid_ranks_and_the_rank_average_keeps_the_order() -> None:
    low_high = Quantiles.of(np.array([0.1, 0.2, 0.2, 0.4]))
    positions = low_high.position(np.array([0.0, 0.2, 0.2 + 1e-15, 0.9]))
    assert positions == pytest.approx([0.1, 0.5, 0.5, 0.9])
    other = Quantiles.of(np.array([0.3, 0.5]))
    average = rank_average([(low_high, np.array([0.1, 0.4])), (other, np.array([0.3, 0.5]))])
    assert average[0] < average[1]
