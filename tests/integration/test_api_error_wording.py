"""What the API's own error bodies say to an integrator (src/autolend/api/errors.py).

- A JSON number where a string belongs (``"amount": 100``) is told with an example of the
  field's form, not Pydantic's "Input should be a valid string".
- A path, query or header parameter is named as the caller wrote it: ``customer_id``,
  ``limit``, ``Idempotency-Key``, as body fields are named without ``body.``.
- An unknown API endpoint or method answers the API's error body naming what was asked
  (and, for a method, the ones allowed); the web pages keep their own 404 page.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role

pytestmark = pytest.mark.integration


def sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/token", data={"username": role.value, "password": staff[role]}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def refused(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == "invalid_input"
    return error


def messages(error: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["message"] for e in error.get("errors") or [error]}


# -- a number where a string belongs -------------------------------------------------------------


def test_an_amount_sent_as_a_json_number_is_asked_for_as_a_decimal_string(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, staff, Role.SERVICING) | {"Idempotency-Key": "wording-1"}
    body = {"amount": 100, "currency": "CNY", "value_date": "2026-11-20"}
    error = refused(client.post("/api/v1/loans/1/repayments", json=body, headers=headers))
    assert error["field"] == "amount"
    assert error["message"] == 'amount must be a decimal string such as "100.00", not a number'


def test_a_currency_sent_as_a_number_is_shown_a_currency_code_not_an_amount(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, staff, Role.SERVICING) | {"Idempotency-Key": "wording-2"}
    body = {"amount": 100.5, "currency": 156, "value_date": "2026-11-20"}
    error = refused(client.post("/api/v1/loans/1/refunds", json=body, headers=headers))
    assert messages(error) == {
        "amount": 'amount must be a decimal string such as "100.00", not a number',
        "currency": 'currency must be a string such as "CNY", not a number',
    }


def test_a_number_inside_a_list_of_the_body_is_shown_the_nested_fields_example(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, staff, Role.UNDERWRITER)
    body = {
        "vehicle_price": "150000.00",
        "down_payment": "45000.00",
        "term_months": 36,
        "annual_rate": 4.5,
        "fees": [{"kind": "gps", "amount": 1500}],
    }
    error = refused(client.post("/api/v1/quotes", json=body, headers=headers))
    assert messages(error) == {
        "annual_rate": 'annual_rate must be a decimal string such as "4.5", not a number',
        "fees[0].amount": 'fees[0].amount must be a decimal string such as "1500.00", not a number',
    }


def test_a_string_field_sent_as_a_number_true_null_or_an_object_says_which_it_got(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, staff, Role.UNDERWRITER)
    body = {"name": True, "id_number": None, "phone": 13600001111, "bank_account": {"a": 1}}
    error = refused(client.post("/api/v1/customers", json=body, headers=headers))
    assert messages(error) == {
        "name": "name must be a string, not true",
        "id_number": "id_number must be a string, not null",
        "phone": "phone must be a string, not a number",  # the schema shows no example
        "bank_account": "bank_account must be a string, not an object",
    }


# -- parameters named as the caller wrote them ---------------------------------------------------


def test_path_query_and_header_parameters_are_named_without_their_location(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, staff, Role.SERVICING)
    by_path = refused(client.get("/api/v1/customers/abc", headers=headers))
    assert by_path["field"] == "customer_id"
    assert by_path["message"].startswith("customer_id: ")
    by_query = refused(client.get("/api/v1/customers", params={"limit": "0"}, headers=headers))
    assert by_query["field"] == "limit" and by_query["message"].startswith("limit: ")
    long_key = headers | {"Idempotency-Key": "k" * 300}
    body = {"amount": "100.00", "currency": "CNY", "value_date": "2026-11-20"}
    by_header = refused(client.post("/api/v1/loans/1/repayments", json=body, headers=long_key))
    assert by_header["field"] == "Idempotency-Key"
    assert by_header["message"].startswith("Idempotency-Key: ")


# -- endpoints and methods that do not exist -----------------------------------------------------


def test_an_unknown_api_endpoint_is_named_in_the_apis_error_body(client: TestClient) -> None:
    for method in ("GET", "POST"):
        answer = client.request(method, "/api/v1/nope", headers={"Accept": "text/html"})
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"] == {
            "code": "not_found",
            "message": f"no such endpoint: {method} /api/v1/nope (see /api/v1/docs)",
            "field": None,
        }


def test_a_missing_record_and_an_unknown_web_page_keep_their_own_not_found(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, staff, Role.UNDERWRITER)
    record = client.get("/api/v1/customers/999999", headers=headers)
    assert record.status_code == 404
    assert "endpoint" not in record.json()["error"]["message"]
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_a_wrong_method_names_every_method_the_path_answers(client: TestClient) -> None:
    answer = client.delete("/api/v1/customers")
    assert answer.status_code == 405, answer.text
    # GET and POST are two routes: Starlette's own answer named only the first it tried.
    assert answer.headers["allow"] == "GET, POST"
    assert answer.json()["error"] == {
        "code": "method_not_allowed",
        "message": "DELETE is not allowed on /api/v1/customers; allowed: GET, POST",
        "field": None,
    }
    token = client.put("/api/v1/auth/token")
    assert token.status_code == 405 and token.headers["allow"] == "POST"


def test_every_quote_field_sent_as_a_number_is_shown_its_own_example(
    client: TestClient,
) -> None:
    # These fields declared no example, so the answer could only say "must be a string".
    body = {"vehicle_price": "150000", "down_payment_ratio": "30", "annual_rate": "4.5",
            "term_months": 36, "balloon_percent": 30, "subsidy_customer_rate": 0}  # fmt: skip
    said = messages(refused(client.post("/api/v1/quotes", json=body)))
    assert said["balloon_percent"] == 'balloon_percent must be a string such as "30", not a number'
    assert said["subsidy_customer_rate"] == (
        'subsidy_customer_rate must be a string such as "0", not a number'
    )
