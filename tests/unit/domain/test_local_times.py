"""A time written on the lender's clock names its zone as a reader does: 北京时间 and
Beijing time, 美国东部时间 and Eastern Time, not ``Asia/Shanghai``; a zone without an
everyday name keeps its code. To the minute, never rounded up."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from autolend.domain.date_text import local_minute, zone_name


def test_a_zone_is_named_in_the_readers_language_or_kept_as_its_code() -> None:
    assert zone_name("Asia/Shanghai", "zh_CN") == "北京时间"
    assert zone_name("Asia/Shanghai", "en") == "Beijing time"
    assert zone_name("America/Los_Angeles", "zh_CN") == "美国太平洋时间"
    assert zone_name("Europe/London", "en") == "Europe/London"


def test_a_local_time_is_written_in_the_style_of_its_page_with_its_zone_named() -> None:
    beijing = datetime(2026, 12, 2, 12, 44, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert local_minute(beijing, "iso", "Asia/Shanghai", "zh_CN") == "2026-12-02 12:44（北京时间）"
    assert local_minute(beijing, "iso", "Asia/Shanghai", "en") == "2026-12-02 12:44 (Beijing time)"
    new_york = datetime(2026, 12, 1, 0, 5, tzinfo=ZoneInfo("America/New_York"))
    assert local_minute(new_york, "mdy", "America/New_York", "en") == (
        "12/01/2026 12:05 AM (Eastern Time)"
    )
    london = datetime(2026, 7, 1, 9, 0)
    assert local_minute(london, "iso", "Europe/London", "en") == "2026-07-01 09:00 (Europe/London)"
