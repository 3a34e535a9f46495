"""Portfolio arithmetic over risk snapshots: month-end dates, roll rates, ECL coverage.

Shares and coverage are ``Decimal`` fractions rounded half-up to four places (0.1234 is
12.34 %) only in :func:`share`; amounts stay integer minor units.

Roll rate (迁徙率) from month-end A to month-end B: of the balance in bucket *i* at A, the
share that sits in bucket *j* at B (the balance measured at A). A row sums to 1 when
every loan of A is still in B's snapshot; loans gone by B (paid off, closed) make the
"gone" column.

>>> m = roll_matrix([(0, 0, 900_00), (0, 1, 100_00), (1, 2, 50_00), (1, -1, 50_00)], 3)
>>> [[str(x) for x in row] for row in m.rows]
[['0.9000', '0.1000', '0.0000'], ['0.0000', '0.0000', '0.5000'], ['0.0000', '0.0000', '0.0000']]
>>> [str(x) for x in m.gone], m.balance
(['0.0000', '0.5000', '0.0000'], (100000, 10000, 0))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from autolend.domain.calendar import last_day_of_month

__all__ = [
    "GONE", "RollMatrix", "closed_month_ends", "coverage", "month_ends", "roll_matrix", "share",
    "warning_names",
]  # fmt: skip

_PLACES = Decimal("0.0001")
GONE = -1
"""The end bucket of a loan no longer in the later snapshot."""


def share(part: int, whole: int) -> Decimal:
    """``part / whole`` rounded half-up to four places; 0 when ``whole`` is 0.

    >>> share(1, 3), share(2, 3), share(5, 0)
    (Decimal('0.3333'), Decimal('0.6667'), Decimal('0.0000'))
    """
    if whole == 0:
        return Decimal(0).quantize(_PLACES)
    return (Decimal(part) / Decimal(whole)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def coverage(ecl_minor: int, balance_minor: int) -> Decimal:
    """ECL coverage: allowance over the balance it covers (:func:`share`).

    >>> coverage(12_345, 1_000_000)  # 123.45 on 10,000.00 is 1.23 %
    Decimal('0.0123')
    """
    return share(ecl_minor, balance_minor)


def month_ends(dates: Iterable[date]) -> list[date]:
    """The last snapshot date of each calendar month, oldest first.

    >>> month_ends([date(2026, 1, 31), date(2026, 2, 15), date(2026, 2, 27)])
    [datetime.date(2026, 1, 31), datetime.date(2026, 2, 27)]
    """
    last: dict[tuple[int, int], date] = {}
    for day in dates:
        key = (day.year, day.month)
        if key not in last or day > last[key]:
            last[key] = day
    return sorted(last.values())


def closed_month_ends(dates: Iterable[date]) -> list[date]:
    """:func:`month_ends` of the months that have ended: the newest month counts only when
    its last snapshot is its calendar month-end. A roll rate "between month-ends" from
    2026-11-30 to a month under way (its snapshot of 2026-12-01) would be one day's roll.

    >>> closed_month_ends([date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 1)])
    [datetime.date(2026, 10, 31), datetime.date(2026, 11, 30)]
    >>> closed_month_ends([date(2026, 10, 31), date(2026, 11, 30)])
    [datetime.date(2026, 10, 31), datetime.date(2026, 11, 30)]
    """
    ends = month_ends(dates)
    if ends and ends[-1] != last_day_of_month(ends[-1]):
        ends.pop()
    return ends


@dataclass(frozen=True, slots=True)
class RollMatrix:
    """``rows[i][j]``: share of bucket *i*'s balance now in bucket *j*; ``gone[i]``: the
    share no longer in the later snapshot; ``balance[i]``: bucket *i*'s balance at the
    start."""

    rows: tuple[tuple[Decimal, ...], ...]
    gone: tuple[Decimal, ...]
    balance: tuple[int, ...]


def roll_matrix(moves: Iterable[tuple[int, int, int]], buckets: int) -> RollMatrix:
    """The roll-rate matrix of ``moves`` (start bucket, end bucket or -1, balance at
    the start) over ``buckets`` buckets (see the module docstring)."""
    amounts = [[0] * buckets for _ in range(buckets)]
    gone = [0] * buckets
    for start, end, balance in moves:
        if not 0 <= start < buckets or not (end == GONE or 0 <= end < buckets):
            raise ValueError(f"bucket out of range: {start} -> {end}")
        if end == GONE:
            gone[start] += balance
        else:
            amounts[start][end] += balance
    totals = tuple(sum(row) + out for row, out in zip(amounts, gone, strict=True))
    rows = tuple(
        tuple(share(amount, total) for amount in row)
        for row, total in zip(amounts, totals, strict=True)
    )
    gone_shares = tuple(share(out, total) for out, total in zip(gone, totals, strict=True))
    return RollMatrix(rows, gone_shares, totals)


def warning_names(bits: int, flags: Sequence[tuple[str, int]]) -> list[str]:
    """The names of the flags set in ``bits`` (``flags``: name and bit, in order).

    >>> warning_names(5, [("MISSED_FIRST_PAYMENT", 1), ("ROLLED_WORSE", 2),
    ...                   ("PARTIAL_PAYMENT", 4)])
    ['MISSED_FIRST_PAYMENT', 'PARTIAL_PAYMENT']
    """
    return [name for name, bit in flags if bits & bit]
