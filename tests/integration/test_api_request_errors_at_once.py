"""A request body the API's models refuse names every wrong field at once in
``error.errors``, as a domain refusal does: ``field`` and ``message`` stay the first. A
prepayment's ``mode`` is refused with its amount and value date, not on its own first.

The loan is tests/integration/test_loans_api's (12,000.00 from 2026-01-05); the test
clock's day is 2026-11-28.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture

pytestmark = pytest.mark.integration


def test_a_body_with_two_fields_the_model_refuses_names_both_in_error_errors(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "model-two"}
    body = {"amount": 5, "currency": "CNY", "value_date": "2026-11-20", "colour": "red"}
    answer = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["field"] == "amount"  # the first, as before
    assert [e["field"] for e in error["errors"]] == ["amount", "colour"]
    assert error["errors"][0]["message"] == error["message"]
    assert error["errors"][1]["message"] == "unknown field 'colour'"


def test_a_body_with_one_field_the_model_refuses_has_no_error_list(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "model-one"}
    body = {"currency": "CNY", "value_date": "2026-11-20"}
    answer = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == {
        "code": "invalid_input", "message": "field 'amount' is required", "field": "amount",
    }  # fmt: skip
    broken = client.post(
        f"/api/v1/loans/{loan_id}/repayments",
        content=b'{"amount": ',
        headers=headers | {"Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    assert broken.json()["error"]["field"] == "body" and "errors" not in broken.json()["error"]


def test_a_prepayment_with_a_bad_mode_is_refused_with_its_bad_amount_and_date(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "mode-three"}
    before = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()
    body = {"amount": "-5x", "currency": "CNY", "value_date": "2026-13-01", "mode": "faster"}
    url = f"/api/v1/loans/{loan_id}/prepayments"
    answer = client.post(url, json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "amount"
    assert [e["field"] for e in error["errors"]] == ["amount", "value_date", "mode"]
    assert error["errors"][2]["message"] == (
        "mode must be lower_installment, shorten_term or payoff"
    )
    zero = body | {"amount": "0", "value_date": "2026-11-20"}  # the amount parses, is not > 0
    answer = client.post(url, json=zero, headers=headers | {"Idempotency-Key": "mode-zero"})
    assert [e["field"] for e in answer.json()["error"]["errors"]] == ["amount", "mode"]
    alone = body | {"amount": "100.00", "value_date": "2026-11-20"}
    answer = client.post(url, json=alone, headers=headers | {"Idempotency-Key": "mode-alone"})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "mode" and "errors" not in answer.json()["error"]
    after = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()
    assert after == before  # nothing posted
