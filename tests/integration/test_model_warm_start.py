"""The server loads the credit model while it starts, not inside the first application.

Loading imports the modelling libraries and unpickles the artifact (seconds of CPU); done in
a worker's first submit it held that application and, through the GIL, every other request
of the process (the multi-second stalls of the intake bench, docs/benchmarks.md). Both
databases; no bureau is configured, so the submits are referred after scoring."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container, create_app
from autolend.domain.access import Role
from autolend.services.model_ports import NewModelVersion
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body, install, trained_once

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    return trained_once(tmp_path_factory)


def artifact_reads(container: Container) -> list[str]:
    """Every statement that reads a model artifact from now on, as it is sent."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if re.search(r"model_versions\.artifact\b", statement):  # not artifact_sha256
            seen.append(statement)

    event.listen(container.engine, "before_cursor_execute", record)
    return seen


def logged(capfd: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The JSON log records written to stderr so far."""
    lines = capfd.readouterr().err.splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def submitted(client: TestClient, staff: dict[Role, str]) -> dict[str, Any]:
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=application_body(), headers=dealer)
    assert made.status_code == 201, made.text
    done = client.post(f"/api/v1/applications/{made.json()['id']}/submit", headers=dealer)
    assert done.status_code == 200, done.text
    return dict(done.json())


def test_the_model_is_loaded_at_start_so_the_first_submit_reads_no_artifact(
    container: Container, staff: dict[Role, str], model: NewModelVersion
) -> None:
    install(container, model)
    reads = artifact_reads(container)
    with TestClient(create_app(container=container)) as client:
        assert len(reads) == 1  # the start-up's own load
        decided = submitted(client, staff)
    assert decided["decision"]["model_version"] == "default@1"
    assert len(reads) == 1


def test_a_server_without_a_model_starts_and_refers_its_first_application(
    container: Container, staff: dict[Role, str], capfd: pytest.CaptureFixture[str]
) -> None:
    install(container, None)
    with TestClient(create_app(container=container)) as client:
        assert client.get("/healthz").status_code == 200
        decided = submitted(client, staff)
    assert decided["status"] == "referred"
    assert decided["decision"]["model_version"] is None
    messages = [record["message"] for record in logged(capfd)]
    assert messages.index("no credit model registered yet: nothing to load at start") < (
        messages.index("server process ready")  # the benches wait for one per worker
    )


def test_a_damaged_artifact_is_logged_at_start_and_the_server_still_answers(
    container: Container,
    staff: dict[Role, str],
    model: NewModelVersion,
    capfd: pytest.CaptureFixture[str],
) -> None:
    install(container, model)
    with container.engine.begin() as conn:
        conn.execute(update(t.model_versions).values(artifact=model.artifact[:-1] + b"\x00"))
    with TestClient(create_app(container=container)) as client:
        assert client.get("/healthz").status_code == 200
        decided = submitted(client, staff)
    warned = [r for r in logged(capfd) if r["message"].startswith("credit model not loaded")]
    assert warned and warned[0]["level"] == "WARNING"
    assert "artifact hash does not match" in warned[0]["message"]
    assert decided["status"] == "referred"
