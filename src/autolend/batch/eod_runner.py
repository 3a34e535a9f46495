"""The end-of-day job: every business day in order, the active loans by partition, one
transaction per partition with a checkpoint.

For day D the loans due (active, serviced through a date before D) are split by id
into partitions of ``partition_size`` (loan ``id`` in partition ``(id - 1) // size``).
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
errors, milliseconds) commits with its postings, so a crash anywhere loses the
partition whole.

After the partitions, the day's **deferred subsidy** is earned
(:func:`autolend.services.subsidies.amortise_subsidies`: Dr 2400 / Cr 4130 on each
subsidised loan's due dates, the rest at payoff or write-off) in one more transaction
(``EodResult.steps``); it posts nothing twice, so a rerun after a crash completes it.

On a **month-end** (the calendar's last day of a month) the day also moves every loan's
allowance to its ECL (:mod:`autolend.batch.allowance`): before the first partition the
portfolio snapshot of the day is taken (from the stored state read set-based on the
bulk path, replayed per loan with ``bulk=False``; kept on a rerun once a partition of
the day has committed), the plan adds the loans whose allowance is still to move, and
each partition, after its accruals, posts the allowance entries of its id block (``al:``
facts, key ``allowance:<loan>:<D>``) in bulk or entry by entry, before its checkpoint.

Rerunning converges: each loan's serviced-through date is its own checkpoint,
committed with its postings, so a rerun plans only the loans still behind (a partition
whose loans all stand at D is not planned again; one that crashed rolled back whole and
is planned in full). ``run_through`` catches missed days up one day at a time, from the
oldest serviced-through date of the active loans, so three missed days equal three
daily runs.

Example: 2,500 active loans with ids 1..2,500 and ``partition_size`` 1,000 make
partitions 0, 1 and 2 (1,000 + 1,000 + 500 loans) for each day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from time import perf_counter

from autolend.batch.allowance import (
    bulk_allowances,
    is_month_end,
    month_ends_between,
    post_allowances,
)
from autolend.batch.bulk_advance import with_settled
from autolend.batch.bulk_day import bulk_day
from autolend.batch.collector import cyclic_gc_paused
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.access import Actor, Permission
from autolend.domain.errors import InvalidInput, PermissionDenied
from autolend.services.audit import record_change
from autolend.services.eod import accrue_in
from autolend.services.eod_ports import BulkWrite, EodCheckpoint, EodLoanError, NewEodRun
from autolend.services.portfolio import PortfolioService
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.subsidies import amortise_loan_subsidy

__all__ = ["PARTITION_SIZE", "EodResult", "EodRunner", "Faults", "PartitionOutcome", "StepOutcome"]

PARTITION_SIZE = 1_000
_DAY = timedelta(days=1)
_ALL_IDS = 2**62  # above every loan id: the whole book's id range

Hook = Callable[[date, int], None]
Progress = Callable[[date, int, int], None]
"""Called with (day, partitions finished, partitions of the day) as the day goes."""


@dataclass(frozen=True)
class Faults:
    """Fault injection for tests: ``loan(day, loan_id)`` runs after the loan's postings,
    inside its savepoint; ``partition(day, partition_no)`` after the partition's
    postings, before its checkpoint. Either may raise."""

    loan: Hook | None = None
    partition: Hook | None = None


@dataclass(frozen=True)
class PartitionOutcome:
    day: date
    partition_no: int
    loans: int
    errors: int
    entries: int
    millis: int


@dataclass(frozen=True)
class StepOutcome:
    """A step of the day after its partitions (``subsidy``: the deferred subsidy earned)."""

    day: date
    step: str
    errors: int
    entries: int
    millis: int


@dataclass(frozen=True)
class EodResult:
    run_id: int
    days: list[date]
    partitions: list[PartitionOutcome] = field(default_factory=list)
    steps: list[StepOutcome] = field(default_factory=list)

    @property
    def loans(self) -> int:
        return sum(p.loans for p in self.partitions)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.partitions) + sum(s.errors for s in self.steps)

    @property
    def entries(self) -> int:
        return sum(p.entries for p in self.partitions) + sum(s.entries for s in self.steps)


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
        portfolio: PortfolioService | None = None,
    ) -> None:
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
        self._portfolio = portfolio or PortfolioService(
            uow_factory, clock, ColumnRiskAssessor(), bulk=bulk, workers=workers
        )

    def run_date(self, actor: Actor, day: date, progress: Progress | None = None) -> EodResult:
        """End of day ``day``; a loan further behind catches up to it in its replay. A
        month-end in that gap runs first (its allowance is never skipped): with loans
        serviced through Feb 20, ``run_date`` of Mar 10 runs Feb 28, then Mar 10."""
        with self._uow() as uow:
            oldest = uow.eod.oldest_serviced()
        ends = [] if oldest is None else month_ends_between(oldest, day)
        return self._run(actor, "through" if ends else "date", [*ends, day], progress)

    def run_through(
        self, actor: Actor, through: date, progress: Progress | None = None
    ) -> EodResult:
        """Every day from the day after the oldest serviced-through date of the active
        loans through ``through``, one day after the other."""
        with self._uow() as uow:
            oldest = uow.eod.oldest_serviced()
        first = through if oldest is None else min(oldest + _DAY, through)
        days = [first + _DAY * n for n in range((through - first).days + 1)]
        return self._run(actor, "through", days, progress)

    def plan(self, day: date) -> list[tuple[int, list[int]]]:
        """The partitions due on ``day`` and their loan ids: the loans to accrue and, on
        a month-end, those whose allowance is still to move (after the snapshot)."""
        with self._uow() as uow:
            due = uow.eod.due_loans(day)
            if is_month_end(day):
                due = sorted(set(due) | set(uow.eod.allowance_changes(day, 1, _ALL_IDS)))
            return partitions_of(due, self._size)

    def _month_end_snapshot(self, actor: Actor, day: date) -> None:
        """The portfolio snapshot of month-end ``day`` that the allowance moves to
        (:mod:`autolend.batch.allowance`), taken before the day's first partition; kept
        once a partition of the day has committed, so a rerun uses the same figures."""
        with self._uow() as uow:
            kept = uow.eod.day_begun(day) and day in uow.portfolio.dates()
        if not kept:
            with cyclic_gc_paused():  # a million rows read, no cycles among them
                self._portfolio.snapshot(actor, day)

    def _run(
        self, actor: Actor, mode: str, days: list[date], progress: Progress | None
    ) -> EodResult:
        if not actor.can(Permission.LOAN_ACCRUE):
            raise PermissionDenied(f"this needs the permission '{Permission.LOAN_ACCRUE.value}'")
        if days[-1] > self._clock.now().date():
            raise InvalidInput("the business date is in the future", field="date")
        result = EodResult(self._start(actor, mode, days), days)
        try:
            for day in days:
                result.partitions.extend(self._day(actor, result.run_id, day, progress))
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
        if is_month_end(day):
            self._month_end_snapshot(actor, day)
        plan = self.plan(day)
        outcomes: list[PartitionOutcome] = []
        if progress is not None:
            progress(day, 0, len(plan))
        for outcome in self._partitions(actor, run_id, day, plan):
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

    def _partitions(
        self, actor: Actor, run_id: int, day: date, plan: list[tuple[int, list[int]]]
    ) -> Iterator[PartitionOutcome]:
        """The day's partitions in order; with ``workers`` > 1, that many at a time,
        each in its own transaction (two partitions never share a loan, so the order of
        their commits does not matter; while one waits on the database another
        computes). A failure cancels the partitions not started."""
        if self._workers == 1:
            for k, ids in plan:
                yield self._partition(actor, run_id, day, k, ids)
            return
        with ThreadPoolExecutor(self._workers) as pool:
            futures = [pool.submit(self._partition, actor, run_id, day, k, ids)
                       for k, ids in plan]  # fmt: skip
            try:
                for future in futures:
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()

    def _partition(
        self, actor: Actor, run_id: int, day: date, k: int, loan_ids: list[int]
    ) -> PartitionOutcome:
        started = perf_counter()
        with self._uow(write=True) as uow:
            slot = (run_id, day, k)
            errors: list[EodLoanError] = []
            entries, rest = 0, loan_ids
            if self._bulk_path and loan_ids:
                entries, errors, rest = self._bulk(uow, actor, slot, loan_ids)
            one_by_one, failed = self._loans(uow, actor, slot, rest)
            entries, errors = entries + one_by_one, sorted(errors + failed, key=lambda e: e.loan_id)
            if is_month_end(day):
                entries += self._allowances(uow, actor, day, k)
            if self._faults.partition is not None:
                self._faults.partition(day, k)
            millis = round((perf_counter() - started) * 1000)
            now = self._clock.now()
            uow.eod.add_errors(errors)
            checkpoint = EodCheckpoint(run_id, day, k, len(loan_ids), len(errors), millis, now)
            uow.eod.save_checkpoint(checkpoint)
            uow.commit()
        return PartitionOutcome(day, k, len(loan_ids), len(errors), entries, millis)

    @cyclic_gc_paused()  # the rows of a partition hold no cycles (batch/collector.py)
    def _bulk(
        self, uow: UnitOfWork, actor: Actor, slot: tuple[int, date, int], loan_ids: list[int]
    ) -> tuple[int, list[EodLoanError], list[int]]:
        """The partition's loans the kernel can take (and those whose advance the day
        applies, settled in memory), written in bulk; the entries posted, the failures
        (a ``Faults.loan`` hook raising: that loan is not written) and the loans left to
        the per-loan path."""
        (run_id, day, k), errors = slot, list[EodLoanError]()
        loans = uow.eod.bulk_loans(loan_ids, day)
        planned = with_settled(uow.eod.bulk_installments, loans, bulk_day(loans, loan_ids))
        kept = []
        for loan_id in planned.updates:
            try:
                if self._faults.loan is not None:
                    self._faults.loan(day, loan_id)
                kept.append(loan_id)
            except Exception as error:  # house rule 4: as on the per-loan path
                text = f"{type(error).__name__}: {error}"
                errors.append(EodLoanError(run_id, day, k, loan_id, text, self._clock.now()))
        entries = [entry for loan_id in kept for entry in planned.entries[loan_id]]
        updates = [planned.updates[loan_id] for loan_id in kept]
        rows = [row for loan_id in kept for row in planned.installments.get(loan_id, [])]
        now = self._clock.now()
        write = BulkWrite(entries, updates, now, actor.user_id, actor.request_id, rows)
        uow.eod.bulk_write(write)
        return len(entries), errors, planned.rest

    @cyclic_gc_paused()
    def _allowances(self, uow: UnitOfWork, actor: Actor, day: date, k: int) -> int:
        """Move the allowance of the loans of partition ``k``'s id block to the
        month-end ECL (after the day's accruals, so a loan paid off today releases it):
        in bulk, or entry by entry on the per-loan path; the entries posted."""
        lo, hi = k * self._size + 1, (k + 1) * self._size
        changes = uow.eod.allowance_changes(day, lo, hi)
        if not self._bulk_path:
            return post_allowances(uow, self._clock, actor, changes, day)
        entries = bulk_allowances(changes, day)
        now = self._clock.now()
        uow.eod.bulk_write(BulkWrite(entries, [], now, actor.user_id, actor.request_id))
        return len(entries)

    def _loans(
        self, uow: UnitOfWork, actor: Actor, slot: tuple[int, date, int], loan_ids: list[int]
    ) -> tuple[int, list[EodLoanError]]:
        """Accrue each loan of partition ``slot`` (run id, day, partition) in its own
        savepoint; the entries posted and the failures."""
        (run_id, day, k), entries, errors = slot, 0, []
        for loan_id in loan_ids:
            try:
                with uow.savepoint():
                    done = accrue_in(uow, self._clock, actor, loan_id, day)
                    if self._faults.loan is not None:
                        self._faults.loan(day, loan_id)
                entries += 0 if done is None else len(done.posted)
            except Exception as error:  # house rule 4: one loan's failure does not stop the run
                text = f"{type(error).__name__}: {error}"
                errors.append(EodLoanError(run_id, day, k, loan_id, text, self._clock.now()))
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
            record_change(
                uow, self._clock, actor, action="eod.run", object_type="eod_run",
                object_id=result.run_id, summary=summary,
            )  # fmt: skip
            uow.commit()
