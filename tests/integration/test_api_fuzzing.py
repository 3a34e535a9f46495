"""No request the OpenAPI document allows, nor one it forbids, makes the API answer a
server error. Schemathesis draws requests for every operation from the document (values of
every type and size, inside the schema and outside it), sent by a user who holds every
role, so that the permission checks let each request reach the code behind them. Two 500s
it found against the demo (a 23-digit contract id; the audit records of a model training)
are covered by their own tests too (test_bad_input, test_audit_records_api)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role

pytestmark = pytest.mark.integration
EXAMPLES = 25  # per operation and database: some 1,800 requests, about 20 s


@pytest.fixture
def every_role(client: TestClient, container: Container, staff: dict[Role, str]) -> dict[str, str]:
    container.services.users.create(
        SYSTEM_ACTOR, username="all-roles", password="pw-all-roles-long",
        roles=[role.value for role in Role if role is not Role.BORROWER], dealer_code="D001",
    )  # fmt: skip
    answer = client.post(
        "/api/v1/auth/token", data={"username": "all-roles", "password": "pw-all-roles-long"}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _send(client: TestClient, case: Any, auth: dict[str, str], key: int) -> Any:
    headers = {**auth, "Idempotency-Key": f"fuzz-{key}"}
    request = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    request.pop("timeout", None)  # requests' keyword, not httpx's
    request.pop("verify", None)
    if not request.get("cookies"):
        request.pop("cookies", None)
    if isinstance(request.get("data"), bytes | str):  # a raw body, not a form
        request["content"] = request.pop("data")
    method, url = request.pop("method"), request.pop("url")
    return client.request(method, url, **request)


def test_no_generated_request_makes_the_api_answer_a_server_error(
    client: TestClient, every_role: dict[str, str]
) -> None:
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    failures: list[str] = []
    statuses: dict[int, int] = {}
    results = list(schema.get_all_operations())
    operations = [r.ok() for r in results if isinstance(r, Ok)]  # the document is valid:
    assert len(operations) == len(results) > 60  # every operation loads
    # Signing out would end the session every later request is sent with.
    operations = [op for op in operations if op.path != "/api/v1/auth/logout"]
    for operation in operations:
        cases = operation.as_strategy() | operation.as_strategy(GenerationMode.NEGATIVE)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=cases, key=st.integers(0, 10**9))
        def one(case: Any, key: int) -> None:
            answer = _send(client, case, every_role, key)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            if answer.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {answer.status_code}")

        one()
    assert failures == []
    # The requests reached the code: none stopped at a permission check, many succeeded.
    assert 403 not in statuses and statuses.get(200, 0) > 200, statuses
