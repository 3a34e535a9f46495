"""Dates and instants on the pages by the lender's pack (:func:`autolend.web.i18n.format_day`,
:func:`autolend.web.i18n.format_instant` and the ``day`` and ``when`` filters). A US
lender's English pages wrote ISO days (``2026-12-01``) and instants to the second
(``Dec 1, 2026, 3:05:00 PM``); they now write MM/DD/YYYY and the 12-hour clock to the
minute. CN, and Chinese pages under any pack, keep what they showed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from autolend.domain.regulation import CN_PACK, US_PACK
from autolend.web.i18n import format_day, format_instant
from autolend.web.render import build_environment

US = US_PACK.form_look.date_style
CN = CN_PACK.form_look.date_style
DAY = date(2026, 12, 1)


def test_a_us_english_page_writes_a_day_month_first_and_everyone_else_iso() -> None:
    assert format_day(DAY, "en", US) == "12/01/2026"
    assert format_day("2027-03-09", "en", US) == "03/09/2027"  # two digits: columns line up
    assert format_day(DAY, "en", CN) == "2026-12-01"
    assert format_day(DAY, "zh_CN", US) == format_day(DAY, "zh_CN", CN) == "2026-12-01"


def test_what_is_not_a_day_is_shown_as_it_is() -> None:
    assert format_day("—", "en", US) == "—"
    assert format_day(None, "en", US) == ""


@pytest.mark.parametrize(
    ("utc_hour", "shown"),
    [(4, "12/01/2026 12:05 PM"), (16, "12/02/2026 12:05 AM"), (7, "12/01/2026 3:05 PM")],
)
def test_a_us_english_page_writes_an_instant_on_the_12_hour_clock_in_the_lenders_zone(
    utc_hour: int, shown: str
) -> None:
    """Beijing is UTC+8: 04:05 UTC is noon five, 16:05 UTC five past midnight next day."""
    moment = datetime(2026, 12, 1, utc_hour, 5, 42, 123456, tzinfo=UTC)
    assert format_instant(moment, "Asia/Shanghai", "en", US) == shown
    assert format_instant(moment.isoformat(), "Asia/Shanghai", "en", US) == shown


def test_new_york_time_is_written_in_new_york() -> None:
    moment = datetime(2026, 12, 1, 15, 5, tzinfo=UTC)
    assert format_instant(moment, "America/New_York", "en", US) == "12/01/2026 10:05 AM"


def test_cn_and_chinese_pages_keep_their_instants() -> None:
    """Medium length as before, to the second (CLDR puts a narrow space before PM)."""
    moment = datetime(2026, 12, 1, 15, 5, tzinfo=UTC)
    assert format_instant(moment, "Asia/Shanghai", "en", CN) == "Dec 1, 2026, 11:05:00\u202fPM"
    assert format_instant(moment, "Asia/Shanghai", "zh_CN", US) == "2026年12月1日 23:05:00"


@pytest.mark.parametrize(
    ("locale", "style", "shown"),
    [("en", "mdy", "12/01/2026 · 12/01/2026 3:05 PM"),
     ("en", "iso", "2026-12-01 · Dec 1, 2026, 3:05:00\u202fPM"),
     ("zh_CN", "mdy", "2026-12-01 · 2026年12月1日 15:05:00")],
)  # fmt: skip
def test_the_page_filters_take_the_environments_date_style(
    locale: str, style: str, shown: str
) -> None:
    env = build_environment(locale, "UTC", date_style=style)  # type: ignore[arg-type]
    template = env.from_string("{{ day|day }} · {{ at|when }}")
    assert template.render(day="2026-12-01", at=datetime(2026, 12, 1, 15, 5, tzinfo=UTC)) == shown
