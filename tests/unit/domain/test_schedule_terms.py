"""LoanTerms validation: every rejected input names its field."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import (
    DayCount,
    Frequency,
    GraceKind,
    InterestBasis,
    LoanTerms,
    Method,
    RoundingMode,
    Subsidy,
)
from autolend.domain.schedule.engine import build_schedule


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


def field_of(**overrides: Any) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        make(**overrides)
    return caught.value.field


def test_defaults_are_the_china_bank_conventions() -> None:
    terms = make()
    assert terms.frequency is Frequency.MONTHLY
    assert terms.method is Method.EQUAL_INSTALLMENT
    assert terms.interest_basis is InterestBasis.PERIOD
    assert terms.day_count is DayCount.ACT_360  # PBOC: daily rate = annual rate / 360
    assert terms.rounding is RoundingMode.HALF_UP
    assert terms.installment_multiple == 1
    assert terms.sticky_end_of_month is True
    assert terms.grace_periods == 0
    assert terms.grace_kind is GraceKind.INTEREST_ONLY
    assert terms.total_periods == 12


def test_enum_values_are_the_documented_strings() -> None:
    assert [f.value for f in Frequency] == [
        "monthly", "semimonthly", "biweekly", "weekly", "quarterly",
    ]  # fmt: skip
    assert [f.periods_per_year for f in Frequency] == [12, 24, 26, 52, 4]
    assert [m.value for m in Method] == [
        "equal_installment", "equal_principal", "flat", "interest_only", "balloon", "step",
    ]  # fmt: skip
    assert [b.value for b in InterestBasis] == ["period", "daily"]
    assert [g.value for g in GraceKind] == [
        "interest_only", "holiday_capitalised", "holiday_deferred",
    ]  # fmt: skip


def test_enum_fields_accept_their_string_values() -> None:
    terms = make(frequency="quarterly", method="equal_principal", day_count="30/360")
    assert terms.frequency is Frequency.QUARTERLY
    assert terms.method is Method.EQUAL_PRINCIPAL
    assert terms.day_count is DayCount.THIRTY_360


def test_an_unknown_enum_string_names_the_field_and_the_choices() -> None:
    with pytest.raises(InvalidInput) as caught:
        make(method="french")
    assert caught.value.field == "method"
    assert "equal_installment" in caught.value.message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"principal": cny("-1.00")}, "principal"),
        ({"principal": cny("0")}, "principal"),
        ({"principal": 100000}, "principal"),
        ({"periods": 0}, "periods"),
        ({"periods": 481}, "periods"),
        ({"periods": True}, "periods"),
        ({"annual_rate": Decimal("1.0001")}, "annual_rate"),
        ({"annual_rate": Decimal("-0.01")}, "annual_rate"),
        ({"annual_rate": Decimal("NaN")}, "annual_rate"),
        ({"annual_rate": 0.049}, "annual_rate"),  # binary floating point is refused
        ({"annual_rate": Decimal("0.12345678901")}, "annual_rate"),  # 11 decimal places
        ({"first_due": date(2024, 1, 15)}, "first_due"),
        ({"first_due": date(2024, 1, 1)}, "first_due"),
        ({"start": datetime(2024, 1, 15, 9, 0)}, "start"),
        ({"due_day": 29}, "due_day"),
        ({"due_day": 0}, "due_day"),
        ({"due_day": 20, "frequency": "weekly"}, "due_day"),
        ({"due_day": 20, "first_due": date(2024, 2, 21)}, "first_due"),
        ({"installment_multiple": 0}, "installment_multiple"),
        ({"grace_periods": -1}, "grace_periods"),
        ({"periods": 470, "grace_periods": 11}, "grace_periods"),
        ({"rounding": "HALF_UP"}, "rounding"),
        ({"sticky_end_of_month": 1}, "sticky_end_of_month"),
    ],
)
def test_invalid_terms_are_rejected_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    assert field_of(**overrides) == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start": date(9999, 12, 1)}, "start"),
        ({"first_due": date(9999, 12, 31)}, "first_due"),
        ({"start": date(9999, 1, 1), "frequency": Frequency.WEEKLY, "periods": 60}, "start"),
        ({"start": date(9960, 1, 1), "periods": 480}, "start"),
    ],
)
def test_a_loan_whose_due_dates_would_fall_after_9999_names_the_date_it_counts_from(
    overrides: dict[str, Any], field: str
) -> None:
    # The calendar's overflow named a field no caller has ("months").
    with pytest.raises(InvalidInput, match="leaves no room") as refused:
        make(**overrides)
    assert refused.value.field == field


def test_the_last_due_date_may_be_the_calendars_last_month() -> None:
    rows = build_schedule(make(start=date(9959, 11, 30), periods=480)).rows
    assert rows[-1].due_date == date(9999, 11, 30)


def test_a_rate_of_exactly_zero_or_one_hundred_percent_is_allowed() -> None:
    assert make(annual_rate=Decimal(0)).annual_rate == 0
    assert make(annual_rate=Decimal(1)).annual_rate == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"method": "balloon"}, "balloon"),  # missing
        ({"method": "balloon", "balloon": cny("100000")}, "balloon"),  # = principal
        ({"method": "balloon", "balloon": cny("120000")}, "balloon"),  # > principal
        ({"method": "balloon", "balloon": cny("0")}, "balloon"),
        ({"balloon": cny("30000")}, "balloon"),  # not the balloon method
        (
            {
                "method": "balloon",
                "balloon": cny("1"),
                "balloon_ratio_of_price": Decimal("0.3"),
                "vehicle_price": cny("150000"),
            },
            "balloon",
        ),
        ({"method": "balloon", "balloon_ratio_of_price": Decimal("0.3")}, "vehicle_price"),
        ({"method": "balloon", "vehicle_price": cny("150000")}, "balloon_ratio_of_price"),
        (
            {
                "method": "balloon",
                "balloon_ratio_of_price": Decimal("0.9"),
                "vehicle_price": cny("150000"),
            },
            "balloon",
        ),  # 135,000 is above the 100,000 lent
    ],
)
def test_balloon_inputs_are_checked(overrides: dict[str, Any], field: str) -> None:
    assert field_of(**overrides) == field


def test_a_balloon_in_another_currency_is_a_currency_mismatch() -> None:
    with pytest.raises(CurrencyMismatch) as caught:
        make(method="balloon", balloon=Money.parse("100", "USD"))
    assert caught.value.field == "balloon"


def test_a_balloon_ratio_of_the_price_is_rounded_with_the_loan_rounding() -> None:
    terms = make(
        method="balloon",
        balloon_ratio_of_price=Decimal("0.25"),
        vehicle_price=cny("150000.02"),
        rounding=RoundingMode.DOWN,
    )
    assert terms.balloon_amount() == cny("37500.00")  # 37,500.005 rounded down


@pytest.mark.parametrize(
    ("weights", "problem"),
    [
        ((Decimal(1),) * 11, "one weight per period"),
        ((Decimal(0),) * 12, "all be zero"),
        ((Decimal(1),) * 11 + (Decimal(-1),), ">= 0"),
        ((Decimal(1),) * 11 + (0.5,), "Decimal"),
        ("111111111111", "sequence"),
    ],
)
def test_step_weights_must_fit_the_term_and_not_all_be_zero(weights: Any, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        make(method="step", step_weights=weights)
    assert caught.value.field == "step_weights"
    assert problem in caught.value.message


def test_a_12_month_pattern_must_not_be_all_zero_over_a_shorter_loan() -> None:
    pattern = (Decimal(0),) * 3 + (Decimal(1),) * 9
    with pytest.raises(InvalidInput) as caught:
        make(method="step", periods=3, step_weights=pattern)
    assert caught.value.field == "step_weights"
    assert make(method="step", periods=4, step_weights=pattern).periods == 4


def test_step_weights_are_required_by_and_only_by_the_step_method() -> None:
    assert field_of(method="step") == "step_weights"
    assert field_of(step_weights=(Decimal(1),) * 12) == "step_weights"


def test_step_weights_may_be_a_list_of_ints_and_are_kept_as_a_decimal_tuple() -> None:
    terms = make(method="step", periods=24, step_weights=[1] * 10 + [3, 3])
    assert terms.step_weights == (Decimal(1),) * 10 + (Decimal(3), Decimal(3))


def test_a_subsidy_must_lower_the_rate() -> None:
    assert field_of(subsidy=Subsidy(Decimal("0.049"), "oem")) == "subsidy"
    assert field_of(subsidy=Subsidy(Decimal("0.06"), "oem")) == "subsidy"
    assert field_of(subsidy="oem") == "subsidy"
    with pytest.raises(InvalidInput) as caught:
        Subsidy(Decimal("0"), " ")
    assert caught.value.field == "subsidy"


def test_terms_are_frozen_and_replace_revalidates() -> None:
    terms = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        terms.periods = 24  # type: ignore[misc]
    assert dataclasses.replace(terms, periods=24).periods == 24
    with pytest.raises(InvalidInput) as caught:
        dataclasses.replace(terms, periods=0)
    assert caught.value.field == "periods"


def test_with_balance_re_amortises_from_a_new_start() -> None:
    terms = make(first_due=date(2024, 2, 20), grace_periods=2)
    later = terms.with_balance(cny("40000"), date(2024, 8, 20), 6)
    assert (later.principal, later.start, later.periods) == (cny("40000"), date(2024, 8, 20), 6)
    assert later.first_due is None and later.grace_periods == 0
    assert later.annual_rate == terms.annual_rate
