"""One end-of-day over a book: accrual, then delinquency, class, stage, ECL, early
warning and collection stage, all over columns (no clock: the day is passed in).

``run_day(book, day)`` returns the book as of the start of the next day and the day's
outputs; ``run_through(book, through)`` repeats it (a loan behind catches up day by
day, so three missed days equal three daily runs).  Loans flagged
``needs_reference`` are left to the per-loan domain path.

Example: a loan 95 days past due on ``day`` comes out in bucket 4 (91-180), class
次级 (2), stage 3, collection stage 4, with lifetime ECL.

The pack decides two things: a loan under a CECL pack (``provisioning`` ``cecl``: US)
has lifetime ECL in every stage (its stage is kept for reporting), and only a loan under
a pack with ``five_tier_classes`` (CN) has a five-tier class: any other loan's class is
:data:`~autolend.batch.risk_kernels.NOT_CLASSIFIED` (-1), which the portfolio's class
table counts nowhere.  Both are read from the packs once, into a table indexed by the
book's ``pack`` column, as is the currency a loan's repossession cost is taken in (a
pack lends in its own currency only: :meth:`EclConfig.repossession_cost_for`).

A loan past due on the day takes at least its bucket's PD now and grade (``past_due``,
:mod:`autolend.batch.past_due_pd`: the book's behavioural PD or the lender's floor) for
the stage and the ECL of that day; the book carries its own columns on unchanged. E.g.
a 1-30 bucket PD of 20 % gives a loan booked at 3 % (grade 4, 300 bp) and 25 DPD
``pd_now_bp`` 2000 and grade 8 (25 %) that day, and so stage 2 (2000 >= 2 x 300 and
300 + 50): lifetime ECL. No ``past_due`` (the default): none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from autolend.batch.accrual_kernel import DayAccrual
from autolend.batch.book import Book, Column
from autolend.batch.book_domain import PACK_CODES
from autolend.batch.ecl import (
    EclConfig,
    EclInputs,
    collateral_after_haircut,
    expected_credit_loss,
)
from autolend.batch.int_rounding import IntArray
from autolend.batch.past_due_pd import PastDueColumns
from autolend.batch.reference_path import accrue_day_with_reference
from autolend.batch.risk_kernels import (
    NOT_CLASSIFIED,
    ClassSource,
    RiskConfig,
    collection_stage,
    delinquency_bucket,
    early_warning,
    five_tier_class,
    ifrs9_stage,
)
from autolend.domain.regulation import RegulationPack, pack_for

__all__ = ["DayOutputs", "EodConfig", "run_day", "run_through"]

Int8Array = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class EodConfig:
    """The risk thresholds, the ECL parameters and the past-due buckets' least PD and
    grade (``None``: none)."""

    risk: RiskConfig = field(default_factory=RiskConfig)
    ecl: EclConfig = field(default_factory=EclConfig)
    past_due: PastDueColumns | None = None


@dataclass(frozen=True, slots=True)
class DayOutputs:
    """The day's accrual and, per loan, the classification results."""

    accrual: DayAccrual
    bucket: Int8Array
    risk_class: Int8Array
    class_source: Int8Array
    stage: Int8Array
    ecl: IntArray
    warnings: npt.NDArray[np.uint8]
    collection: Int8Array


def _per_pack(fact: Callable[[RegulationPack], bool]) -> npt.NDArray[np.bool_]:
    """``fact`` of each pack, indexed like the book's ``pack`` column (``PACK_CODES``)."""
    return np.array([fact(pack_for(code)) for code in PACK_CODES], dtype=np.bool_)


_LIFETIME_ECL = _per_pack(lambda pack: pack.lifetime_ecl)
_FIVE_TIER = _per_pack(lambda pack: pack.five_tier_classes)
_CURRENCY = tuple(pack_for(code).currency for code in PACK_CODES)
"""The currency of each pack's loans (a pack lends in its own currency only)."""


def _repossession_cost(book: Book, cfg: EclConfig) -> IntArray:
    """Each loan's repossession cost, its currency's (its pack's) in its minor units:
    with a USD cost of 150,000 a US loan's is 150,000 cents, a CN loan's the default."""
    by_pack = np.array([cfg.repossession_cost_for(code) for code in _CURRENCY], dtype=np.int64)
    out: IntArray = by_pack[book["pack"]]
    return out


def _under(book: Book, table: npt.NDArray[np.bool_]) -> Column:
    """Whether each loan's pack has the fact ``table`` holds per pack."""
    return table[book["pack"]]


def _ecl(book: Book, stage: Int8Array, arrears: IntArray, cfg: EclConfig) -> IntArray:
    """ECL: stage 1 over 12 months (the life under CECL), stage 2 over the life, stage 3
    now (by stage)."""
    out = np.zeros(len(book), dtype=np.int64)
    lifetime = _under(book, _LIFETIME_ECL)
    cost = _repossession_cost(book, cfg)
    for group in (1, 2, 3):
        index = np.flatnonzero(stage == group)
        if index.size == 0:
            continue
        cur = book["cur"][index]
        inputs = EclInputs(
            stage=stage[index], grade=book["grade"][index], arrears=arrears[index],
            balance=book["principal_not_due"][index], remaining=book.row_counts[index] - cur,
            row_start=book.offsets[index] + cur, row_principal=book.rows["principal"],
            accrued=book["accrued_interest"][index], annual_rate=book["annual_rate"][index],
            price=book["vehicle_price"][index], vehicle_type=book["vehicle_type"][index],
            age_months=book["vehicle_age_months"][index], lifetime=lifetime[index],
            repossession_cost=cost[index],
        )  # fmt: skip
        out[index] = expected_credit_loss(inputs, cfg)
    return out


def _cover_pct(book: Book, arrears: IntArray, cfg: EclConfig) -> npt.NDArray[np.float64]:
    exposure = arrears + book["principal_not_due"]
    value = collateral_after_haircut(
        book["vehicle_price"], book["vehicle_type"], book["vehicle_age_months"], cfg
    )
    cover: npt.NDArray[np.float64] = np.where(
        exposure > 0, 100.0 * value / np.maximum(exposure, 1), np.inf
    )
    return cover


def _with_past_due(book: Book, bucket: Int8Array, table: PastDueColumns | None) -> Book:
    """``book`` with each loan's ``pd_now_bp`` and ``grade`` at least its bucket's in
    ``table``: 800 bp, grade 6 in a bucket of 2000 bp, grade 8 -> 2000, 8."""
    if table is None:
        return book
    least_bp = np.asarray(table.pd_bp, dtype=book["pd_now_bp"].dtype)[bucket]
    least_grade = np.asarray(table.grade, dtype=book["grade"].dtype)[bucket]
    return book.with_loans(
        pd_now_bp=np.maximum(book["pd_now_bp"], least_bp),
        grade=np.maximum(book["grade"], least_grade),
    )


def run_day(book: Book, day: int, config: EodConfig = EodConfig()) -> tuple[Book, DayOutputs]:
    """End of day ``day`` (see the module docstring); loans not accrued that day keep
    their carried columns (previous bucket, stage, current-day counter)."""
    book, accrual = accrue_day_with_reference(book, day)
    risk, dpd = config.risk, accrual.dpd
    arrears = book["overdue_principal"] + book["overdue_interest"] + book["overdue_fee"]
    bucket = delinquency_bucket(dpd, risk.bucket_edges)
    risk_class, source = five_tier_class(dpd, book["restructured"], book["manual_class"], risk)
    # The five-tier class is the CN rule: a loan under another pack has none.
    classified = _under(book, _FIVE_TIER)
    risk_class = np.where(classified, risk_class, NOT_CLASSIFIED).astype(np.int8)
    source = np.where(classified, source, ClassSource.RULES).astype(np.int8)
    graded = _with_past_due(book, bucket, config.past_due)  # the day's PD, not carried
    stage, counter = ifrs9_stage(
        dpd, pd_orig_bp=book["pd_orig_bp"], pd_now_bp=graded["pd_now_bp"],
        defaulted=book["defaulted"], previous=book["prev_stage"],
        current_days=book["current_days"], config=risk,
    )  # fmt: skip
    warnings = early_warning(
        dpd=dpd, first_due_day=book["first_due_day"],
        earliest_unpaid_day=book["earliest_unpaid_day"], bucket=bucket,
        previous_bucket=book["prev_bucket"], paid_in_period=book["paid_in_period"],
        arrears=arrears, bureau_alert=book["bureau_alert"],
        cover_pct=_cover_pct(book, arrears, config.ecl), config=risk,
    )  # fmt: skip
    ecl = _ecl(graded, stage, arrears, config.ecl)
    done = accrual.accrued
    book = book.with_loans(
        prev_bucket=np.where(done, bucket, book["prev_bucket"]),
        prev_stage=np.where(done, stage, book["prev_stage"]),
        current_days=np.where(done, counter, book["current_days"]),
    )
    collection = collection_stage(dpd, risk.collection_edges)
    return book, DayOutputs(accrual, bucket, risk_class, source, stage, ecl, warnings, collection)


def run_through(
    book: Book, first: int, through: int, config: EodConfig = EodConfig()
) -> tuple[Book, list[DayOutputs]]:
    """:func:`run_day` for every day from ``first`` to ``through`` inclusive."""
    outputs: list[DayOutputs] = []
    for day in range(first, through + 1):
        book, out = run_day(book, day, config)
        outputs.append(out)
    return book, outputs
