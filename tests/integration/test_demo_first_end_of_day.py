"""The demo's synthetic book ends yesterday and seeding runs today's end of day over it, so
a fresh demo shows a finished run; on a month-end that run takes the month-end's portfolio
snapshot itself, and the seeding takes the month-ends, yesterday and (on other days) today."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.adapters.db.eod_tables import eod_runs
from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.bootstrap import Container
from autolend.cli_demo import seed_demo

pytestmark = pytest.mark.integration

MONTH_END = date(2026, 11, 30)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 30, 4, 0, tzinfo=UTC))  # noon in Shanghai


def test_a_demo_seeded_on_a_month_end_runs_that_month_end_and_its_snapshot(
    container: Container,
) -> None:
    seed_demo(container, loans=20)

    with container.engine.connect() as conn:
        runs = conn.execute(select(eod_runs)).all()
        days = set(conn.execute(select(portfolio_risk.c.as_of).distinct()).scalars())
        behind = conn.execute(
            select(t.loans.c.id).where(
                t.loans.c.status == "active", t.loans.c.accrued_through < MONTH_END
            )
        ).all()
    assert [(r.status, r.first_day, r.through_day) for r in runs] == [
        ("done", MONTH_END, MONTH_END)
    ]
    assert runs[0].loans >= 15  # the book's open loans (the hand-made ones were serviced)
    assert {date(2026, 10, 31), date(2026, 11, 29), MONTH_END} <= days
    assert behind == []
    report = container.services.verify.run(MONTH_END)
    assert report.ok, report
