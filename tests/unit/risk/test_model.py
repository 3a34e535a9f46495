"""The trained credit model: one decision's numbers, batch = single, pickling, versions."""

from __future__ import annotations

import pickle
from dataclasses import replace
from functools import cache

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk.card import model_card
from autolend.risk.challenger import ChallengerSettings
from autolend.risk.dataset import training_data
from autolend.risk.model import CreditModel, GradeScale, train_model, train_model_with_evidence
from autolend.risk.reasons import SCORECARD_METHOD, SHAP_METHOD
from autolend.risk.scorecard import ScorecardScaling

FAST = ChallengerSettings(max_trees=120, early_stopping=20, inner_folds=3)


def _applicants(rows: int = 1500, seed: int = 8) -> pandas.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pandas.DataFrame(
        {
            "debt_service_ratio": rng.uniform(0.05, 0.8, rows),
            "monthly_income": rng.lognormal(8.8, 0.4, rows).round(),
            "ltv": rng.uniform(0.4, 1.1, rows),
            "employment_type": rng.choice(["salaried", "self_employed", "gig"], rows),
        }
    )
    logit = (
        -2.2
        + 3.0 * frame["debt_service_ratio"]
        - 0.00015 * (frame["monthly_income"] - 6600)
        + 1.5 * (frame["ltv"] - 0.75)
        + np.where(frame["employment_type"] == "gig", 0.7, 0.0)
    )
    frame["defaulted"] = (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame


@cache
def _model() -> CreditModel:
    data = training_data(_applicants(), "defaulted", 1)
    return train_model(
        data,
        name="test",
        seed=3,
        folds=3,
        challenger=FAST,
        declared_directions={"debt_service_ratio": 1},
    )


def _application(index: int = 0) -> dict[str, object]:
    row = _applicants().drop(columns="defaulted").iloc[index]
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def test_a_score_carries_pd_points_grade_reasons_and_version() -> None:
    model = _model().with_version("pd-2025.1")
    result = model.score(_application())
    assert 0 < result.pd < 1
    assert result.score == round(ScorecardScaling().score_of_pd(result.pd))
    assert result.grade == GradeScale().grade(result.pd)
    assert result.model_version == "pd-2025.1"
    assert 1 <= len(result.reasons) <= 4
    assert result.reason_method == model.reason_method


def test_the_primary_is_the_candidate_with_the_best_out_of_fold_auc() -> None:
    model = _model()
    best = max(model.metrics.candidate_auc.values())
    assert model.metrics.candidate_auc[model.primary] == best
    assert 0.65 < model.metrics.auc < 0.85
    assert model.calibration.method in {"platt", "isotonic"}


@pytest.mark.parametrize(
    ("primary", "method"),
    [
        ("champion", SCORECARD_METHOD),
        ("challenger", SHAP_METHOD),
        ("ensemble", f"{SCORECARD_METHOD}+ensemble"),
    ],
)
def test_reasons_follow_the_primary_model_and_batch_agrees_with_single(
    primary: str, method: str
) -> None:
    model = replace(_model(), primary=primary)  # type: ignore[arg-type]
    frame = _applicants().drop(columns="defaulted").head(25)
    batch = model.score_batch(frame)
    for i in range(25):
        single = model.score(_application(i))
        assert single.reason_method == method
        assert single.pd == pytest.approx(batch["pd"].iloc[i], rel=1e-9)
        assert (single.score, single.grade) == (batch["score"].iloc[i], batch["grade"].iloc[i])
        codes = [r.code for r in single.reasons] + [""] * (4 - len(single.reasons))
        assert codes == batch[["reason_1", "reason_2", "reason_3", "reason_4"]].iloc[i].tolist()
        if primary == "challenger":
            assert all(r.shap_value and r.shap_value > 0 for r in single.reasons)
        else:
            assert all(r.points_lost and r.points_lost > 0 for r in single.reasons)


def test_the_first_scorecard_reason_is_the_feature_that_lost_the_most_points() -> None:
    model = replace(_model(), primary="champion")
    frame = _applicants().drop(columns="defaulted").head(1)
    by_feature = model.champion.points_by_feature(frame).iloc[0]
    best = model.champion.scorecard_table().query("count > 0").groupby("feature")["points"].max()
    lost = (best - by_feature).sort_values(ascending=False)
    assert model.score(_application(0)).reasons[0].feature == lost.index[0]


def test_training_reports_each_fold_and_the_final_fit_as_it_goes() -> None:
    ticks: list[tuple[int, int]] = []
    data = training_data(_applicants(rows=400), "defaulted", 1)
    train_model_with_evidence(
        data, name="progress", seed=3, folds=3, challenger=FAST,
        progress=lambda done, total: ticks.append((done, total)),
    )  # fmt: skip
    assert ticks == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_pickled_model_gives_identical_predictions() -> None:
    model = _model()
    frame = _applicants().drop(columns="defaulted")
    restored = pickle.loads(pickle.dumps(model))
    pandas.testing.assert_frame_equal(restored.score_batch(frame), model.score_batch(frame))
    assert restored.score(_application(3)) == model.score(_application(3))
    assert len(pickle.dumps(model)) < 3_000_000  # 1,500 rows; the forest is size-bounded


def test_an_application_missing_a_feature_is_rejected_naming_it() -> None:
    application = _application()
    del application["ltv"]
    with pytest.raises(InvalidInput, match="ltv") as error:
        _model().score(application)
    assert error.value.field == "ltv"


def test_text_in_a_numeric_feature_is_rejected_and_none_means_missing() -> None:
    with pytest.raises(InvalidInput, match="monthly_income"):
        _model().score({**_application(), "monthly_income": "lots"})
    assert 0 < _model().score({**_application(), "monthly_income": None}).pd < 1


def test_grades_follow_the_master_scale_bounds() -> None:
    scale = GradeScale()
    assert [scale.grade(p) for p in (0.01, 0.02, 0.021, 0.07, 0.2, 0.5)] == [
        "A",
        "A",
        "B",
        "C",
        "D",
        "E",
    ]
    with pytest.raises(InvalidInput):
        GradeScale(upper_pd=(0.1, 0.05), grades=("A", "B", "C"))


def test_the_ensemble_joins_the_champion_and_a_bounded_forest_by_rank() -> None:
    model = replace(_model(), primary="ensemble")
    assert model.forest is not None
    assert model.champion_reference is not None
    frame = _applicants().drop(columns="defaulted").head(50)
    positions = (
        model.champion_reference.position(model.champion.predict_pd(frame))
        + model.forest.reference.position(model.forest.predict_pd(frame))
    ) / 2
    expected = model.calibration.calibrator.apply(positions)
    np.testing.assert_allclose(model.score_batch(frame)["pd"], expected, rtol=1e-12)


def test_a_model_pickled_before_the_forest_existed_loads_and_scores_its_old_average() -> None:
    # An old artifact has no ``forest`` / ``champion_reference`` in its state; unpickled,
    # they read as None and its ensemble stays the PD average it was calibrated on.
    old = replace(_model(), primary="ensemble")
    del old.__dict__["forest"], old.__dict__["champion_reference"]
    restored = pickle.loads(pickle.dumps(old))
    assert restored.forest is None
    frame = _applicants().drop(columns="defaulted").head(10)
    average = (restored.champion.predict_pd(frame) + restored.challenger.predict_pd(frame)) / 2
    expected = restored.calibration.calibrator.apply(average)
    np.testing.assert_allclose(restored.score_batch(frame)["pd"], expected, rtol=1e-12)
    assert restored.score(_application(2)).pd == pytest.approx(
        restored.score_batch(_applicants().drop(columns="defaulted").iloc[[2]])["pd"].iloc[0]
    )


def test_training_refuses_fewer_than_five_bads_even_with_three_folds() -> None:
    frame = _applicants(rows=400).assign(defaulted=[1] * 4 + [0] * 396)
    with pytest.raises(InvalidInput, match="need at least 5 bads and 5 goods to train") as error:
        train_model(training_data(frame, "defaulted", 1), name="few", seed=3, folds=3)
    assert error.value.field == "data"


def test_the_model_card_lists_the_columns_left_out_and_why() -> None:
    frame = _applicants(rows=400).assign(
        notes=np.nan, monthly_income=lambda f: f["monthly_income"].map("{:,.0f}".format)
    )
    data = training_data(frame, "defaulted", 1)
    model, oof = train_model_with_evidence(data, name="card", seed=3, folds=3, challenger=FAST)
    card = model_card(model, data, oof)
    assert [(c["column"], c["code"], c["left_out"]) for c in card["columns"]] == [
        ("monthly_income", "numbers_in_text", False),
        ("notes", "no_values", True),
    ]
    assert "notes" not in model.features and model.features["monthly_income"] == "numeric"


def test_a_batch_file_is_scored_with_numbers_written_as_text_read_as_numbers() -> None:
    frame = _applicants().drop(columns="defaulted").head(50)
    written = frame.assign(monthly_income=frame["monthly_income"].map("{:,.0f}".format))
    pandas.testing.assert_frame_equal(_model().score_batch(written), _model().score_batch(frame))


@pytest.mark.parametrize("primary", ["champion", "challenger"])
def test_a_reason_for_a_feature_left_blank_says_it_was_not_given(primary: str) -> None:
    model = replace(_model(), primary=primary)  # type: ignore[arg-type]
    application = {**_application(0), "monthly_income": None, "ltv": None}
    texts = {r.feature: r.text_en for r in model.score(application).reasons}
    given = {r.feature: r.text_en for r in model.score(_application(0)).reasons}
    for feature in {"monthly_income", "ltv"} & set(texts):
        assert texts[feature].startswith("no information was given on")
    assert all("no information was given" not in text for text in given.values())
    if primary == "champion":  # the blank bins score below the best bins: both are reasons
        assert {"monthly_income", "ltv"} <= set(texts)
