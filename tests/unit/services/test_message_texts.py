"""The texts a borrower receives say the time as people say it: a date in words and the
zone by its everyday name ("Beijing time", "Eastern Time"), never a tz code such as
``Asia/Shanghai`` nor an ISO date; a US borrower reads a 12-hour clock."""

from __future__ import annotations

import doctest
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.services import notifications
from autolend.services.notifications import contract_named, readable_times, render, sms_segments


def test_the_examples_in_the_notifications_module_hold() -> None:
    assert doctest.testmod(notifications).failed == 0


def test_a_chinese_borrower_reads_beijing_time_in_both_languages_of_the_text() -> None:
    payload = {"contract_id": 7, "locale": "zh_CN", "signed_at": "2026-12-01 03:45 (Asia/Shanghai)"}
    _, body = render("contract_signed", payload, None)
    assert body == (
        "【autolend】合同（编号 7）已于 2026年12月1日 03:45（北京时间）签署。"
        "Contract 7 was signed on Dec 1, 2026, 3:45 AM Beijing time."
    )
    assert "Asia/Shanghai" not in body


def test_a_us_borrower_reads_eastern_time_on_a_twelve_hour_clock() -> None:
    payload = {"contract_id": 3, "locale": "en", "signed_at": "2026-11-30 14:05 (America/New_York)"}
    _, body = render("contract_signed", payload, None)
    assert body == "autolend: contract 3 was signed on Nov 30, 2026, 2:05 PM Eastern Time."


def test_midnight_and_noon_read_as_twelve_and_an_unknown_zone_keeps_its_name() -> None:
    night = readable_times({"signed_at": "2027-01-09 00:10 (Europe/Paris)"})
    assert night["signed_at_en"] == "Jan 9, 2027, 12:10 AM Europe/Paris"
    assert night["signed_at_zh"] == "2027年1月9日 00:10（Europe/Paris）"
    noon = readable_times({"signed_at": "2027-01-09 12:00 (Asia/Shanghai)"})
    assert noon["signed_at_en"] == "Jan 9, 2027, 12:00 PM Beijing time"


def test_a_message_queued_with_a_time_of_another_shape_is_still_sent_as_it_was_written() -> None:
    payload = {"contract_id": 1, "signed_at": "2026-11-28 10:00"}  # no zone, no locale: CN's
    _, body = render("contract_signed", payload, None)
    assert "已于 2026-11-28 10:00签署" in body and "signed on 2026-11-28 10:00." in body


# Amounts up to 99,999,999.99 (the most a car loan could be, in any product's limits);
# contract numbers up to seven digits; a code valid up to 60 minutes.
@settings(max_examples=200, deadline=None)
@given(
    contract=st.integers(1, 9_999_999),
    principal=st.integers(1, 9_999_999_999),
    installment=st.integers(1, 9_999_999_999),
    months=st.integers(1, 84),
    minutes=st.integers(1, 60),
)
def test_a_chinese_signing_code_by_sms_is_chinese_only_and_fits_two_segments(
    contract: int, principal: int, installment: int, months: int, minutes: int
) -> None:
    """The bilingual text ran to four segments on a phone, the English a wall after the
    code (UCS-2: 67 characters a part); the e-mail keeps both languages."""
    payload = {"contract_id": contract, "minutes": minutes, "locale": "zh_CN",
               "principal_minor": principal, "currency": "CNY", "term_months": months,
               "installment_minor": installment}  # fmt: skip
    _, sms = render("sign_code", payload, "028450", channel="sms")
    assert sms_segments(sms) <= 2, (len(sms), sms)
    assert "签署验证码为 028450" in sms and f"期限 {months} 个月" in sms
    assert not re.search(r"[A-Za-z]{4,}", sms.replace("autolend", "")), sms
    assert contract_named(sms) == contract
    _, mail = render("sign_code", payload, "028450")
    assert "签署验证码为 028450" in mail and f"Your code to sign contract {contract}" in mail


def test_a_signed_contracts_sms_is_chinese_only_and_its_e_mail_reads_both_languages() -> None:
    payload = {"contract_id": 7, "locale": "zh_CN", "signed_at": "2026-12-01 03:45 (Asia/Shanghai)"}
    _, sms = render("contract_signed", payload, None, channel="sms")
    assert sms == "【autolend】合同（编号 7）已于 2026年12月1日 03:45（北京时间）签署。"
    assert contract_named(sms) == 7


def test_a_us_text_message_is_the_same_english_as_its_e_mail() -> None:
    payload = {"contract_id": 3, "minutes": 5, "locale": "en", "principal_minor": 2500000,
               "currency": "USD", "term_months": 60, "installment_minor": 49500}  # fmt: skip
    assert render("sign_code", payload, "1", channel="sms") == render("sign_code", payload, "1")
    assert sms_segments(render("sign_code", payload, "1", channel="sms")[1]) == 2
