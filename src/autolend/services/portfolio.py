"""The portfolio risk snapshot and its overview (delinquency buckets, five-tier classes,
IFRS 9 stages with ECL, roll rates between month-ends, the early-warning list).

:meth:`PortfolioService.snapshot` takes each loan open on the day at the start of the
day (read-only units of work, one per partition of loans, so memory stays bounded),
runs the end-of-day kernels for the day through the :class:`RiskAssessor` port and
stores one row per loan in a single write transaction that first removes the day's
earlier rows: a rerun of the same day replaces it. "Rolled to a worse bucket" compares
with the loan's bucket in the previous snapshot (yesterday's when it was in none).
A loan 1-90 days past due takes at least its bucket's 12-month PD, estimated from the
loans' moves between the month-ends before the day's month
(:func:`~autolend.services.portfolio_history.history_moves`,
:meth:`RiskAssessor.with_history`), or the lender's floor; the audit record states the
buckets' PDs (``behavioural_pd_dpd_1_30``, ``past_due_pd_dpd_1_30``, ...).

How a loan is taken to the start of the day: with ``bulk`` (the default) the stored
servicing state of the partition is read set-based, as the bulk end of day reads it
(:meth:`~autolend.services.eod_ports.BulkEodRepository.bulk_loans` with the installment
rows), and every loan serviced through the day before with nothing pending goes to the
kernels as columns (:meth:`RiskAssessor.assess_stored`) -- the usual case when the
snapshot of D is taken before the end of day of D. The month-end end of day takes the
same rows partition by partition from its own read (:func:`block_rows`,
:mod:`autolend.batch.month_end`). Every other loan (serviced through D already, or
behind, or with an event pending) is replayed from its events
(:func:`~autolend.services.projection.project`), the reference path; ``bulk=False``
replays every loan. The tests compare the two paths row by row.

The kernels charge no late fee, so a loan its contract's late fee may fall on that day is
never taken from the read (:mod:`autolend.batch.bulk_book`), and a replayed loan whose
fee falls on the day starts it with the fee charged (:func:`_with_late_fee`): its
arrears and ECL count the fee as the end of day of the day does.

Example: a 12,000.00 loan one installment (35 days) late on 2026-03-31 is stored in
bucket 2 (31-60), class 关注 (1), stage 2, with an ECL above zero.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from autolend.domain.penalty import PenaltyPolicy, policy_from_pack
from autolend.domain.regulation import RegulationPack, pack_for
from autolend.domain.servicing import LoanState, LoanStatus, accrue, charge_fee
from autolend.services.audit import record_change
from autolend.services.contract import ServicingTerms
from autolend.services.eod_ports import BulkLoans
from autolend.services.loan_books import loan_events
from autolend.services.loan_ports import LoanRecord
from autolend.services.portfolio_history import history_moves
from autolend.services.portfolio_ports import (
    LoanOnDay,
    LoanRisk,
    RiskAssessor,
    RiskGroup,
    RiskRow,
)
from autolend.services.portfolio_views import (
    CurrencyTotal,
    PortfolioOverview,
    currency_totals,
    overview_of,
)
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.projection import project
from autolend.services.terms_codec import load_servicing, load_terms

__all__ = [
    "PARTITION_SIZE", "PortfolioService", "SnapshotSummary", "StoredRows", "block_rows",
    "may_read_portfolio", "replayed_rows", "risk_row", "stored_rows",
]  # fmt: skip

PARTITION_SIZE = 5_000
_DAY = timedelta(days=1)
_log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called after each partition with (loans done, loans in all)."""
_Day = tuple[date, date | None, RiskAssessor]
"""The snapshot day, the snapshot before it, and the day's assessor."""


@dataclass(frozen=True)
class SnapshotSummary:
    """What a snapshot stored: loans, each currency's loans, balance and ECL (its minor
    units, never summed across currencies; the most loans first, as the overview's
    ``totals``), the loans by bucket, and the loans that could not be replayed (left out,
    logged)."""

    as_of: date
    loans: int
    by_currency: tuple[CurrencyTotal, ...]
    by_bucket: tuple[int, ...]
    skipped: tuple[int, ...]

    def audit_summary(self) -> dict[str, str | int]:
        """The audit record's figures: the loans, the ECL (:func:`ecl_audit_fields`) and
        the loans skipped."""
        ecl = ecl_audit_fields((total.currency, total.ecl_minor) for total in self.by_currency)
        return {"loans": self.loans, **ecl, "skipped": len(self.skipped)}


def ecl_audit_fields(amounts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """A snapshot audit record's ECL from (currency, ECL) pairs: ``ecl_minor`` for a book
    all in CNY (the record as it always was), else ``ecl_minor_<currency>`` for each
    currency, never a sum across currencies. E.g. [("CNY", 2000), ("CNY", 525)] ->
    {"ecl_minor": 2525}; [("CNY", 2525), ("USD", 900)] -> {"ecl_minor_CNY": 2525,
    "ecl_minor_USD": 900}."""
    ecl_by_currency: dict[str, int] = {}
    for code, minor in amounts:
        ecl_by_currency[code] = ecl_by_currency.get(code, 0) + minor
    if set(ecl_by_currency) <= {"CNY"}:
        return {"ecl_minor": sum(ecl_by_currency.values())}
    return {f"ecl_minor_{code}": minor for code, minor in sorted(ecl_by_currency.items())}


def may_read_portfolio(actor: Actor) -> bool:
    """Staff who read every loan (servicing, collections, risk, compliance, audit) and
    those who read the metrics (risk, administrator)."""
    return actor.can(Permission.LOAN_READ_ALL) or actor.can(Permission.METRICS_READ)


def _with_late_fee(
    state: LoanState, as_of: date, policy: PenaltyPolicy, pack: RegulationPack,
    servicing: ServicingTerms,
) -> LoanState:  # fmt: skip
    """``state`` (at the start of ``as_of``) with the contract's late fee that the day
    charges, if one falls on it, already charged: the kernels charge none. The amount is
    the reference's (after the day's penalty took its room under the ceiling), so the
    kernel's penalty keeps that room. Installment 1 due Feb 5 and unpaid, 50.00 after 15
    days: on Feb 20 it starts the day with 50.00 more of fee due (and of cost)."""
    if servicing.late_fee is None:
        return state
    run = accrue(state, as_of, policy, pack, waterfalls=servicing.policy,
                 late_fee=servicing.late_fee)  # fmt: skip
    day = run.days[0] if run.days else None
    if day is None or not day.late_fee:
        return state
    return charge_fee(state, day.late_fee_n, state.money(day.late_fee))


def _loan_on_day(uow: UnitOfWork, loan: LoanRecord, as_of: date) -> LoanOnDay | None:
    """The loan replayed to the start of ``as_of``, with the late fee the day charges
    (:func:`_with_late_fee`); ``None`` when it was not active then."""
    terms, pack_code = load_terms(loan.terms_json)
    events = [e for e in loan_events(uow, loan) if e.value_date < as_of]
    servicing = load_servicing(loan.terms_json)
    state = project(loan.id, terms, pack_code, events, as_of - _DAY, servicing=servicing).state
    if state.status is not LoanStatus.ACTIVE:
        return None
    pack = pack_for(pack_code)
    policy = policy_from_pack(pack, terms.start, servicing.penalty_uplift)
    state = _with_late_fee(state, as_of, policy, pack, servicing)
    car = servicing.collateral  # else a balloon contract's price (an ICE new car)
    if car is not None:
        price, kind = car.price_minor, car.type_index
    else:
        price, kind = (terms.vehicle_price.minor if terms.vehicle_price else 0), 0
    return LoanOnDay(loan.id, loan.product_code, state, policy, pack, price, vehicle_type=kind,
                     pd_orig=servicing.pd_orig)  # fmt: skip


class PortfolioService:
    """Taking risk snapshots and reading the portfolio overview."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        assessor: RiskAssessor,
        partition_size: int = PARTITION_SIZE,
        *,
        bulk: bool = True,
        workers: int = 1,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._assessor = assessor
        self._size = partition_size
        self._bulk = bulk
        self._workers = workers

    def snapshot(
        self, actor: Actor, as_of: date, progress: Progress | None = None
    ) -> SnapshotSummary:
        """Replace the snapshot of ``as_of`` with the loans open on that day (see the
        module docstring)."""
        if not actor.can(Permission.LOAN_ACCRUE):
            raise PermissionDenied(f"this needs the permission '{Permission.LOAN_ACCRUE.value}'")
        if as_of > self._clock.today():  # each loan is projected to it, day by day
            raise InvalidInput("the snapshot date is in the future", field="date")
        with self._uow() as uow:
            loan_ids = uow.portfolio.loans_open_on(as_of)
            previous = uow.portfolio.latest_before(as_of)
            assessor = self._assessor.with_history(history_moves(uow.portfolio, as_of))
        rows: list[RiskRow] = []
        skipped: list[int] = []
        done = 0
        parts = [loan_ids[lo : lo + self._size] for lo in range(0, len(loan_ids), self._size)]
        day = (as_of, previous, assessor)
        with ThreadPoolExecutor(self._workers) as pool:  # each partition its own read
            found = pool.map(lambda part: self._partition(part, day, skipped), parts)
            for part, part_rows in zip(parts, found, strict=True):  # in partition order
                rows.extend(part_rows)
                done += len(part)
                if progress is not None:
                    progress(done, len(loan_ids))
        summary = _summary(as_of, rows, skipped)
        with self._uow(write=True) as uow:
            uow.portfolio.replace_day(as_of, rows)
            record_change(
                uow, self._clock, actor, action="portfolio.snapshot", object_type="portfolio",
                object_id=as_of.isoformat(),
                summary={**summary.audit_summary(),
                         "ecl_parameters_sha256": self._assessor.ecl_parameters_sha256,
                         **assessor.past_due_audit},
            )  # fmt: skip
            uow.commit()
        return summary

    def _partition(self, loan_ids: Sequence[int], day: _Day, skipped: list[int]) -> list[RiskRow]:
        """The rows of ``loan_ids``: from the stored state read set-based where it
        stands at the start of the day (``bulk``), the others replayed, by the day's
        assessor (with the past-due PDs of the history before it)."""
        as_of, previous, assessor = day
        with self._uow() as uow:
            earlier = uow.portfolio.buckets(previous, loan_ids) if previous else {}
            stored = self._stored(uow, assessor, loan_ids, as_of, earlier)
            rest = [i for i in loan_ids if i not in stored]
            replayed, failed = replayed_rows(uow, assessor, rest, as_of, earlier)
        skipped.extend(loan_id for loan_id, _ in failed)
        return sorted([*stored.values(), *replayed], key=lambda row: row.loan_id)

    def _stored(
        self, uow: UnitOfWork, assessor: RiskAssessor, loan_ids: Sequence[int], as_of: date,
        earlier: dict[int, int],
    ) -> dict[int, RiskRow]:  # fmt: skip
        if not self._bulk or not loan_ids:
            return {}
        loans = uow.eod.bulk_loans(loan_ids, as_of, lock=False, rows=True)
        found = assessor.assess_stored(loans, as_of, earlier)
        return stored_rows(loans, found, as_of)

    def dates(self, actor: Actor) -> list[date]:
        """The snapshot dates, newest first."""
        _check_read(actor)
        with self._uow() as uow:
            return sorted(uow.portfolio.dates(), reverse=True)

    def overview(self, actor: Actor, as_of: date | None = None) -> PortfolioOverview:
        """The overview of the snapshot of ``as_of`` (default: the newest); roll rates
        over every pair of consecutive month-ends up to it."""
        _check_read(actor)
        with self._uow() as uow:
            dates = uow.portfolio.dates()
            if as_of is None and dates:
                as_of = dates[-1]
            if as_of is None:
                return overview_of(uow.portfolio, None, [], self._assessor.flags)
            if as_of not in dates:
                raise NotFound(f"no portfolio snapshot on {as_of.isoformat()}")
            earlier = [d for d in dates if d <= as_of]
            return overview_of(uow.portfolio, as_of, earlier, self._assessor.flags)


def risk_row(as_of: date, loan_id: int, product: str, currency: str, r: LoanRisk) -> RiskRow:
    """The stored row of one loan's kernel results."""
    return RiskRow(as_of, loan_id, product, r.dpd, r.bucket, r.risk_class, r.class_source,
                   r.stage, r.ecl_minor, r.warnings, r.collection_stage,
                   r.principal_outstanding_minor, currency)  # fmt: skip


def stored_rows(loans: BulkLoans, found: Mapping[int, LoanRisk], as_of: date) -> dict[int, RiskRow]:
    """The rows of the loans of ``loans`` assessed from the stored state (``found``)."""
    at = {loan_id: i for i, loan_id in enumerate(loans.loan_id)}
    return {
        loan_id: risk_row(as_of, loan_id, loans.product_code[at[loan_id]],
                          loans.currency[at[loan_id]], r)
        for loan_id, r in found.items()
    }  # fmt: skip


def replayed_rows(
    uow: UnitOfWork,
    assessor: RiskAssessor,
    loan_ids: Sequence[int],
    as_of: date,
    earlier: Mapping[int, int],
) -> tuple[list[RiskRow], list[tuple[int, str]]]:
    """The rows of ``loan_ids`` replayed from their events to the start of ``as_of``
    (the reference path), and the loans that could not be replayed (left out, logged)
    with the reason."""
    loans: list[LoanOnDay] = []
    failed: list[tuple[int, str]] = []
    currency: dict[int, str] = {}
    for loan_id in loan_ids:
        loan = uow.loans.get(loan_id)
        if loan is None:
            continue
        try:
            on_day = _loan_on_day(uow, loan, as_of)
        except DomainError as error:  # e.g. a migrated loan before its cut-over
            _log.warning("portfolio snapshot %s: loan %s left out: %s", as_of, loan_id, error)
            failed.append((loan_id, f"{type(error).__name__}: {error}"))
            continue
        if on_day is not None:
            loans.append(replace(on_day, previous_bucket=earlier.get(loan_id)))
            currency[loan_id] = loan.currency
    results = assessor.assess(loans, as_of)
    rows = [risk_row(as_of, x.loan_id, x.product_code, currency[x.loan_id], r)
            for x, r in zip(loans, results, strict=True)]  # fmt: skip
    return rows, failed


StoredRows = Callable[[Sequence[int], Mapping[int, int]], dict[int, RiskRow]]
"""Rows a caller computes from a read it already holds: for those of the given loans it
can take (given their previous buckets), by loan id."""


def block_rows(
    uow: UnitOfWork,
    assessor: RiskAssessor,
    as_of: date,
    block: tuple[int, int],
    *,
    previous: date | None,
    stored: StoredRows | None = None,
) -> tuple[list[RiskRow], list[tuple[int, str]]]:
    """The snapshot rows still missing on ``as_of`` for the loans with ids in ``block``
    (lowest, highest) open on that day -- from ``stored`` for those it takes, the rest
    replayed -- in loan order, and the loans left out with the reason. ``previous``:
    the snapshot before, for "rolled to a worse bucket". The month-end end of day takes
    its snapshot this way, partition by partition (:mod:`autolend.batch.month_end`)."""
    want = uow.portfolio.open_without_row(as_of, *block)
    earlier = uow.portfolio.buckets(previous, want) if previous is not None and want else {}
    found = stored(want, earlier) if stored is not None and want else {}
    rest = [i for i in want if i not in found]
    replayed, failed = replayed_rows(uow, assessor, rest, as_of, earlier)
    return sorted([*found.values(), *replayed], key=lambda row: row.loan_id), failed


def _summary(as_of: date, rows: Sequence[RiskRow], skipped: Sequence[int]) -> SnapshotSummary:
    """The summary of ``rows``: balance and ECL totalled per currency, by the overview's
    own rule (:func:`~autolend.services.portfolio_views.currency_totals`), one loan a
    group."""
    by_bucket = [0] * 6
    for row in rows:
        if 0 <= row.bucket < len(by_bucket):
            by_bucket[row.bucket] += 1
    loans = [
        RiskGroup(r.bucket, r.risk_class, r.stage, 1, r.principal_outstanding_minor,
                  r.ecl_minor, r.currency)
        for r in rows
    ]  # fmt: skip
    return SnapshotSummary(
        as_of, len(rows), tuple(currency_totals(loans)), tuple(by_bucket), tuple(skipped)
    )


def _check_read(actor: Actor) -> None:
    if not may_read_portfolio(actor):
        raise PermissionDenied(f"this needs the permission '{Permission.LOAN_READ_ALL.value}'")
