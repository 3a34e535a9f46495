"""Clocks: the system clock for production, a settable one for tests and simulations.

Both tell the instant (UTC) and the lender's business day: the date in the lender's time
zone (Beijing for the CN pack). They differ for eight hours a day: at 2026-11-29 20:00 UTC
it is already 2026-11-30 in Beijing, and a loan disbursed then starts on the 30th.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


class _LendersDay(ABC):
    """The business day in the lender's zone, from whatever ``now`` a clock tells."""

    def __init__(self, zone: str) -> None:
        self._zone = ZoneInfo(zone)

    @abstractmethod
    def now(self) -> datetime:
        """The current instant, timezone-aware (each clock says where it comes from)."""

    def today(self) -> date:
        return self.day_of(self.now())

    def day_of(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self._zone).astimezone(UTC)

    @property
    def zone(self) -> str:
        """The lender's zone by its IANA name: ``FixedClock(at).zone == "Asia/Shanghai"``."""
        return self._zone.key


class SystemClock(_LendersDay):
    def __init__(self, zone: str = DEFAULT_ZONE) -> None:
        super().__init__(zone)

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock(_LendersDay):
    def __init__(self, at: datetime, zone: str = DEFAULT_ZONE) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        super().__init__(zone)
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta
