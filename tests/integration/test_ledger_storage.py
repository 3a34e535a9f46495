"""The ledger tables are append-only on both databases: UPDATE, DELETE (and TRUNCATE on
PostgreSQL) are refused by triggers; corrections can only be reversing entries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from autolend.adapters.db import tables as t

pytestmark = pytest.mark.integration


def _one_entry(engine: Engine) -> int:
    with engine.begin() as conn:
        entry_id = conn.execute(
            insert(t.journal_entries).values(
                kind="migration",
                value_date=date(2026, 1, 5),
                description="opening",
                fingerprint="f" * 64,
                booked_at=datetime(2026, 1, 5, tzinfo=UTC),
                booked_by=0,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        for side, gl in (("D", "1000"), ("C", "3000")):
            conn.execute(
                insert(t.postings).values(
                    entry_id=entry_id,
                    gl_code=gl,
                    side=side,
                    amount_minor=10_000,
                    currency="CNY",
                    value_date=date(2026, 1, 5),
                )
            )
    return int(entry_id)


def test_postings_cannot_be_updated(engine: Engine) -> None:
    entry_id = _one_entry(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(update(t.postings).values(amount_minor=1))
    with engine.connect() as conn:
        amounts = conn.execute(
            select(t.postings.c.amount_minor).where(t.postings.c.entry_id == entry_id)
        ).scalars()
        assert list(amounts) == [10_000, 10_000]


def test_postings_and_entries_cannot_be_deleted(engine: Engine) -> None:
    _one_entry(engine)
    for table in (t.postings, t.journal_entries):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(delete(table))


def test_journal_entries_cannot_be_edited(engine: Engine) -> None:
    _one_entry(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(update(t.journal_entries).values(description="edited"))


@pytest.mark.parametrize("db_backend", ["postgresql"])
def test_the_ledger_cannot_be_truncated_on_postgresql(engine: Engine) -> None:
    _one_entry(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE postings"))


def test_a_loan_cannot_disburse_more_than_was_approved(engine: Engine) -> None:
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(
            insert(t.loans).values(
                product_code="standard",
                status="active",
                currency="CNY",
                approved_minor=100,
                principal_minor=100,
                disbursed_minor=101,
                annual_rate="0.05",
                terms="{}",
                start_date=date(2026, 1, 5),
                created_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
        )
