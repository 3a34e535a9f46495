"""Repayment methods, grace, rounding and subsidies: golden figures and their rules."""

from __future__ import annotations

import doctest
import importlib
import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest

from autolend.domain.money import Money
from autolend.domain.schedule import (
    LoanTerms,
    RoundingMode,
    Schedule,
    ScheduleRow,
    Subsidy,
    annuity_installment,
    build_schedule,
    step_base,
)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def make(**overrides: Any) -> LoanTerms:
    fields: dict[str, Any] = {
        "principal": cny("100000"),
        "annual_rate": Decimal("0.049"),
        "periods": 12,
        "start": date(2024, 1, 15),
    }
    fields.update(overrides)
    return LoanTerms(**fields)


def build(**overrides: Any) -> Schedule:
    return build_schedule(make(**overrides))


def column(schedule: Schedule, name: str) -> list[int]:
    return [getattr(row, name) for row in schedule.rows]


# --- the issue's CLI example ---------------------------------------------------------------

CLI_EXAMPLE = {
    "principal": cny("5000"),
    "annual_rate": Decimal("0.12"),
    "periods": 18,
    "start": date(2022, 11, 1),
    "first_due": date(2022, 12, 1),
}


def test_the_cli_example_pays_304_91_a_month_to_the_fen() -> None:
    # 5,000 x 1 % / (1 - 1.01^-18) = 304.9102... -> 304.91 (HALF_UP, to the fen).
    schedule = build(**CLI_EXAMPLE)
    first = schedule.rows[0]
    assert schedule.regular_installment == cny("304.91")
    assert (first.principal, first.interest, first.payment, first.balance) == (
        25491, 5000, 30491, 474509,
    )  # fmt: skip


def test_the_cli_example_to_the_whole_yuan_rounded_up_is_the_issues_sample_row() -> None:
    schedule = build(**CLI_EXAMPLE, installment_multiple=100, rounding=RoundingMode.UP)
    assert schedule.regular_installment == cny("305.00")
    row = schedule.to_dict()["rows"][0]  # type: ignore[index]
    sample = {
        "n": 1, "due_date": "2022-12-01", "days": 30, "principal": "255.00",
        "interest": "50.00", "payment": "305.00", "balance": "4745.00",
    }  # fmt: skip
    assert {key: row[key] for key in sample} == sample


# --- 等额本息 equal installment --------------------------------------------------------------


def test_equal_installment_100000_at_4_9_percent_for_12_months_is_8556_17() -> None:
    # The figure of the usual bank 房贷/车贷 calculators; numpy-financial agrees.
    schedule = build()
    assert float(npf.pmt(0.049 / 12, 12, -100000)) == pytest.approx(8556.17, abs=0.005)
    assert schedule.regular_installment == cny("8556.17")
    assert column(schedule, "payment")[:11] == [855617] * 11
    assert schedule.rows[-1].payment == 855612  # the last row absorbs the rounding residue
    assert schedule.total_principal == cny("100000")
    assert schedule.total_interest == cny("2673.99")


def test_equal_installment_interest_is_the_rounded_balance_times_the_periodic_rate() -> None:
    for row in build().rows:
        exact = Decimal(row.opening_balance) * Decimal("0.049") / 12
        assert row.interest == int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def test_on_the_daily_basis_the_installment_stays_and_interest_follows_the_days() -> None:
    schedule = build(interest_basis="daily")
    assert schedule.regular_installment == cny("8556.17")
    assert column(schedule, "payment")[:11] == [855617] * 11
    # 15 Jan -> 15 Feb is 31 days: 100,000.00 x 4.9 % x 31 / 360 = 421.94.
    assert schedule.rows[0].interest == 42194
    february = schedule.rows[1]  # 15 Feb -> 15 Mar 2024: 29 days
    assert february.days == 29
    assert february.interest < february.opening_balance * Decimal("0.049") / 12
    assert schedule.total_principal == cny("100000")


def test_annuity_installment_matches_numpy_financial_with_and_without_a_residual() -> None:
    assert float(annuity_installment(10_000_000, Decimal("0.01"), 36)) == pytest.approx(
        float(npf.pmt(0.01, 36, -10_000_000)), rel=1e-12
    )
    assert float(annuity_installment(10_000_000, Decimal("0.01"), 36, 3_000_000)) == pytest.approx(
        float(npf.pmt(0.01, 36, -10_000_000, 3_000_000)), rel=1e-12
    )
    assert annuity_installment(1200, Decimal(0), 12) == 100


# --- 等额本金 equal principal ---------------------------------------------------------------


def test_equal_principal_100000_at_4_9_percent_for_12_months() -> None:
    # Calculators print the first payment as 8,741.67: the unrounded 8,333.333 + 408.333.
    # Each column here is rounded to the fen: 8,333.33 + 408.33 = 8,741.66.
    schedule = build(method="equal_principal")
    first = schedule.rows[0]
    assert (first.principal, first.interest, first.payment) == (833333, 40833, 874166)
    assert column(schedule, "principal") == [833333] * 11 + [833337]  # last absorbs
    # The interest falls each month by 8,333.33 x 4.9 % / 12 = 34.03 (34.02..34.04 once
    # each month's interest is rounded).
    interest = column(schedule, "interest")
    drops = [a - b for a, b in itertools.pairwise(interest)]
    assert set(drops) <= {3402, 3403, 3404}
    assert round((interest[0] - interest[-1]) / 11) == 3403


# --- flat, interest only -------------------------------------------------------------------


def test_flat_charges_the_original_principal_every_period() -> None:
    schedule = build(method="flat", annual_rate=Decimal("0.06"))
    assert column(schedule, "interest") == [50000] * 12  # 100,000.00 x 6 % / 12
    assert schedule.total_interest == cny("6000")  # 6 % of 100,000 for one year
    assert schedule.regular_installment == cny("8833.33")  # 8,333.33 + 500.00
    assert schedule.total_principal == cny("100000")


def test_a_flat_rate_costs_far_more_than_the_same_declining_balance_rate() -> None:
    # The actuarial rate with the same 12 payments of 8,833.33 is about 10.9 % a year,
    # which is why the annualised rate (APR) must be shown next to a flat rate.
    installment = float(build(method="flat", annual_rate=Decimal("0.06")).regular_installment.minor)
    actuarial = float(npf.rate(12, -installment, 10_000_000, 0)) * 12
    assert 0.108 < actuarial < 0.110
    declining = build(annual_rate=Decimal("0.06"))  # 8,606.64 a month: 3,279.6x in all
    assert declining.total_interest < cny("3300")


def test_interest_only_repays_the_principal_with_the_last_payment() -> None:
    schedule = build(method="interest_only")
    assert column(schedule, "principal") == [0] * 11 + [10_000_000]
    assert column(schedule, "interest") == [40833] * 12  # 100,000.00 x 4.9 % / 12
    assert schedule.regular_installment == cny("408.33")


# --- balloon -------------------------------------------------------------------------------


def test_balloon_amortises_down_to_the_residual() -> None:
    # 100,000 at 12 % for 36 months leaving 30,000: numpy-financial pmt(1 %, 36, -100000,
    # 30000) = 2,625.00 (to the fen).
    schedule = build(method="balloon", annual_rate=Decimal("0.12"), periods=36,
                     balloon=cny("30000"))  # fmt: skip
    assert float(npf.pmt(0.01, 36, -100000, 30000)) == pytest.approx(2625.00, abs=0.005)
    assert schedule.regular_installment == cny("2625.00")
    last = schedule.rows[-1]
    assert abs(last.payment - (262500 + 3_000_000)) <= 50  # the installment plus the balloon
    # Before the last row the balance is worth that last payment one month ahead.
    assert schedule.rows[-2].balance == pytest.approx((3_000_000 + 262500) / 1.01, abs=50)
    assert schedule.total_principal == cny("100000")


def test_a_balloon_can_be_a_share_of_the_vehicle_price() -> None:
    ratio, price = Decimal("0.25"), cny("150000")
    schedule = build(method="balloon", annual_rate=Decimal("0.12"), periods=36,
                     balloon_ratio_of_price=ratio, vehicle_price=price)  # fmt: skip
    installment = float(npf.pmt(0.01, 36, -100000, 37500))
    assert float(schedule.regular_installment.to_decimal()) == pytest.approx(installment, abs=0.005)
    assert abs(schedule.rows[-1].principal - 3_750_000) < 300_000  # balloon + last principal


# --- step / seasonal -----------------------------------------------------------------------


def test_step_installments_scale_with_the_weights() -> None:
    # At 0 %: 3,000.00 = X (1 + 1 + 2), so X = 750.00.
    schedule = build(method="step", principal=cny("3000"), annual_rate=Decimal(0), periods=3,
                     step_weights=(Decimal(1), Decimal(1), Decimal(2)))  # fmt: skip
    assert column(schedule, "payment") == [75000, 75000, 150000]
    assert step_base(300_000, Decimal(0), (Decimal(1), Decimal(1), Decimal(2))) == 75000


def test_a_seasonal_farmer_pays_six_times_as_much_after_the_harvest() -> None:
    # First due in January; weight 3 in October and November, 0.5 otherwise.
    weights = tuple(Decimal(3) if month in (10, 11) else Decimal("0.5") for month in range(1, 13))
    schedule = build(method="step", periods=24, annual_rate=Decimal("0.08"),
                     start=date(2023, 12, 15), step_weights=weights)  # fmt: skip
    payments = column(schedule, "payment")
    assert schedule.rows[9].due_date.month == 10
    base = payments[0]
    assert payments[9] == payments[10] == pytest.approx(6 * base, abs=3)
    assert payments[21] == payments[9]  # the 12-long pattern repeats in the second year
    assert schedule.total_principal == cny("100000")
    assert schedule.rows[-1].balance == 0
    # The installments are worth exactly the loan at the periodic rate (L = X sum w v^k).
    v = 1 / (1 + 0.08 / 12)
    present_value = sum(p * v ** (k + 1) for k, p in enumerate(payments))
    assert present_value == pytest.approx(10_000_000, abs=5)


def test_a_zero_step_weight_capitalises_that_months_interest() -> None:
    weights = (Decimal(0), Decimal(1), Decimal(1))
    schedule = build(method="step", periods=3, step_weights=weights)
    first = schedule.rows[0]
    assert (first.payment, first.principal, first.interest) == (0, 0, 0)
    assert first.capitalised_interest == 40833
    assert first.balance == 10_000_000 + 40833
    assert schedule.total_principal.minor == 10_000_000 + 40833


# --- grace ---------------------------------------------------------------------------------


def test_interest_only_grace_then_the_same_installment_as_without_grace() -> None:
    schedule = build(grace_periods=2)
    assert len(schedule.rows) == 14
    assert [r.grace for r in schedule.rows[:3]] == [True, True, False]
    assert column(schedule, "payment")[:2] == [40833, 40833]
    assert column(schedule, "principal")[:2] == [0, 0]
    assert schedule.regular_installment == build().regular_installment


def test_a_capitalised_holiday_adds_the_interest_to_the_balance() -> None:
    schedule = build(grace_periods=2, grace_kind="holiday_capitalised")
    first, second = schedule.rows[:2]
    assert (first.payment, first.capitalised_interest, first.balance) == (0, 40833, 10_040_833)
    assert second.capitalised_interest == 41000  # 100,408.33 x 4.9 % / 12 = 409.99999...
    balance = second.balance
    expected = annuity_installment(balance, Decimal("0.049") / 12, 12)
    assert schedule.regular_installment.minor == int(expected.to_integral_value("ROUND_HALF_UP"))
    assert schedule.total_principal.minor == 10_000_000 + 40833 + 41000


def test_a_deferred_holiday_is_paid_with_the_first_regular_installment() -> None:
    schedule = build(grace_periods=2, grace_kind="holiday_deferred")
    first, second, third = schedule.rows[:3]
    assert (first.payment, first.deferred_interest, first.balance) == (0, 40833, 10_000_000)
    assert second.deferred_interest == 40833  # deferred interest bears no interest
    assert third.deferred_interest_paid == 81666
    assert third.payment == 855617 + 81666
    assert schedule.regular_installment == cny("8556.17")
    assert schedule.total_interest == build().total_interest + cny("816.66")


# --- rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "interest"),
    [
        (RoundingMode.HALF_UP, 25),
        (RoundingMode.HALF_EVEN, 24),
        (RoundingMode.UP, 25),
        (RoundingMode.DOWN, 24),
    ],
)
def test_an_exact_half_fen_of_interest_follows_the_rounding_mode(
    mode: RoundingMode, interest: int
) -> None:
    # 60.00 x 4.9 % / 12 = 0.245 exactly: a tie at half a fen.
    schedule = build(principal=cny("60"), method="interest_only", rounding=mode)
    assert schedule.rows[0].interest == interest


@pytest.mark.parametrize(
    ("multiple", "mode", "installment"),
    [
        (1, RoundingMode.HALF_UP, 30491),
        (100, RoundingMode.HALF_UP, 30500),
        (1000, RoundingMode.UP, 31000),
        (1000, RoundingMode.DOWN, 30000),
        (1000, RoundingMode.HALF_UP, 30000),
    ],
)
def test_the_installment_is_rounded_to_the_multiple_and_the_last_row_absorbs(
    multiple: int, mode: RoundingMode, installment: int
) -> None:
    schedule = build(**CLI_EXAMPLE, installment_multiple=multiple, rounding=mode)
    payments = column(schedule, "payment")
    assert payments[:-1] == [installment] * 17
    assert schedule.total_principal == cny("5000")
    assert (payments[-1] < installment) == (installment > 30491)


def test_a_coarse_multiple_rounded_up_can_repay_early_leaving_zero_rows() -> None:
    # 100.00 over 12 months at 0 %: 8.33 a month rounds UP to 10.00, so ten payments do.
    schedule = build(principal=cny("100"), annual_rate=Decimal(0), installment_multiple=1000,
                     rounding=RoundingMode.UP)  # fmt: skip
    assert column(schedule, "payment") == [1000] * 10 + [0, 0]
    assert len(schedule.rows) == 12


# --- subsidy -------------------------------------------------------------------------------


def test_a_zero_percent_promotion_has_the_borrower_repay_principal_only() -> None:
    oem = Subsidy(customer_rate=Decimal(0), subsidiser="oem")
    schedule = build(annual_rate=Decimal("0.06"), principal=cny("120000"), subsidy=oem)
    assert column(schedule, "payment") == [1_000_000] * 12
    assert column(schedule, "interest") == [0] * 12
    assert column(schedule, "subsidy_interest")[:2] == [60000, 55000]  # 0.5 % of the balance
    # 120,000 x 0.5 % x (12 + 11 + ... + 1) / 12 = 3,900.00
    assert schedule.total_subsidy == cny("3900")


def test_a_zero_percent_promotion_splits_an_uneven_principal_with_the_last_row_absorbing() -> None:
    oem = Subsidy(customer_rate=Decimal(0), subsidiser="oem")
    schedule = build(subsidy=oem)
    assert column(schedule, "payment") == [833333] * 11 + [833337]


def test_the_subsidy_is_the_contract_interest_on_the_same_principal_path() -> None:
    dealer = Subsidy(customer_rate=Decimal("0.02"), subsidiser="dealer")
    schedule = build(annual_rate=Decimal("0.07"), subsidy=dealer, interest_basis="daily")
    for row in schedule.rows:
        contract = Decimal(row.opening_balance) * Decimal("0.07") * row.days / 360
        assert row.interest + row.subsidy_interest == int(
            contract.quantize(Decimal(1), rounding="ROUND_HALF_UP")
        )
        assert row.subsidy_interest > 0
    assert schedule.regular_installment == build(annual_rate=Decimal("0.02")).regular_installment


def test_without_a_subsidy_no_row_carries_one() -> None:
    assert build().total_subsidy == cny("0")


# --- output --------------------------------------------------------------------------------


def test_totals_add_up_and_rows_convert_to_money() -> None:
    schedule = build(grace_periods=1, grace_kind="holiday_capitalised")
    assert schedule.total_payment == schedule.total_principal + schedule.total_interest
    assert schedule.total_principal == cny("100000") + schedule.total_capitalised_interest
    row = schedule.rows[3]
    assert isinstance(row, ScheduleRow)
    assert row.money("payment") == Money(row.payment, cny("1").currency)
    assert row.balance == row.closing_balance


def test_to_dict_gives_decimal_strings() -> None:
    data = build(**CLI_EXAMPLE).to_dict()
    assert data["installment"] == "304.91"
    assert data["total_principal"] == "5000.00"
    assert data["total_payment"] == "5488.41"
    assert data["total_interest"] == "488.41"
    assert data["currency"] == "CNY"
    rows = data["rows"]
    assert isinstance(rows, list)
    assert len(rows) == 18
    assert rows[-1]["balance"] == "0.00"
    assert rows[-1]["due_date"] == "2024-05-01"


# --- docstring examples --------------------------------------------------------------------

MODULES = [
    "autolend.domain.daycount",
    "autolend.domain.schedule",
    "autolend.domain.schedule.dates",
    "autolend.domain.schedule.engine",
    "autolend.domain.schedule.methods",
    "autolend.domain.schedule.rounding",
    "autolend.domain.schedule.terms",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
