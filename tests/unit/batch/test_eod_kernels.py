"""Classification and ECL kernels: each rule on small hand-made columns."""

from __future__ import annotations

import numpy as np

from autolend.batch.ecl import EclConfig, EclInputs, expected_credit_loss
from autolend.batch.eod import run_day
from autolend.batch.risk_kernels import (
    ClassSource,
    RiskConfig,
    collection_stage,
    delinquency_bucket,
    early_warning,
    five_tier_class,
    ifrs9_stage,
)
from autolend.batch.synth_book import synthetic_book

DPD = np.array([0, 1, 30, 31, 60, 61, 90, 91, 180, 181, 270, 271, 360, 361])


def test_buckets_follow_the_default_edges_and_configured_ones() -> None:
    assert delinquency_bucket(DPD).tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5, 5]
    assert delinquency_bucket(np.array([0, 15, 16]), (1, 16)).tolist() == [0, 1, 2]


def test_five_tier_class_uses_the_regulatory_dpd_floors() -> None:
    none = np.full(DPD.shape, -1)
    cls, source = five_tier_class(DPD, np.zeros_like(DPD), none)
    assert cls.tolist() == [0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4]
    assert not source.any()


def test_a_restructured_loan_is_at_least_special_mention_or_substandard_if_it_was_npl() -> None:
    dpd = np.array([0, 0, 0, 400])
    cls, _ = five_tier_class(dpd, np.array([0, 1, 2, 1]), np.full(4, -1))
    assert cls.tolist() == [0, 1, 2, 4]


def test_a_manual_class_may_worsen_but_an_upgrade_is_refused_unless_recorded() -> None:
    dpd, restructured, manual = np.array([0, 95, 95]), np.zeros(3), np.array([3, 0, 4])
    cls, source = five_tier_class(dpd, restructured, manual)
    assert cls.tolist() == [3, 2, 4]
    assert source.tolist() == [ClassSource.MANUAL_WORSE, ClassSource.REFUSED,
                               ClassSource.MANUAL_WORSE]  # fmt: skip
    allowed = RiskConfig(allow_upgrade_override=True)
    cls, source = five_tier_class(dpd, restructured, manual, allowed)
    assert cls.tolist()[1] == 0 and source.tolist()[1] == ClassSource.OVERRIDE


def _stage(dpd: list[int], *, orig: int = 100, now: int = 100, defaulted: bool = False,
           previous: int = 1, current_days: int = 0) -> tuple[list[int], list[int]]:  # fmt: skip
    n = len(dpd)
    stage, counter = ifrs9_stage(
        np.array(dpd), pd_orig_bp=np.full(n, orig), pd_now_bp=np.full(n, now),
        defaulted=np.full(n, defaulted), previous=np.full(n, previous),
        current_days=np.full(n, current_days),
    )  # fmt: skip
    return stage.tolist(), counter.tolist()


def test_stage_backstops_are_more_than_30_and_more_than_90_days_past_due() -> None:
    assert _stage([0, 30, 31, 90, 91])[0] == [1, 1, 2, 2, 3]
    assert _stage([0], defaulted=True)[0] == [3]


def test_a_significant_increase_in_pd_needs_both_the_ratio_and_the_absolute_rise() -> None:
    assert _stage([0], orig=100, now=250)[0] == [2]  # x2.5 and +150 bp
    assert _stage([0], orig=10, now=40)[0] == [1]  # x4 but only +30 bp
    assert _stage([0], orig=400, now=700)[0] == [1]  # +300 bp but x1.75


def test_a_cured_loan_returns_to_stage_one_only_after_the_probation() -> None:
    assert _stage([0], previous=2, current_days=88) == ([2], [89])
    assert _stage([0], previous=2, current_days=89) == ([1], [90])
    assert _stage([5], previous=2, current_days=200) == ([2], [0])


def test_collection_stage_by_days_past_due() -> None:
    assert collection_stage(np.array([0, 1, 7, 8, 30, 31, 90, 91])).tolist() == [
        0, 1, 1, 2, 2, 3, 3, 4,
    ]  # fmt: skip


def test_early_warning_sets_one_bit_per_signal() -> None:
    bits = early_warning(
        dpd=np.array([5, 5, 0, 0, 0]), first_due_day=np.array([100, 100, 100, 100, 100]),
        earliest_unpaid_day=np.array([100, 130, -1, -1, -1]), bucket=np.array([1, 1, 0, 0, 0]),
        previous_bucket=np.array([1, 0, 0, 0, 0]), paid_in_period=np.array([0, 10, 0, 0, 0]),
        arrears=np.array([10, 10, 0, 0, 0]), bureau_alert=np.array([0, 0, 1, 0, 0], dtype=bool),
        cover_pct=np.array([200.0, 200.0, 200.0, 79.0, 80.0]),
    )  # fmt: skip
    assert bits.tolist() == [1, 2 | 4, 8, 16, 0]


def _ecl(stage: int, *, price: int, overlay: float = 1.0, months: int = 24) -> int:
    rows = np.full(1, 100_000_00 // months)
    inputs = EclInputs(
        stage=np.array([stage]), grade=np.array([5]), arrears=np.array([0]),
        balance=rows * months, remaining=np.array([months]), row_start=np.array([0]),
        row_principal=np.repeat(rows, months),
        accrued=np.array([0]), annual_rate=np.array([800_000_000]),
        price=np.array([price]), vehicle_type=np.array([2]), age_months=np.array([6]),
    )  # fmt: skip
    return int(expected_credit_loss(inputs, EclConfig(overlay=overlay))[0])


def test_ecl_grows_with_the_stage_and_the_overlay_and_falls_with_the_collateral() -> None:
    s1, s2, s3 = (_ecl(s, price=8_000_000) for s in (1, 2, 3))
    assert 0 < s1 < s2 < s3
    assert _ecl(1, price=8_000_000, overlay=1.5) > s1
    assert _ecl(2, price=16_000_000) < s2
    assert _ecl(3, price=0) == 100_000_00 // 24 * 24  # nothing recovered: all the exposure


def _by_formula(rows: list[int], *, months: int, price: int, cfg: EclConfig) -> float:
    """The module docstring's sum over the first ``months`` installments, worked by hand:
    marginal PD x max(0, EAD - recovery) x (1 + r / 12)^-(j + 1), the recovery being the
    car of month ``j`` less the whole repossession cost, never below 0."""
    cum, balance, total = cfg.cumulative_pd[5], sum(rows), 0.0
    for j in range(months):
        value = price * cfg.retention[0] * np.exp(-cfg.decay[0] * j / 12) * (1 - cfg.haircut)
        loss = max(balance - max(value - cfg.repossession_cost, 0.0), 0.0)
        total += (cum[j + 1] - cum[j]) * loss / (1 + 0.0699 / 12) ** (j + 1)
        balance -= rows[j]
    return total


def test_a_us_loan_in_stage_one_takes_lifetime_ecl_and_a_cn_loan_twelve_months() -> None:
    # Two loans of one shape, 27,000.00 over 60 months at 6.99 %; the second under CECL.
    rows = [45_000] * 59 + [2_700_000 - 45_000 * 59]
    cfg = EclConfig()  # the default repossession cost, 3,000.00
    inputs = EclInputs(
        stage=np.array([1, 1]), grade=np.array([5, 5]), arrears=np.array([0, 0]),
        balance=np.array([2_700_000] * 2), remaining=np.array([60, 60]),
        row_start=np.array([0, 60]), row_principal=np.array(rows * 2),
        accrued=np.array([0, 0]), annual_rate=np.array([699_000_000] * 2),
        price=np.array([2_000_000] * 2), vehicle_type=np.array([0, 0]),
        age_months=np.array([0, 0]), lifetime=np.array([False, True]),
    )  # fmt: skip
    cn, us = expected_credit_loss(inputs, cfg).tolist()
    assert cn == round(_by_formula(rows, months=12, price=2_000_000, cfg=cfg))
    assert us == round(_by_formula(rows, months=60, price=2_000_000, cfg=cfg))
    assert us > cn


def test_the_end_of_day_gives_us_loans_lifetime_ecl_and_no_five_tier_class() -> None:
    book = synthetic_book(3_000, day=20_514, seed=4)
    us = book["pack"] == 1
    _, as_booked = run_day(book, 20_514)
    _, all_cn = run_day(book.with_loans(pack=np.zeros(len(book))), 20_514)
    longer = us & (as_booked.stage == 1) & (book.row_counts - book["cur"] > 12)
    more = as_booked.ecl[longer] - all_cn.ecl[longer]  # 0 where the car covers it all
    assert (more >= 0).all() and (more > 0).sum() > 10
    assert np.array_equal(as_booked.ecl[~us], all_cn.ecl[~us])
    assert (as_booked.risk_class[us] == -1).all()
    assert np.array_equal(as_booked.risk_class[~us], all_cn.risk_class[~us])
