"""Clocks: the system clock for production, a settable one for tests and simulations.

Both tell the instant (UTC) and the lender's business day: the date in the lender's time
zone (Beijing for the CN pack). They differ for eight hours a day: at 2026-11-29 20:00 UTC
it is already 2026-11-30 in Beijing, and a loan disbursed then starts on the 30th.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


class SystemClock:
    def __init__(self, zone: str = DEFAULT_ZONE) -> None:
        self._zone = ZoneInfo(zone)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.day_of(self.now())

    def day_of(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self._zone).astimezone(UTC)


class FixedClock:
    def __init__(self, at: datetime, zone: str = DEFAULT_ZONE) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        self._at = at
        self._zone = ZoneInfo(zone)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self.day_of(self._at)

    def day_of(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self._zone).astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta
