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
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt

from autolend.domain.access import Actor


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


# --- The bulk path (P1.6 item 3): set-based reads and writes for one partition --------


_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class InstallmentRows:
    """Installment rows as columns, ordered by loan id and then by number: the loan id,
    the due day (days since 1970-01-01, as the batch books count them) and the principal,
    interest and fee unpaid (minor units). A month-end reads about 25 a loan: as columns
    they cost no Python object per row.

    Example: ``InstallmentRows.of({7: [(date(1970, 1, 11), 100, 5, 0)]})`` has
    ``loan_id`` [7], ``due_day`` [10], ``principal`` [100], ``interest`` [5], ``fee`` [0].
    """

    loan_id: npt.NDArray[np.int64]
    due_day: npt.NDArray[np.int64]
    principal: npt.NDArray[np.int64]
    interest: npt.NDArray[np.int64]
    fee: npt.NDArray[np.int64]

    @classmethod
    def of(cls, rows: dict[int, list[tuple[date, int, int, int]]]) -> InstallmentRows:
        """From (due date, principal, interest, fee) tuples by loan id."""
        flat = [(i, (d - _EPOCH).days, p, r, f)
                for i in sorted(rows) for d, p, r, f in rows[i]]  # fmt: skip
        table = np.array(flat, dtype=np.int64).reshape(len(flat), 5)
        return cls(*(np.ascontiguousarray(table[:, k]) for k in range(5)))

    def where(self, keep: npt.NDArray[np.bool_]) -> InstallmentRows:
        """The rows where ``keep`` is true."""
        return InstallmentRows(
            self.loan_id[keep], self.due_day[keep], self.principal[keep],
            self.interest[keep], self.fee[keep],
        )  # fmt: skip


@dataclass(frozen=True)
class BulkLoans:
    """One partition's loans as columns (one list entry per loan), as of the start of
    ``day``, read in a few set-based queries; the installments are summarised per loan:

    * ``cur_*``: the current installment (the first due on or after ``day``; ``None`` /
      0 when none is left), ``prev_due`` the due date before it (its period's start);
    * ``not_due_principal``, ``ahead_paid``: principal unpaid, and anything paid, over
      the installments due on or after ``day``;
    * ``overdue_*``: what is unpaid of the installments due before ``day``,
      ``earliest_unpaid`` the earliest of them with principal or interest unpaid (where
      the days past due count from; a fee alone does not make it past due);
    * ``blocked``: the loan must take the per-loan path (an event not yet applied, a
      partial prepayment applied, an accrual recorded for ``day`` or later);
    * ``rows`` (read only when asked, for the ECL): every installment due on or after
      ``day``, as columns (:class:`InstallmentRows`).

    Example: a loan with installments due Feb 5 and Mar 5, read for Feb 10 with the
    Feb 5 one unpaid: ``cur_due`` Mar 5, ``prev_due`` Feb 5, ``earliest_unpaid`` Feb 5.
    """

    day: date
    loan_id: list[int]
    status: list[str]
    currency: list[str]
    product_code: list[str]
    start_date: list[date]
    accrued_through: list[date | None]
    terms_json: list[str]
    state_json: list[str | None]
    first_due: list[date | None]
    cur_due: list[date | None]
    prev_due: list[date | None]
    cur_principal: list[int]
    cur_interest: list[int]
    cur_fee: list[int]
    not_due_principal: list[int]
    ahead_paid: list[int]
    ahead_rows: list[int]
    overdue_principal: list[int]
    overdue_interest: list[int]
    overdue_fee: list[int]
    earliest_unpaid: list[date | None]
    blocked: list[bool]
    rows: InstallmentRows | None = None


@dataclass(frozen=True)
class BulkEntry:
    """One journal entry to write in bulk, its postings as ``(gl_code, loan_id,
    sub_ledger, side 'D'/'C', amount_minor, currency)`` and, for an accrual, the
    component its accrual record names (``interest`` / ``penalty``)."""

    kind: str
    value_date: date
    loan_id: int
    description: str
    idempotency_key: str
    fingerprint: str
    fact: str
    postings: tuple[tuple[str, int | None, str | None, str, int, str], ...]
    accrual: str | None = None


@dataclass(frozen=True)
class BulkLoanUpdate:
    """A loan's servicing after the day: serviced through ``accrued_through``, the
    state snapshot (JSON), its status and the day it closed (paid off)."""

    loan_id: int
    accrued_through: date
    status: str
    state_json: str
    closed_on: date | None = None


BulkInstallment = tuple[int, int, date, int, int, int, int, int, int]
"""An installment row as (loan id, n, due date, principal, interest and fee due,
principal, interest and fee paid)."""


@dataclass(frozen=True)
class BulkWrite:
    """The day's postings and loan updates of the loans kept on the bulk path, and who
    booked them."""

    entries: list[BulkEntry]
    loans: list[BulkLoanUpdate]
    booked_at: datetime
    booked_by: int
    request_id: str | None
    installments: list[BulkInstallment] = field(default_factory=list)
    """Installment rows that changed (same loan and number), to update."""


@dataclass(frozen=True)
class BookedLoan:
    """A loan booked and disbursed, inserted directly (synthetic books for tests and
    benchmarks): the rows the booking and disbursement services would write, with the
    installments as ``(n, due_date, principal_due, interest_due, fee_due)``."""

    loan_id: int
    product_code: str
    currency: str
    principal_minor: int
    annual_rate: str
    terms_json: str
    start_date: date
    installments: tuple[tuple[int, date, int, int, int], ...]
    disbursement: BulkEntry


class BulkEodRepository(Protocol):
    """The set-based reads and writes of the bulk end of day (``uow.eod``)."""

    def bulk_loans(
        self, loan_ids: Sequence[int], day: date, *, lock: bool = True, rows: bool = False
    ) -> BulkLoans:
        """Lock (unless ``lock`` is False) and read the loans ``loan_ids`` that are
        still active, with their installments from ``day`` on when ``rows`` (see
        :class:`BulkLoans`)."""
        ...

    def bulk_installments(self, loan_ids: Sequence[int]) -> dict[int, list[BulkInstallment]]:
        """Every installment row of ``loan_ids``, by loan, in order of number."""
        ...

    def allowance_off_book(self) -> list[int]:
        """Ids of the loans no longer active that still hold an allowance, ascending."""
        ...

    def allowance_changes(self, day: date, lo: int, hi: int) -> dict[int, tuple[int, str]]:
        """Loan id -> (change, currency): for the loans with ids ``lo`` to ``hi``, the
        month-end allowance change of ``day`` still to post -- the ECL of the day's
        portfolio snapshot (0 for a loan not in it or no longer active) less the
        allowance held, non-zero, with no allowance entry of ``day`` yet."""
        ...

    def day_begun(self, business_day: date) -> bool:
        """Whether some partition of ``business_day`` has committed (any run)."""
        ...

    def bulk_write(self, write: BulkWrite) -> None:
        """Insert the entries, postings and accrual records and update the loans
        (``COPY`` on PostgreSQL, ``executemany`` on SQLite), in the open transaction."""
        ...

    def reserve_loan_ids(self, n: int) -> list[int]:
        """``n`` fresh loan ids (ascending) for :meth:`add_booked_loans`."""
        ...

    def add_booked_loans(self, loans: Sequence[BookedLoan], at: datetime, by: int) -> None:
        """Insert booked and disbursed loans, their installments and disbursement
        entries set-based (``COPY`` / ``executemany``)."""
        ...


class EodRepository(BulkEodRepository, Protocol):
    """Job runs, checkpoints and errors; the bulk reads and writes are in
    :class:`BulkEodRepository` (the same object, ``uow.eod``)."""

    def start_run(self, run: NewEodRun) -> int: ...
    def finish_run(
        self, run_id: int, status: str, loans: int, errors: int, at: datetime
    ) -> None: ...
    def runs(self, limit: int, offset: int = 0) -> list[EodRunRecord]: ...
    def run(self, run_id: int) -> EodRunRecord | None: ...
    def due_loans(self, day: date, since: date) -> list[int]:
        """Ids (ascending) of active loans serviced through a date from ``since`` to
        the day before ``day``."""
        ...

    def oldest_serviced(self) -> date | None:
        """The earliest serviced-through date of the active loans (``None``: none)."""
        ...

    def first_start(self) -> date | None:
        """The earliest start date of any loan, whatever its status (``None``: no loan)."""
        ...

    def checkpoint(self, business_day: date, partition_no: int) -> EodCheckpoint | None:
        """The latest checkpoint of (day, partition), of whichever run wrote it."""
        ...

    def save_checkpoint(self, checkpoint: EodCheckpoint) -> None: ...

    def checkpoints(self, run_id: int) -> list[EodCheckpoint]: ...
    def add_errors(self, errors: Sequence[EodLoanError]) -> None: ...
    def errors(self, run_id: int) -> list[EodLoanError]: ...


class RunLock(Protocol):
    """One end-of-day run at a time across processes (the command line's, the web's, a
    scheduler's): entering yields whether this run holds the lock; it is let go on
    leaving, and when the holder's process dies (so a crashed run never blocks the rerun)."""

    def __call__(self) -> AbstractContextManager[bool]: ...


class EodJobs(Protocol):
    """End of day started from a page: the run goes on in the background."""

    def start_through(self, actor: Actor, through: date) -> int:
        """Start catching up through ``through``; the run's id once it is recorded (its
        progress is read from its checkpoints). Refuses like the run itself: the
        permission, a date after today, another run going on (``Conflict``)."""
        ...
