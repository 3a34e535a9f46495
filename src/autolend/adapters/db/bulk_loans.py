"""Booked and disbursed loans inserted set-based (synthetic books for the end-of-day
tests and benchmarks; see :func:`autolend.batch.bulk_synth.insert_synthetic_loans`).

The rows are those the booking and disbursement services write (loan ``active``,
disbursed in full, version 1, not yet serviced; the schedule's installments; the
disbursement entry under key ``loan:<id>:disbursement``), without the audit records
and customers a real booking also writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from autolend.adapters.db import tables as t
from autolend.adapters.db.bulk_eod import put_rows, write_partition
from autolend.services.eod_ports import BookedLoan, BulkWrite

_LOAN_COLUMNS = (
    "id", "product_code", "status", "currency", "approved_minor", "principal_minor",
    "disbursed_minor", "annual_rate", "terms", "start_date", "version", "created_at",
)  # fmt: skip
_INSTALLMENT_COLUMNS = (
    "loan_id", "n", "due_date", "principal_due", "interest_due", "fee_due", "principal_paid",
    "interest_paid", "fee_paid",
)  # fmt: skip


def reserve_loan_ids(conn: Connection, n: int) -> list[int]:
    """``n`` loan ids: from the sequence on PostgreSQL, after ``MAX(id)`` on SQLite
    (inside the write transaction that inserts them)."""
    if conn.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence('loans', 'id')) FROM generate_series(1, :n)"
        )
        return sorted(int(i) for i in conn.execute(query, {"n": n}).scalars())
    top = int(conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM loans")).scalar() or 0)
    return list(range(top + 1, top + 1 + n))


def add_booked_loans(conn: Connection, loans: Sequence[BookedLoan], at: datetime, by: int) -> None:
    """Insert the loans, their installments and their disbursement entries."""
    rows: list[tuple[Any, ...]] = [
        (b.loan_id, b.product_code, "active", b.currency, b.principal_minor, b.principal_minor,
         b.principal_minor, b.annual_rate, b.terms_json, b.start_date, 1, at)
        for b in loans
    ]  # fmt: skip
    put_rows(conn, t.loans, _LOAN_COLUMNS, rows)
    installments = [(b.loan_id, *row, 0, 0, 0) for b in loans for row in b.installments]
    put_rows(conn, t.installments, _INSTALLMENT_COLUMNS, installments)
    write_partition(conn, BulkWrite([b.disbursement for b in loans], [], at, by, None))
