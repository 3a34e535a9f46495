"""The reasons the loan calculator's validators give read as messages, not as field codes,
and a message said after a sentence of its own is a sentence too, in both languages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.schedule_input import parse_percent, parse_positive_amount
from autolend.web.i18n import translations
from autolend.web.problem_text import as_sentence, localized_detail


def english(call: Callable[[], Any]) -> str:
    with pytest.raises(InvalidInput) as caught:
        call()
    shown = localized_detail({"detail": caught.value.message}, "en", translations("en").gettext)
    return shown.text


def test_percent_and_amount_errors_of_the_validators_read_as_reasons() -> None:
    assert english(lambda: parse_percent("abc", "annual_rate")) == "a percentage such as 4.5"
    assert english(lambda: parse_percent("150", "annual_rate")) == (
        "must be a percentage from 0 to 100"
    )
    assert english(lambda: parse_percent("-1", "annual_rate")) == "must not be negative"
    assert english(lambda: parse_percent("120", "down_payment_ratio", below_100=True)) == (
        "the down payment must be below the price"
    )
    assert english(lambda: parse_positive_amount("0", "CNY", "vehicle_price")) == (
        "the amount must be above 0"
    )
    assert english(lambda: parse_positive_amount("", "CNY", "vehicle_price")) == (
        "this field is required"
    )
    assert english(lambda: parse_positive_amount("9" * 20, "CNY", "vehicle_price")) == (
        "the amount is too large"
    )


def test_a_message_after_a_sentence_of_its_own_starts_and_ends_as_a_sentence() -> None:
    problem = {"detail": "through '99' is not a date such as 2026-11-30", "sentence": True}
    en = localized_detail(problem, "en", translations("en").gettext)
    zh = localized_detail(problem, "zh_CN", translations("zh_CN").gettext)
    assert en.text == "Not a date: write it as 2026-11-30 (year, month, day)."
    assert zh.text == "不是有效日期：请写作 2026-11-30（年-月-日）。"
    plain = localized_detail({**problem, "sentence": False}, "en", translations("en").gettext)
    assert plain.text == "not a date: write it as 2026-11-30 (year, month, day)"
    assert as_sentence("首付须低于车价！", "zh_CN") == "首付须低于车价！"


def test_a_change_under_a_payoff_reads_in_chinese_with_the_day_and_the_payoff() -> None:
    detail = ("loan 6 was paid off on 2026-11-22 (payoff 57): a repayment dated 2026-11-01 "
              "would change what that payoff had to be; reverse the payoff first")  # fmt: skip
    shown = localized_detail({"detail": detail}, "zh_CN", translations("zh_CN").gettext)
    assert shown.lang == "zh_CN"
    assert shown.text.startswith("该贷款已于 2026-11-22 结清（结清交易 57）")
