"""Ports of the portfolio risk snapshot (:mod:`autolend.services.portfolio`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from autolend.domain.penalty import PenaltyPolicy
from autolend.domain.regulation import RegulationPack
from autolend.domain.servicing import LoanState
from autolend.services.eod_ports import BulkLoans

__all__ = [
    "BucketMove",
    "BucketTransition",
    "LoanOnDay",
    "LoanRisk",
    "PortfolioRepository",
    "RiskAssessor",
    "RiskGroup",
    "RiskRow",
]


@dataclass(frozen=True, slots=True)
class RiskRow:
    """One loan on one snapshot date: the end-of-day kernels' results (amounts in minor
    units of ``currency``; ``warnings`` is the early-warning bitmask)."""

    as_of: date
    loan_id: int
    product_code: str
    dpd: int
    bucket: int
    risk_class: int
    class_source: int
    stage: int
    ecl_minor: int
    warnings: int
    collection_stage: int
    principal_outstanding_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class RiskGroup:
    """The loans of one snapshot sharing a bucket, a five-tier class, a stage and a
    currency (amounts in its minor units: never summed across currencies)."""

    bucket: int
    risk_class: int
    stage: int
    loans: int
    balance_minor: int
    ecl_minor: int
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class BucketMove:
    """Balance (at the earlier date) of the loans in bucket ``start`` that are in bucket
    ``end`` at the later date; ``end`` is -1 for loans no longer in the later snapshot;
    per ``currency``."""

    start: int
    end: int
    balance_minor: int
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class BucketTransition:
    """The number of loans in bucket ``start`` at one month-end found in ``end`` at the
    next: a bucket, -1 no longer in the later snapshot, -2 written off in between (no
    longer in it, its status ``written_off``)."""

    start: int
    end: int
    loans: int


class PortfolioRepository(Protocol):
    def loans_open_on(self, as_of: date) -> list[int]:
        """Ids of the disbursed loans started before ``as_of`` and not closed before it."""
        ...

    def open_without_row(self, as_of: date, lo: int, hi: int) -> list[int]:
        """Ids ``lo`` to ``hi`` of the loans open on ``as_of`` (as :meth:`loans_open_on`)
        with no row in the snapshot of ``as_of`` yet, ascending."""
        ...

    def add_rows(self, rows: Sequence[RiskRow]) -> None:
        """Insert ``rows`` (loans with no row on their date yet)."""
        ...

    def latest_before(self, as_of: date) -> date | None:
        """The newest snapshot date before ``as_of``, if any."""
        ...

    def replace_day(self, as_of: date, rows: Sequence[RiskRow]) -> None:
        """Delete the snapshot of ``as_of`` and insert ``rows`` (all dated ``as_of``)."""
        ...

    def buckets(self, as_of: date, loan_ids: Sequence[int]) -> dict[int, int]:
        """The bucket of each of ``loan_ids`` in the snapshot of ``as_of`` (if there)."""
        ...

    def dates(self) -> list[date]:
        """The snapshot dates, oldest first."""
        ...

    def groups(self, as_of: date) -> list[RiskGroup]: ...
    def moves(self, start: date, end: date) -> list[BucketMove]: ...
    def transitions(self, start: date, end: date) -> list[BucketTransition]:
        """The loans of the snapshot of ``start`` by their bucket there and their state
        in the snapshot of ``end`` (:class:`BucketTransition`), every currency."""
        ...

    def warned(self, as_of: date, limit: int) -> list[RiskRow]:
        """Rows with early-warning bits set, worst first (DPD, then ECL)."""
        ...


@dataclass(frozen=True, slots=True)
class LoanOnDay:
    """A loan's servicing state at the start of the snapshot day, with its rules and
    the car's price when the contract recorded it (0: no valuation known) and its bucket
    in the previous snapshot (``None``: not in one; yesterday's bucket stands in)."""

    loan_id: int
    product_code: str
    state: LoanState
    policy: PenaltyPolicy
    pack: RegulationPack
    vehicle_price_minor: int = 0
    previous_bucket: int | None = None
    vehicle_type: int = 0  # the depreciation curve: 0 ICE new, 1 ICE used, 2 NEV new, 3 NEV used
    pd_orig: Decimal | None = None  # the PD the loan was booked with (None: not recorded)


@dataclass(frozen=True, slots=True)
class LoanRisk:
    """The end-of-day risk results of one loan for the day (amounts in minor units)."""

    dpd: int
    bucket: int
    risk_class: int
    class_source: int
    stage: int
    ecl_minor: int
    warnings: int
    collection_stage: int
    principal_outstanding_minor: int


class RiskAssessor(Protocol):
    """The end-of-day kernels for one day over a set of loans (one result per loan, in
    order); implemented over columns in :mod:`autolend.batch.portfolio_kernels`."""

    def assess(self, loans: Sequence[LoanOnDay], as_of: date) -> list[LoanRisk]: ...
    def assess_stored(
        self, loans: BulkLoans, as_of: date, previous: Mapping[int, int]
    ) -> dict[int, LoanRisk]:
        """The same from the stored servicing state read set-based (with the rows from
        ``as_of`` on), for the loans it can take: those standing at the start of
        ``as_of`` with nothing pending; by loan id (the caller replays the rest)."""
        ...

    def with_history(self, moves: Sequence[BucketTransition]) -> RiskAssessor:
        """This assessor with the past-due buckets' PDs estimated from ``moves``, the
        loans' month-end to month-end transitions of the history before the day."""
        ...

    @property
    def past_due_audit(self) -> Mapping[str, str]:
        """The past-due buckets' PDs in force (the snapshot's audit record states them)."""
        ...

    @property
    def flags(self) -> Sequence[tuple[str, int]]:
        """The early-warning flags: name and bit."""
        ...

    @property
    def ecl_parameters_sha256(self) -> str:
        """The SHA-256 naming the ECL parameters the results are computed with (the
        snapshot's audit record states it)."""
        ...
