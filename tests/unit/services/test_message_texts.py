"""The texts a borrower receives say the time as people say it: a date in words and the
zone by its everyday name ("Beijing time", "Eastern Time"), never a tz code such as
``Asia/Shanghai`` nor an ISO date; a US borrower reads a 12-hour clock."""

from __future__ import annotations

import doctest

from autolend.services import notifications
from autolend.services.notifications import readable_times, render


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
