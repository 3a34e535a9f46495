"""The challenger: monotone constraints hold, SHAP adds up, categories are safe."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk.challenger import ChallengerSettings, fit_challenger, monotone_directions
from autolend.risk.dataset import training_data

FAST = ChallengerSettings(max_trees=150, early_stopping=20, inner_folds=3)


def _wiggly(rows: int = 1200, seed: int = 11) -> pandas.DataFrame:
    """Risk rises with ``dsr`` overall but with a dip in the middle; ``region`` adds noise."""
    rng = np.random.default_rng(seed)
    dsr = rng.uniform(0, 1, rows)
    income = rng.uniform(2000, 20000, rows)
    logit = -1.0 + 2.0 * dsr - 1.5 * np.exp(-((dsr - 0.5) ** 2) / 0.005) - income / 10000
    return pandas.DataFrame(
        {
            "dsr": dsr,
            "income": income,
            "region": rng.choice(["north", "south", "east"], rows),
            "bad": (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int),
        }
    )


def test_declared_directions_win_then_trends_and_categories_stay_free() -> None:
    names = ("dsr", "income", "region")
    kinds: tuple[Literal["numeric", "categorical"], ...] = ("numeric", "numeric", "categorical")
    declared, trends = {"dsr": 1}, {"dsr": -1, "income": -1, "region": 1}
    assert monotone_directions(names, kinds, declared, trends) == (1, -1, 0)


def test_a_direction_for_an_unknown_feature_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="'salary'"):
        monotone_directions(("dsr",), ("numeric",), {"salary": -1}, {})


def test_pd_never_falls_as_a_risk_increasing_feature_rises() -> None:
    data = training_data(_wiggly(), "bad", 1)
    model = fit_challenger(
        data, seed=1, declared_directions={"dsr": 1, "income": -1}, settings=FAST
    )
    grid = np.linspace(0, 1, 101)
    for base in data.features.head(5).itertuples(index=False):
        probe = pandas.DataFrame({"dsr": grid, "income": base.income, "region": base.region})
        assert (np.diff(model.predict_pd(probe)) >= -1e-12).all()
        incomes = pandas.DataFrame(
            {"dsr": base.dsr, "income": np.linspace(2000, 20000, 101), "region": base.region}
        )
        assert (np.diff(model.predict_pd(incomes)) <= 1e-12).all()


def test_shap_contributions_add_up_to_the_log_odds() -> None:
    data = training_data(_wiggly(), "bad", 1)
    model = fit_challenger(data, seed=1, settings=FAST)
    head = data.features.head(30)
    contributions = model.contributions(head)
    assert list(contributions.columns) == ["dsr", "income", "region", "base"]
    logit = np.log(model.predict_pd(head) / (1 - model.predict_pd(head)))
    np.testing.assert_allclose(contributions.sum(axis=1).to_numpy(), logit, rtol=1e-9)


def test_the_same_seed_gives_the_same_booster() -> None:
    data = training_data(_wiggly(rows=600), "bad", 1)
    first = fit_challenger(data, seed=4, settings=FAST)
    second = fit_challenger(data, seed=4, settings=FAST)
    assert first.trees == second.trees
    np.testing.assert_array_equal(first.predict_pd(data.features), second.predict_pd(data.features))


def test_unseen_and_missing_categories_score_without_error() -> None:
    data = training_data(_wiggly(rows=600), "bad", 1)
    model = fit_challenger(data, seed=1, settings=FAST)
    odd = pandas.DataFrame(
        {"dsr": [0.3, None], "income": [5000.0, 6000.0], "region": ["mars", None]}
    )
    assert ((model.predict_pd(odd) > 0) & (model.predict_pd(odd) < 1)).all()
