"""A sign-in's audit records carry its request's id, as every other record carries its
own (both databases): ``session.start`` (the web sign-in) and ``user.locked`` (the fifth
wrong password, over the API) had ``request_id`` null, so an auditor could not tie them
to the access log or to what the same request did."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_application_pages import csrf
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration


def records(client: TestClient, staff: dict[Role, str], action: str) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/audit/records?limit=200",
                        headers=as_role(client, staff, Role.AUDITOR))  # fmt: skip
    return [r for r in answer.json() if r["action"] == action]


def test_a_web_sign_in_is_recorded_with_its_requests_id(
    client: TestClient, staff: dict[Role, str]
) -> None:
    token = csrf(client.get("/login").text)
    form = {"username": "servicing", "password": staff[Role.SERVICING], "csrf_token": token}
    answer = client.post("/login", data=form, follow_redirects=False,
                         headers={"X-Request-ID": "sign-in-0001"})  # fmt: skip
    assert answer.status_code == 303
    started = records(client, staff, "session.start")
    assert [(r["actor"], r["request_id"]) for r in started] == [("servicing", "sign-in-0001")]


def test_a_lock_out_is_recorded_with_the_id_of_the_sign_in_that_caused_it(
    client: TestClient, staff: dict[Role, str]
) -> None:
    for attempt in range(5):
        answer = client.post("/api/v1/auth/token",
                             data={"username": "dealer", "password": f"wrong-{attempt}"},
                             headers={"X-Request-ID": f"try-{attempt}"})  # fmt: skip
        assert answer.status_code == 401, answer.text
    locked = records(client, staff, "user.locked")
    assert [(r["actor"], r["request_id"]) for r in locked] == [("dealer", "try-4")]
