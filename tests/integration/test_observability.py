"""Request ids, metrics, structured logs without personal data, and the API documents,
on both databases."""

from __future__ import annotations

import importlib
import io
import json
import logging
import pkgutil
import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from autolend.api import routes as api_routes
from autolend.api.app import API_PREFIX
from autolend.api.observability import JsonFormatter
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.identity import resident_id_check_character

pytestmark = pytest.mark.integration

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


# -- request ids --------------------------------------------------------------------------------


def test_a_valid_client_request_id_is_echoed_on_success_and_on_errors(
    client: TestClient, staff: dict[Role, str]
) -> None:
    for path, status in [
        ("/healthz", 200),
        ("/api/v1/me", 401),
        ("/api/v1/customers/abc", 401),
        ("/api/v1/no-such-route", 404),
    ]:
        response = client.get(path, headers={"X-Request-ID": "trace-42.a_B"})
        assert response.status_code == status, path
        assert response.headers["x-request-id"] == "trace-42.a_B", path
    longest = "r" * 64
    assert (
        client.get("/healthz", headers={"X-Request-ID": longest}).headers["x-request-id"] == longest
    )


def test_a_missing_or_invalid_request_id_is_replaced_by_a_fresh_one(
    client: TestClient,
) -> None:
    seen = set()
    for sent in [None, "bad id!", "", "x" * 65, "semi;colon", "a/b", "<script>"]:
        headers = {} if sent is None else {"X-Request-ID": sent}
        got = client.get("/healthz", headers=headers).headers["x-request-id"]
        assert GENERATED_ID.fullmatch(got), (sent, got)
        assert got != sent
        seen.add(got)
    assert len(seen) == 7, "every request gets its own id"


# -- metrics ------------------------------------------------------------------------------------


def test_metrics_need_the_metrics_token_or_the_metrics_permission(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    denied = client.get("/metrics")
    assert denied.status_code == 401
    assert set(denied.json()["error"]) == {"code", "message", "field"}
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    borrower = sign_in(client, "borrower", staff[Role.BORROWER])
    assert client.get("/metrics", headers=borrower).status_code == 403
    risk = sign_in(client, "risk", staff[Role.RISK])
    assert client.get("/metrics", headers=risk).status_code == 200
    token = container.settings.metrics_token
    assert token
    allowed = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert allowed.status_code == 200
    assert allowed.headers["content-type"].startswith("text/plain")


def test_metrics_count_requests_by_route_template_never_by_raw_path(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    headers = sign_in(client, "underwriter", staff[Role.UNDERWRITER])
    for customer_id in (101, 202, 303):
        assert client.get(f"/api/v1/customers/{customer_id}", headers=headers).status_code == 404
    assert client.get("/api/v1/customers", params={"limit": 7}, headers=headers).status_code == 200
    token = container.settings.metrics_token
    text = client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).text

    samples = [
        line for line in text.splitlines() if line.startswith("autolend_http_requests_total{")
    ]
    assert samples, text[:2000]
    routes = {re.search(r'route="([^"]*)"', line).group(1) for line in samples}  # type: ignore[union-attr]
    expected = (
        'autolend_http_requests_total{method="GET",'
        'route="/api/v1/customers/{customer_id}",status="404"} 3.0'
    )
    assert expected in samples, samples
    assert "/api/v1/customers" in routes and "/api/v1/auth/token" in routes, sorted(routes)
    for raw in ("101", "202", "303", "limit"):
        assert not any(raw in r for r in routes), sorted(routes)
    assert all(r.startswith("/") or r == "unmatched" for r in routes)
    assert "autolend_http_request_duration_seconds_bucket" in text


# -- logs ---------------------------------------------------------------------------------------


@pytest.fixture
def log_lines(client: TestClient) -> Iterator[io.StringIO]:
    """Everything the "autolend" loggers write, formatted as the app formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("autolend")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_json_logs_of_requests_carrying_personal_data_hold_none_of_it(
    client: TestClient, staff: dict[Role, str], log_lines: io.StringIO
) -> None:
    id_number = resident_id("51010719800808123")
    phone = "13657924680"
    bank = "6222600170008391234"
    name = "诸葛晓燕"
    headers = {
        **sign_in(client, "underwriter", staff[Role.UNDERWRITER]),
        "X-Request-ID": "pii-log-check",
    }
    body = {
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "bank_account": bank,
        "monthly_income": "8765.43",
    }
    created = client.post("/api/v1/customers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    duplicate = client.post("/api/v1/customers", json=body, headers=headers)
    assert duplicate.status_code == 409
    bad_phone = client.post(
        "/api/v1/customers", json={**body, "phone": phone + "9"}, headers=headers
    )
    assert bad_phone.status_code == 422
    bad_id = client.post(
        "/api/v1/customers", json={**body, "id_number": id_number[:17] + "0"}, headers=headers
    )
    assert bad_id.status_code == 422
    found = client.post("/api/v1/customers/search", json={"id_number": id_number}, headers=headers)
    assert found.status_code == 200
    client.get(f"/api/v1/customers/{id_number}", headers=headers)
    client.get("/api/v1/customers", params={"limit": phone}, headers=headers)
    client.post("/api/v1/auth/token", data={"username": phone, "password": id_number})

    lines = [line for line in log_lines.getvalue().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    ours = [
        r
        for r in records
        if r.get("request_id") == "pii-log-check" or r.get("rid") == "pii-log-check"
    ]
    assert len(ours) >= 5, lines
    assert {r.get("status") for r in ours} >= {201, 409, 422, 200}
    text = "\n".join(lines)
    for value in (id_number, id_number[:17], phone, bank, name, "8765.43"):
        assert value not in text, f"{value} appears in the logs"


# -- API documents ------------------------------------------------------------------------------

KNOWN_ROUTES = {
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("patch", "/api/v1/users/{user_id}"),
    ("get", "/api/v1/customers"),
    ("post", "/api/v1/customers"),
    ("get", "/api/v1/customers/{customer_id}"),
    ("post", "/api/v1/customers/search"),
    ("get", "/api/v1/audit/verify"),
    ("get", "/api/v1/audit/records"),
}


def _declared_api_routes() -> set[tuple[str, str]]:
    """(method, path) of every route declared in the API route modules under /api/v1
    (all of ``autolend.api.routes`` but the root-level health module)."""
    found: set[tuple[str, str]] = set()
    for info in pkgutil.iter_modules(api_routes.__path__):
        if info.name == "health":
            continue
        module = importlib.import_module(f"{api_routes.__name__}.{info.name}")
        router = getattr(module, "router", None)
        for route in getattr(router, "routes", []):
            if isinstance(route, APIRoute) and route.include_in_schema:
                found |= {(m.lower(), API_PREFIX + route.path) for m in route.methods or ()}
    return found


def test_the_openapi_document_lists_every_api_route_and_the_docs_ui_answers(
    client: TestClient,
) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "autolend API"
    documented = {
        (method, path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    missing = KNOWN_ROUTES - documented
    assert not missing, f"routes missing from the OpenAPI document: {sorted(missing)}"
    declared = _declared_api_routes()
    assert declared >= KNOWN_ROUTES, sorted(KNOWN_ROUTES - declared)
    undocumented = declared - documented
    assert not undocumented, sorted(undocumented)
    # Every documented /api/v1 operation actually answers (not 404/405) on this app.
    for method, path in sorted(documented):
        if not path.startswith("/api/v1"):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        answered = client.request(method.upper(), concrete)
        assert answered.status_code not in (404, 405), (method, path, answered.status_code)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]
    assert "/api/v1/openapi.json" in docs.text


def test_every_api_operation_documents_the_error_body_it_sends(client: TestClient) -> None:
    """The document listed FastAPI's own validation schema for 422 (``detail``), which
    this API never sends, and nothing for 401, 403, 404 or 409."""
    document = client.get("/api/v1/openapi.json").json()
    body = {"$ref": "#/components/schemas/ErrorBody"}
    assert set(document["components"]["schemas"]["ErrorBody"]["properties"]) == {"error"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1") or path.endswith("/health"):
            continue
        for method, operation in operations.items():
            # Needing no sign-in, the calculator and the sign-in answer no 401 / 403 of
            # the shared kind (the sign-in documents its own 401, checked elsewhere).
            public = path in ("/api/v1/quotes", "/api/v1/auth/token")
            for status in ("404", "409", "422") if public else ("401", "403", "404", "409", "422"):
                documented = operation["responses"].get(status, {})
                assert (
                    documented.get("content", {}).get("application/json", {}).get("schema") == body
                ), (method, path, status)
    refused = client.post("/api/v1/quotes", json={"vehicle_price": "abc"})
    assert refused.status_code == 422 and set(refused.json()) == {"error"}
