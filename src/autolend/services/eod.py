"""End of day in the services: the one-loan step both paths share, and the job runs.

:func:`accrue_in` is the single-loan accrual inside the caller's transaction:
:meth:`~autolend.services.servicing.ServicingService.accrue_loan` runs it for one loan
in its own transaction, the end-of-day runner (:mod:`autolend.batch.eod_runner`) for
every loan of a partition in the partition's transaction. Both post the same facts
under the same keys (``loan:<id>:ai:<day>`` ...), so a loan accrued one way and then
the other posts nothing twice.

Example: a loan serviced through 2026-02-10, ``accrue_in(..., through=2026-02-12)``
posts ``ai:2026-02-11`` and ``ai:2026-02-12`` (and penalty ``ap:`` while overdue);
called again with the same date it posts nothing and returns ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import NotFound, PermissionDenied
from autolend.services.eod_ports import EodCheckpoint, EodLoanError, EodRunRecord
from autolend.services.loan_books import Restated, locked_loan, restate, serviced_through
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

_DAY = timedelta(days=1)


def accrue_in(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    loan_id: int,
    through: date,
    *,
    since: date | None = None,
) -> Restated | None:
    """Accrue loan ``loan_id`` through ``through`` in ``uow`` (lock, replay from the
    stored state, post the difference, save the state); ``None`` when there is nothing
    to do: the loan is not active, already serviced through ``through``, or (with
    ``since``, end of day's rule) serviced through a day before ``since``."""
    loan = locked_loan(uow, loan_id)
    start = serviced_through(loan)
    if loan.status != "active" or through <= start or (since is not None and start < since):
        return None
    return restate(uow, clock, actor, loan, through=through, since=start + _DAY, resume=True)


@dataclass(frozen=True)
class EodRunDetail:
    """A run with its partition checkpoints and its per-loan errors."""

    run: EodRunRecord
    partitions: list[EodCheckpoint]
    errors: list[EodLoanError]


class EodService:
    """Reading end-of-day job runs (for the runs page and ``autolend eod``)."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def runs(self, actor: Actor, limit: int = 50, offset: int = 0) -> list[EodRunRecord]:
        """The latest runs first, ``limit`` of them after ``offset``."""
        _check(actor)
        with self._uow() as uow:
            return uow.eod.runs(limit, offset)

    def nothing_to_run(self, actor: Actor, through: date) -> str | None:
        """Why end of day through ``through`` would do nothing, or ``None`` when it may run.

        Every step of a business day -- the accruals, the deferred subsidy, a month-end's
        snapshot and allowance -- is about loans that had started by that day. With no
        loan booked yet, or every loan starting after ``through``, a run would only
        record itself: a "done" run of no loans (and, on a month-end, the audit of an
        empty snapshot) that tells the operator the day was run when nothing was there
        to run. E.g. the first loan starting 2026-03-05: through 2026-02-28 -> "no loan
        starts on or before 2026-02-28 (the first starts on 2026-03-05)"; through
        2026-03-05 -> ``None``.
        """
        _check(actor)
        with self._uow() as uow:
            first = uow.eod.first_start()
        if first is None:
            return "no loan is booked yet"
        if through < first:
            return f"no loan starts on or before {through} (the first starts on {first})"
        return None

    def run(self, actor: Actor, run_id: int) -> EodRunDetail:
        """One run, its partitions (by day and partition) and its per-loan errors."""
        _check(actor)
        with self._uow() as uow:
            run = uow.eod.run(run_id)
            if run is None:
                raise NotFound("end-of-day run not found")
            return EodRunDetail(run, uow.eod.checkpoints(run_id), uow.eod.errors(run_id))


def may_read_runs(actor: Actor) -> bool:
    """Who may read the job runs: those who run end of day (servicing, administrator)
    and, read-only, those who read the audit trail (auditor, compliance)."""
    return actor.can(Permission.LOAN_ACCRUE) or actor.can(Permission.AUDIT_READ)


def _check(actor: Actor) -> None:
    if not may_read_runs(actor):
        raise PermissionDenied(f"this needs the permission '{Permission.LOAN_ACCRUE.value}'")
