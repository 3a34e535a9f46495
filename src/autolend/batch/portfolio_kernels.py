"""The portfolio snapshot's risk assessor: domain states in, the end-of-day kernels'
per-loan results out (:class:`~autolend.services.portfolio_ports.RiskAssessor`).

The states stand at the start of the snapshot day (accrued through the day before), so
:func:`~autolend.batch.eod.run_day` accrues that day and classifies it exactly as the
end of day does. The car's value comes from the contract when it recorded the price
(its age counted from the loan's start); a loan without one has no collateral in its
ECL (loss given default 100 %) and is never flagged for low collateral cover. "Rolled
to a worse bucket" compares with the previous snapshot's bucket when the service passes
it, else with yesterday's. The stage's cure probation starts afresh (no memory of
earlier days), as do the grade and PD columns (the kernels' defaults).

Example: a loan 95 days past due on the day comes out in bucket 4 (91-180), class 次级
(2), stage 3, with lifetime ECL and its principal outstanding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from autolend.batch.book import NO_DAY, Book, day_number
from autolend.batch.book_domain import ServicedLoan, book_from_states
from autolend.batch.eod import EodConfig, run_day
from autolend.batch.risk_kernels import EarlyWarning, Int8Array, delinquency_bucket
from autolend.services.portfolio_ports import LoanOnDay, LoanRisk

__all__ = ["ColumnRiskAssessor"]


def _previous_buckets(
    book: Book, loans: Sequence[LoanOnDay], as_of: date, config: EodConfig
) -> Int8Array:
    """Each loan's bucket in the previous snapshot, else yesterday's (from the earliest
    installment unpaid at the start of the day: due on day d, d < ``as_of``, is
    ``as_of - 1 - d`` days past due yesterday)."""
    earliest = book["earliest_unpaid_day"]
    yesterday = day_number(as_of) - 1
    dpd = np.where(earliest == NO_DAY, 0, np.maximum(yesterday - earliest, 0))
    bucket = delinquency_bucket(dpd, config.risk.bucket_edges)
    known = [(i, x.previous_bucket) for i, x in enumerate(loans) if x.previous_bucket is not None]
    for i, previous in known:
        bucket[i] = previous
    return bucket


class ColumnRiskAssessor:
    """:func:`run_day` over the loans as one book."""

    def __init__(self, config: EodConfig | None = None) -> None:
        self._config = config or EodConfig()

    @property
    def flags(self) -> Sequence[tuple[str, int]]:
        return [(flag.name.lower(), int(flag)) for flag in EarlyWarning]

    def assess(self, loans: Sequence[LoanOnDay], as_of: date) -> list[LoanRisk]:
        if not loans:
            return []
        book = book_from_states([ServicedLoan(x.state, x.policy, x.pack) for x in loans])
        price = np.array([x.vehicle_price_minor for x in loans], dtype=np.int64)
        age = (day_number(as_of) - book["start_day"]) // 30  # months since the loan began
        book = book.with_loans(
            vehicle_price=price,
            vehicle_age_months=age.astype(np.int16),
            prev_bucket=_previous_buckets(book, loans, as_of, self._config),
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
