"""The API foundation over both databases: sign-in, roles, object-level access, errors."""

from __future__ import annotations

from dataclasses import replace

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container, create_app
from autolend.domain.access import Role

pytestmark = pytest.mark.integration


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_health_and_readiness_answer_without_sign_in(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "ok"


def test_me_returns_the_signed_in_user_and_roles(
    client: TestClient, staff: dict[Role, str]
) -> None:
    headers = sign_in(client, "underwriter", staff[Role.UNDERWRITER])
    body = client.get("/api/v1/me", headers=headers).json()
    assert body["username"] == "underwriter"
    assert body["roles"] == ["underwriter"]
    assert "customer:read" in body["permissions"]


def test_a_dealer_registers_a_customer_and_sees_it_masked(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    headers = sign_in(client, "dealer", staff[Role.DEALER])
    created = client.post(
        "/api/v1/customers",
        json={"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["masked"] is True
    assert body["id_number"] == "1101**********002X"
    assert body["phone"] == "138****8000"


def _thread_limit() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens


def test_blocking_work_runs_on_as_many_threads_per_process_as_configured(
    container: Container,
) -> None:
    # Starlette runs every plain ``def`` route and dependency through this limiter.
    with TestClient(create_app(container=container)) as default:
        assert default.portal is not None
        assert default.portal.call(_thread_limit) == 8  # not anyio's 40: less GIL contention
    settings = container.settings.model_copy(update={"worker_threads": 3})
    with TestClient(create_app(container=replace(container, settings=settings))) as three:
        assert three.portal is not None
        assert three.portal.call(_thread_limit) == 3
        assert three.get("/healthz").status_code == 200
