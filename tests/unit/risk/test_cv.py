"""Repeated stratified cross-validation: its shape, and no leakage from test folds."""

from __future__ import annotations

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk.challenger import ChallengerSettings
from autolend.risk.cv import cross_validate
from autolend.risk.dataset import training_data

FAST = ChallengerSettings(max_trees=80, early_stopping=15, inner_folds=3)


def _signal(rows: int, seed: int) -> pandas.DataFrame:
    rng = np.random.default_rng(seed)
    dsr = rng.uniform(0, 1, rows)
    bad = rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-(-2 + 3 * dsr)))
    return pandas.DataFrame({"dsr": dsr, "age": rng.integers(20, 70, rows), "bad": bad.astype(int)})


def test_the_report_has_one_entry_per_model_with_auc_gini_and_ks() -> None:
    data = training_data(_signal(600, seed=1), "bad", 1)
    ticks: list[tuple[int, int]] = []
    report = cross_validate(
        data, folds=3, repeats=2, seed=0, challenger=FAST,
        progress=lambda done, total: ticks.append((done, total)),
    )  # fmt: skip
    assert ticks == [(n, 6) for n in range(7)]  # the command line's progress bar
    shaped = report.as_dict()
    assert set(shaped) >= {"champion", "challenger", "forest", "ensemble", "rows", "bad_rate"}
    assert set(shaped["champion"]) == {"auc_mean", "auc_std", "gini", "ks"}  # type: ignore[call-overload]
    assert shaped["rows"] == 600
    assert len(report.scores["challenger"].aucs) == 6
    champion = report.scores["champion"].as_dict()
    assert champion["gini"] == round(2 * float(np.mean(report.scores["champion"].aucs)) - 1, 4)
    assert 0.6 < champion["auc_mean"] < 0.9


def test_noise_features_do_not_look_predictive_because_binning_sees_only_training_folds() -> None:
    # 8 pure-noise columns and random outcomes: a binning fitted on all rows would find
    # splits that "predict" the test folds; fitted per fold, the AUC stays near 0.5.
    rng = np.random.default_rng(9)
    frame = pandas.DataFrame({f"noise_{i}": rng.normal(size=300) for i in range(8)})
    frame["bad"] = rng.integers(0, 2, 300)
    report = cross_validate(
        training_data(frame, "bad", 1), folds=3, repeats=1, seed=0, champion_only=True
    )
    assert report.as_dict()["champion"]["auc_mean"] < 0.58  # type: ignore[index]
    assert set(report.scores) == {"champion"}


@pytest.mark.parametrize(("bads", "goods"), [(3, 2997), (7, 1)])
def test_too_few_bads_or_goods_for_the_folds_is_refused_before_any_fit(
    bads: int, goods: int
) -> None:
    # 3 bads in 3,000 rows read as a 3-fold AUC of 0.21; 7 bads and 1 good crashed in sklearn.
    frame = _signal(bads + goods, seed=2).assign(bad=[1] * bads + [0] * goods)
    data = training_data(frame, "bad", 1)
    with pytest.raises(InvalidInput, match="need at least 5 bads and 5 goods to cross-validate"):
        cross_validate(data, folds=3, repeats=1, champion_only=True)
    many_folds = training_data(_signal(600, seed=1), "bad", 1)
    with pytest.raises(InvalidInput, match="need at least 700 bads and 700 goods") as error:
        cross_validate(many_folds, folds=700, repeats=1, champion_only=True)
    assert error.value.field == "data"


def test_columns_without_values_in_a_fold_do_not_break_any_model() -> None:
    # One row holds a value (all the others are missing): some training folds see none.
    frame = _signal(600, seed=1)
    frame["sparse_number"] = np.where(np.arange(600) == 5, 3.0, np.nan)
    frame["sparse_text"] = ["x" if i == 5 else None for i in range(600)]
    frame["empty"] = np.nan
    report = cross_validate(
        training_data(frame, "bad", 1), folds=3, repeats=1, seed=0, challenger=FAST
    )
    assert report.as_dict()["columns"] == [
        {"column": "empty", "code": "no_values", "left_out": True,
         "text": "empty: left out, it has no values"},
    ]  # fmt: skip
    assert 0.6 < report.as_dict()["champion"]["auc_mean"] < 0.9  # type: ignore[index]
