"""Behaviour of autolend.domain.apr: the Decimal root solver, IRR, CN annualised rate, XIRR."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.apr import (
    MAX_RATE,
    AnnualisedRate,
    CashFlow,
    NoRateExists,
    RateNotConverged,
    cn_annualised_rate,
    irr_at_times,
    periodic_irr,
    solve_rate,
    xirr,
)
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money

FEN = Decimal("0.01")


def annuity_payment(amount: Decimal, annual_rate: Decimal, n: int) -> Decimal:
    """The exact (unrounded) level payment repaying ``amount`` over ``n`` months."""
    with decimal.localcontext(decimal.Context(prec=50)):
        r = annual_rate / 12
        return amount * r / (1 - (1 + r) ** -n)


def counting(f: Callable[[Decimal], Decimal]) -> tuple[Callable[[Decimal], Decimal], list[int]]:
    calls = [0]

    def wrapped(x: Decimal) -> Decimal:
        calls[0] += 1
        return f(x)

    return wrapped, calls


# --- solve_rate -------------------------------------------------------------------------


def test_solver_finds_a_root_inside_the_starting_bracket_to_the_tolerance() -> None:
    root = solve_rate(lambda r: (1 + r) ** 2 - 2, Decimal(0), Decimal(1))
    assert abs(root - (Decimal(2).sqrt(decimal.Context(prec=40)) - 1)) < Decimal("1e-12")


def test_solver_widens_the_upper_bound_geometrically_to_reach_a_high_rate() -> None:
    root = solve_rate(lambda r: Decimal(5) - r, Decimal(0), Decimal("0.1"))
    assert abs(root - 5) < Decimal("1e-12")


def test_solver_widens_the_lower_bound_toward_minus_one_hundred_percent() -> None:
    root = solve_rate(lambda r: r + Decimal("0.95"), Decimal(0), Decimal("0.1"))
    assert abs(root + Decimal("0.95")) < Decimal("1e-12")


def test_solver_returns_an_exact_zero_at_a_bracket_end_without_refining() -> None:
    f, calls = counting(lambda r: r)
    assert solve_rate(f, Decimal(0), Decimal("0.1")) == 0
    assert calls[0] == 2


def test_solver_converges_well_within_its_iteration_budget() -> None:
    # A steep, lopsided function: plain regula falsi would stall at one end.
    f, calls = counting(lambda r: (1 + r) ** 60 - Decimal(3))
    root = solve_rate(f, Decimal(0), Decimal("0.1"))
    assert abs((1 + root) ** 60 - 3) < Decimal("1e-9")
    assert calls[0] < 100


def test_solver_result_does_not_depend_on_the_callers_decimal_context() -> None:
    def f(r: Decimal) -> Decimal:
        return (1 + r) ** 12 - Decimal("1.1")

    expected = solve_rate(f, Decimal(0), Decimal(1))
    with decimal.localcontext(decimal.Context(prec=5, rounding=decimal.ROUND_FLOOR)):
        assert solve_rate(f, Decimal(0), Decimal(1)) == expected


def test_solver_reports_no_rate_when_the_function_never_changes_sign() -> None:
    with pytest.raises(NoRateExists) as caught:
        solve_rate(lambda r: Decimal(1) + r * r, Decimal(0), Decimal("0.1"))
    assert "no rate makes them equal" in caught.value.message
    assert isinstance(caught.value, InvalidInput)


def test_solver_does_not_search_beyond_one_thousand_percent_a_period() -> None:
    with pytest.raises(NoRateExists):
        solve_rate(lambda r: Decimal(20) - r, Decimal(0), Decimal("0.1"))
    assert MAX_RATE == 10


def test_solver_reports_when_it_runs_out_of_iterations() -> None:
    with pytest.raises(RateNotConverged):
        solve_rate(
            lambda r: (1 + r) ** 3 - Decimal("1.5"), Decimal(0), Decimal(1), max_iterations=1
        )


@pytest.mark.parametrize(
    ("low", "high", "tolerance"),
    [(Decimal(1), Decimal(0), Decimal("1e-12")), (Decimal(-2), Decimal(0), Decimal("1e-12")),
     (Decimal(0), Decimal(1), Decimal(0))],
)  # fmt: skip
def test_solver_rejects_an_empty_or_impossible_search(
    low: Decimal, high: Decimal, tolerance: Decimal
) -> None:
    with pytest.raises(InvalidInput):
        solve_rate(lambda r: r, low, high, tolerance=tolerance)


# --- cash flows and IRR -------------------------------------------------------------------


def test_cash_flow_keeps_exact_times_and_amounts() -> None:
    flow = CashFlow(3, Decimal("-1.50"))  # type: ignore[arg-type]
    assert flow.when == Fraction(3)
    assert isinstance(flow.when, Fraction)
    assert flow.amount == Decimal("-1.50")


def test_cash_flow_rejects_negative_times_floats_and_non_finite_amounts() -> None:
    with pytest.raises(InvalidInput):
        CashFlow(Fraction(-1), Decimal(1))
    with pytest.raises(TypeError):
        CashFlow(Fraction(1), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        CashFlow(Fraction(1), Decimal("NaN"))


def test_periodic_irr_of_a_one_percent_annuity_is_one_percent() -> None:
    payment = annuity_payment(Decimal(10000), Decimal("0.12"), 12)
    rate = periodic_irr([Decimal(10000), *[-payment] * 12])
    assert abs(rate - Decimal("0.01")) < Decimal("1e-12")


def test_periodic_irr_is_the_same_under_either_sign_convention() -> None:
    flows = [Decimal(1000), Decimal(-300), Decimal(-400), Decimal(-500)]
    assert periodic_irr(flows) == periodic_irr([-f for f in flows])


def test_periodic_irr_of_an_interest_free_plan_is_exactly_zero() -> None:
    assert periodic_irr([Decimal(1200), *[Decimal(-100)] * 12]) == 0


def test_periodic_irr_is_negative_when_the_payments_repay_less_than_received() -> None:
    rate = periodic_irr([Decimal(1000), Decimal(-450), Decimal(-450)])
    assert rate < 0
    assert abs(450 / (1 + rate) + 450 / (1 + rate) ** 2 - 1000) < Decimal("1e-9")


def test_periodic_irr_of_flows_all_of_one_sign_has_no_rate() -> None:
    with pytest.raises(NoRateExists) as caught:
        periodic_irr([Decimal(-1000), Decimal(-10)])
    assert caught.value.field == "payments"


@settings(max_examples=60, deadline=None)
@given(
    amount=st.integers(min_value=10_000_00, max_value=2_000_000_00),
    annual_bp=st.integers(min_value=50, max_value=3600),
    n=st.integers(min_value=3, max_value=84),
)
def test_periodic_irr_agrees_with_numpy_financial_on_fee_free_annuities(
    amount: int, annual_bp: int, n: int
) -> None:
    principal = Decimal(amount) / 100
    payment = annuity_payment(principal, Decimal(annual_bp) / 10000, n).quantize(FEN)
    ours = periodic_irr([principal, *[-payment] * n])
    theirs = npf.irr([-float(principal), *[float(payment)] * n])
    assert abs(float(ours) - theirs) < 1e-7


def test_irr_at_whole_times_matches_the_periodic_irr() -> None:
    flows = [Decimal(5000), *[Decimal(-230)] * 24]
    timed = [(Fraction(k), amount) for k, amount in enumerate(flows)]
    assert abs(irr_at_times(timed) - periodic_irr(flows)) < Decimal("1e-12")


def test_irr_at_fractional_times_compounds_within_the_period() -> None:
    # 100 now, 110 back after half a period: (1 + r) ** 0.5 = 1.1, so r = 21 %.
    rate = irr_at_times([CashFlow(Fraction(0), Decimal(100)), (Fraction(1, 2), Decimal(-110))])
    assert abs(rate - Decimal("0.21")) < Decimal("1e-12")


# --- CN annualised rate -------------------------------------------------------------------


def test_cn_rate_of_a_one_percent_monthly_plan_is_12_00_nominal_and_12_68_effective() -> None:
    """Golden case from the issue "P1.2 Loan mathematics", which cites the PBOC-style IRR
    convention (PBOC announcement [2021] No. 3: annualised rate = IRR x 12, compound):
    10,000 received, 12 x 888.49 -> nominal 12.00 %, effective 12.68 %."""
    rate = cn_annualised_rate(Decimal(10000), [Decimal("888.49")] * 12, 12)
    assert rate.nominal_percent() == Decimal("12.00")
    assert rate.effective_percent() == Decimal("12.68")
    with decimal.localcontext(decimal.Context(prec=80)):
        assert rate.nominal == rate.periodic * 12
    assert rate.periods_per_year == 12


def test_cn_rate_of_a_fee_only_plan_is_13_03_percent() -> None:
    """Golden case from the issue "P1.2 Loan mathematics" (PBOC-style IRR convention):
    a "0 % interest" plan, 12,000 received, 12 x 1,072 -> nominal 13.03 %."""
    rate = cn_annualised_rate(Decimal(12000), [Decimal(1072)] * 12, 12)
    assert rate.nominal_percent() == Decimal("13.03")
    assert rate.effective_percent() == Decimal("13.84")


def test_cn_rate_accepts_money_and_gives_the_same_answer_as_decimals() -> None:
    money = cn_annualised_rate(
        Money.of_minor(1_000_000, "CNY"), [Money.of_minor(88849, "CNY")] * 12, 12
    )
    assert money == cn_annualised_rate(Decimal(10000), [Decimal("888.49")] * 12, 12)


def test_cn_rate_refuses_amounts_in_different_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        cn_annualised_rate(Money.of_minor(100_00, "CNY"), [Money.of_minor(110_00, "USD")], 12)


def test_a_short_first_period_raises_the_rate_for_the_same_payments() -> None:
    regular = cn_annualised_rate(Decimal(10000), [Decimal("888.49")] * 12, 12)
    short = cn_annualised_rate(
        Decimal(10000), [Decimal("888.49")] * 12, 12, first_period_fraction=Fraction(1, 2)
    )
    assert short.periodic > regular.periodic


def test_a_first_period_fraction_shifts_every_payment_by_the_same_amount() -> None:
    # Single payment of 110 after 1.5 periods: (1 + r) ** 1.5 = 1.1.
    rate = cn_annualised_rate(
        Decimal(100), [Decimal(110)], 12, first_period_fraction=Fraction(3, 2)
    )
    assert abs((1 + rate.periodic) ** 3 - Decimal("1.21")) < Decimal("1e-11")


def test_annualised_rate_derives_nominal_and_effective_from_the_periodic_rate() -> None:
    rate = AnnualisedRate(Decimal("0.005"), 4)
    assert rate.nominal == Decimal("0.020")
    assert rate.effective == Decimal("1.005") ** 4 - 1
    assert rate.nominal_percent(3) == Decimal("2.000")


@pytest.mark.parametrize(
    ("received", "payments", "periods", "field"),
    [(Decimal(0), [Decimal(100)], 12, "amount"),
     (Decimal(-5), [Decimal(100)], 12, "amount"),
     (Decimal(100), [], 12, "payments"),
     (Decimal(100), [Decimal(50), Decimal(0)], 12, "payments"),
     (Decimal(100), [Decimal(-1)], 12, "payments"),
     (Decimal(100), [Decimal(101)], 0, "periods_per_year")],
)  # fmt: skip
def test_cn_rate_names_the_field_of_invalid_input(
    received: Decimal, payments: list[Decimal], periods: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        cn_annualised_rate(received, payments, periods)
    assert caught.value.field == field


def test_cn_rate_rejects_a_non_positive_first_period_on_the_first_payment_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        cn_annualised_rate(Decimal(100), [Decimal(110)], 12, first_period_fraction=Fraction(0))
    assert caught.value.field == "first_payment"


def test_cn_rate_rejects_float_amounts() -> None:
    with pytest.raises(TypeError):
        cn_annualised_rate(Decimal(100), [110.0], 12)  # type: ignore[list-item]


def test_cn_rate_is_negative_when_less_is_repaid_than_received() -> None:
    rate = cn_annualised_rate(Decimal(1200), [Decimal(99)] * 12, 12)
    assert rate.periodic < 0


@settings(max_examples=60, deadline=None)
@given(
    amount=st.integers(min_value=10_000_00, max_value=2_000_000_00),
    annual_bp=st.integers(min_value=50, max_value=3600),
    n=st.integers(min_value=3, max_value=84),
)
def test_a_fee_free_annuity_has_an_apr_equal_to_its_nominal_rate(
    amount: int, annual_bp: int, n: int
) -> None:
    principal, annual = Decimal(amount) / 100, Decimal(annual_bp) / 10000
    exact = annuity_payment(principal, annual, n)
    assert abs(cn_annualised_rate(principal, [exact] * n, 12).nominal - annual) < Decimal("1e-9")
    rounded = exact.quantize(FEN, rounding=decimal.ROUND_HALF_UP)
    # Rounding the payment to the fen moves the APR by under 0.01 percentage point.
    assert abs(cn_annualised_rate(principal, [rounded] * n, 12).nominal - annual) < Decimal(
        "0.0001"
    )


# --- XIRR ---------------------------------------------------------------------------------

EXCEL_XIRR_EXAMPLE = [
    (date(2008, 1, 1), Decimal(-10000)),
    (date(2008, 3, 1), Decimal(2750)),
    (date(2008, 10, 30), Decimal(4250)),
    (date(2009, 2, 15), Decimal(3250)),
    (date(2009, 4, 1), Decimal(2750)),
]


def test_xirr_reproduces_the_microsoft_excel_documentation_example() -> None:
    """Microsoft Excel XIRR function documentation, example: -10,000 on 2008-01-01, then
    2,750 / 4,250 / 3,250 / 2,750 -> 0.373362535 (37.34 %).  Excel stops iterating within
    0.000001 %; the exact root is 0.3733625335..., so compare to 1e-8."""
    rate = xirr(EXCEL_XIRR_EXAMPLE)
    assert abs(rate - Decimal("0.373362535")) < Decimal("1e-8")
    assert (rate * 100).quantize(FEN) == Decimal("37.34")


def test_xirr_discounts_by_actual_days_over_the_basis() -> None:
    # 100 out, 110 back exactly 365 days later: 10 % on ACT/365; on ACT/360 a bit less.
    flows = [(date(2023, 1, 1), Decimal(-100)), (date(2024, 1, 1), Decimal(110))]
    assert abs(xirr(flows) - Decimal("0.1")) < Decimal("1e-12")
    assert xirr(flows, basis_days=360) < Decimal("0.1")


def test_xirr_rejects_a_flow_dated_before_the_first_one() -> None:
    flows = [(date(2023, 1, 2), Decimal(-100)), (date(2023, 1, 1), Decimal(110))]
    with pytest.raises(InvalidInput) as caught:
        xirr(flows)
    assert caught.value.field == "dates"


def test_xirr_needs_two_flows_of_opposite_signs_and_plain_dates() -> None:
    with pytest.raises(InvalidInput):
        xirr([(date(2023, 1, 1), Decimal(-100))])
    with pytest.raises(NoRateExists):
        xirr([(date(2023, 1, 1), Decimal(100)), (date(2023, 6, 1), Decimal(100))])
    with pytest.raises(TypeError):
        xirr([(datetime(2023, 1, 1), Decimal(-1)), (date(2023, 6, 1), Decimal(2))])
