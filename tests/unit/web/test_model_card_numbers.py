"""The model card's numbers as an analyst checks them: the calibration table of the same
cross-fitted PDs as the Brier score, no raw Brier of rank positions, the points scale, and
no bad rate for a bin no training row fell in."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from functools import cache
from typing import Any

import numpy as np
import pandas  # type: ignore[import-untyped]

from autolend.risk.card import model_card
from autolend.risk.challenger import ChallengerSettings
from autolend.risk.dataset import TrainingData, training_data
from autolend.risk.model import CreditModel, train_model_with_evidence
from autolend.risk.scorecard import ScorecardScaling
from autolend.web.model_card import standalone_card

FAST = ChallengerSettings(max_trees=60, early_stopping=10, inner_folds=3)


@cache
def _trained() -> tuple[CreditModel, TrainingData, Any]:
    rng = np.random.default_rng(11)
    rows = 800
    dsr = rng.uniform(0.05, 0.8, rows)
    frame = pandas.DataFrame(
        {
            "debt_service_ratio": dsr,
            "age": rng.integers(20, 70, rows),
            "bad": (rng.uniform(0, 1, rows) < 1 / (1 + np.exp(2.5 - 3.0 * dsr))).astype(int),
        }
    )
    data = training_data(frame, "bad", 1)
    scaling = ScorecardScaling(base_points=500, base_odds=30, pdo=62.5)
    model, oof = train_model_with_evidence(
        data, name="n", seed=2, folds=3, challenger=FAST, scaling=scaling
    )
    return model, data, oof


def _meta(card: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "artifact_sha256": "a" * 64,
        "trained_at": "2026-11-30T09:30:00+00:00",
        "data": {"file": "book.csv", "sha256": "b" * 64, "target": "bad", "excluded": [],
                 "protected": []},
        "training_seconds": 1.0,
        "libraries": {"autolend": "0"},
        "card": card,
    }  # fmt: skip


def test_the_calibration_table_is_of_the_same_cross_fitted_pds_as_the_brier_score() -> None:
    model, data, oof = _trained()
    card = model_card(model, data, oof)
    assert card["reliability"] == [asdict(b) for b in model.calibration.reliability]
    assert card["metrics"]["brier"] == round(model.calibration.brier, 5)
    assert sum(b["count"] for b in card["reliability"]) == data.rows


def test_an_ensemble_card_shows_no_raw_brier_because_its_raw_score_is_a_rank() -> None:
    model, data, oof = _trained()
    ensemble = replace(model, primary="ensemble")
    card = model_card(ensemble, data, oof)
    assert card["metrics"]["brier_raw"] is None
    html = standalone_card(_meta(card), "en")
    assert f"{card['metrics']['brier']:.4f} / —" in html
    champion = model_card(replace(model, primary="champion"), data, oof)
    assert champion["metrics"]["brier_raw"] == round(model.calibration.brier_raw, 5)


def test_the_card_states_the_points_scale_it_was_trained_with() -> None:
    model, data, oof = _trained()
    html = standalone_card(_meta(model_card(model, data, oof)), "en")
    cell = re.search(r"<td data-scaling>(.*?)</td>", html)
    assert cell is not None
    assert cell.group(1) == "500 points at good:bad odds 30:1, 62.5 points to double the odds"


def test_a_bin_no_training_row_fell_in_shows_no_bad_rate() -> None:
    model, data, oof = _trained()
    html = standalone_card(_meta(model_card(model, data, oof)), "en")
    empty = r'<tr><td>Missing</td><td class="num">0</td><td class="num">(.*?)</td>'
    missing = re.findall(empty, html)
    assert missing and set(missing) == {"—"}


def test_the_card_names_the_target_value_that_meant_bad() -> None:
    model, data, oof = _trained()
    meta = _meta(model_card(model, data, oof))
    meta["data"] = {**meta["data"], "bad": "1"}
    assert "bad (bad: 1)" in standalone_card(meta, "en")


def test_the_card_says_the_bins_add_up_to_the_scorecards_score_unless_it_is_the_primary() -> None:
    """An analyst adding up one applicant's points got 483.08 where the model gave 482
    (an ensemble primary scores from its calibrated PD): the card now says so."""
    model, data, oof = _trained()
    note = 'data-note="bins-vs-score"'
    ensemble = standalone_card(
        _meta(model_card(replace(model, primary="ensemble"), data, oof)), "en"
    )
    assert note in ensemble and "calibrated PD" in ensemble
    champion = standalone_card(
        _meta(model_card(replace(model, primary="champion"), data, oof)), "en"
    )
    assert note not in champion
