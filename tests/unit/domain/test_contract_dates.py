"""The dates a contract writes. A US contract in English writes MM/DD/YYYY (issued on,
the payments' first and last due dates, the day interest starts) and a consent's time to
the minute in UTC, named (``01/10/2026 3:05 PM UTC``) where it printed the raw stamp with
its microseconds (``2026-01-10T15:05:07.123456+00:00``); in Chinese ISO. The CN contract
keeps its ISO dates and writes its consent times to the minute too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from autolend.domain.contract import ConsentLine, build_document, example_facts
from autolend.domain.contract_us import example_us_facts

GIVEN = datetime(2026, 1, 10, 15, 5, 7, 123456, tzinfo=UTC)
US = replace(example_us_facts(), consents=(ConsentLine("data_processing", "v1", GIVEN),))


def consent_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "v1" in line]


def test_a_us_contract_writes_its_consent_time_to_the_minute_in_utc() -> None:
    assert consent_lines(build_document(US, "en").lines()) == [
        "Use of your personal information (text version v1), given 01/10/2026 3:05 PM UTC"
    ]
    assert consent_lines(build_document(US, "zh_CN").lines()) == [
        "个人信息使用同意（文本版本 v1），同意时间 2026-01-10 15:05 UTC"
    ]


def test_a_us_contract_in_english_writes_its_days_month_first_and_in_chinese_iso() -> None:
    english = build_document(US, "en").text()
    assert "issued 01/15/2026" in english and "interest from 01/15/2026" in english
    assert "due monthly from 02/15/2026 to 12/15/2030" in english
    assert "2026-01-15" not in english
    chinese = build_document(US, "zh_CN").text()
    assert "签发日期 2026-01-15" in chinese and "于 2031-01-15 到期" in chinese


def test_a_cn_contract_keeps_iso_days_and_writes_consent_times_without_microseconds() -> None:
    facts = replace(example_facts(), consents=(ConsentLine("bureau_query", "v1", GIVEN),))
    for locale in ("zh_CN", "en"):
        lines = build_document(facts, locale).lines()
        (consent,) = consent_lines(lines)
        assert consent.endswith(" 2026-01-10 15:05 UTC") and ".123456" not in consent, consent
        assert any(line.endswith(" 2026-01-05") for line in lines[:4])  # issued on
        assert any(" 2026-02-05：" in line or " 2026-02-05:" in line for line in lines)  # row 1
