"""The portfolio snapshot's risk assessor: domain states in, the end-of-day kernels'
per-loan results out (:class:`~autolend.services.portfolio_ports.RiskAssessor`).

The states stand at the start of the snapshot day (accrued through the day before), so
:func:`~autolend.batch.eod.run_day` accrues that day and classifies it exactly as the
end of day does. The car's value comes from the contract when it recorded the price
(its age counted from the loan's start); a loan without one has no collateral in its
ECL (loss given default 100 %) and is never flagged for low collateral cover. The grade
and PD columns come from the PD the loan was booked with, on the lender's 12-month PD
scale (:mod:`autolend.batch.pd_grades`: none recorded, the conservative default grade);
a loan 1-90 days past due on the day takes at least its bucket's PD and grade
(:mod:`autolend.batch.past_due_pd`: the lender's floor, and the behavioural PD that
:meth:`ColumnRiskAssessor.with_history` estimates from the month-end snapshots before).
"Rolled to a worse bucket" compares with the previous snapshot's bucket when the
service passes it, else with yesterday's. The stage's cure probation starts afresh (no
memory of earlier days). The kernels
charge no late fee: the replayed states come with the day's late fee already charged
(:mod:`autolend.services.portfolio`), and the stored path takes no loan a late fee
may fall on that day (not eligible, as on the bulk end of day).

:meth:`ColumnRiskAssessor.assess_stored` does the same from the stored servicing state
read set-based (the bulk end of day's read, with every installment due from the day
on), for the loans standing at the start of the day with nothing pending; the
replayed states are then needed only for the others (the tests compare the two paths
row by row).

The ECL parameters are the lender's (:mod:`autolend.batch.ecl_parameters`, the built-in
set by default): the same set gives the same ECL here and on every end-of-day path, and
:attr:`ColumnRiskAssessor.ecl_parameters_sha256` names it in the snapshot's audit record.

Example: a loan 95 days past due on the day comes out in bucket 4 (91-180), class 次级
(2), stage 3, with lifetime ECL and its principal outstanding.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date

import numpy as np

from autolend.batch.book import NO_DAY, Book, Column, day_number
from autolend.batch.book_domain import ServicedLoan, book_from_states
from autolend.batch.bulk_book import LoanBook, loan_book
from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.eod import EodConfig, run_day
from autolend.batch.past_due_pd import (
    PAST_DUE_BUCKETS,
    PastDuePd,
    behavioural_pds,
    past_due_columns,
)
from autolend.batch.risk_kernels import EarlyWarning, Int8Array, delinquency_bucket
from autolend.services.eod_ports import BulkLoans
from autolend.services.portfolio_ports import BucketTransition, LoanOnDay, LoanRisk

__all__ = ["ColumnRiskAssessor"]


def _previous_buckets(
    book: Book, previous: Sequence[int | None], as_of: date, config: EodConfig
) -> Int8Array:
    """Each loan's bucket in the previous snapshot, else yesterday's (from the earliest
    installment with principal or interest unpaid at the start of the day: due on day d,
    d < ``as_of``, is ``as_of - 1 - d`` days past due yesterday; a fee alone counts no
    day)."""
    earliest = book["earliest_unpaid_day"]
    yesterday = day_number(as_of) - 1
    dpd = np.where(earliest == NO_DAY, 0, np.maximum(yesterday - earliest, 0))
    bucket = delinquency_bucket(dpd, config.risk.bucket_edges)
    for i, known in enumerate(previous):
        if known is not None:
            bucket[i] = known
    return bucket


class ColumnRiskAssessor:
    """:func:`run_day` over the loans as one book: replayed domain states
    (:meth:`assess`) or the stored servicing state read set-based as the bulk end of
    day reads it (:meth:`assess_stored`)."""

    def __init__(
        self, parameters: EclParameters | None = None, past_due: PastDuePd | None = None
    ) -> None:
        """``parameters``: the lender's ECL parameters (default: the built-in set);
        ``past_due``: the past-due buckets' PDs (default: the lender's floors alone)."""
        self._parameters = parameters or EclParameters()
        self._past_due = past_due or self._parameters.past_due()
        table = past_due_columns(self._past_due, self._parameters.annual_pd)
        self._config = EodConfig(ecl=self._parameters.ecl_config(), past_due=table)
        self._sha256 = self._parameters.sha256()

    def with_history(self, moves: Sequence[BucketTransition]) -> ColumnRiskAssessor:
        """This assessor with the past-due buckets' behavioural PDs estimated from
        ``moves`` (:func:`~autolend.batch.past_due_pd.behavioural_pds`) beside the
        lender's floors."""
        found = behavioural_pds((m.start, m.end, m.loans) for m in moves)
        pds = replace(self._parameters.past_due(),
                      behavioural=tuple(found[b] for b in PAST_DUE_BUCKETS))  # fmt: skip
        return ColumnRiskAssessor(self._parameters, pds)

    @property
    def past_due_audit(self) -> dict[str, str]:
        """The past-due buckets' PDs, as the snapshot's audit record states them."""
        return self._past_due.audit()

    @property
    def config(self) -> EodConfig:
        """The kernels' configuration, ECL from the parameters."""
        return self._config

    @property
    def parameters(self) -> EclParameters:
        return self._parameters

    @property
    def ecl_parameters_sha256(self) -> str:
        """The digest of the ECL parameters in force (:meth:`EclParameters.sha256`)."""
        return self._sha256

    @property
    def flags(self) -> Sequence[tuple[str, int]]:
        return [(flag.name.lower(), int(flag)) for flag in EarlyWarning]

    def assess(self, loans: Sequence[LoanOnDay], as_of: date) -> list[LoanRisk]:
        if not loans:
            return []
        serviced = [ServicedLoan(x.state, x.policy, x.pack, x.pd_orig) for x in loans]
        book = book_from_states(serviced, self._parameters.annual_pd)
        price = np.array([x.vehicle_price_minor for x in loans], dtype=np.int64)
        kind = np.array([x.vehicle_type for x in loans], dtype=book["vehicle_type"].dtype)
        book = book.with_loans(vehicle_type=kind)
        return self._run(book, price, [x.previous_bucket for x in loans], as_of)

    def assess_stored(
        self, loans: BulkLoans, as_of: date, previous: Mapping[int, int]
    ) -> dict[int, LoanRisk]:
        """The loans of ``loans`` (read with their installment rows for ``as_of``) that
        stand at the start of ``as_of`` with nothing pending -- the bulk end of day's
        eligible loans, :mod:`autolend.batch.bulk_book` -- by loan id; the caller
        replays the others. ``previous``: the buckets of the previous snapshot."""
        held = loan_book(loans, self._parameters.annual_pd)
        return self.assess_book(held, loans.loan_id, loans.loan_id, as_of, previous)

    def assess_book(
        self,
        held: LoanBook,
        loan_ids: Sequence[int],
        wanted: Collection[int],
        as_of: date,
        previous: Mapping[int, int],
    ) -> dict[int, LoanRisk]:
        """As :meth:`assess_stored`, from the book already built (with every row ahead:
        :func:`~autolend.batch.bulk_book.with_rows`) of the loans ``loan_ids`` (its
        order), for its eligible loans among ``wanted``."""
        chosen = set(wanted)
        keep = held.eligible & np.array([i in chosen for i in loan_ids], dtype=np.bool_)
        index = np.flatnonzero(keep)
        if index.size == 0:
            return {}
        book = held.book.take(index)
        ids = [loan_ids[int(i)] for i in index]
        risks = self._run(book, book["vehicle_price"], [previous.get(i) for i in ids], as_of)
        return dict(zip(ids, risks, strict=True))

    def _run(
        self, book: Book, price: Column, previous: Sequence[int | None], as_of: date
    ) -> list[LoanRisk]:
        age = (day_number(as_of) - book["start_day"]) // 30  # months since the loan began
        book = book.with_loans(
            vehicle_price=price,
            vehicle_age_months=age.astype(np.int16),
            prev_bucket=_previous_buckets(book, previous, as_of, self._config),
        )
        after, out = run_day(book, day_number(as_of), self._config)
        principal = after["principal_not_due"] + after["overdue_principal"]
        # No valuation, no cover test: the flag would mark every such loan.
        low = np.where(price > 0, 0, int(EarlyWarning.LOW_COLLATERAL))
        warnings = out.warnings.astype(np.int64) & ~low
        columns = (
            out.accrual.dpd, out.bucket, out.risk_class, out.class_source, out.stage,
            out.ecl, warnings, out.collection, principal,
        )  # fmt: skip
        table = np.column_stack([np.asarray(c, dtype=np.int64) for c in columns])
        return [LoanRisk(*(int(v) for v in row)) for row in table.tolist()]
