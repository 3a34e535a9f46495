"""Ports for end-of-day job runs: the run, its checkpointed partitions and its per-loan
errors (declared beside the services that use them; :mod:`autolend.services.ports`
exposes the repository on the unit of work as ``uow.eod``).

A partition is the loans whose id falls in one block of ``size`` ids: loan ``id`` is in
partition ``(id - 1) // size`` (ids 1..1000 -> 0, 1001..2000 -> 1 for ``size`` 1000), so
a rerun finds the same partitions whatever loans were added or closed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class NewEodRun:
    mode: str  # 'date' (one day) or 'through' (catch up day by day)
    first_day: date
    through_day: date
    partition_size: int
    started_at: datetime
    started_by: int


@dataclass(frozen=True)
class EodRunRecord:
    id: int
    mode: str
    first_day: date
    through_day: date
    partition_size: int
    status: str  # running, done, failed
    loans: int
    errors: int
    started_at: datetime
    finished_at: datetime | None
    started_by: int


@dataclass(frozen=True)
class EodCheckpoint:
    """One partition of one business day, committed with the partition's postings."""

    run_id: int
    business_day: date
    partition_no: int
    loans: int
    errors: int
    millis: int
    finished_at: datetime


@dataclass(frozen=True)
class EodLoanError:
    run_id: int
    business_day: date
    partition_no: int
    loan_id: int
    error: str
    at: datetime


class EodRepository(Protocol):
    def start_run(self, run: NewEodRun) -> int: ...
    def finish_run(
        self, run_id: int, status: str, loans: int, errors: int, at: datetime
    ) -> None: ...
    def runs(self, limit: int, offset: int = 0) -> list[EodRunRecord]: ...
    def run(self, run_id: int) -> EodRunRecord | None: ...
    def due_loans(self, day: date) -> list[int]:
        """Ids (ascending) of active loans serviced through a date before ``day``."""
        ...

    def oldest_serviced(self) -> date | None:
        """The earliest serviced-through date of the active loans (``None``: none)."""
        ...

    def checkpoint(self, business_day: date, partition_no: int) -> EodCheckpoint | None:
        """The latest checkpoint of (day, partition), of whichever run wrote it."""
        ...

    def save_checkpoint(self, checkpoint: EodCheckpoint) -> None: ...

    def checkpoints(self, run_id: int) -> list[EodCheckpoint]: ...
    def add_errors(self, errors: Sequence[EodLoanError]) -> None: ...
    def errors(self, run_id: int) -> list[EodLoanError]: ...
    def savepoint(self) -> AbstractContextManager[object]:
        """A nested transaction: rolled back alone when its block raises."""
        ...
