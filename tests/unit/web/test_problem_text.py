"""Service errors on pages in Chinese: the domain's own messages, raised by the real
validators, come out in Chinese; an unknown one stays in English and says so."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from autolend.domain.application import parse_application
from autolend.domain.errors import DomainError, InvalidInput
from autolend.domain.identity import validate_cn_mobile, validate_resident_id
from autolend.domain.money import parse_money
from autolend.domain.vin import validate_vin
from autolend.web import problem_text
from autolend.web.i18n import translations
from autolend.web.problem_text import localized_detail
from autolend.web.render import build_environment
from tests.support.origination import application_body

AS_OF = date(2026, 11, 29)


def raised(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(DomainError) as caught:
        call()
    error = caught.value
    return {"detail": error.message, "detail_zh": error.message_zh, "field": error.field}


def in_chinese(problem: dict[str, Any]) -> str:
    shown = localized_detail(problem, "zh_CN", translations("zh_CN").gettext)
    assert shown.lang == "zh_CN", problem["detail"]
    return shown.text


def body_with(**changes: Any) -> dict[str, Any]:
    body = application_body()
    for path, value in changes.items():
        target: Any = body
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return body


def test_identity_and_vin_errors_of_the_validators_read_in_chinese() -> None:
    # 11010519491231002X with its check character changed: GB 11643 MOD 11-2 gives X.
    assert in_chinese(raised(lambda: validate_resident_id("110105194912310023", as_of=AS_OF))) == (
        "身份证号码的校验位不正确"
    )
    assert "出生日期" in in_chinese(
        raised(lambda: validate_resident_id("110105194913310023", as_of=AS_OF))
    )
    assert in_chinese(raised(lambda: validate_cn_mobile("1380013"))).startswith(
        "手机号码应为 11 位"
    )
    assert in_chinese(raised(lambda: validate_vin("LSVAB123"))) == "车架号应为 17 位，当前为 8 位"
    # 1M8GDM9AXKP042788 is the worked check-digit example of 49 CFR 565 (Wikipedia's
    # "Vehicle identification number"): position 9 must be X.
    assert in_chinese(raised(lambda: validate_vin("1M8GDM9A5KP042788"))) == (
        "车架号第 9 位（校验位）应为 X"
    )


def test_application_errors_keep_the_values_they_name() -> None:
    def parse(**changes: Any) -> dict[str, Any]:
        return raised(lambda: parse_application(body_with(**changes), as_of=AS_OF))

    assert in_chinese(parse(applicants__0__monthly_income="-5.00")) == "不能为负数"
    assert in_chinese(parse(applicants__0__address="x" * 600)) == "最多 200 个字符"
    assert in_chinese(parse(applicants__0__name="")) == "此项为必填项"
    assert in_chinese(parse(down_payment="900000.00")) == "首付须低于车价"
    assert in_chinese(parse(term_months=0)) == "期限须为 1 至 120 个月"


def test_a_domain_error_with_its_own_chinese_text_shows_that_text() -> None:
    error = InvalidInput(
        "The term asked for is not offered (offered: 12, 24) under X",
        field="term_months",
        message_zh="所申请的期限不在产品范围内（X）",
    )
    problem = {"detail": error.message, "detail_zh": error.message_zh}
    assert in_chinese(problem) == "所申请的期限不在产品范围内（X）"
    english = localized_detail(problem, "en", translations("en").gettext)
    assert english.text.startswith("The term asked for is not offered")


def test_an_unknown_message_stays_in_english_and_the_page_marks_it_so() -> None:
    problem = {"detail": "the ledger is closed for maintenance"}
    assert localized_detail(problem, "zh_CN", translations("zh_CN").gettext).lang == "en"
    zh: Any = build_environment("zh_CN", "Asia/Shanghai").globals["problem_text"]
    assert str(zh(problem)) == '<span lang="en">the ledger is closed for maintenance</span>'
    assert str(zh({"detail": "name is required"})) == "此项为必填项"
    en: Any = build_environment("en", "Asia/Shanghai").globals["problem_text"]
    assert str(en({"detail": "<b>x</b> is required"})) == "&lt;b&gt;x&lt;/b&gt; is required"


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(problem_text).failed == 0


def test_amount_and_value_date_errors_of_the_loan_forms_read_in_chinese() -> None:
    assert in_chinese(raised(lambda: parse_money("12.345", "CNY"))) == (
        "小数位过多：CNY 最多 2 位小数"
    )
    assert in_chinese(raised(lambda: parse_money("１２", "CNY"))).startswith("请使用半角数字")
    assert in_chinese(raised(lambda: parse_money("1,200.00", "CNY"))).startswith("金额请不要带")
    assert in_chinese(raised(lambda: parse_money("12.", "CNY"))) == "请填写金额，例如 1500.00"
    assert in_chinese({"detail": "value date is before the loan start 2026-01-05"}) == (
        "起息日不能早于贷款起始日 2026-01-05"
    )
    assert in_chinese({"detail": "date must be on or after 2026-11-30"}) == (
        "日期不能早于 2026-11-30（贷款已处理至该日）"
    )


def test_a_probability_of_default_is_shown_as_a_percent_not_a_raw_fraction() -> None:
    env = build_environment("zh_CN", "Asia/Shanghai")
    assert env.from_string("{{ '0.074957'|percent }}").render() == "7.50%"
    assert env.from_string("{{ 0.0049|percent }}").render() == "0.49%"


def test_document_and_counter_offer_errors_are_in_the_catalogue_with_their_values() -> None:
    from autolend.domain.application_parts import check_document

    marked = lambda message: f"«{message}»"  # noqa: E731 - a catalogue that knows every message
    upload = raised(lambda: check_document("id_front", "text/plain", 9, b"not a pdf"))
    assert localized_detail(upload, "en", marked).text == "«the file must be a PDF, JPEG or PNG»"
    assert localized_detail(upload, "zh_CN", marked).text == "文件须为 PDF、JPEG 或 PNG 格式"
    forged = raised(lambda: check_document("id_front", "application/pdf", 9, b"not a pdf"))
    assert localized_detail(forged, "zh_CN", marked).text == (
        "«the file's content does not match its type application/pdf»"
    )
    review = {"detail": "the down payment is from 0 to below the price"}
    assert localized_detail(review, "zh_CN", marked).text == (
        "«the down payment must be from 0 to below the price»"
    )


def in_english(problem: dict[str, Any]) -> str:
    shown = localized_detail(problem, "en", translations("en").gettext)
    assert shown.lang == "en"
    return shown.text


def test_an_english_page_reads_the_catalogues_message_not_the_services_raw_text() -> None:
    """The English page said "applicants[0].monthly_obligations 'abc' is not like
    1234.56": the catalogue's English is what the Chinese page reads translated."""

    def parse(**changes: Any) -> dict[str, Any]:
        return raised(lambda: parse_application(body_with(**changes), as_of=AS_OF))

    obligations = parse(applicants__0__monthly_obligations="abc")
    assert obligations["field"] == "applicants[0].monthly_obligations"  # still its field's
    assert in_english(obligations) == "an amount such as 1500.00"
    assert in_english(parse(applicants__0__address="x" * 600)) == "at most 200 characters"
    assert in_english(raised(lambda: validate_vin("LSVAB123"))) == (
        "a VIN has 17 characters, got 8"
    )
    assert in_english(raised(lambda: parse_money("80,00", "CNY", field="down_payment"))) == (
        "write the amount without separators, such as 12000.00"
    )


def test_an_english_page_keeps_the_english_of_a_domain_error_and_an_unknown_message() -> None:
    own = {"detail": "The term asked for is not offered (offered: 12, 24)",
           "detail_zh": "所申请的期限不在产品范围内"}  # fmt: skip
    assert in_english(own) == "The term asked for is not offered (offered: 12, 24)"
    assert in_english({"detail": "the ledger is closed for maintenance"}) == (
        "the ledger is closed for maintenance"
    )
    en: Any = build_environment("en", "Asia/Shanghai").globals["problem_text"]
    assert str(en({"detail": "applicants[1].name is required"})) == "this field is required"
