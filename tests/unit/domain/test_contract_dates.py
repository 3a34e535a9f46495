"""The dates a contract writes. A US contract in English writes MM/DD/YYYY (issued on,
the payments' first and last due dates, the day interest starts) and a consent's time to
the minute on the lender's clock, its zone named as a reader names it (``01/10/2026
10:05 AM (Eastern Time)``), where it printed the raw stamp with its microseconds and
then the time in UTC (``01/10/2026 3:05 PM UTC``, on a contract issued on the 9th in New
York: two dates on one document); in Chinese ISO. The CN contract keeps its ISO dates
and writes its consent times to the minute in Beijing time (北京时间)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from autolend.domain.contract import ConsentLine, build_document, example_facts
from autolend.domain.contract_us import example_us_facts

GIVEN = datetime(2026, 1, 10, 15, 5, 7, 123456, tzinfo=UTC)
NEW_YORK, BEIJING = ZoneInfo("America/New_York"), ZoneInfo("Asia/Shanghai")
US = replace(
    example_us_facts(), consents=(ConsentLine("data_processing", "v1", GIVEN.astimezone(NEW_YORK)),)
)


def consent_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "v1" in line]


def test_a_us_contract_writes_its_consent_time_to_the_minute_on_the_lenders_clock() -> None:
    assert consent_lines(build_document(US, "en").lines()) == [
        "Use of your personal information (text version v1), given 01/10/2026 10:05 AM "
        "(Eastern Time)"
    ]
    assert consent_lines(build_document(US, "zh_CN").lines()) == [
        "个人信息使用同意（文本版本 v1），同意时间 2026-01-10 10:05（美国东部时间）"
    ]


def test_a_us_contract_in_english_writes_its_days_month_first_and_in_chinese_iso() -> None:
    english = build_document(US, "en").text()
    assert "issued 01/15/2026" in english and "interest from 01/15/2026" in english
    assert "due monthly from 02/15/2026 to 12/15/2030" in english
    assert "2026-01-15" not in english
    chinese = build_document(US, "zh_CN").text()
    assert "签发日期 2026-01-15" in chinese and "于 2031-01-15 到期" in chinese


def test_a_cn_contract_keeps_iso_days_and_writes_consent_times_in_beijing_time() -> None:
    """15:05 UTC is 23:05 in Beijing, to the minute, without microseconds."""
    local = GIVEN.astimezone(BEIJING)
    facts = replace(example_facts(), consents=(ConsentLine("bureau_query", "v1", local),))
    zh = build_document(facts, "zh_CN").lines()
    assert consent_lines(zh) == [
        "征信查询授权（文本版本 v1），同意时间 2026-01-10 23:05（北京时间）"
    ]
    en = build_document(facts, "en").lines()
    assert consent_lines(en) == ["Credit bureau query (text version v1), given 2026-01-10 23:05 "
                                 "(Beijing time)"]  # fmt: skip
    for lines in (zh, en):
        assert any(line.endswith(" 2026-01-05") for line in lines[:4])  # issued on
        assert any(" 2026-02-05：" in line or " 2026-02-05:" in line for line in lines)  # row 1
        assert not any("UTC" in line or ".123456" in line for line in lines)


def test_a_consent_given_late_in_the_day_is_dated_as_the_contract_issued_that_day() -> None:
    """The tester's US contract: issued 12/01/2026 (New York's day) with its consents
    "given 12/02/2026 4:48 AM UTC". On the lender's clock the consent was given at
    11:48 PM on the 1st, the day the contract is issued."""
    late = datetime(2026, 12, 2, 4, 48, tzinfo=UTC).astimezone(NEW_YORK)
    facts = replace(US, issued_on=date(2026, 12, 1),
                    consents=(ConsentLine("data_processing", "v1", late),))  # fmt: skip
    lines = build_document(facts, "en").lines()
    assert "issued 12/01/2026" in lines[2]
    assert consent_lines(lines) == [
        "Use of your personal information (text version v1), given 12/01/2026 11:48 PM "
        "(Eastern Time)"
    ]


def test_the_contract_number_names_its_loan_by_number_not_by_its_code() -> None:
    """It read "AL-310-20261202044526（loan:310）": the registry's reference code."""
    facts = replace(example_facts(), contract_no="AL-310-20261202124526", loan_id=310)
    zh, en = build_document(facts, "zh_CN").lines(), build_document(facts, "en").lines()
    assert zh[2] == "合同编号：AL-310-20261202124526（贷款编号 310），签发日期 2026-01-05"
    assert en[2] == "Contract no. AL-310-20261202124526 (loan 310), issued 2026-01-05"
    us = build_document(replace(US, loan_id=310), "zh_CN").lines()
    assert "（贷款编号 310）" in us[2]
    assert not any("loan:" in line for line in (*zh, *en, *us))
