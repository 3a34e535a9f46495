"""A nested field is named in one style in every API error, the one the domain's own
checks use: an item of a list by its index in brackets, ``fees[0].amount``,
``applicants[1].address``; never Pydantic's ``fees.0.amount``, nor the name of the union
member (``list[MonthlyFeeItem]``) a caller never wrote (src/autolend/api/errors.py).
The field in ``field``, in each ``errors[]`` item and in the messages is the same.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body

pytestmark = pytest.mark.integration
TERMS = {"principal": "12000.00", "annual_rate": "12", "periods": 12, "start": "2026-01-05"}
QUOTE = {"vehicle_price": "150000.00", "down_payment": "45000.00", "term_months": 36,
         "annual_rate": "4.5"}  # fmt: skip


def refused(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == "invalid_input"
    return error


def every(error: dict[str, Any]) -> dict[str, str]:
    """Each wrong field by its message; the first is also ``field`` and ``message``."""
    listed = error.get("errors") or [error]
    assert (listed[0]["field"], listed[0]["message"]) == (error["field"], error["message"])
    return {e["field"]: e["message"] for e in listed}


def test_bad_items_of_an_application_s_applicants_are_named_by_their_index_in_brackets(
    client: TestClient, staff: dict[Role, str]
) -> None:
    body = application_body()
    borrower = body["applicants"][0]
    body["applicants"] = [
        dict(borrower, address=123),
        dict(borrower, role="guarantor", income_stability_months="abc"),
    ]
    headers = as_role(client, staff, Role.DEALER)
    error = refused(client.post("/api/v1/applications", json=body, headers=headers))
    found = every(error)
    assert list(found) == ["applicants[0].address", "applicants[1].income_stability_months"]
    assert found["applicants[0].address"] == "applicants[0].address must be a string, not a number"
    assert found["applicants[1].income_stability_months"].startswith(
        "applicants[1].income_stability_months: "
    )


def test_a_bad_monthly_fee_in_a_loan_booking_is_named_as_the_item_the_caller_wrote(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """``monthly_fees`` is an object or a list: a list with a bad item is told of that
    item, not also that it is no object, nor by the list member's Python type."""
    headers = as_role(client, staff, Role.SERVICING)
    fees = [{"kind": "gps", "amount": "30.00"}, {"kind": "insurance", "amount": 50}]
    error = refused(client.post("/api/v1/loans", json=TERMS | {"monthly_fees": fees},
                                headers=headers))  # fmt: skip
    assert every(error) == {
        "monthly_fees[1].amount": (
            'monthly_fees[1].amount must be a decimal string such as "100.00", not a number'
        )
    }
    fees = [{"kind": "gps", "amount": "30.00", "colour": "red"}]
    error = refused(client.post("/api/v1/loans", json=TERMS | {"monthly_fees": fees},
                                headers=headers))  # fmt: skip
    assert every(error) == {"monthly_fees[0].colour": "unknown field 'monthly_fees[0].colour'"}
    assert client.get("/api/v1/loans", headers=headers).json()["items"] == []


def test_a_quote_fee_the_model_or_the_domain_refuses_reads_the_same_style(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """The request model refuses a number and an unknown key; the domain's quote rules
    a kind it does not know, and said ``fees.0.kind`` on its own."""
    headers = as_role(client, staff, Role.UNDERWRITER)
    fees = [{"kind": "gps", "amount": 1500}, {"kind": "gps", "amount": "1", "colour": "red"}]
    error = refused(client.post("/api/v1/quotes", json=QUOTE | {"fees": fees}, headers=headers))
    assert every(error) == {
        "fees[0].amount": 'fees[0].amount must be a decimal string such as "1500.00", not a number',
        "fees[1].colour": "unknown field 'fees[1].colour'",
    }
    fees = [{"kind": "gps", "amount": "10"}, {"kind": "parking", "amount": "10"}]
    error = refused(client.post("/api/v1/quotes", json=QUOTE | {"fees": fees}, headers=headers))
    assert error["field"] == "fees[1].kind"
    assert error["message"].startswith("fees[1].kind 'parking' is not one of ")
