"""The month-end part of the end of day: the portfolio snapshot of the day, taken
partition by partition inside the end of day's own transactions, and each loan's
allowance moved to the ECL it stores (:mod:`autolend.batch.allowance`).

**One read of each loan.** A month-end partition reads its loans once, with every
installment due from the day on (:meth:`~autolend.services.eod_ports.BulkEodRepository.bulk_loans`
``rows=True``), and parses their terms and states into one book
(:func:`~autolend.batch.bulk_book.loan_book`). From that book, before the day's
accruals change anything, the risk kernels give the snapshot row of every loan of the
partition's id block that stands at the start of the day with nothing pending
(:meth:`~autolend.batch.portfolio_kernels.ColumnRiskAssessor.assess_book`); the other
loans of the block open on the day (behind, an event pending, paid off today, or on the
per-loan runner: all of them) are replayed from their events
(:func:`~autolend.services.portfolio.block_rows`, the reference path). The rows are
inserted; the same book with each loan's current installment only then accrues the
day (:func:`~autolend.batch.bulk_day.bulk_day`), and last the allowance of the block
moves to the rows' ECL. All in the partition's transaction, with its checkpoint.

**Past-due PDs.** The day's assessor (:func:`day_assessor`) gives a loan 1-90 days
past due at least its bucket's PD (:mod:`autolend.batch.past_due_pd`), estimated once
from the month-end snapshots before the day's month, so every partition and a rerun use
the same; the snapshot's audit record states them.

**Reruns.** The day's first run removes any row stored for the day before it (a
snapshot taken earlier, ``autolend portfolio snapshot``, may predate a backdated
event). After that a loan that has a row on the day keeps it (a block takes only the
loans open on the day without one), so a rerun after a crash finishes with the figures
the committed partitions used.

**The plan** of a month-end adds to the loans to accrue those open on the day without a
row yet, those no longer active that still hold an allowance (it is released), and, on
a rerun, any loan whose allowance is still to move.

Example: partition 0 of 2026-03-31 (ids 1-1,000): one read of its 1,000 loans, 1,000
snapshot rows, the day's accruals, then up to 1,000 allowance entries ``al:2026-03-31``,
and its checkpoint, in one commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from autolend.batch.allowance import bulk_allowances, post_allowances
from autolend.batch.bulk_book import LoanBook
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.domain.access import Actor
from autolend.services.audit import record_change
from autolend.services.eod_ports import BulkLoans, BulkWrite
from autolend.services.portfolio import StoredRows, block_rows, ecl_audit_fields, stored_rows
from autolend.services.portfolio_history import history_moves
from autolend.services.portfolio_ports import RiskRow
from autolend.services.ports import Clock, UnitOfWork

__all__ = [
    "ALL_IDS", "MonthEnd", "audit_snapshot", "begin_month_end", "day_assessor", "extra_loans",
    "move_allowances", "snapshot",
]  # fmt: skip

ALL_IDS = 2**62  # above every loan id: the whole book's id range


@dataclass(frozen=True)
class MonthEnd:
    """A month-end business day, the newest snapshot before it (for "rolled to a worse
    bucket"; ``None`` for the first) and the day's assessor (:func:`day_assessor`)."""

    day: date
    previous: date | None
    assessor: ColumnRiskAssessor


def day_assessor(uow: UnitOfWork, assessor: ColumnRiskAssessor, day: date) -> ColumnRiskAssessor:
    """``assessor`` with the past-due buckets' PDs of the month-end history before
    ``day``'s month (:func:`~autolend.services.portfolio_history.history_moves`): the
    same for every partition, and on a rerun, as the history before the month is."""
    return assessor.with_history(history_moves(uow.portfolio, day))


def begin_month_end(uow: UnitOfWork, day: date, assessor: ColumnRiskAssessor) -> MonthEnd:
    """Begin month-end ``day`` (the caller writes and commits): the day's first run
    starts its snapshot afresh (rows stored before it, by ``autolend portfolio snapshot``
    say, may predate a backdated event); a rerun keeps the rows of the partitions done."""
    if not uow.eod.day_begun(day):
        uow.portfolio.replace_day(day, [])
    return MonthEnd(day, uow.portfolio.latest_before(day), day_assessor(uow, assessor, day))


def extra_loans(uow: UnitOfWork, day: date) -> set[int]:
    """The loans month-end ``day`` plans beside those to accrue (module docstring)."""
    extra = set(uow.portfolio.open_without_row(day, 1, ALL_IDS))
    extra.update(uow.eod.allowance_off_book())
    if uow.eod.day_begun(day):  # a rerun: a finished partition's loan may still move
        extra.update(uow.eod.allowance_changes(day, 1, ALL_IDS))
    return extra


def _stored(
    assessor: ColumnRiskAssessor, ahead: LoanBook, loans: BulkLoans, day: date
) -> StoredRows:
    def rows(want: Sequence[int], earlier: Mapping[int, int]) -> dict[int, RiskRow]:
        found = assessor.assess_book(ahead, loans.loan_id, want, day, earlier)
        return stored_rows(loans, found, day)

    return rows


def snapshot(
    uow: UnitOfWork,
    month_end: MonthEnd,
    block: tuple[int, int],
    read: tuple[BulkLoans, LoanBook] | None,
) -> list[tuple[int, str]]:
    """Insert the snapshot rows of the loans of id ``block`` open on the day without
    one, by the day's assessor: from ``read`` (the partition's loans and their book with
    every row ahead) where it can, else replayed; the loans left out, with the reason."""
    assessor = month_end.assessor
    stored = None if read is None else _stored(assessor, read[1], read[0], month_end.day)
    rows, failed = block_rows(
        uow, assessor, month_end.day, block, previous=month_end.previous, stored=stored
    )
    uow.portfolio.add_rows(rows)
    return failed


def move_allowances(
    uow: UnitOfWork, clock: Clock, actor: Actor, day: date, block: tuple[int, int], *, bulk: bool
) -> int:
    """Move the allowance of the loans of id ``block`` to the day's snapshot ECL (after
    the day's accruals, so a loan paid off today releases it): in bulk, or entry by entry
    on the per-loan path; the entries posted."""
    changes = uow.eod.allowance_changes(day, *block)
    if not bulk:
        return post_allowances(uow, clock, actor, changes, day)
    entries = bulk_allowances(changes, day)
    now = clock.now()
    uow.eod.bulk_write(BulkWrite(entries, [], now, actor.user_id, actor.request_id))
    return len(entries)


def audit_snapshot(
    uow: UnitOfWork, clock: Clock, actor: Actor, day: date, assessor: ColumnRiskAssessor
) -> None:
    """Record the month-end's snapshot (the caller commits): its loans, each currency's
    ECL apart (:func:`~autolend.services.portfolio.ecl_audit_fields`), the SHA-256 of
    the ECL parameters it -- and so the allowance moved to it -- was computed with, and
    the past-due buckets' PDs it used (:func:`day_assessor`, of the same history)."""
    groups = uow.portfolio.groups(day)
    ecl = ecl_audit_fields((g.currency, g.ecl_minor) for g in groups)  # each apart
    summary: dict[str, str | int] = {
        "loans": sum(g.loans for g in groups), "taken_by": "eod", **ecl,
        "ecl_parameters_sha256": assessor.ecl_parameters_sha256,
        **day_assessor(uow, assessor, day).past_due_audit,
    }  # fmt: skip
    record_change(
        uow, clock, actor, action="portfolio.snapshot", object_type="portfolio",
        object_id=day.isoformat(), summary=summary,
    )  # fmt: skip
