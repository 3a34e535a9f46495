"""Demo portfolio snapshots: one per month-end over the demo loans' history, and today.

So the portfolio page of a fresh ``make run`` has buckets, stages and roll rates between
month-ends to show. Taken only when no snapshot exists yet (a restart adds none).

Example: with the demo date 2026-11-28 and loans going back 9 months, the snapshots are
2026-02-28, 2026-03-31, ..., 2026-10-31 and 2026-11-28.
"""

from __future__ import annotations

from datetime import date, timedelta

from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.demo_loans import DEMO_LOANS
from autolend.services.portfolio import PortfolioService

__all__ = ["demo_snapshot_days", "seed_snapshots"]


def demo_snapshot_days(as_of: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months before ``as_of``'s month, then
    ``as_of``.

    >>> demo_snapshot_days(date(2026, 3, 15), 2)
    [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 15)]
    """
    days = []
    end = as_of.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        days.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return [*reversed(days), as_of]


def seed_snapshots(portfolio: PortfolioService, as_of: date, months: int | None = None) -> int:
    """Take the demo snapshots unless some exist; how many were taken. ``months``
    limits the month-ends (a synthetic book migrated at a cut-over has no history
    before it: its snapshots start at the cut-over's month-end); by default as far
    back as the hand-made demo loans go."""
    if portfolio.dates(SYSTEM_ACTOR):
        return 0
    if months is None:
        months = max(plan.months for plan in DEMO_LOANS)
    days = demo_snapshot_days(as_of, months)
    for day in days:
        portfolio.snapshot(SYSTEM_ACTOR, day)
    return len(days)
