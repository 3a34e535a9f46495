"""The ECL kernel's recovery and survival rules on one loan worked by hand: the repossession
cost comes off each month's depreciated car in full, and a monthly prepayment rate weighs
month j's default probability by the share of loans not prepaid before it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autolend.batch.ecl import EclConfig, EclInputs, expected_credit_loss
from autolend.batch.eod import EodConfig, run_day
from autolend.batch.synth_book import synthetic_book
from autolend.domain.errors import InvalidInput

# A car that halves in value every month (decay 12 ln 2 a year: exp(-decay / 12) = 1/2),
# no haircut, full retention, a flat 10 % marginal PD a month and no interest (DF 1), so
# every figure below is worked by hand.
HALVING = 12 * math.log(2)


def _config(*, repossession_cost: int, monthly_prepayment: float = 0.0) -> EclConfig:
    return EclConfig(
        cumulative_pd=np.array([[0.0, 0.1, 0.2, 0.3]]), retention=(1.0,) * 4,
        decay=(HALVING,) * 4, haircut=0.0, repossession_cost=repossession_cost,
        monthly_prepayment=monthly_prepayment,
    )  # fmt: skip


def _three_months_left(cfg: EclConfig, own_cost: int | None = None) -> int:
    """A stage 2 loan (lifetime) with 60,000.00 left in three installments of 20,000.00,
    secured on a new car of 40,000.00; ``own_cost``: the loan's own repossession cost."""
    inputs = EclInputs(
        stage=np.array([2]), grade=np.array([0]), arrears=np.array([0]),
        balance=np.array([6_000_000]), remaining=np.array([3]), row_start=np.array([0]),
        row_principal=np.array([2_000_000] * 3), accrued=np.array([0]),
        annual_rate=np.array([0]), price=np.array([4_000_000]), vehicle_type=np.array([0]),
        age_months=np.array([0]),
        repossession_cost=None if own_cost is None else np.array([own_cost]),
    )  # fmt: skip
    return int(expected_credit_loss(inputs, cfg)[0])


def test_the_repossession_cost_comes_off_each_months_depreciated_car_in_full() -> None:
    # Month   EAD        car        recovery (car - 12,000.00, >= 0)   loss
    #   0     60,000.00  40,000.00  28,000.00                           32,000.00
    #   1     40,000.00  20,000.00   8,000.00                           32,000.00
    #   2     20,000.00  10,000.00   0 (10,000.00 < the cost)           20,000.00
    # ECL = 10 % x (32,000.00 + 32,000.00 + 20,000.00) = 8,400.00.  Depreciating the
    # net recovery instead (28,000.00, 14,000.00, 7,000.00) gave 7,100.00.
    assert _three_months_left(_config(repossession_cost=1_200_000)) == 840_000


def test_without_a_repossession_cost_the_recovery_is_the_depreciated_car() -> None:
    # Losses 60,000.00 - 40,000.00, 40,000.00 - 20,000.00, 20,000.00 - 10,000.00:
    # 10 % x 50,000.00 = 5,000.00.
    assert _three_months_left(_config(repossession_cost=0)) == 500_000


def test_a_loans_own_repossession_cost_replaces_the_configs() -> None:
    # The loan's own 12,000.00 over a config of 0 gives the first test's 8,400.00; its
    # own 0 over a config of 12,000.00 the second's 5,000.00.
    assert _three_months_left(_config(repossession_cost=0), own_cost=1_200_000) == 840_000
    assert _three_months_left(_config(repossession_cost=1_200_000), own_cost=0) == 500_000


def test_a_monthly_prepayment_rate_weighs_month_j_by_the_loans_not_prepaid_before_it() -> None:
    # The losses of the first test, weighted 1, 0.9 and 0.9^2 = 0.81 (SMM 10 %):
    # 10 % x (32,000.00 + 28,800.00 + 16,200.00) = 7,700.00.
    cfg = _config(repossession_cost=1_200_000, monthly_prepayment=0.1)
    assert _three_months_left(cfg) == 770_000


def test_a_prepayment_rate_of_zero_changes_no_loans_ecl() -> None:
    book = synthetic_book(2_000, day=20_514, seed=7)
    _, default = run_day(book, 20_514)
    _, zero = run_day(book, 20_514, EodConfig(ecl=EclConfig(monthly_prepayment=0.0)))
    _, some = run_day(book, 20_514, EodConfig(ecl=EclConfig(monthly_prepayment=0.01)))
    assert np.array_equal(default.ecl, zero.ecl)
    assert (some.ecl <= default.ecl).all() and (some.ecl < default.ecl).any()


@pytest.mark.parametrize("rate", [-0.01, 1.5])
def test_a_prepayment_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    with pytest.raises(InvalidInput):
        EclConfig(monthly_prepayment=rate)
