"""The portfolio risk snapshot (see :mod:`autolend.services.portfolio_ports`).

A rerun of a day replaces that day's rows: ``replace_day`` deletes them and inserts the
new ones in the caller's transaction, so the snapshot of a day is all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, case, delete, func, or_, select

from autolend.adapters.db import tables
from autolend.adapters.db.bulk_eod import put_rows
from autolend.adapters.db.portfolio_tables import portfolio_risk as pr
from autolend.services.portfolio_ports import BucketMove, BucketTransition, RiskGroup, RiskRow

_CHUNK = 5_000
_COLUMNS = tuple(f.name for f in fields(RiskRow))
_OPEN_STATUSES = ("active", "paid_off", "written_off", "closed")
_as_row = attrgetter(*_COLUMNS)  # a RiskRow's fields as a tuple (astuple deep-copies each)


def _row(row: Any) -> RiskRow:
    return RiskRow(
        row.as_of, row.loan_id, row.product_code, row.dpd, row.bucket, row.risk_class,
        row.class_source, row.stage, row.ecl_minor, row.warnings, row.collection_stage,
        row.principal_outstanding_minor, row.currency,
    )  # fmt: skip


class SqlPortfolioRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def loans_open_on(self, as_of: date) -> list[int]:
        loans = tables.loans
        query = (
            select(loans.c.id)
            .where(loans.c.status.in_(_OPEN_STATUSES))
            .where(loans.c.start_date < as_of)
            .where(or_(loans.c.closed_on.is_(None), loans.c.closed_on >= as_of))
            .order_by(loans.c.id)
        )
        return [int(i) for i in self._conn.execute(query).scalars()]

    def open_without_row(self, as_of: date, lo: int, hi: int) -> list[int]:
        loans = tables.loans
        has_row = select(pr.c.loan_id).where(pr.c.as_of == as_of, pr.c.loan_id == loans.c.id)
        query = (
            select(loans.c.id)
            .where(loans.c.id.between(lo, hi), loans.c.status.in_(_OPEN_STATUSES))
            .where(loans.c.start_date < as_of)
            .where(or_(loans.c.closed_on.is_(None), loans.c.closed_on >= as_of))
            .where(~has_row.exists())
            .order_by(loans.c.id)
        )
        return [int(i) for i in self._conn.execute(query).scalars()]

    def add_rows(self, rows: Sequence[RiskRow]) -> None:
        for lo in range(0, len(rows), _CHUNK):
            part = rows[lo : lo + _CHUNK]
            put_rows(self._conn, pr, _COLUMNS, [_as_row(r) for r in part])

    def latest_before(self, as_of: date) -> date | None:
        found = self._conn.execute(select(func.max(pr.c.as_of)).where(pr.c.as_of < as_of))
        return found.scalar_one_or_none()

    def replace_day(self, as_of: date, rows: Sequence[RiskRow]) -> None:
        """``COPY`` on PostgreSQL (a month-end snapshot is one row per loan), batched
        inserts on SQLite. Then the table's planner statistics are refreshed: the
        month-end's allowance queries join the new rows at once, and with the old
        statistics (the day's rows unknown) PostgreSQL planned a loop that took 70 s
        for 50,000 loans instead of 0.1 s."""
        self._conn.execute(delete(pr).where(pr.c.as_of == as_of))
        self.add_rows(rows)
        self._conn.exec_driver_sql(f"ANALYZE {pr.name}")

    def buckets(self, as_of: date, loan_ids: Sequence[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for lo in range(0, len(loan_ids), _CHUNK):
            part = list(loan_ids[lo : lo + _CHUNK])
            query = select(pr.c.loan_id, pr.c.bucket).where(
                pr.c.as_of == as_of, pr.c.loan_id.in_(part)
            )
            found.update((int(i), int(b)) for i, b in self._conn.execute(query))
        return found

    def dates(self) -> list[date]:
        query = select(pr.c.as_of).distinct().order_by(pr.c.as_of)
        return list(self._conn.execute(query).scalars())

    def groups(self, as_of: date) -> list[RiskGroup]:
        keys = (pr.c.bucket, pr.c.risk_class, pr.c.stage, pr.c.currency)
        query = (
            select(
                *keys,
                func.count(),
                func.sum(pr.c.principal_outstanding_minor),
                func.sum(pr.c.ecl_minor),
            )
            .where(pr.c.as_of == as_of)
            .group_by(*keys)
            .order_by(*keys)
        )
        return [
            RiskGroup(int(b), int(c), int(s), int(n), int(bal or 0), int(ecl or 0), str(cur))
            for b, c, s, cur, n, bal, ecl in self._conn.execute(query)
        ]

    def moves(self, start: date, end: date) -> list[BucketMove]:
        later = pr.alias("later")
        end_bucket = func.coalesce(later.c.bucket, -1)
        query = (
            select(
                pr.c.bucket, end_bucket, func.sum(pr.c.principal_outstanding_minor), pr.c.currency
            )
            .select_from(
                pr.outerjoin(later, (later.c.loan_id == pr.c.loan_id) & (later.c.as_of == end))
            )
            .where(pr.c.as_of == start)
            .group_by(pr.c.bucket, end_bucket, pr.c.currency)
            .order_by(pr.c.bucket, end_bucket, pr.c.currency)
        )
        rows = self._conn.execute(query)
        return [BucketMove(int(a), int(b), int(m or 0), str(cur)) for a, b, m, cur in rows]

    def transitions(self, start: date, end: date) -> list[BucketTransition]:
        """One aggregate over the two days' rows: a loan missing at ``end`` is -2 when
        it is written off (its status now), else -1."""
        later, loans = pr.alias("later"), tables.loans
        gone = case((loans.c.status == "written_off", -2), else_=-1)
        end_state = func.coalesce(later.c.bucket, gone)
        joined = pr.outerjoin(
            later, (later.c.loan_id == pr.c.loan_id) & (later.c.as_of == end)
        ).outerjoin(loans, loans.c.id == pr.c.loan_id)
        query = (
            select(pr.c.bucket, end_state, func.count())
            .select_from(joined)
            .where(pr.c.as_of == start)
            .group_by(pr.c.bucket, end_state)
            .order_by(pr.c.bucket, end_state)
        )
        return [BucketTransition(int(a), int(b), int(n)) for a, b, n in self._conn.execute(query)]

    def warned(self, as_of: date, limit: int) -> list[RiskRow]:
        query = (
            select(pr)
            .where(pr.c.as_of == as_of, pr.c.warnings != 0)
            .order_by(pr.c.dpd.desc(), pr.c.ecl_minor.desc(), pr.c.loan_id)
            .limit(limit)
        )
        return [_row(r) for r in self._conn.execute(query)]
