"""Behaviour of autolend.domain.schedule_input: user text in, domain values and wire
dictionaries out, errors naming the input field (shared by the CLI and the API)."""

from __future__ import annotations

import doctest
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from autolend.domain import schedule_input
from autolend.domain.apr import CashFlow, irr_at_times
from autolend.domain.apr_input import (
    IrrInput,
    RegZInput,
    irr_rate,
    irr_wire,
    regz_result,
    regz_wire,
)
from autolend.domain.daycount import DayCount
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, RoundingMode
from autolend.domain.schedule import GraceKind, InterestBasis, Method, build_schedule
from autolend.domain.schedule_input import (
    ScheduleInput,
    build_input_schedule,
    loan_terms,
    parse_count,
    parse_date,
    parse_percent,
    parse_positive_amount,
    parse_rounding,
    schedule_apr,
    schedule_pack,
    schedule_wire,
)

EXAMPLE = ScheduleInput(principal="5000", annual_rate="12", periods="18", start="2022-11-01")
REGZ = RegZInput(
    amount="5000", payment="230", count="24", advance_date="1978-01-10",
    first_payment="1978-02-10",
)  # fmt: skip


def field_of(action: Any) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        action()
    return caught.value.field


# --- scalar parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("12", "0.12"), ("12%", "0.12"), ("4.9", "0.049"), ("0", "0"), ("100", "1"),
     ("3.12345678", "0.0312345678")],
)  # fmt: skip
def test_a_percent_string_becomes_the_exact_fraction(text: str, fraction: str) -> None:
    assert parse_percent(text, "annual_rate") == Decimal(fraction)


@pytest.mark.parametrize(
    "text", ["abc", "-5", "1e2", "NaN", "12.", ".5", "", "100.01", "1.123456789", "12 %"]
)
def test_a_malformed_or_out_of_range_percent_is_refused_naming_the_field(text: str) -> None:
    assert field_of(lambda: parse_percent(text, "annual_rate")) == "annual_rate"


def test_a_percent_may_be_required_below_100() -> None:
    assert field_of(lambda: parse_percent("100%", "balloon", below_100=True)) == "balloon"


def test_amounts_must_be_positive_plain_decimals_in_the_currency() -> None:
    assert parse_positive_amount("5000", "CNY", "principal") == Money.of_minor(500_000, "CNY")
    for text in ("-5", "0", "0.00", "5,000", "1.234", "abc"):
        assert field_of(lambda t=text: parse_positive_amount(t, "CNY", "principal")) == (
            "principal"
        )


def test_counts_accept_ints_or_digits_within_their_bounds() -> None:
    assert parse_count("18", "periods") == 18
    assert parse_count(18, "periods", high=480) == 18
    for value in ("0", 0, "abc", "1.5", True, 481, None):
        assert field_of(lambda v=value: parse_count(v, "periods", high=480)) == "periods"


def test_dates_are_iso_year_month_day_only() -> None:
    assert parse_date("2022-11-01", "start") == date(2022, 11, 1)
    for text in ("20221101", "2022-13-01", "2022-02-30", "tomorrow", "2022-11-01T00:00"):
        assert field_of(lambda t=text: parse_date(t, "start")) == "start"


def test_rounding_names_take_hyphens_or_underscores() -> None:
    assert parse_rounding("half-up") is RoundingMode.HALF_UP
    assert parse_rounding("HALF_EVEN") is RoundingMode.HALF_EVEN
    assert parse_rounding("up") is RoundingMode.UP
    assert field_of(lambda: parse_rounding("nearest")) == "rounding"


# --- loan terms -------------------------------------------------------------------------------


def test_the_defaults_are_equal_installment_per_period_half_up_to_the_fen() -> None:
    terms = loan_terms(EXAMPLE)
    assert terms.principal == Money.of_minor(500_000, "CNY")
    assert terms.annual_rate == Decimal("0.12")
    assert (terms.method, terms.interest_basis) == (Method.EQUAL_INSTALLMENT, InterestBasis.PERIOD)
    assert (terms.rounding, terms.installment_multiple) == (RoundingMode.HALF_UP, 1)
    assert terms.day_count is DayCount.ACT_360


def test_every_option_is_translated_to_the_domain_value() -> None:
    data = replace(
        EXAMPLE, method="balloon", balloon="30%", interest_basis="daily", day_count="act/365",
        rounding="up", installment_multiple="1", first_due="2022-12-15", grace_periods="2",
        grace_kind="holiday-capitalised", subsidy_customer_rate="4.5",
    )  # fmt: skip
    terms = loan_terms(data)
    assert terms.method is Method.BALLOON and terms.balloon == Money.of_minor(150_000, "CNY")
    assert terms.interest_basis is InterestBasis.DAILY and terms.day_count is DayCount.ACT_365
    assert (terms.rounding, terms.installment_multiple) == (RoundingMode.UP, 100)
    assert terms.first_due == date(2022, 12, 15) and terms.grace_periods == 2
    assert terms.grace_kind is GraceKind.HOLIDAY_CAPITALISED
    assert terms.subsidy is not None and terms.subsidy.customer_rate == Decimal("0.045")


def test_a_balloon_may_be_an_amount_and_step_weights_a_list_of_decimals() -> None:
    balloon = loan_terms(replace(EXAMPLE, method="balloon", balloon="1500.00"))
    assert balloon.balloon == Money.of_minor(150_000, "CNY")
    step = loan_terms(replace(EXAMPLE, periods=3, method="step", step_weights=["1", "1", "2"]))
    assert step.step_weights == (Decimal(1), Decimal(1), Decimal(2))


def test_an_installment_multiple_is_counted_in_the_currencys_minor_units() -> None:
    assert loan_terms(replace(EXAMPLE, installment_multiple="10")).installment_multiple == 1000
    jpy = loan_terms(replace(EXAMPLE, currency="JPY", installment_multiple="100"))
    assert jpy.installment_multiple == 100


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"principal": "-5"}, "principal"),
        ({"principal": "5000.001"}, "principal"),
        ({"annual_rate": "abc"}, "annual_rate"),
        ({"annual_rate": "101"}, "annual_rate"),
        ({"periods": "0"}, "periods"),
        ({"periods": 481}, "periods"),
        ({"start": "2022-11-31"}, "start"),
        ({"first_due": "2022-10-01"}, "first_due"),
        ({"first_due": "2022-11-01"}, "first_due"),
        ({"frequency": "daily"}, "frequency"),
        ({"method": "bullet"}, "method"),
        ({"interest_basis": "hourly"}, "interest_basis"),
        ({"day_count": "ACT/366"}, "day_count"),
        ({"rounding": "nearest"}, "rounding"),
        ({"installment_multiple": "0"}, "installment_multiple"),
        ({"installment_multiple": "0.001"}, "installment_multiple"),
        ({"balloon": "30%"}, "balloon"),
        ({"method": "balloon"}, "balloon"),
        ({"method": "balloon", "balloon": "5000"}, "balloon"),
        ({"method": "balloon", "balloon": "100%"}, "balloon"),
        ({"currency": "XYZ"}, "currency"),
        ({"grace_periods": "-1"}, "grace_periods"),
        ({"grace_periods": "470"}, "grace_periods"),
        ({"grace_kind": "free"}, "grace_kind"),
        ({"method": "step"}, "step_weights"),
        ({"method": "step", "step_weights": ["1", "x"]}, "step_weights"),
        ({"method": "step", "step_weights": ["1"] * 5}, "step_weights"),
        ({"subsidy_customer_rate": "12"}, "subsidy_customer_rate"),
        ({"subsidy_customer_rate": "-1"}, "subsidy_customer_rate"),
    ],
)
def test_a_bad_schedule_field_is_refused_naming_that_field(
    change: dict[str, Any], field: str
) -> None:
    assert field_of(lambda: loan_terms(replace(EXAMPLE, **change))) == field


# --- schedules out ----------------------------------------------------------------------------


def test_the_issue_example_gives_304_91_a_month_and_an_apr_of_12_00_percent() -> None:
    wire = schedule_wire(build_input_schedule(EXAMPLE))
    assert (wire["installment"], wire["apr"], wire["apr_effective"]) == ("304.91", "12.00", "12.68")
    rows = wire["rows"]
    assert isinstance(rows, list) and len(rows) == 18
    assert rows[0]["interest"] == "50.00" and rows[0]["balance"] == "4745.09"
    assert sum(Decimal(row["principal"]) for row in rows) == Decimal("5000.00")
    assert list(wire)[-3:] == ["apr", "apr_effective", "rows"]


def test_to_the_yuan_rounded_up_the_first_row_is_255_00_plus_50_00() -> None:
    wire = schedule_wire(
        build_input_schedule(replace(EXAMPLE, installment_multiple="1", rounding="up"))
    )
    row = wire["rows"][0]  # type: ignore[index]
    assert (row["principal"], row["interest"], row["payment"], row["balance"]) == (
        "255.00", "50.00", "305.00", "4745.00",
    )  # fmt: skip


def test_a_long_first_period_enters_the_apr_as_a_fraction_of_a_period() -> None:
    """Start 2024-01-10, first due 2024-02-20: 41 days over the 31 of 01-20..02-20."""
    data = replace(EXAMPLE, start="2024-01-10", first_due="2024-02-20", periods="12")
    schedule = build_input_schedule(data)
    flows = [CashFlow(Fraction(0), Decimal(5000))]
    flows += [
        CashFlow(Fraction(41, 31) + k, -row.money("payment").to_decimal())
        for k, row in enumerate(schedule.rows)
    ]
    assert schedule_apr(schedule).periodic == irr_at_times(flows)
    assert schedule_wire(schedule)["apr"] == "12.00"  # interest pro-rated to the days


def test_payment_holidays_are_left_out_of_the_apr_rather_than_refused() -> None:
    data = replace(EXAMPLE, grace_periods="2", grace_kind="holiday-capitalised")
    wire = schedule_wire(build_input_schedule(data))
    assert wire["apr"] == "12.00"


def test_a_zero_percent_subsidised_loan_costs_the_borrower_nothing() -> None:
    wire = schedule_wire(build_input_schedule(replace(EXAMPLE, subsidy_customer_rate="0")))
    assert (wire["apr"], wire["total_interest"]) == ("0.00", "0.00")
    assert wire["total_subsidy"] != "0.00"


def test_the_wire_matches_the_domain_schedule_built_directly() -> None:
    schedule = build_input_schedule(EXAMPLE)
    direct = build_schedule(loan_terms(EXAMPLE)).to_dict()
    wire = schedule_wire(schedule)
    assert {k: v for k, v in wire.items() if not k.startswith("apr")} == direct


# --- APR calculators --------------------------------------------------------------------------


def test_reg_z_appendix_j_c_1_i_is_9_69_percent() -> None:
    wire = regz_wire(regz_result(REGZ))
    assert wire["apr"] == "9.69" and wire["regular"] is True
    assert Decimal(str(wire["apr_exact"])) == Decimal("9.685708")


def test_reg_z_a_late_first_payment_lowers_the_apr_to_9_42_percent() -> None:
    wire = regz_wire(regz_result(replace(REGZ, first_payment="1978-02-20")))
    assert (wire["apr"], wire["odd_days_fraction"]) == ("9.42", "1/3")


def test_reg_z_a_different_first_payment_amount_changes_only_the_first_payment() -> None:
    same = regz_result(replace(REGZ, first_payment_amount="230"))
    assert same.apr == Decimal("9.69")
    assert regz_result(replace(REGZ, first_payment_amount="250")).apr > same.apr


@pytest.mark.parametrize("frequency", ["weekly", "biweekly", "semimonthly", "quarterly"])
def test_reg_z_steps_payments_one_unit_period_apart(frequency: str) -> None:
    assert regz_result(replace(REGZ, frequency=frequency)).regular


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5000"}, "amount"),
        ({"payment": "abc"}, "payment"),
        ({"count": "0"}, "count"),
        ({"advance_date": "1978-1-10"}, "advance_date"),
        ({"first_payment": "1978-01-10"}, "first_payment"),
        ({"frequency": "daily"}, "frequency"),
        ({"first_payment_amount": "0"}, "first_payment_amount"),
    ],
)
def test_a_bad_reg_z_field_is_refused_naming_that_field(change: dict[str, Any], field: str) -> None:
    assert field_of(lambda: regz_result(replace(REGZ, **change))) == field


def test_irr_of_888_49_a_month_on_10000_is_12_00_nominal_and_12_68_effective() -> None:
    wire = irr_wire(irr_rate(IrrInput(receive="10000", payment="888.49", count=12,
                                      periods_per_year=12)))  # fmt: skip
    assert (wire["nominal"], wire["effective"]) == ("12.00", "12.68")


def test_irr_of_a_fee_only_zero_percent_plan_is_13_03_percent() -> None:
    rate = irr_rate(IrrInput(receive="12000", payment="1072", count="12", periods_per_year="12"))
    assert rate.nominal_percent() == Decimal("13.03")


@pytest.mark.parametrize(
    ("change", "field"),
    [({"receive": "0"}, "receive"), ({"payment": "-1"}, "payment"), ({"count": "x"}, "count"),
     ({"periods_per_year": "0"}, "periods_per_year"),
     ({"periods_per_year": "367"}, "periods_per_year"),
     ({"receive": "1", "payment": "100", "count": "1"}, "payment")],
)  # fmt: skip
def test_a_bad_irr_field_is_refused_naming_that_field(change: dict[str, Any], field: str) -> None:
    base = IrrInput(receive="10000", payment="888.49", count="12", periods_per_year="12")
    assert field_of(lambda: irr_rate(replace(base, **change))) == field


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(schedule_input)
    assert result.attempted > 0 and result.failed == 0


# --- the regulation pack of the APR -----------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "jurisdiction", "pack"),
    [("CNY", None, "CN"), ("USD", None, "US"), ("EUR", None, "CN"), ("USD", "us", "US"),
     ("CNY", "CN", "CN")],
)  # fmt: skip
def test_the_pack_is_the_one_asked_for_else_the_currencys_and_cn_for_any_other_currency(
    currency: str, jurisdiction: str | None, pack: str
) -> None:
    data = replace(EXAMPLE, currency=currency, jurisdiction=jurisdiction)
    assert schedule_pack(data) == pack


@pytest.mark.parametrize(
    ("currency", "jurisdiction"), [("CNY", "US"), ("USD", "CN"), ("EUR", "US"), ("CNY", "XX")]
)
def test_a_pack_that_does_not_lend_in_the_currency_is_refused_naming_jurisdiction(
    currency: str, jurisdiction: str
) -> None:
    data = replace(EXAMPLE, currency=currency, jurisdiction=jurisdiction)
    assert field_of(lambda: schedule_pack(data)) == "jurisdiction"


def test_the_us_pack_discloses_the_appendix_j_apr_and_the_cn_pack_the_pboc_rate() -> None:
    """27 odd days: 20.21 % by Appendix J (worked independently by ``appendix_j_apr`` in
    test_regz_disclosures.py; checked against it in tests/e2e/test_cli_loanmath.py), 20.00 %
    by the CN rule (27/28 of a month, pro-rated interest)."""
    data = replace(EXAMPLE, annual_rate="20", periods="12", start="2026-02-03",
                   first_due="2026-03-02", currency="USD")  # fmt: skip
    schedule = build_input_schedule(data)
    assert schedule_wire(schedule, "US")["apr"] == "20.21"
    assert schedule_wire(schedule, "CN")["apr"] == schedule_wire(schedule)["apr"] == "20.00"
