"""Fairness monitoring: approval and error rates by group, four-fifths rule."""

from __future__ import annotations

import doctest
import json

import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk import fairness
from autolend.risk.fairness import fairness_report


def _frame() -> pd.DataFrame:
    """M: 10 applicants, 8 approved (0.8); F: 5 applicants, 3 approved (0.6).

    F's four-fifths ratio is 0.6 / 0.8 = 0.75 < 0.8, so F is flagged.
    M goods: 7 (declined goods 1 -> FPR 1/7); M bads: 3 (approved bads 2 -> FNR 2/3).
    F goods: 4 (declined goods 1 -> FPR 1/4); F bads: 1 (approved bads 0 -> FNR 0).
    """
    rows = [
        *[("M", 1, 0)] * 6,
        *[("M", 1, 1)] * 2,
        ("M", 0, 0),
        ("M", 0, 1),
        *[("F", 1, 0)] * 3,
        ("F", 0, 0),
        ("F", 0, 1),
    ]
    return pd.DataFrame(rows, columns=["gender", "approved", "bad"])


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(fairness, optionflags=doctest.ELLIPSIS).failed == 0


def test_rates_per_group_match_a_hand_count() -> None:
    report = fairness_report(_frame(), group_col="gender", approved_col="approved", bad_col="bad")
    female, male = report.groups
    assert (female.group, female.count, male.group, male.count) == ("F", 5, "M", 10)
    assert male.approval_rate == pytest.approx(0.8)
    assert male.bad_rate_approved == pytest.approx(2 / 8)
    assert male.false_positive_rate == pytest.approx(1 / 7)
    assert male.false_negative_rate == pytest.approx(2 / 3)
    assert female.approval_rate == pytest.approx(0.6)
    assert female.bad_rate_approved == 0.0
    assert female.false_positive_rate == pytest.approx(1 / 4)
    assert female.false_negative_rate == 0.0


def test_the_largest_group_is_the_reference_and_a_ratio_below_four_fifths_is_flagged() -> None:
    report = fairness_report(_frame(), group_col="gender", approved_col="approved", bad_col="bad")
    female, male = report.groups
    assert report.reference_group == "M"
    assert (male.approval_ratio, male.flagged) == (1.0, False)
    assert female.approval_ratio == pytest.approx(0.75)
    assert female.flagged
    assert report.flagged_groups == ("F",)


def test_a_ratio_of_exactly_four_fifths_is_not_flagged() -> None:
    frame = _frame()
    frame.loc[frame["gender"] == "F", "approved"] = [1, 1, 1, 1, 0]  # 0.8 / 0.8 = 1.0
    frame.loc[frame["gender"] == "M", "approved"] = [1] * 10  # 0.8 / 1.0 = 0.8
    report = fairness_report(frame, group_col="gender", approved_col="approved", bad_col="bad")
    assert report.groups[0].approval_ratio == pytest.approx(0.8)
    assert report.flagged_groups == ()


def test_the_largest_gap_per_rate_names_the_group_and_the_signed_difference() -> None:
    report = fairness_report(_frame(), group_col="gender", approved_col="approved", bad_col="bad")
    gaps = {gap.rate: gap for gap in report.largest_gaps}
    assert set(gaps) == set(fairness.RATES)
    assert gaps["approval_rate"].group == "F"
    assert gaps["approval_rate"].gap == pytest.approx(0.6 - 0.8)
    assert gaps["false_negative_rate"].gap == pytest.approx(0 - 2 / 3)


def test_a_group_without_goods_or_bads_reports_none_for_those_rates() -> None:
    frame = pd.concat(
        [_frame(), pd.DataFrame({"gender": ["X", "X"], "approved": [1, 0], "bad": [1, 1]})]
    )
    report = fairness_report(frame, group_col="gender", approved_col="approved", bad_col="bad")
    other = next(g for g in report.groups if g.group == "X")
    assert other.false_positive_rate is None
    assert other.false_negative_rate == 0.5
    assert json.loads(json.dumps(report.as_dict()))["groups"][2]["false_positive_rate"] is None


def test_unknown_outcomes_count_only_for_the_approval_rate() -> None:
    frame = _frame().astype({"bad": "float"})
    frame.loc[(frame["gender"] == "F") & (frame["approved"] == 0), "bad"] = None
    report = fairness_report(frame, group_col="gender", approved_col="approved", bad_col="bad")
    female = report.groups[0]
    assert female.approval_rate == pytest.approx(0.6)
    assert female.false_positive_rate == 0.0  # 3 goods, all approved
    assert female.false_negative_rate is None  # no known bads


def test_values_other_than_zero_and_one_are_refused_naming_the_column() -> None:
    frame = _frame().assign(approved="yes")
    with pytest.raises(InvalidInput) as caught:
        fairness_report(frame, group_col="gender", approved_col="approved", bad_col="bad")
    assert caught.value.field == "approved"
    with pytest.raises(InvalidInput) as caught:
        fairness_report(_frame(), group_col="sex", approved_col="approved", bad_col="bad")
    assert caught.value.field == "sex"
