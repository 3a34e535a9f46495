"""Requests that wait on the credit bureau have threads of their own (autolend.threads).

A slow bureau (the sandbox told to answer after 3 s) holds the submits that query it, and
nothing else: with two worker threads and two submits waiting on the bureau, a loan list
still answers before either submit does. Both databases, the sandbox as its own process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_bureau_sandbox import control, sandbox, sandbox_url  # noqa: F401
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body, origination_container

pytestmark = pytest.mark.integration
SLOW_BUREAU_MS = 3000


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, sandbox: str) -> Iterator[Container]:  # noqa: F811
    with origination_container(
        db_url, tmp_path, clock, None, bureau_url=sandbox, bureau_retries=0,
        bureau_timeout_seconds=10.0, worker_threads=2, bureau_threads=8,
    ) as built:  # fmt: skip
        yield built


def wait_for_bureau_requests(url: str, count: int) -> None:
    """Until ``count`` report requests have reached the sandbox (they then sleep there)."""
    deadline = time.monotonic() + 30
    while control(url)["counters"]["requests"] < count:
        assert time.monotonic() < deadline, "the submits never reached the bureau"
        time.sleep(0.02)


def test_a_slow_bureau_holds_the_submits_but_not_the_other_requests(
    client: TestClient,
    staff: dict[Role, str],
    sandbox: str,  # noqa: F811
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    servicing = as_role(client, staff, Role.SERVICING)
    drafts = []
    for _ in range(2):
        made = client.post("/api/v1/applications", json=application_body(), headers=dealer)
        assert made.status_code == 201, made.text
        drafts.append(made.json()["id"])
    control(sandbox, latency_ms=SLOW_BUREAU_MS)
    finished: list[int] = []

    def submit(application_id: int) -> None:
        answer = client.post(f"/api/v1/applications/{application_id}/submit", headers=dealer)
        finished.append(answer.status_code)

    submits = [threading.Thread(target=submit, args=(i,)) for i in drafts]
    for thread in submits:
        thread.start()
    wait_for_bureau_requests(sandbox, len(drafts))  # both submits now wait on the bureau
    listed = client.get("/api/v1/loans?limit=5", headers=servicing)
    answered_while_waiting = not finished
    for thread in submits:
        thread.join(timeout=60)
    assert listed.status_code == 200
    assert answered_while_waiting, "the loan list waited for a submit's thread"
    assert finished == [200, 200]
