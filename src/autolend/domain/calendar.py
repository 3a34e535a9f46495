"""Business-date arithmetic on :class:`datetime.date`; no ``datetime``, no clock.

Holidays are data: a :class:`BusinessCalendar` is built by the caller from whatever
holiday schedule applies (e.g. the State Council's yearly notice for mainland China,
including its 调休 make-up working weekend days).  Nothing here knows any holiday.

>>> add_months(date(2024, 1, 31), 1)
datetime.date(2024, 2, 29)
>>> cal = BusinessCalendar(holidays=frozenset({date(2025, 10, 1)}))
>>> cal.roll(date(2025, 10, 1), RollConvention.FOLLOWING)
datetime.date(2025, 10, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum

from autolend.domain.errors import InvalidInput

__all__ = [
    "BusinessCalendar",
    "RollConvention",
    "add_months",
    "days_between",
    "is_end_of_month",
    "last_day_of_month",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY_SUNDAY = frozenset({5, 6})


def _require_date(d: date, name: str = "date") -> date:
    """Reject ``datetime`` (a ``date`` subclass that never equals a plain date)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{name} must be a datetime.date, got {type(d).__name__}")
    return d


def _shift(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError as exc:
        message = f"{d} shifted by {days} days is out of range"
        raise InvalidInput(message, field="date") from exc


def last_day_of_month(d: date) -> date:
    """The last calendar day of ``d``'s month.

    >>> last_day_of_month(date(2024, 2, 10)), last_day_of_month(date(2023, 2, 10))
    (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28))
    """
    _require_date(d)
    if d.month == 12:
        return date(d.year, 12, 31)
    return date(d.year, d.month + 1, 1) - _ONE_DAY


def is_end_of_month(d: date) -> bool:
    """Whether ``d`` is the last day of its month: 2024-02-29 is, 2023-02-28 is too."""
    return d == last_day_of_month(d)


def add_months(d: date, months: int, *, sticky_end_of_month: bool = False) -> date:
    """Move ``months`` calendar months (may be negative), clamping to the month's end.

    The day of month is kept when the target month has it, otherwise the target's last
    day is used.  With ``sticky_end_of_month`` a month-end start stays at month end
    (the usual rule for month-end payment schedules).

    >>> add_months(date(2024, 2, 29), 1)
    datetime.date(2024, 3, 29)
    >>> add_months(date(2024, 2, 29), 1, sticky_end_of_month=True)
    datetime.date(2024, 3, 31)
    >>> add_months(date(2024, 3, 31), -1)
    datetime.date(2024, 2, 29)
    """
    _require_date(d)
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, got {type(months).__name__}")
    year, month_index = divmod(d.year * 12 + d.month - 1 + months, 12)
    if not date.min.year <= year <= date.max.year:
        raise InvalidInput(f"{d} plus {months} months is out of range", field="months")
    month_end = last_day_of_month(date(year, month_index + 1, 1))
    if sticky_end_of_month and is_end_of_month(d):
        return month_end
    return month_end.replace(day=min(d.day, month_end.day))


def days_between(start: date, end: date) -> int:
    """Actual calendar days from ``start`` to ``end`` (negative if ``end`` is earlier).

    >>> days_between(date(2024, 2, 1), date(2024, 3, 1))
    29
    """
    return (_require_date(end, "end") - _require_date(start, "start")).days


class RollConvention(Enum):
    """How a date on a non-business day is adjusted (ISDA 2006 Definitions, s.4.12).

    FOLLOWING: the next business day.  PRECEDING: the previous business day.
    MODIFIED_FOLLOWING: the next business day unless that is in the next calendar month,
    in which case the previous one.  UNADJUSTED: leave the date as it is.
    """

    FOLLOWING = "following"
    MODIFIED_FOLLOWING = "modified_following"
    PRECEDING = "preceding"
    UNADJUSTED = "unadjusted"


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Which days are business days; all holiday data is supplied by the caller.

    A day is a business day if it is an ``extra_workday`` (e.g. a 调休 make-up working
    Saturday), else if it is neither a holiday nor a ``weekend`` weekday (Monday = 0).

    >>> cal = BusinessCalendar(extra_workdays=frozenset({date(2025, 2, 8)}))
    >>> cal.is_business_day(date(2025, 2, 8)), cal.is_business_day(date(2025, 2, 9))
    (True, False)
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = _SATURDAY_SUNDAY
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for name in ("holidays", "weekend", "extra_workdays"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        for d in self.holidays | self.extra_workdays:
            _require_date(d)
        if not self.weekend <= frozenset(range(7)) or len(self.weekend) == 7:
            raise InvalidInput(
                f"weekend must be weekday numbers 0-6 leaving at least one workday, "
                f"got {sorted(self.weekend)}",
                field="weekend",
            )
        clash = self.holidays & self.extra_workdays
        if clash:
            raise InvalidInput(
                f"dates cannot be both holiday and extra workday: {sorted(clash)}",
                field="extra_workdays",
            )

    def is_business_day(self, d: date) -> bool:
        """Whether ``d`` is a working day under this calendar."""
        _require_date(d)
        if d in self.extra_workdays:
            return True
        return d not in self.holidays and d.weekday() not in self.weekend

    def next_business_day(self, d: date) -> date:
        """The first business day strictly after ``d``."""
        candidate = _shift(d, 1)
        while not self.is_business_day(candidate):
            candidate = _shift(candidate, 1)
        return candidate

    def previous_business_day(self, d: date) -> date:
        """The last business day strictly before ``d``."""
        candidate = _shift(d, -1)
        while not self.is_business_day(candidate):
            candidate = _shift(candidate, -1)
        return candidate

    def roll(self, d: date, convention: RollConvention) -> date:
        """Adjust ``d`` to a business day by ``convention``; business days stay put.

        >>> cal = BusinessCalendar()
        >>> cal.roll(date(2024, 8, 31), RollConvention.MODIFIED_FOLLOWING)  # a Saturday
        datetime.date(2024, 8, 30)
        """
        if convention is RollConvention.UNADJUSTED or self.is_business_day(d):
            return d
        if convention is RollConvention.PRECEDING:
            return self.previous_business_day(d)
        following = self.next_business_day(d)
        modified = convention is RollConvention.MODIFIED_FOLLOWING
        if modified and following.month != d.month:
            return self.previous_business_day(d)
        return following

    def add_business_days(self, d: date, n: int) -> date:
        """Move ``n`` business days from ``d`` (backwards if ``n`` is negative).

        A non-business ``d`` first rolls FOLLOWING to the business day it is deemed to
        fall on, so ``n = 0`` gives ``roll(d, FOLLOWING)`` and moving ``n`` then ``-n``
        always returns there.  E.g. with a Sat/Sun weekend, Saturday + 1 is Tuesday
        (deemed Monday, plus one) and Saturday - 1 is Friday.

        >>> BusinessCalendar().add_business_days(date(2024, 6, 7), 1)  # Fri -> Mon
        datetime.date(2024, 6, 10)
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        current = self.roll(d, RollConvention.FOLLOWING)
        step = self.next_business_day if n > 0 else self.previous_business_day
        for _ in range(abs(n)):
            current = step(current)
        return current

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in the half-open range ``[start, end)``; negative if reversed.

        >>> mon, next_mon = date(2024, 6, 3), date(2024, 6, 10)
        >>> BusinessCalendar().business_days_between(mon, next_mon)
        5
        """
        _require_date(start, "start")
        _require_date(end, "end")
        if end < start:
            return -self.business_days_between(end, start)
        span = (end - start).days
        days = (start + timedelta(days=i) for i in range(span))
        return sum(1 for d in days if self.is_business_day(d))
