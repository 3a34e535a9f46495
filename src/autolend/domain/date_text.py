"""Dates and instants written the way a pack's readers write them (standard library only).

Two styles, a pack's ``FormLook.date_style``:

* ``iso``: a day ``2026-12-01``, a time of day on the 24-hour clock ``15:05`` (CN, and
  every page or document in Chinese whatever the pack).
* ``mdy``: a day ``12/01/2026`` (MM/DD/YYYY, as US lenders' disclosures write it; month
  and day always two digits, so a table's date column lines up), a time of day on the
  12-hour clock with AM / PM, ``3:05 PM``: midnight is ``12:00 AM``, noon ``12:00 PM``.

An instant is written to the minute: its seconds (and microseconds) are dropped, never
rounded up into the next minute. The caller converts it to the zone it is shown in and
names that zone (the domain reads no time-zone database); :func:`local_minute` names it
as a reader does (``北京时间``, ``Eastern Time``), not by its tz code.

>>> day_text(date(2026, 12, 1), "mdy"), day_text(date(2026, 12, 1), "iso")
('12/01/2026', '2026-12-01')
>>> at = datetime(2026, 12, 1, 15, 5, 59, 999999, tzinfo=UTC)
>>> instant_text(at, "mdy", "UTC"), instant_text(at, "iso", "UTC")
('12/01/2026 3:05 PM UTC', '2026-12-01 15:05 UTC')
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Literal

DateStyle = Literal["iso", "mdy"]
DATE_STYLES: tuple[DateStyle, ...] = ("iso", "mdy")
# A reader knows a time zone by its everyday name, not its tz code; one not named here
# keeps its code ("Europe/London").
ZONE_NAMES: dict[str, tuple[str, str]] = {  # zone: (Chinese, English)
    "Asia/Shanghai": ("北京时间", "Beijing time"),
    "America/New_York": ("美国东部时间", "Eastern Time"),
    "America/Chicago": ("美国中部时间", "Central Time"),
    "America/Denver": ("美国山地时间", "Mountain Time"),
    "America/Los_Angeles": ("美国太平洋时间", "Pacific Time"),
}


def day_text(day: date, style: DateStyle = "iso") -> str:
    """A day in ``style``: 1 December 2026 is ``2026-12-01`` (iso) or ``12/01/2026``
    (mdy). A datetime is written as its day.

    >>> day_text(date(2027, 3, 9), "mdy")
    '03/09/2027'
    """
    if style == "mdy":
        return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def clock_text(moment: datetime | time, style: DateStyle = "iso") -> str:
    """The time of day to the minute: 15:05 is ``15:05`` (iso) or ``3:05 PM`` (mdy);
    00:30 is ``00:30`` or ``12:30 AM``, 12:00 ``12:00`` or ``12:00 PM``.

    >>> clock_text(time(0, 30), "mdy"), clock_text(time(12, 0), "mdy")
    ('12:30 AM', '12:00 PM')
    """
    if style == "mdy":
        hour = moment.hour % 12 or 12
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def in_utc(moment: datetime) -> datetime:
    """A stored instant in UTC; one without a zone (as SQLite hands it back) is UTC.

    >>> in_utc(datetime(2026, 12, 1, 15, 5)).isoformat()
    '2026-12-01T15:05:00+00:00'
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def instant_text(moment: datetime, style: DateStyle = "iso", zone: str | None = None) -> str:
    """An instant's day and time of day as its own wall clock reads them, to the minute,
    followed by ``zone`` when given: 2026-12-01 15:05:59.999999 is ``2026-12-01 15:05``
    (iso) or ``12/01/2026 3:05 PM`` (mdy); with ``zone="UTC"``, ``... 3:05 PM UTC``.

    >>> instant_text(datetime(2026, 12, 1, 0, 0), "mdy")
    '12/01/2026 12:00 AM'
    """
    text = f"{day_text(moment.date(), style)} {clock_text(moment, style)}"
    return f"{text} {zone}" if zone else text


def utc_minute(moment: datetime, style: DateStyle = "iso") -> str:
    """A stored instant in UTC to the minute, the zone named, as a contract writes when a
    consent was given (no microseconds): 2026-12-01 15:05:07.123456+00:00 is
    ``2026-12-01 15:05 UTC`` (iso) or ``12/01/2026 3:05 PM UTC`` (mdy); 23:05 in
    Beijing is 15:05 UTC.

    >>> from datetime import timedelta, timezone
    >>> utc_minute(datetime(2026, 12, 1, 23, 5, tzinfo=timezone(timedelta(hours=8))), "mdy")
    '12/01/2026 3:05 PM UTC'
    """
    return instant_text(in_utc(moment), style, "UTC")


def zone_name(zone: str, locale: str) -> str:
    """A time zone by its everyday name in ``locale`` (zh_CN or en), else its tz code.

    >>> zone_name("Asia/Shanghai", "zh_CN"), zone_name("America/New_York", "en")
    ('北京时间', 'Eastern Time')
    >>> zone_name("Europe/London", "zh_CN")
    'Europe/London'
    """
    chinese, english = ZONE_NAMES.get(zone, (zone, zone))
    return chinese if locale.startswith("zh") else english


def local_minute(moment: datetime, style: DateStyle, zone: str, locale: str) -> str:
    """An instant already on ``zone``'s wall clock (the caller converted it), to the
    minute, the zone named as the reader says it (:func:`zone_name`): in Chinese
    ``2026-12-02 12:44（北京时间）``, in English ``2026-12-02 12:44 (Beijing time)`` or, in
    the mdy style, ``12/01/2026 11:48 PM (Eastern Time)``.

    >>> local_minute(datetime(2026, 12, 2, 12, 44, 26), "iso", "Asia/Shanghai", "zh_CN")
    '2026-12-02 12:44（北京时间）'
    >>> local_minute(datetime(2026, 12, 1, 23, 48), "mdy", "America/New_York", "en")
    '12/01/2026 11:48 PM (Eastern Time)'
    """
    name = zone_name(zone, locale)
    text = instant_text(moment, style)
    return f"{text}（{name}）" if locale.startswith("zh") else f"{text} ({name})"
