"""A repayment whose amount cannot be read is refused on its value date too when that
date is out of the loan's range (before its start, or still to come), as the loan page
refuses it: one 422 names ``amount`` and ``value_date``, and nothing is posted.

The loan is tests/integration/test_loans_api's (12,000.00 from 2026-01-05); the test
clock's day is 2026-11-28.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-12-01", "value date is in the future"),
        ("2026-01-04", "value date is before the loan start 2026-01-05"),
    ],
)
def test_an_unreadable_amount_dated_out_of_the_loans_range_is_refused_on_both(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
    day: str,
    message: str,
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"abc-{day}"}
    url = f"/api/v1/loans/{loan_id}/repayments"
    before = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()
    body = {"amount": "abc", "currency": "CNY", "value_date": day}
    answer = client.post(url, json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "amount"
    assert [e["field"] for e in error["errors"]] == ["amount", "value_date"]
    assert error["errors"][1]["message"] == message
    after = client.get(f"/api/v1/loans/{loan_id}/transactions", headers=headers).json()
    assert after == before


def test_an_unreadable_amount_dated_in_the_loans_range_is_refused_on_the_amount_alone(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "abc-in-range"}
    body = {"amount": "abc", "currency": "CNY", "value_date": "2026-11-20"}
    answer = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == "amount" and "errors" not in error


def test_an_unreadable_amount_on_a_loan_that_is_not_there_is_refused_on_the_amount(
    client: TestClient,
    staff: dict[Role, str],
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "abc-no-loan"}
    body = {"amount": "abc", "currency": "CNY", "value_date": "2026-12-01"}
    answer = client.post("/api/v1/loans/999999/repayments", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == "amount"
