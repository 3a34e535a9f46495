"""The book's month-end history as the past-due buckets' PD estimate reads it
(:mod:`autolend.batch.past_due_pd`): every loan's move between two consecutive
month-end snapshots before the snapshot day's month.

The month-ends are the last snapshot of each calendar month
(:func:`~autolend.domain.portfolio.month_ends`, as the roll rates take them) before the
first of the snapshot day's month, so a snapshot never reads its own month; a pair of
month-ends more than one calendar month apart (a month without a snapshot) is left out,
its moves spanning two months. Example: snapshots on 2026-01-31, 2026-02-15, 2026-02-28,
2026-04-30 and a snapshot of 2026-05-31 to take read the pair (Jan 31, Feb 28) only.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from autolend.domain.portfolio import month_ends
from autolend.services.portfolio_ports import BucketTransition, PortfolioRepository

__all__ = ["history_moves"]


def _next_month(day: date) -> tuple[int, int]:
    """(year, month) after ``day``'s: Dec 2026 -> (2027, 1)."""
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def history_moves(repo: PortfolioRepository, as_of: date) -> list[BucketTransition]:
    """The loans' moves between consecutive month-ends before ``as_of``'s month
    (module docstring), every pair's counts one after the other."""
    first = as_of.replace(day=1)
    ends = month_ends(day for day in repo.dates() if day < first)
    moves: list[BucketTransition] = []
    for start, end in pairwise(ends):
        if _next_month(start) == (end.year, end.month):
            moves.extend(repo.transitions(start, end))
    return moves
