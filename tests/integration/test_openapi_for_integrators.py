"""The OpenAPI document read as a developer at a dealer or a bank reads it: every
operation says what it does and who may call it, every money-moving POST documents the
Idempotency-Key it needs, every parameter is described, and no schema carries a name
FastAPI made up (``Body_...``, ``autolend__api__...``)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

MONEY_MOVING = {
    "/api/v1/loans/{loan_id}/repayments",
    "/api/v1/loans/{loan_id}/repayments/{repayment_id}/reversal",
    "/api/v1/loans/{loan_id}/prepayments",
    "/api/v1/loans/{loan_id}/refunds",
    "/api/v1/loans/{loan_id}/disbursements",
    "/api/v1/loans/{loan_id}/recoveries",
    "/api/v1/loans/{loan_id}/subsidy-receipts",
    "/api/v1/loans/{loan_id}/fees",
    "/api/v1/loans/migrations",
    "/api/v1/applications/{application_id}/disburse",
}
"""Every POST that moves money: the server refuses each without an Idempotency-Key."""


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _key_header(operation: dict[str, Any]) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"] == "Idempotency-Key":
            return dict(parameter)
    return None


def test_every_operation_has_a_summary_a_description_and_a_tag(document: dict[str, Any]) -> None:
    lacking = [
        f"{method} {path}"
        for method, path, operation in _operations(document)
        if not operation.get("summary")
        or len(operation.get("description", "")) < 20
        or not operation.get("tags")
    ]
    assert lacking == []


def test_every_money_moving_post_documents_a_required_idempotency_key(
    document: dict[str, Any],
) -> None:
    for path in sorted(MONEY_MOVING):
        operation = document["paths"][path]["post"]
        header = _key_header(operation)
        assert header is not None, path
        assert header.get("required") is True, path
        assert "retry" in header.get("description", ""), path
        success = next(v for k, v in operation["responses"].items() if k.startswith("2"))
        assert "Idempotent-Replayed" in success.get("headers", {}), path


def test_no_other_operation_asks_for_a_required_idempotency_key(
    document: dict[str, Any],
) -> None:
    """A new money-moving POST joins MONEY_MOVING above, so the test keeps guarding it."""
    required = {
        path
        for _method, path, operation in _operations(document)
        if (_key_header(operation) or {}).get("required")
    }
    assert required == MONEY_MOVING


def test_the_approval_decision_documents_its_key_as_optional(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v1/approval-requests/{request_id}/decision"]["post"]
    header = _key_header(operation)
    assert header is not None
    assert not header.get("required")
    assert header.get("description", "").startswith("Optional")


def test_an_operation_behind_a_permission_names_it_and_the_roles_holding_it(
    document: dict[str, Any],
) -> None:
    repayment = document["paths"]["/api/v1/loans/{loan_id}/repayments"]["post"]
    assert "Permission: `repayment:post` (roles: servicing)." in repayment["description"]
    users = document["paths"]["/api/v1/users"]["post"]
    assert "Permission: `user:admin` (roles: admin)." in users["description"]


def test_every_parameter_is_described(document: dict[str, Any]) -> None:
    bare = [
        f"{method} {path} {parameter['name']}"
        for method, path, operation in _operations(document)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert bare == []


def test_no_schema_keeps_a_name_fastapi_made_up(document: dict[str, Any]) -> None:
    names = list(document["components"]["schemas"])
    made_up = [
        n for n in names if n.startswith("Body_") or "__" in n or n.endswith("ValidationError")
    ]
    assert made_up == []
    assert "TokenRequest" in names


def test_every_tag_used_is_described(document: dict[str, Any]) -> None:
    described = {tag["name"] for tag in document.get("tags", []) if tag.get("description")}
    used = {tag for _m, _p, operation in _operations(document) for tag in operation["tags"]}
    assert used <= described


def test_the_sign_in_documents_a_lockout_and_its_own_401(document: dict[str, Any]) -> None:
    responses = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "429" in responses
    assert "password" in responses["401"]["description"]
