"""Behaviour of autolend.domain.quote_input: the quote calculator's typed fields in,
a priced outcome and its wire form out, errors naming the input field (shared by the
API and the web calculator)."""

from __future__ import annotations

import doctest
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autolend.domain import quote_input
from autolend.domain.errors import InvalidInput
from autolend.domain.fees import FeeKind, FeeTiming
from autolend.domain.money import Money
from autolend.domain.quote import CeilingStatus
from autolend.domain.quote_input import (
    FeeInput,
    QuoteInput,
    late_payment_example,
    percent_text,
    price_quote,
    quote_request,
    quote_wire,
)
from autolend.domain.schedule import Method

TODAY = date(2024, 3, 10)
GOLDEN = QuoteInput(
    vehicle_price="150000", down_payment_ratio="30", annual_rate="4.5", term_months=36
)
ORIGINATION = FeeInput(kind="origination", rate_percent="1")


def field_of(data: QuoteInput) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        price_quote(data, TODAY)
    return caught.value.field


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(quote_input).failed == 0


def test_the_golden_quote_and_its_wire_form() -> None:
    outcome = price_quote(GOLDEN, TODAY)
    wire = quote_wire(outcome)
    assert (wire["installment"], wire["monthly_payment"]) == ("3123.43", "3123.43")
    assert wire["apr"] == {"nominal": "4.50", "effective": "4.59"}
    assert wire["cost_ceiling"] == {"status": "ok", "ceiling": "24.00"}
    assert (wire["amount_financed"], wire["total_interest"]) == ("105000.00", "7443.34")
    assert wire["affordability"] is None
    schedule: Any = wire["schedule"]
    assert len(schedule["rows"]) == 36 and schedule["rows"][0]["due_date"] == "2024-04-10"
    comparison: Any = wire["comparison"]
    assert [row["term_months"] for row in comparison] == [12, 24, 36, 48, 60]
    assert outcome.ceiling is CeilingStatus.OK


def test_fees_in_cash_financed_and_monthly_are_parsed_with_hyphens_or_underscores() -> None:
    fees = (
        ORIGINATION,
        FeeInput(kind="credit-insurance", amount="1500", financed=True),
        FeeInput(kind="GPS", amount="50", timing="monthly"),
    )
    request = quote_request(replace(GOLDEN, fees=fees), TODAY)
    assert [fee.kind for fee in request.fees] == [
        FeeKind.ORIGINATION, FeeKind.CREDIT_INSURANCE, FeeKind.GPS,
    ]  # fmt: skip
    assert request.fees[2].timing is FeeTiming.MONTHLY
    wire = quote_wire(price_quote(replace(GOLDEN, fees=(ORIGINATION,)), TODAY))
    assert wire["apr"] == {"nominal": "5.17", "effective": "5.29"}
    assert wire["total_fees"] == "1050.00"


def test_the_method_follows_the_balloon_unless_given() -> None:
    assert quote_request(GOLDEN, TODAY).method is Method.EQUAL_INSTALLMENT
    balloon = quote_request(replace(GOLDEN, balloon_percent="30"), TODAY)
    assert balloon.method is Method.BALLOON
    assert balloon.balloon_ratio_of_price == Decimal("0.3")
    flat = quote_request(replace(GOLDEN, method="equal_principal"), TODAY)
    assert flat.method is Method.EQUAL_PRINCIPAL


def test_start_first_due_and_a_down_payment_amount() -> None:
    data = replace(GOLDEN, start="2024-01-10", first_due="2024-02-20", down_payment="45000",
                   down_payment_ratio=None)  # fmt: skip
    request = quote_request(data, TODAY)
    assert (request.start, request.first_due) == (date(2024, 1, 10), date(2024, 2, 20))
    assert request.down_payment == Money.parse("45000", "CNY")


def test_a_subsidy_below_the_rate_makes_a_promotion() -> None:
    wire = quote_wire(price_quote(replace(GOLDEN, subsidy_customer_rate="0"), TODAY))
    assert wire["installment"] == "2916.67" and wire["apr"] == {
        "nominal": "0.00",
        "effective": "0.00",
    }
    assert Decimal(str(wire["total_subsidy"])) > 0


def test_affordability_needs_an_income_and_gives_the_share_and_the_price() -> None:
    data = replace(GOLDEN, monthly_income="10000", max_income_share="30", compare_terms=False)
    outcome = price_quote(data, TODAY)
    assert outcome.affordable == Money.parse("144072.76", "CNY")  # the domain's example
    assert outcome.comparison == ()
    wire = quote_wire(outcome)
    assert wire["affordability"] == {
        "installment_share": "31.2", "max_income_share": "30", "affordable_price": "144072.76",
    }  # fmt: skip
    assert wire["comparison"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vehicle_price": "-1"}, "vehicle_price"),
        ({"vehicle_price": "1.234"}, "vehicle_price"),
        ({"annual_rate": "abc"}, "annual_rate"),
        ({"annual_rate": "101"}, "annual_rate"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": "481"}, "term_months"),
        ({"down_payment_ratio": None}, "down_payment"),
        ({"down_payment": "45000"}, "down_payment"),
        ({"down_payment_ratio": "100"}, "down_payment_ratio"),
        ({"down_payment": "150000", "down_payment_ratio": None}, "down_payment"),
        ({"down_payment": "", "down_payment_ratio": None}, "down_payment"),
        ({"method": "lease"}, "method"),
        ({"start": "10/03/2024"}, "start"),
        ({"first_due": "2024-02-30"}, "first_due"),
        ({"balloon_percent": "80"}, "balloon_percent"),
        ({"balloon_percent": "30", "method": "flat"}, "balloon_percent"),
        ({"subsidy_customer_rate": "4.5"}, "subsidy_customer_rate"),
        ({"monthly_income": "-1"}, "monthly_income"),
        ({"monthly_income": "9000", "max_income_share": "0"}, "max_income_share"),
        ({"max_income_share": "abc"}, "max_income_share"),
        ({"currency": "XXX"}, "currency"),
        ({"fees": (FeeInput(kind="parking", amount="1"),)}, "fees.0.kind"),
        ({"fees": (ORIGINATION, FeeInput(kind="gps", timing="daily", amount="1"))},
         "fees.1.timing"),
        ({"fees": (FeeInput(kind="gps"),)}, "fees.0.amount"),
        ({"fees": (FeeInput(kind="gps", amount="-5"),)}, "fees.0.amount"),
        ({"fees": (FeeInput(kind="gps", rate_percent="x"),)}, "fees.0.rate_percent"),
        ({"fees": (FeeInput(kind="gps", amount="5", timing="monthly", financed=True),)},
         "fees.0.financed"),
        ({"fees": (ORIGINATION,) * 11}, "fees"),
        ({"fees": (FeeInput(kind="other", rate_percent="100"),)}, "fees"),
    ],
)  # fmt: skip
def test_every_bad_value_names_its_input_field(changes: dict[str, Any], field: str) -> None:
    assert field_of(replace(GOLDEN, **changes)) == field


def test_one_installment_thirty_days_late_costs_the_penalty_of_the_pboc_rule() -> None:
    late = late_payment_example(price_quote(GOLDEN, TODAY).quote)
    assert (late.n, late.due_date, late.days) == (1, date(2024, 4, 10), 30)
    assert late.penalty_rate == Decimal("0.0675")  # 4.5 % x 1.5
    assert late.payment.to_api() == "3123.43"
    assert (late.per_day.to_api(), late.total.to_api()) == ("0.58", "17.40")


def test_percents_are_rounded_half_up() -> None:
    assert percent_text(Decimal("0.2602858")) == "26.03"
    assert percent_text(Decimal("0.31234"), Decimal("0.1")) == "31.2"
    assert percent_text(Decimal("0.24"), Decimal(1)) == "24"


def test_a_quote_past_the_cost_ceiling_is_flagged() -> None:
    fees = (FeeInput(kind="other", rate_percent="40"),)
    wire = quote_wire(price_quote(replace(GOLDEN, fees=fees), TODAY))
    assert wire["cost_ceiling"] == {"status": "breach", "ceiling": "24.00"}
    warn = (FeeInput(kind="other", rate_percent="20"),)
    assert price_quote(replace(GOLDEN, fees=warn), TODAY).ceiling is CeilingStatus.WARN
