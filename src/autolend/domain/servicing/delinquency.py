"""Delinquency: days past due (DPD) and the buckets they fall in.

DPD counts from the earliest due date of an installment whose principal or interest is
still unpaid: an installment due 2026-03-05 and unpaid is 1 DPD on 2026-03-06 and 10 DPD
on 2026-03-15 (see :meth:`~autolend.domain.servicing.state.LoanState.days_past_due`).
Penalty and compound interest alone do not make a loan past due, nor does an unpaid fee
alone (a monthly fee or a late fee): the CN rule counts days overdue of principal or
interest (本金、利息), and 16 CFR 444.4 treats a late charge alone as no delinquency.  So
a loan owing only its 50.00 late fee is current, 正常, in bucket "current".

:data:`DEFAULT_BUCKETS` are the collection buckets current / 1-30 / 31-60 / 61-90 /
91-180 / 181+; :data:`CN_FIVE_TIER` the regulatory floors of the five-tier
classification (正常 0, 关注 1-90, 次级 91-270, 可疑 271-360, 损失 >360; a lender may be
stricter).

>>> bucket_of(0).name, bucket_of(31).name, bucket_of(400).name
('current', '31-60', '181+')
>>> bucket_of(91, CN_FIVE_TIER).name
'substandard'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from autolend.domain.errors import InvalidInput
from autolend.domain.servicing.state import LoanState

__all__ = ["CN_FIVE_TIER", "DEFAULT_BUCKETS", "DelinquencyBucket", "bucket_of", "days_past_due"]


@dataclass(frozen=True, slots=True)
class DelinquencyBucket:
    """DPD from ``low`` to ``high`` inclusive (``None``: no upper end)."""

    name: str
    low: int
    high: int | None

    def holds(self, dpd: int) -> bool:
        return self.low <= dpd and (self.high is None or dpd <= self.high)


def _buckets(*spans: tuple[str, int, int | None]) -> tuple[DelinquencyBucket, ...]:
    buckets = tuple(DelinquencyBucket(*span) for span in spans)
    _check_buckets(buckets)
    return buckets


def _check_buckets(buckets: tuple[DelinquencyBucket, ...]) -> None:
    """Buckets must start at 0, follow each other without gap, and end open."""
    expected: int | None = 0
    for bucket in buckets:
        if expected is None or bucket.low != expected:
            raise InvalidInput("buckets must be contiguous from 0 DPD", field="buckets")
        if bucket.high is not None and bucket.high < bucket.low:
            raise InvalidInput(f"bucket {bucket.name} ends before it starts", field="buckets")
        expected = None if bucket.high is None else bucket.high + 1
    if expected is not None:
        raise InvalidInput("the last bucket must have no upper end", field="buckets")


DEFAULT_BUCKETS = _buckets(
    ("current", 0, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90),
    ("91-180", 91, 180), ("181+", 181, None),
)  # fmt: skip
"""The collection buckets by days past due."""

CN_FIVE_TIER = _buckets(
    ("normal", 0, 0), ("special_mention", 1, 90), ("substandard", 91, 270),
    ("doubtful", 271, 360), ("loss", 361, None),
)  # fmt: skip
"""正常 / 关注 / 次级 / 可疑 / 损失 by DPD alone (the regulatory floors)."""


def bucket_of(
    dpd: int, buckets: tuple[DelinquencyBucket, ...] = DEFAULT_BUCKETS
) -> DelinquencyBucket:
    """The bucket holding ``dpd`` (an int >= 0)."""
    if isinstance(dpd, bool) or not isinstance(dpd, int) or dpd < 0:
        raise InvalidInput(f"dpd must be an int >= 0, got {dpd!r}", field="dpd")
    for bucket in buckets:
        if bucket.holds(dpd):
            return bucket
    raise InvalidInput(f"no bucket holds {dpd} DPD", field="buckets")


def days_past_due(state: LoanState, as_of: date) -> int:
    """Days since the earliest due date before ``as_of`` of an installment with principal
    or interest unpaid; 0 if none (an unpaid fee alone counts no day)."""
    return state.days_past_due(as_of)
