"""A reason for a value the applicant did not give names the feature in words in Chinese,
whatever the feature: a refusal notice on a Chinese page read "未提供debt service ratio的
信息" (the reasons' own names lacked the debt-service ratio; the pages' names had it)."""

from __future__ import annotations

import re

import pytest

from autolend.domain.score_features import FEATURE_NAMES
from autolend.risk.reasons import explain_missing, feature_name


@pytest.mark.parametrize("feature", FEATURE_NAMES)
def test_every_feature_of_the_decision_model_is_named_in_chinese_when_its_value_is_missing(
    feature: str,
) -> None:
    named = feature_name(feature)
    assert named is not None, feature
    said = explain_missing(feature).text_zh
    assert said == f"未提供{named[1]}的信息"
    assert not re.search(r"[A-Za-z_]", said), said


def test_the_debt_service_ratio_reads_in_chinese_and_its_english_is_unchanged() -> None:
    missing = explain_missing("debt_service_ratio")
    assert missing.text_zh == "未提供债务收入比的信息"
    assert missing.text_en == "no information was given on debt service ratio"
