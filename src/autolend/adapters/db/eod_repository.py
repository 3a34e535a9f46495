"""End-of-day job runs, partition checkpoints and per-loan errors (see
:mod:`autolend.services.eod_ports`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from autolend.adapters.db import eod_tables as t
from autolend.adapters.db import tables
from autolend.adapters.db.bulk_eod import read_installments, read_partition, write_partition
from autolend.adapters.db.bulk_loans import add_booked_loans, reserve_loan_ids
from autolend.adapters.db.bulk_month_end import allowance_changes, allowance_off_book, read_rows
from autolend.services.eod_ports import (
    BookedLoan,
    BulkInstallment,
    BulkLoans,
    BulkWrite,
    EodCheckpoint,
    EodLoanError,
    EodRunRecord,
    NewEodRun,
)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _run(row: Any) -> EodRunRecord:
    finished = None if row.finished_at is None else _utc(row.finished_at)
    return EodRunRecord(
        row.id, row.mode, row.first_day, row.through_day, row.partition_size, row.status,
        row.loans, row.errors, _utc(row.started_at), finished, row.started_by,
    )  # fmt: skip


def _checkpoint(row: Any) -> EodCheckpoint:
    return EodCheckpoint(
        row.run_id, row.business_day, row.partition_no, row.loans, row.errors, row.millis,
        _utc(row.finished_at),
    )  # fmt: skip


class SqlEodRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def start_run(self, run: NewEodRun) -> int:
        result = self._conn.execute(
            insert(t.eod_runs).values(
                mode=run.mode, first_day=run.first_day, through_day=run.through_day,
                partition_size=run.partition_size, status="running", loans=0, errors=0,
                started_at=run.started_at, started_by=run.started_by,
            )
        )  # fmt: skip
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def finish_run(self, run_id: int, status: str, loans: int, errors: int, at: datetime) -> None:
        self._conn.execute(
            update(t.eod_runs)
            .where(t.eod_runs.c.id == run_id)
            .values(status=status, loans=loans, errors=errors, finished_at=at)
        )

    def runs(self, limit: int, offset: int = 0) -> list[EodRunRecord]:
        query = select(t.eod_runs).order_by(t.eod_runs.c.id.desc()).limit(limit).offset(offset)
        return [_run(r) for r in self._conn.execute(query)]

    def run(self, run_id: int) -> EodRunRecord | None:
        row = self._conn.execute(select(t.eod_runs).where(t.eod_runs.c.id == run_id)).first()
        return None if row is None else _run(row)

    def due_loans(self, day: date, since: date) -> list[int]:
        loans = tables.loans.c
        serviced = func.coalesce(loans.accrued_through, loans.start_date)
        query = (
            select(loans.id)
            .where(and_(loans.status == "active", serviced < day, serviced >= since))
            .order_by(loans.id)
        )
        return [int(i) for i in self._conn.execute(query).scalars()]

    def oldest_serviced(self) -> date | None:
        loans = tables.loans.c
        serviced = func.min(func.coalesce(loans.accrued_through, loans.start_date))
        found = self._conn.execute(select(serviced).where(loans.status == "active")).scalar()
        return found if found is None or isinstance(found, date) else date.fromisoformat(found)

    def first_start(self) -> date | None:
        found = self._conn.execute(select(func.min(tables.loans.c.start_date))).scalar()
        return found if found is None or isinstance(found, date) else date.fromisoformat(found)

    def checkpoint(self, business_day: date, partition_no: int) -> EodCheckpoint | None:
        c = t.eod_partitions.c
        query = (
            select(t.eod_partitions)
            .where(and_(c.business_day == business_day, c.partition_no == partition_no))
            .order_by(c.id.desc())
            .limit(1)
        )
        row = self._conn.execute(query).first()
        return None if row is None else _checkpoint(row)

    def save_checkpoint(self, checkpoint: EodCheckpoint) -> None:
        self._conn.execute(
            insert(t.eod_partitions).values(
                business_day=checkpoint.business_day, partition_no=checkpoint.partition_no,
                run_id=checkpoint.run_id, loans=checkpoint.loans, errors=checkpoint.errors,
                millis=checkpoint.millis, finished_at=checkpoint.finished_at,
            )
        )  # fmt: skip

    def checkpoints(self, run_id: int) -> list[EodCheckpoint]:
        c = t.eod_partitions.c
        query = (
            select(t.eod_partitions)
            .where(c.run_id == run_id)
            .order_by(c.business_day, c.partition_no)
        )
        return [_checkpoint(r) for r in self._conn.execute(query)]

    def add_errors(self, errors: Sequence[EodLoanError]) -> None:
        if not errors:
            return
        rows = [
            {"run_id": e.run_id, "business_day": e.business_day, "partition_no": e.partition_no,
             "loan_id": e.loan_id, "error": e.error[:500], "at": e.at}
            for e in errors
        ]  # fmt: skip
        self._conn.execute(insert(t.eod_loan_errors), rows)

    def errors(self, run_id: int) -> list[EodLoanError]:
        c = t.eod_loan_errors.c
        query = select(t.eod_loan_errors).where(c.run_id == run_id).order_by(c.id)
        return [
            EodLoanError(r.run_id, r.business_day, r.partition_no, r.loan_id, r.error, _utc(r.at))
            for r in self._conn.execute(query)
        ]

    def bulk_loans(
        self, loan_ids: Sequence[int], day: date, *, lock: bool = True, rows: bool = False
    ) -> BulkLoans:
        loans = read_partition(self._conn, loan_ids, day, lock=lock)
        if not rows:
            return loans
        return replace(loans, rows=read_rows(self._conn, loans.loan_id, day))

    def bulk_installments(self, loan_ids: Sequence[int]) -> dict[int, list[BulkInstallment]]:
        return read_installments(self._conn, loan_ids)

    def allowance_off_book(self) -> list[int]:
        return allowance_off_book(self._conn)

    def allowance_changes(self, day: date, lo: int, hi: int) -> dict[int, tuple[int, str]]:
        return allowance_changes(self._conn, day, lo, hi)

    def day_begun(self, business_day: date) -> bool:
        c = t.eod_partitions.c
        query = select(c.id).where(c.business_day == business_day).limit(1)
        return self._conn.execute(query).first() is not None

    def bulk_write(self, write: BulkWrite) -> None:
        write_partition(self._conn, write)

    def reserve_loan_ids(self, n: int) -> list[int]:
        return reserve_loan_ids(self._conn, n)

    def add_booked_loans(self, loans: Sequence[BookedLoan], at: datetime, by: int) -> None:
        add_booked_loans(self._conn, loans, at, by)
