"""The bureau sandbox as a real HTTP service, and the platform querying it (P1.5 item 3).

The sandbox runs as its own process (``python -m autolend.cli_bureau bureau-sandbox serve``)
on a free port; the platform reaches it through the HTTP gateway with timeout, retries and a
circuit breaker. The sandbox's own request counter (``GET /_control``) proves what was sent.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from autolend.adapters.bureau.http_gateway import HttpBureauGateway
from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container, build_container, create_app
from autolend.cli_bureau import _standalone
from autolend.domain.access import Role
from tests import conftest as shared
from tests.support.processes import free_port, stop_group

pytestmark = pytest.mark.integration

THIN, RED, ORDINARY, NO_RECORD = (
    "110105199001010010",
    "110105199001010029",
    "110105199001010037",
    "110105199001010133",
)
TIMEOUT_S, RETRIES, BREAKER_FAILURES = 0.5, 2, 3


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("bureau") / "sandbox.log"
    command = [sys.executable, "-m", "autolend.cli_bureau", "bureau-sandbox", "serve"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        stop_group(process, process.pid)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the sandbox exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/_control", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail("the bureau sandbox did not start within 20 s")


@pytest.fixture
def sandbox(sandbox_url: str) -> str:
    """The sandbox, healthy and fast, counters at zero, report date fixed."""
    reset: dict[str, Any] = {"latency_ms": 0, "fail_rate": 0, "fail_next": 0, "fail_status": 503}
    reset |= {"reset_counters": True, "report_date": "2026-11-28"}
    httpx.post(f"{sandbox_url}/_control", json=reset).raise_for_status()
    return sandbox_url


def control(url: str, **change: Any) -> dict[str, Any]:
    response = (
        httpx.post(f"{url}/_control", json=change) if change else httpx.get(f"{url}/_control")
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def sent(url: str) -> int:
    return int(control(url)["counters"]["requests"])


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, sandbox: str) -> Iterator[Container]:
    """The platform, pointed at the sandbox (overrides the shared fixture of conftest.py)."""
    settings = shared.test_settings(db_url, tmp_path).model_copy(
        update={
            "bureau_url": sandbox,
            "bureau_timeout_seconds": TIMEOUT_S,
            "bureau_retries": RETRIES,
            "bureau_backoff_seconds": 0.01,
            "bureau_breaker_failures": BREAKER_FAILURES,
            "bureau_breaker_cooldown_seconds": 60,
        }
    )
    built = build_container(settings, clock=clock)
    yield built
    built.close()


def sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> dict[str, str]:
    form = {"username": role.value, "password": staff[role]}
    response = client.post("/api/v1/auth/token", data=form)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def customer(client: TestClient, headers: dict[str, str], id_number: str = ORDINARY) -> int:
    person = {"name": "王芳", "id_number": id_number, "phone": "13900139000"}
    response = client.post("/api/v1/customers", json=person, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def consent(client: TestClient, headers: dict[str, str], customer_id: int) -> dict[str, Any]:
    body = {"kind": "bureau_query", "text_version": "BQ-2026-01"}
    response = client.post(f"/api/v1/customers/{customer_id}/consents", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def query(client: TestClient, headers: dict[str, str], customer_id: int) -> httpx.Response:
    answer: httpx.Response = client.post(
        f"/api/v1/customers/{customer_id}/bureau-reports",
        json={"purpose": "loan_application"},
        headers=headers,
    )
    return answer


@pytest.fixture
def underwriter(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return sign_in(client, staff, Role.UNDERWRITER)


def logged(container: Container) -> list[tuple[str, str, int]]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(
                t.bureau_queries.c.purpose, t.bureau_queries.c.outcome, t.bureau_queries.c.attempts
            ).order_by(t.bureau_queries.c.id)
        )
        return [tuple(r) for r in rows]


# --- the sandbox on its own -----------------------------------------------------------------


def test_the_sandbox_answers_the_same_report_for_the_same_id_and_each_kind_of_file(
    sandbox: str,
) -> None:
    def ask(id_number: str, **extra: str) -> httpx.Response:
        body = {"id_number": id_number, "name": "李雷", "purpose": "loan_application"}
        body |= {"consent_reference": "C1"} | extra
        return httpx.post(f"{sandbox}/v1/reports", json=body)

    first, again = ask(ORDINARY), ask(ORDINARY)
    assert first.status_code == 200 and first.json() == again.json()
    assert first.json()["accounts"] and not first.json()["thin_file"]
    assert ask(THIN).json()["thin_file"] is True
    red = ask(RED).json()
    assert any("7" in a["history"] and a["status"] == "written_off" for a in red["accounts"])
    assert ask(NO_RECORD).status_code == 404
    assert ask(NO_RECORD).json()["error"]["code"] == "no_record"
    assert ask(ORDINARY[:17] + "0").status_code == 400  # wrong check character
    assert ask(ORDINARY, consent_reference="").status_code == 400
    assert ask(ORDINARY, purpose="marketing").status_code == 400
    control(sandbox, fail_next=1, fail_status=429)
    assert ask(ORDINARY).status_code == 429
    assert control(sandbox)["counters"]["requests"] == 10


def test_the_cli_offers_bureau_sandbox_serve_with_its_options() -> None:
    result = CliRunner().invoke(_standalone, ["bureau-sandbox", "serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--host", "--latency-ms", "--fail-rate"):
        assert option in result.output


# --- the platform querying it ----------------------------------------------------------------


def test_a_query_without_consent_is_refused_and_nothing_is_sent_or_stored(
    client: TestClient, container: Container, underwriter: dict[str, str], sandbox: str
) -> None:
    customer_id = customer(client, underwriter)
    response = query(client, underwriter, customer_id)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "consent_required" and "consent" in error["message"]
    assert sent(sandbox) == 0
    assert logged(container) == []


def test_a_consented_query_answers_a_summary_and_stores_the_report_sealed(
    client: TestClient, container: Container, underwriter: dict[str, str], sandbox: str
) -> None:
    customer_id = customer(client, underwriter)
    consent(client, underwriter, customer_id)
    response = query(client, underwriter, customer_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["outcome"], body["purpose"], body["attempts"]) == ("ok", "loan_application", 1)
    assert body["summary"]["accounts"] >= 1 and "王芳" not in response.text
    with container.engine.connect() as conn:
        stored = conn.execute(select(t.bureau_reports.c.report_enc)).scalar_one()
    for needle in (ORDINARY, "王芳", "accounts", "history"):
        assert needle.encode() not in stored
    full = client.get(
        f"/api/v1/customers/{customer_id}/bureau-reports/{body['id']}", headers=underwriter
    )
    assert full.status_code == 200
    assert full.json()["subject"]["id_number"] == ORDINARY
    assert sent(sandbox) == 1
    # The summary's card figures are the full report's open credit cards, added up.
    cards = [a for a in full.json()["accounts"]
             if a["type"] == "credit_card" and a["status"] == "open"]  # fmt: skip
    limits, balances = (sum(a[k] for a in cards) for k in ("credit_limit", "balance"))
    summary = body["summary"]
    assert (summary["card_limits"], summary["card_balances"]) == (f"{limits}.00", f"{balances}.00")
    share = (Decimal(balances) / (limits or 1)).quantize(Decimal("0.001"), ROUND_HALF_UP)
    expected = str(share) if limits else None
    assert summary["card_utilisation"] == expected


def test_two_failures_are_retried_and_the_third_attempt_brings_the_report(
    client: TestClient, container: Container, underwriter: dict[str, str], sandbox: str
) -> None:
    customer_id = customer(client, underwriter)
    consent(client, underwriter, customer_id)
    control(sandbox, fail_next=2)
    response = query(client, underwriter, customer_id)
    assert response.status_code == 201, response.text
    assert response.json()["attempts"] == 3
    assert sent(sandbox) == 3


def test_no_record_is_an_outcome_and_a_4xx_is_never_retried(
    client: TestClient, container: Container, underwriter: dict[str, str], sandbox: str
) -> None:
    customer_id = customer(client, underwriter, NO_RECORD)
    consent(client, underwriter, customer_id)
    response = query(client, underwriter, customer_id)
    assert response.status_code == 201, response.text
    assert (response.json()["outcome"], response.json()["summary"]) == ("no_record", None)
    assert sent(sandbox) == 1
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.bureau_reports)).scalar() == 0


def test_the_circuit_opens_after_repeated_failures_and_then_fails_fast_without_calling(
    client: TestClient, container: Container, underwriter: dict[str, str], sandbox: str
) -> None:
    customer_id = customer(client, underwriter)
    consent(client, underwriter, customer_id)
    control(sandbox, fail_rate=1)
    for _ in range(BREAKER_FAILURES):
        response = query(client, underwriter, customer_id)
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "bureau_unavailable"
    assert sent(sandbox) == BREAKER_FAILURES * (1 + RETRIES)
    control(sandbox, fail_rate=0)
    response = query(client, underwriter, customer_id)
    assert response.status_code == 503 and "circuit open" in response.json()["error"]["message"]
    assert sent(sandbox) == BREAKER_FAILURES * (1 + RETRIES)
    outcomes = logged(container)
    assert [o for _, o, _ in outcomes] == ["unavailable"] * (BREAKER_FAILURES + 1)
    assert outcomes[-1] == ("loan_application", "unavailable", 0)


def test_a_bureau_slower_than_the_timeout_is_a_clear_503_and_is_logged(
    client: TestClient, container: Container, underwriter: dict[str, str], sandbox: str
) -> None:
    customer_id = customer(client, underwriter)
    consent(client, underwriter, customer_id)
    control(sandbox, latency_ms=int(TIMEOUT_S * 1000) + 700)
    response = query(client, underwriter, customer_id)
    assert response.status_code == 503
    assert "timed out" in response.json()["error"]["message"]
    assert logged(container) == [("loan_application", "unavailable", 1 + RETRIES)]


def test_every_query_is_logged_with_purpose_and_each_role_sees_what_it_may(
    client: TestClient, container: Container, staff: dict[Role, str], sandbox: str
) -> None:
    borrower = sign_in(client, staff, Role.BORROWER)
    customer_id = customer(client, borrower, RED)
    consent(client, borrower, customer_id)  # the borrower consents for themselves
    underwriter = sign_in(client, staff, Role.UNDERWRITER)
    made = query(client, underwriter, customer_id)
    assert made.status_code == 201
    assert set(made.json()["summary"]["red_flags"]) >= {"overdue_180_plus", "written_off"}
    assert query(client, sign_in(client, staff, Role.DEALER), customer_id).status_code == 403
    url = f"/api/v1/customers/{customer_id}/bureau-reports"
    compliance = client.get(url, headers=sign_in(client, staff, Role.COMPLIANCE)).json()
    assert [(q["purpose"], q["outcome"], q["summary"]) for q in compliance] == [
        ("loan_application", "ok", None)
    ]
    own = client.get(url, headers=underwriter).json()
    assert own[0]["summary"]["worst_months_overdue"] == 7
    with container.uow() as uow:
        actions = [r.event.action for r in uow.audit.recent(10)]
    assert "bureau.query" in actions and "consent.grant" in actions


def test_a_revoked_or_expired_consent_no_longer_allows_a_query(
    client: TestClient,
    container: Container,
    underwriter: dict[str, str],
    clock: FixedClock,
    sandbox: str,
) -> None:
    customer_id = customer(client, underwriter)
    granted = consent(client, underwriter, customer_id)
    revoke = f"/api/v1/customers/{customer_id}/consents/{granted['id']}/revoke"
    assert client.post(revoke, headers=underwriter).json()["active"] is False
    assert query(client, underwriter, customer_id).status_code == 422
    soon = (clock.now() + timedelta(minutes=1)).isoformat()
    body = {"kind": "bureau_query", "text_version": "BQ-2026-01", "expires_at": soon}
    url = f"/api/v1/customers/{customer_id}/consents"
    assert client.post(url, json=body, headers=underwriter).status_code == 201
    clock.advance(timedelta(minutes=2))
    response = query(client, underwriter, customer_id)
    assert response.status_code == 422 and "consent" in response.json()["error"]["message"]
    assert sent(sandbox) == 0


def test_a_server_built_from_its_settings_closes_its_bureau_connections_when_it_stops(
    container: Container,
) -> None:
    """``create_app`` without a container builds its own and closes it at shutdown (the
    keep-alive connections to the bureau were left to the garbage collector)."""
    app = create_app(container.settings)
    gateway = app.state.services.bureau._gateway
    assert isinstance(gateway, HttpBureauGateway)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert not gateway.closed
    assert gateway.closed
