"""``POST /api/v1/quotes`` on both databases: public (no token), the issue's golden
numbers, the term comparison, affordability, and a 422 naming the field for bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

URL = "/api/v1/quotes"
GOLDEN: dict[str, Any] = {
    "vehicle_price": "150000",
    "down_payment_ratio": "30",
    "annual_rate": "4.5",
    "term_months": 36,
}
ORIGINATION_IN_CASH = {"kind": "origination", "rate_percent": "1", "timing": "upfront"}


def quote(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post(URL, json={**GOLDEN, **changes})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_the_calculator_is_public_and_gives_the_golden_quote(client: TestClient) -> None:
    response = client.post(URL, json=GOLDEN)  # no Authorization header
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["installment"] == "3123.43"
    assert data["monthly_payment"] == "3123.43"
    assert data["apr"] == {"nominal": "4.50", "effective": "4.59"}
    assert (data["down_payment"], data["amount_financed"]) == ("45000.00", "105000.00")
    assert (data["total_interest"], data["total_fees"]) == ("7443.34", "0.00")
    assert data["total_repayable"] == data["schedule"]["total_payment"] == "112443.34"
    assert data["total_cost_of_credit"] == "7443.34"
    assert data["cost_ceiling"] == {"status": "ok", "ceiling": "24.00"}
    rows = data["schedule"]["rows"]
    assert len(rows) == 36 and rows[0]["due_date"] == "2026-12-28"  # today from the clock
    assert sum(Decimal(row["principal"]) for row in rows) == Decimal("105000.00")
    assert data["affordability"] is None


def test_a_one_percent_origination_fee_paid_in_cash_raises_the_apr_to_5_17(
    client: TestClient,
) -> None:
    data = quote(client, fees=[ORIGINATION_IN_CASH])
    assert data["installment"] == "3123.43"  # paid in cash: not in the loan
    assert data["apr"]["nominal"] == "5.17"
    assert (data["total_fees"], data["upfront_fees_cash"]) == ("1050.00", "1050.00")
    assert data["total_repayable"] == "113493.34"


def test_financed_and_monthly_fees_change_the_loan_and_the_monthly_payment(
    client: TestClient,
) -> None:
    fees = [
        {"kind": "gps", "amount": "50", "timing": "monthly"},
        {"kind": "credit-insurance", "amount": "1500", "financed": True},
    ]
    data = quote(client, fees=fees)
    assert data["amount_financed"] == "106500.00"
    assert data["monthly_fees"] == "50.00"
    assert Decimal(data["monthly_payment"]) == Decimal(data["installment"]) + 50
    assert data["total_fees"] == "3300.00"  # 1,500 + 36 x 50
    assert Decimal(data["apr"]["nominal"]) > Decimal("4.50")


def test_the_comparison_has_five_terms_with_installments_falling_as_the_term_grows(
    client: TestClient,
) -> None:
    comparison = quote(client)["comparison"]
    assert [row["term_months"] for row in comparison] == [12, 24, 36, 48, 60]
    installments = [Decimal(row["installment"]) for row in comparison]
    assert installments == sorted(installments, reverse=True)
    assert len(set(installments)) == 5
    interest = [Decimal(row["total_interest"]) for row in comparison]
    assert interest == sorted(interest)
    assert comparison[2]["installment"] == "3123.43" and comparison[2]["apr"] == "4.50"
    assert quote(client, compare_terms=False)["comparison"] is None


def test_affordability_gives_the_income_share_and_the_price_that_fits(
    client: TestClient,
) -> None:
    data = quote(client, monthly_income="12000", max_income_share="30")
    affordability = data["affordability"]
    assert affordability["installment_share"] == "26.0"  # 3,123.43 / 12,000
    assert affordability["max_income_share"] == "30"
    price = Decimal(affordability["affordable_price"])
    assert Decimal("150000") < price < Decimal("200000")
    at_price = quote(client, vehicle_price=f"{price:f}", compare_terms=False)
    assert Decimal(at_price["monthly_payment"]) <= Decimal("3600.00")
    assert quote(client, monthly_income="12000")["affordability"]["max_income_share"] == "50"


def test_a_down_payment_amount_a_subsidy_and_a_balloon_are_quoted(client: TestClient) -> None:
    amount = quote(client, down_payment="45000", down_payment_ratio=None)
    assert amount["installment"] == "3123.43"
    promotion = quote(client, subsidy_customer_rate="0")
    assert promotion["installment"] == "2916.67" and promotion["apr"]["nominal"] == "0.00"
    assert Decimal(promotion["total_subsidy"]) > 0
    balloon = quote(client, balloon_percent="30")
    rows = balloon["schedule"]["rows"]
    assert Decimal(rows[-1]["payment"]) > Decimal("45000")
    assert Decimal(balloon["installment"]) < Decimal("3123.43")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vehicle_price": "-150000"}, "vehicle_price"),
        ({"vehicle_price": "abc"}, "vehicle_price"),
        ({"down_payment": "150000", "down_payment_ratio": None}, "down_payment"),
        ({"down_payment": "-1", "down_payment_ratio": None}, "down_payment"),
        ({"down_payment_ratio": "100"}, "down_payment_ratio"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": "36"}, "term_months"),
        ({"annual_rate": "abc"}, "annual_rate"),
        ({"annual_rate": "-1"}, "annual_rate"),
        ({"fees": [{"kind": "parking", "amount": "10"}]}, "fees[0].kind"),
        ({"fees": [{"kind": "gps", "amount": "10", "timing": "weekly"}]}, "fees[0].timing"),
        ({"fees": [{"kind": "gps"}]}, "fees[0].amount"),
        ({"fees": [{"kind": "gps", "amount": "1", "colour": "red"}]}, "fees[0].colour"),
        ({"method": "lottery"}, "method"),
        ({"start": "2026-13-01"}, "start"),
        ({"balloon_percent": "95"}, "balloon_percent"),
        ({"subsidy_customer_rate": "6"}, "subsidy_customer_rate"),
        ({"monthly_income": "0"}, "monthly_income"),
        ({"monthly_income": "9000", "max_income_share": "0"}, "max_income_share"),
        ({"currency": "USD"}, "currency"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_answers_422_naming_the_field(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    body = {key: value for key, value in {**GOLDEN, **changes}.items() if value is not None}
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field, error
    assert error["code"] == "invalid_input"


def test_the_quote_route_is_documented_as_public(client: TestClient) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["post"]
    assert "security" not in operation
    assert "QuoteResponse" in str(operation["responses"]["200"])


def test_every_wrong_field_of_a_quote_is_named_in_one_answer(client: TestClient) -> None:
    """Only ``vehicle_price`` was named; the rate, the term and the down payment were
    wrong too and came back one correction at a time."""
    body = {"vehicle_price": "-5", "down_payment_ratio": "130", "annual_rate": "abc",
            "term_months": 0}  # fmt: skip
    refused = client.post(URL, json=body)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    named = [e["field"] for e in error["errors"]]
    assert named == ["vehicle_price", "annual_rate", "term_months", "down_payment_ratio"]
    assert error["field"] == "vehicle_price"
