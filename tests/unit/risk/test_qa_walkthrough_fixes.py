"""The faults a QA walkthrough found in the credit-model package and its command line."""

from __future__ import annotations

import math

import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolend.cli_model_checks import check_left_out, fit_note, left_out_checked
from autolend.domain.errors import InvalidInput
from autolend.risk.metrics import CHANCE_AUC, chance_warnings, ks
from autolend.risk.monitoring import performance_by_month
from autolend.risk.monitoring_report import (
    MIN_WINDOW_ROWS,
    MonitoringInput,
    _fairness,
    _outcomes,
    _verdict,
)
from autolend.risk.scorecard import ScorecardScaling


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"base_points": math.nan}, "base_points"),
        ({"base_points": 0.0}, "base_points"),
        ({"base_odds": math.nan}, "base_odds"),
        ({"pdo": math.inf}, "pdo"),
    ],
)
def test_a_scale_of_nan_infinity_or_zero_is_refused_naming_its_field(
    values: dict[str, float], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        ScorecardScaling(**values)
    assert refused.value.field == field


def test_ks_of_a_reversed_ranking_reads_zero_not_one() -> None:
    y = [0, 0, 0, 1, 1, 1]
    assert ks(y, [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]) == 0.0
    assert ks(y, [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]) == 1.0


def test_monthly_ks_of_a_reversed_ranking_reads_zero() -> None:
    frame = pd.DataFrame({"m": ["2026-01"] * 4, "bad": [0, 0, 1, 1], "pd": [0.9, 0.8, 0.2, 0.1]})
    (month,) = performance_by_month(frame, month_col="m", pd_col="pd")
    assert (month.auc, month.ks) == (0.0, 0.0)


def test_a_model_at_or_below_the_chance_line_gets_a_warning() -> None:
    found = chance_warnings({"champion": 0.5156, "forest": CHANCE_AUC, "ensemble": 0.72})
    assert [line.split(":")[0] for line in found] == ["champion", "forest"]
    assert "better than chance" in found[0]


def test_a_pending_outcome_is_not_observed_and_counted() -> None:
    window = pd.DataFrame({"y": [0, 1, "pending", None, 1]})
    outcome, counted = _outcomes(window, MonitoringInput(window, target_col="y", bad_label="1"))
    assert outcome is not None and counted is not None
    assert outcome.isna().tolist() == [False, False, True, True, False]
    assert (counted["observed"], counted["unknown"]) == (3, 1)


def test_a_window_whose_labels_are_of_another_scheme_is_refused() -> None:
    window = pd.DataFrame({"y": ["bad", "good", "good"]})
    with pytest.raises(InvalidInput, match="bad \\(1\\) or good \\(0\\)"):
        _outcomes(window, MonitoringInput(window, target_col="y", bad_label="1"))


def test_a_window_without_a_target_is_psi_only() -> None:
    window = pd.DataFrame({"z": [1, 2]})
    assert _outcomes(window, MonitoringInput(window, target_col=None)) == (None, None)


def test_a_window_under_the_minimum_rows_is_too_few_to_judge() -> None:
    small = _verdict(MIN_WINDOW_ROWS - 1, "act", {"psi": 8.28, "status": "act"})
    assert (small["verdict"], small["status"], small["score_psi"]["status"]) == (
        "too few rows", "stable", "too few rows")  # fmt: skip
    assert _verdict(MIN_WINDOW_ROWS, "act", {"status": "act"})["verdict"] == "act"


def test_an_entirely_missing_group_column_is_an_error_naming_it() -> None:
    window = pd.DataFrame({"g": [None, None]})
    given = MonitoringInput(window, group_col="g")
    with pytest.raises(InvalidInput, match="'g' is empty"):
        _fairness(window, pd.Series([1, 0]), None, given)


def test_the_target_cannot_be_left_out_by_either_option() -> None:
    with pytest.raises(InvalidInput) as excluded:
        check_left_out("y", ["y"], [])
    with pytest.raises(InvalidInput) as protected:
        check_left_out("y", [], ["y"])
    assert (excluded.value.field, protected.value.field) == ("--exclude", "--protected")


def test_a_missing_protected_column_is_named_as_protected() -> None:
    def load() -> None:
        raise InvalidInput("no column 'nope' to leave out", field="exclude")

    with pytest.raises(InvalidInput) as refused:
        left_out_checked(load, [], ["nope"])
    assert refused.value.field == "--protected"


def test_too_few_members_for_the_folds_becomes_a_note_and_other_warnings_none() -> None:
    text = "The least populated class in y has only 3 members, which is less than n_splits=5."
    assert (
        fit_note(text) == "only 3 rows of the smaller class for 5 folds: some folds hold none of it"
    )
    assert fit_note("invalid value encountered in divide") is None
