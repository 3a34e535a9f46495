"""The end-of-day job: every business day in order, the active loans by partition, one
transaction per partition with a checkpoint.

For day D the loans due (active, serviced through a date before D but not before the
month-end preceding D) are split by id into partitions of ``partition_size`` (loan
``id`` in partition ``(id - 1) // size``). A loan further behind (paid out backdated by
two months while a run goes on, say) waits for the next run, which starts from the
oldest loan's day and so takes each month-end's snapshot rows and allowance in turn.
Each partition is one write transaction, in two steps:

1. **Bulk** (``bulk=True``, the default): the partition's loans are locked and read in a
   few set-based queries, run through the accrual kernel as columns
   (:mod:`autolend.batch.bulk_day`), and every loan the kernel can take -- serviced
   through D - 1, no event pending -- gets its day's entries (``ai:``, ``ap:``, ``mf:``
   facts, the single-loan path's keys, e.g. ``accrual_interest:<id>:<D>``), accrual
   records and new servicing snapshot written in bulk (``COPY`` on PostgreSQL,
   ``executemany`` on SQLite). Those whose advance the day applies (a due date paid in
   full or in part from the advance, by the product's waterfall) are settled in memory
   by the servicing replay of that one day from the rows read
   (:mod:`autolend.batch.bulk_advance`: ``aa:`` facts, the changed installment rows)
   and written with the rest.
2. **Per loan**: every other loan of the partition (and every loan with
   ``bulk=False``) is accrued through D by :func:`autolend.services.eod.accrue_in` -- the
   very step ``accrue_loan`` runs -- inside its own savepoint; a loan that raises is
   rolled back alone and recorded as a per-loan error while the partition goes on
   (house rule 4). On the bulk path a ``Faults.loan`` hook that raises leaves that loan
   unwritten and recorded the same way.

Both steps post the same facts under the same keys (the integration tests compare the
two runners line by line). The partition's checkpoint (run, day, partition, loans,
errors, milliseconds) commits with its postings: a crash loses the partition whole.

After the partitions, the day's **deferred subsidy** is earned (Dr 2400 / Cr 4130,
:mod:`autolend.services.subsidies`) in one more transaction (``EodResult.steps``).

On a **month-end** each partition also stores the portfolio snapshot rows of its id
block first, from the same read, and moves its loans' allowance to their ECL after the
accruals (:mod:`autolend.batch.month_end`); a "snapshot" step then audits the day's
snapshot, with the SHA-256 of the ECL parameters (the ``assessor``'s,
:mod:`autolend.batch.ecl_parameters`) its ECL and so the allowance were computed with.

Rerunning converges: each loan's serviced-through date is its own checkpoint,
committed with its postings, so a rerun plans only the loans still behind.
``run_through`` catches missed days up one day at a time from the oldest
serviced-through date of the active loans: three missed days equal three daily runs.

One run at a time when a ``lock`` is given (the command line and the web give one).
Example: 2,500 active loans with ids 1..2,500 and ``partition_size`` 1,000 make
partitions 0, 1 and 2 (1,000 + 1,000 + 500 loans) for each day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext, suppress
from datetime import date, timedelta
from itertools import groupby
from time import perf_counter

from autolend.batch.allowance import is_month_end, month_ends_between, previous_month_end
from autolend.batch.bulk_advance import with_settled
from autolend.batch.bulk_book import LoanBook, loan_book, with_rows
from autolend.batch.bulk_day import bulk_day
from autolend.batch.collector import cyclic_gc_paused
from autolend.batch.eod_outcomes import EodResult, Faults, PartitionOutcome, StepOutcome
from autolend.batch.month_end import (
    MonthEnd,
    audit_snapshot,
    begin_month_end,
    extra_loans,
    move_allowances,
    snapshot,
)
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.access import Actor, Permission
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.services.audit import record_change
from autolend.services.eod import accrue_in
from autolend.services.eod_ports import (
    BulkLoans,
    BulkWrite,
    EodCheckpoint,
    EodLoanError,
    NewEodRun,
    RunLock,
)
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.subsidies import amortise_loan_subsidy

__all__ = ["PARTITION_SIZE", "EodResult", "EodRunner", "Faults", "PartitionOutcome", "StepOutcome"]

PARTITION_SIZE = 1_000
_DAY = timedelta(days=1)
RUN_GOING_ON = "another end-of-day run is going on: wait for it to finish"
RUN_GOING_ON_ZH = "另一个日终作业正在运行，请等它结束"

Progress = Callable[[date, int, int], None]
"""Called with (day, partitions finished, partitions of the day) as the day goes."""


def partitions_of(loan_ids: Sequence[int], size: int) -> list[tuple[int, list[int]]]:
    """``loan_ids`` (ascending) by partition: ``[1, 2, 1001]`` with ``size`` 1000 ->
    ``[(0, [1, 2]), (1, [1001])]``."""
    return [(k, list(ids)) for k, ids in groupby(loan_ids, key=lambda i: (i - 1) // size)]


class EodRunner:
    """Runs end of day for one date or catches up through a date (module docstring)."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        partition_size: int = PARTITION_SIZE,
        faults: Faults | None = None,
        bulk: bool = True,
        workers: int = 1,
        assessor: ColumnRiskAssessor | None = None,
        lock: RunLock | None = None,
        announce: Callable[[int], None] | None = None,
    ) -> None:
        """``lock``: one run at a time (a second start is refused, ``Conflict``);
        ``announce``: told the run's id as soon as the run is recorded."""
        if partition_size < 1:
            raise InvalidInput("the partition size must be positive", field="partition_size")
        if workers < 1:
            raise InvalidInput("the number of workers must be positive", field="workers")
        self._uow = uow_factory
        self._clock = clock
        self._size = partition_size
        self._faults = faults or Faults()
        self._bulk_path = bulk
        self._workers = workers
        self._assessor = assessor or ColumnRiskAssessor()
        self._lock, self._announce = lock, announce

    def run_date(self, actor: Actor, day: date, progress: Progress | None = None) -> EodResult:
        """End of day ``day``; a loan further behind catches up to it in its replay. A
        month-end in that gap runs first (its allowance is never skipped): with loans
        serviced through Feb 20, ``run_date`` of Mar 10 runs Feb 28, then Mar 10."""
        with self._uow() as uow:
            oldest = uow.eod.oldest_serviced()
        ends = [] if oldest is None else month_ends_between(oldest, day)
        return self._run(actor, "through" if ends else "date", [*ends, day], progress, "date")

    def run_through(
        self, actor: Actor, through: date, progress: Progress | None = None
    ) -> EodResult:
        """Every day from the day after the oldest serviced-through date of the active
        loans through ``through``, one day after the other."""
        with self._uow() as uow:
            oldest = uow.eod.oldest_serviced()
        first = through if oldest is None else min(oldest + _DAY, through)
        days = [first + _DAY * n for n in range((through - first).days + 1)]
        return self._run(actor, "through", days, progress, "through")

    def plan(self, day: date) -> list[tuple[int, list[int]]]:
        """The partitions due on ``day`` and their loan ids: the loans to accrue and, on
        a month-end, those to snapshot or whose allowance is to move
        (:func:`~autolend.batch.month_end.extra_loans`)."""
        with self._uow() as uow:
            due = uow.eod.due_loans(day, previous_month_end(day))
            if is_month_end(day):
                due = sorted(set(due) | extra_loans(uow, day))
            return partitions_of(due, self._size)

    def _run(
        self, actor: Actor, mode: str, days: list[date], progress: Progress | None, field: str
    ) -> EodResult:
        if not actor.can(Permission.LOAN_ACCRUE):
            raise PermissionDenied(f"this needs the permission '{Permission.LOAN_ACCRUE.value}'")
        if days[-1] > (today := self._clock.today()):  # today in the lender's time zone
            raise InvalidInput(f"the business date is in the future (the lender's today is "
                               f"{today})", field=field)  # fmt: skip
        with self._lock() if self._lock else nullcontext(True) as held:
            if not held:
                raise Conflict(RUN_GOING_ON, field="date", message_zh=RUN_GOING_ON_ZH)
            result = EodResult(self._start(actor, mode, days), days)
            if self._announce is not None:
                self._announce(result.run_id)
            try:
                for day in days:
                    result.partitions.extend(self._day(actor, result.run_id, day, progress))
                    if is_month_end(day):
                        result.steps.append(self._snapshot_taken(actor, day))
                    result.steps.append(self._subsidies(actor, result.run_id, day))
            except BaseException:
                with suppress(Exception):  # the database may be what failed: keep its error
                    self._finish(actor, result, "failed")
                raise
            self._finish(actor, result, "done")
        return result

    def _day(
        self, actor: Actor, run_id: int, day: date, progress: Progress | None
    ) -> list[PartitionOutcome]:
        month_end = None
        if is_month_end(day):
            with self._uow(write=True) as uow:
                month_end = begin_month_end(uow, day, self._assessor)
                uow.commit()
        plan = self.plan(day)
        outcomes: list[PartitionOutcome] = []
        if progress is not None:
            progress(day, 0, len(plan))
        for outcome in self._partitions(actor, run_id, day, plan, month_end):
            outcomes.append(outcome)
            if progress is not None:
                progress(day, len(outcomes), len(plan))
        return outcomes

    def _subsidies(self, actor: Actor, run_id: int, day: date) -> StepOutcome:
        """Earn the deferred subsidy due on ``day`` (:mod:`autolend.services.subsidies`)
        once the day's accruals are in (an accrual record dated D would send a loan off
        D's bulk path), each loan in a savepoint of one transaction: a failing loan is
        recorded and the rest go on, and a rerun posts nothing twice."""
        started, entries, errors = perf_counter(), 0, list[EodLoanError]()
        with self._uow(write=True) as uow:
            for loan_id in uow.loans.deferred_subsidies(day):
                try:
                    with uow.savepoint():
                        entries += amortise_loan_subsidy(uow, self._clock, actor, loan_id, day)
                except Exception as error:  # house rule 4, as for the partitions
                    k, text = (loan_id - 1) // self._size, f"{type(error).__name__}: {error}"
                    errors.append(EodLoanError(run_id, day, k, loan_id, text, self._clock.now()))
            uow.eod.add_errors(errors)
            uow.commit()
        millis = round((perf_counter() - started) * 1000)
        return StepOutcome(day, "subsidy", len(errors), entries, millis)

    def _snapshot_taken(self, actor: Actor, day: date) -> StepOutcome:
        """Audit the month-end's portfolio snapshot, taken partition by partition
        (:mod:`autolend.batch.month_end`), with its totals and ECL parameters."""
        started = perf_counter()
        with self._uow(write=True) as uow:
            audit_snapshot(uow, self._clock, actor, day, self._assessor)
            uow.commit()
        return StepOutcome(day, "snapshot", 0, 0, round((perf_counter() - started) * 1000))

    def _partitions(
        self,
        actor: Actor,
        run_id: int,
        day: date,
        plan: list[tuple[int, list[int]]],
        month_end: MonthEnd | None,
    ) -> Iterator[PartitionOutcome]:
        """The day's partitions in order; with ``workers`` > 1, that many at a time,
        each in its own transaction (two partitions never share a loan, so the order of
        their commits does not matter; while one waits on the database another
        computes). A failure cancels the partitions not started."""
        if self._workers == 1:
            for k, ids in plan:
                yield self._partition(actor, (run_id, day, k), ids, month_end)
            return
        with ThreadPoolExecutor(self._workers) as pool:
            futures = [pool.submit(self._partition, actor, (run_id, day, k), ids, month_end)
                       for k, ids in plan]  # fmt: skip
            try:
                for future in futures:
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()

    def _partition(
        self,
        actor: Actor,
        slot: tuple[int, date, int],
        loan_ids: list[int],
        month_end: MonthEnd | None,
    ) -> PartitionOutcome:
        """One partition in one transaction: on a month-end its snapshot rows first
        (the loans as they stand at the start of the day), then the accruals, the
        allowances and the checkpoint."""
        (run_id, day, k), started = slot, perf_counter()
        block = (k * self._size + 1, (k + 1) * self._size)
        with self._uow(write=True) as uow:
            read = self._read(uow, loan_ids, day, month_end is not None)
            errors: list[EodLoanError] = []
            if month_end is not None:
                failed = snapshot(uow, month_end, block, read)
                errors += [self._error(slot, i, f"portfolio snapshot: {t}") for i, t in failed]
            entries, rest = 0, loan_ids
            if read is not None:
                entries, bulk_errors, rest = self._bulk(uow, actor, slot, loan_ids, read)
                errors += bulk_errors
            one_by_one, failed_loans = self._loans(uow, actor, slot, rest)
            entries += one_by_one
            errors = sorted(errors + failed_loans, key=lambda e: e.loan_id)
            if month_end is not None:
                entries += move_allowances(
                    uow, self._clock, actor, day, block, bulk=self._bulk_path
                )
            if self._faults.partition is not None:
                self._faults.partition(day, k)
            millis = round((perf_counter() - started) * 1000)
            uow.eod.add_errors(errors)
            checkpoint = EodCheckpoint(
                run_id, day, k, len(loan_ids), len(errors), millis, self._clock.now()
            )
            uow.eod.save_checkpoint(checkpoint)
            uow.commit()
        return PartitionOutcome(day, k, len(loan_ids), len(errors), entries, millis)

    @cyclic_gc_paused()  # the rows of a partition hold no cycles (batch/collector.py)
    def _read(
        self, uow: UnitOfWork, loan_ids: list[int], day: date, month_end: bool
    ) -> tuple[BulkLoans, LoanBook] | None:
        """On the bulk path, the partition's loans locked and read, and their book (with
        every installment ahead on a month-end, for the ECL); ``None`` otherwise."""
        if not self._bulk_path or not loan_ids:
            return None
        loans = uow.eod.bulk_loans(loan_ids, day, rows=month_end)
        return loans, loan_book(loans, self._assessor.parameters.annual_pd)

    def _error(self, slot: tuple[int, date, int], loan_id: int, text: str) -> EodLoanError:
        run_id, day, k = slot
        return EodLoanError(run_id, day, k, loan_id, text, self._clock.now())

    @cyclic_gc_paused()
    def _bulk(
        self,
        uow: UnitOfWork,
        actor: Actor,
        slot: tuple[int, date, int],
        loan_ids: list[int],
        read: tuple[BulkLoans, LoanBook],
    ) -> tuple[int, list[EodLoanError], list[int]]:
        """The partition's loans the kernel can take (and those whose advance the day
        applies, settled in memory), written in bulk; the entries posted, the failures
        (a ``Faults.loan`` hook raising: that loan is not written) and the loans left to
        the per-loan path. The day accrues from each loan's current installment."""
        (_, day, _), (loans, book), errors = slot, read, list[EodLoanError]()
        held = book if loans.rows is None else with_rows(book, loans, ahead=False)
        planned = with_settled(uow.eod.bulk_installments, loans, bulk_day(loans, loan_ids, held))
        kept = []
        for loan_id in planned.updates:
            try:
                if self._faults.loan is not None:
                    self._faults.loan(day, loan_id)
                kept.append(loan_id)
            except Exception as error:  # house rule 4: as on the per-loan path
                errors.append(self._error(slot, loan_id, f"{type(error).__name__}: {error}"))
        entries = [entry for loan_id in kept for entry in planned.entries[loan_id]]
        updates = [planned.updates[loan_id] for loan_id in kept]
        rows = [row for loan_id in kept for row in planned.installments.get(loan_id, [])]
        now = self._clock.now()
        write = BulkWrite(entries, updates, now, actor.user_id, actor.request_id, rows)
        uow.eod.bulk_write(write)
        return len(entries), errors, planned.rest

    def _loans(
        self, uow: UnitOfWork, actor: Actor, slot: tuple[int, date, int], loan_ids: list[int]
    ) -> tuple[int, list[EodLoanError]]:
        """Accrue each loan of partition ``slot`` (run id, day, partition) in its own
        savepoint; the entries posted and the failures."""
        (_, day, _), entries, errors = slot, 0, []
        for loan_id in loan_ids:
            try:
                with uow.savepoint():
                    done = accrue_in(
                        uow, self._clock, actor, loan_id, day, since=previous_month_end(day)
                    )
                    if self._faults.loan is not None:
                        self._faults.loan(day, loan_id)
                entries += 0 if done is None else len(done.posted)
            except Exception as error:  # house rule 4: one loan's failure does not stop the run
                errors.append(self._error(slot, loan_id, f"{type(error).__name__}: {error}"))
        return entries, errors

    def _start(self, actor: Actor, mode: str, days: list[date]) -> int:
        run = NewEodRun(mode, days[0], days[-1], self._size, self._clock.now(), actor.user_id)
        with self._uow(write=True) as uow:
            run_id = uow.eod.start_run(run)
            uow.commit()
        return run_id

    def _finish(self, actor: Actor, result: EodResult, status: str) -> None:
        with self._uow(write=True) as uow:
            now = self._clock.now()
            uow.eod.finish_run(result.run_id, status, result.loans, result.errors, now)
            summary: dict[str, str | int] = {
                "status": status, "first": result.days[0].isoformat(),
                "through": result.days[-1].isoformat(), "loans": result.loans,
                "errors": result.errors, "entries": result.entries,
            }  # fmt: skip
            if any(is_month_end(day) for day in result.days):  # it moved allowances
                summary["ecl_parameters_sha256"] = self._assessor.ecl_parameters_sha256
            record_change(
                uow, self._clock, actor, action="eod.run", object_type="eod_run",
                object_id=result.run_id, summary=summary,
            )  # fmt: skip
            uow.commit()
