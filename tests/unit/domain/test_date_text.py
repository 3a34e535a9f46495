"""Days and times of day in a pack's style (:mod:`autolend.domain.date_text`): ISO and
the 24-hour clock (CN), MM/DD/YYYY and the 12-hour clock with AM / PM (US)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from autolend.domain.date_text import clock_text, day_text, instant_text, utc_minute


def test_a_day_is_iso_or_month_day_year_with_two_digits_each() -> None:
    assert day_text(date(2026, 1, 5), "iso") == "2026-01-05"
    assert day_text(date(2026, 1, 5), "mdy") == "01/05/2026"


@pytest.mark.parametrize(
    ("at", "iso", "mdy"),
    [(time(0, 0), "00:00", "12:00 AM"), (time(0, 59), "00:59", "12:59 AM"),
     (time(11, 59), "11:59", "11:59 AM"), (time(12, 0), "12:00", "12:00 PM"),
     (time(12, 1), "12:01", "12:01 PM"), (time(23, 5), "23:05", "11:05 PM")],
)  # fmt: skip
def test_midnight_is_12_am_and_noon_12_pm_on_the_12_hour_clock(
    at: time, iso: str, mdy: str
) -> None:
    assert (clock_text(at, "iso"), clock_text(at, "mdy")) == (iso, mdy)


def test_an_instant_is_written_to_the_minute_never_rounded_up() -> None:
    moment = datetime(2026, 12, 31, 23, 59, 59, 999999)
    assert instant_text(moment, "iso") == "2026-12-31 23:59"
    assert instant_text(moment, "mdy", "UTC") == "12/31/2026 11:59 PM UTC"


def test_a_stored_instant_is_written_in_utc_with_its_zone_named() -> None:
    beijing = datetime(2026, 12, 2, 0, 5, 7, 123456, tzinfo=timezone(timedelta(hours=8)))
    assert utc_minute(beijing) == "2026-12-01 16:05 UTC"
    assert utc_minute(beijing, "mdy") == "12/01/2026 4:05 PM UTC"
    assert utc_minute(datetime(2026, 12, 1, 12, 0)) == "2026-12-01 12:00 UTC"  # naive: UTC
    assert utc_minute(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), "mdy").endswith("12:00 PM UTC")
