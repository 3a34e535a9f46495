"""Classification kernels over columns: delinquency bucket, five-tier class, IFRS 9 stage,
collection stage and early-warning flags, each a pure function of the day's columns.

Defaults come from the domain (:data:`~autolend.domain.servicing.DEFAULT_BUCKETS`,
:data:`~autolend.domain.servicing.CN_FIVE_TIER`) and shared/domain/REGULATION.md; every
threshold is a field of :class:`RiskConfig`.

>>> delinquency_bucket(np.array([0, 1, 30, 31, 91, 181]))
array([0, 1, 1, 2, 4, 5], dtype=int8)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from autolend.batch.book import Column
from autolend.domain.servicing import CN_FIVE_TIER, DEFAULT_BUCKETS

__all__ = [
    "BUCKET_EDGES",
    "CLASS_EDGES",
    "COLLECTION_EDGES",
    "NOT_CLASSIFIED",
    "ClassSource",
    "EarlyWarning",
    "RiskClass",
    "RiskConfig",
    "collection_stage",
    "delinquency_bucket",
    "early_warning",
    "five_tier_class",
    "ifrs9_stage",
]  # fmt: skip

BUCKET_EDGES = tuple(bucket.low for bucket in DEFAULT_BUCKETS[1:])
"""(1, 31, 61, 91, 181): current / 1-30 / 31-60 / 61-90 / 91-180 / 181+."""
CLASS_EDGES = tuple(bucket.low for bucket in CN_FIVE_TIER[1:])
"""(1, 91, 271, 361): the five-tier DPD floors."""
COLLECTION_EDGES = (1, 8, 31, 91)
"""none / reminder 1-7 / soft 8-30 / hard 31-90 / legal and repossession 91+."""
NOT_CLASSIFIED = -1
"""The class of a loan under a pack without the five-tier class (its
``five_tier_classes`` False: US): none of 正常 .. 损失."""

Int8Array = npt.NDArray[np.int8]
_MAX_COUNTER = np.iinfo(np.int16).max


class RiskClass(IntEnum):
    """正常 / 关注 / 次级 / 可疑 / 损失."""

    NORMAL = 0
    SPECIAL_MENTION = 1
    SUBSTANDARD = 2
    DOUBTFUL = 3
    LOSS = 4


class ClassSource(IntEnum):
    """Why a loan has its class: the rules, a manual downgrade, a manual upgrade below
    the rules' floor recorded as an override, or a manual upgrade refused."""

    RULES = 0
    MANUAL_WORSE = 1
    OVERRIDE = 2
    REFUSED = 3


class EarlyWarning(IntEnum):
    """Early-warning bits."""

    MISSED_FIRST_PAYMENT = 1
    ROLLED_WORSE = 2
    PARTIAL_PAYMENT = 4
    BUREAU_ALERT = 8
    LOW_COLLATERAL = 16


@dataclass(frozen=True, slots=True)
class RiskConfig:
    """Thresholds.  ``stage2_dpd`` 31 and ``stage3_dpd`` 91 are IFRS 9's "more than 30"
    and "more than 90" days past due; the significant increase in credit risk is PD now
    >= ``sicr_ratio_pct`` % of PD at origination **and** at least ``sicr_abs_bp`` basis
    points above it; a loan returns to a better stage only after ``probation_days``
    consecutive current days.  A restructured loan is at least ``restructured_floor``
    (``restructured_npl_floor`` if it was non-performing); a manual class better than
    the rules' floor is refused unless ``allow_upgrade_override`` (then recorded)."""

    bucket_edges: tuple[int, ...] = BUCKET_EDGES
    class_edges: tuple[int, ...] = CLASS_EDGES
    collection_edges: tuple[int, ...] = COLLECTION_EDGES
    restructured_floor: RiskClass = RiskClass.SPECIAL_MENTION
    restructured_npl_floor: RiskClass = RiskClass.SUBSTANDARD
    allow_upgrade_override: bool = False
    stage2_dpd: int = 31
    stage3_dpd: int = 91
    sicr_ratio_pct: int = 200
    sicr_abs_bp: int = 50
    probation_days: int = 90
    cover_threshold_pct: int = 80


def _by_edges(dpd: Column, edges: tuple[int, ...]) -> Int8Array:
    return np.searchsorted(np.asarray(edges), dpd, side="right").astype(np.int8)


def delinquency_bucket(dpd: Column, edges: tuple[int, ...] = BUCKET_EDGES) -> Int8Array:
    """Bucket index: the number of edges at or below ``dpd`` (31 DPD -> 2, "31-60")."""
    return _by_edges(dpd, edges)


def collection_stage(dpd: Column, edges: tuple[int, ...] = COLLECTION_EDGES) -> Int8Array:
    """0 none, 1 reminder (1-7), 2 soft (8-30), 3 hard (31-90), 4 legal (91+)."""
    return _by_edges(dpd, edges)


def five_tier_class(
    dpd: Column, restructured: Column, manual: Column, config: RiskConfig = RiskConfig()
) -> tuple[Int8Array, Int8Array]:
    """The class and its :class:`ClassSource`.  Floor = the worse of the DPD floor and
    the restructured floor (``restructured`` 1: performing when restructured, 2:
    non-performing); ``manual`` (-1 none) may worsen it, or improve it only as a
    recorded override.  E.g. 95 DPD -> 次级 (2); restructured at 0 DPD -> 关注 (1);
    manual 4 on a 关注 loan -> 4, source 1; manual 0 on 次级 -> 2, source 3 (refused).
    """
    floor = _by_edges(dpd, config.class_edges)
    floor = np.where(restructured == 1, np.maximum(floor, config.restructured_floor), floor)
    floor = np.where(restructured >= 2, np.maximum(floor, config.restructured_npl_floor), floor)
    has_manual = manual >= 0
    worse = has_manual & (manual > floor)
    better = has_manual & (manual < floor)
    upgrade = better & config.allow_upgrade_override
    cls = np.where(worse | upgrade, manual, floor).astype(np.int8)
    source = np.select(
        [worse, upgrade, better], [ClassSource.MANUAL_WORSE, ClassSource.OVERRIDE,
                                   ClassSource.REFUSED], ClassSource.RULES,
    ).astype(np.int8)  # fmt: skip
    return cls, source


def ifrs9_stage(
    dpd: Column,
    *,
    pd_orig_bp: Column,
    pd_now_bp: Column,
    defaulted: Column,
    previous: Column,
    current_days: Column,
    config: RiskConfig = RiskConfig(),
) -> tuple[Int8Array, npt.NDArray[np.int16]]:
    """Stage 1-3 and the updated count of consecutive current days.

    Raw stage: 3 from ``stage3_dpd`` or when ``defaulted``; 2 from ``stage2_dpd`` or on
    a significant increase in PD; else 1.  Cure: a raw stage better than ``previous``
    (0 = new, counts as 1) applies only once the loan has been current (0 DPD) for
    ``probation_days`` days in a row.  E.g. PD 1.00 % -> 2.50 % (x2.5, +150 bp): stage 2;
    a stage 2 loan current for 89 days stays 2, on the 90th it returns to 1.
    """
    counter = np.where(dpd == 0, np.minimum(current_days.astype(np.int32) + 1, _MAX_COUNTER), 0)
    orig, now = pd_orig_bp.astype(np.int32), pd_now_bp.astype(np.int32)
    sicr = (now * 100 >= orig * config.sicr_ratio_pct) & (now - orig >= config.sicr_abs_bp)
    raw = np.where(
        (dpd >= config.stage3_dpd) | defaulted, 3, np.where((dpd >= config.stage2_dpd) | sicr, 2, 1)
    )
    before = np.maximum(previous, 1)
    on_probation = (raw < before) & (counter < config.probation_days)
    stage = np.where(on_probation, before, raw).astype(np.int8)
    return stage, counter.astype(np.int16)


def early_warning(
    *,
    dpd: Column,
    first_due_day: Column,
    earliest_unpaid_day: Column,
    bucket: Column,
    previous_bucket: Column,
    paid_in_period: Column,
    arrears: Column,
    bureau_alert: Column,
    cover_pct: Column,
    config: RiskConfig = RiskConfig(),
) -> npt.NDArray[np.uint8]:
    """The :class:`EarlyWarning` bits: first installment unpaid past due; bucket worse than
    yesterday's; something paid in the period yet arrears remain; a bureau alert; the
    collateral after haircut covers less than ``cover_threshold_pct`` % of the
    exposure (``cover_pct`` is that cover in percent)."""
    bits = np.zeros(dpd.shape, dtype=np.uint8)
    bits |= np.where((dpd > 0) & (earliest_unpaid_day == first_due_day), 1, 0).astype(np.uint8)
    bits |= np.where(bucket > previous_bucket, 2, 0).astype(np.uint8)
    bits |= np.where((paid_in_period > 0) & (arrears > 0), 4, 0).astype(np.uint8)
    bits |= np.where(bureau_alert, 8, 0).astype(np.uint8)
    bits |= np.where(cover_pct < config.cover_threshold_pct, 16, 0).astype(np.uint8)
    return bits
