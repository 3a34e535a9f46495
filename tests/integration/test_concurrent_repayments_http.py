"""R2 over real HTTP on PostgreSQL: ``autolend serve --workers 2`` in a subprocess, and bursts
of identical repayments sharing one ``Idempotency-Key`` post exactly once, with no 5xx."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from threading import Barrier, local
from typing import Any

import httpx
import pytest

from autolend.adapters.clock import SystemClock
from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from tests.support.postgres import ThrowawayPostgres
from tests.support.processes import AUTOLEND, free_port, group_is_alive, stop_group

STARTUP_TIMEOUT_S = 120.0
TRIALS = 20
REQUESTS = 100


@pytest.fixture
def server(pg_cluster: ThrowawayPostgres, tmp_path: Path) -> Iterator[str]:
    """``autolend serve --workers 2`` in demo mode on a fresh, migrated PostgreSQL database."""
    name = f"r2_http_{os.getpid()}"
    pg_cluster.create_database(name)
    database_url = pg_cluster.url(name)
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEND_")}
    # Demo mode writes its secrets to <home>/demo-secrets.json; the workers read them back.
    env |= {
        "AUTOLEND_HOME": str(tmp_path),
        "AUTOLEND_DATABASE_URL": database_url,
        "AUTOLEND_DEMO": "true",
        "AUTOLEND_SESSION_COOKIE_SECURE": "false",
    }
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [AUTOLEND, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pgid = process.pid
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no /healthz within {STARTUP_TIMEOUT_S:.0f} s:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        stop_group(process, pgid)
        assert not group_is_alive(pgid), "worker processes were left running"
        pg_cluster.drop_database(name)


def sign_in(url: str, role: str) -> dict[str, str]:
    response = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": role, "password": f"demo-{role}"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def transaction_count(url: str, loan_id: int, headers: dict[str, str]) -> int:
    response = httpx.get(f"{url}/api/v1/loans/{loan_id}/transactions", headers=headers)
    assert response.status_code == 200, response.text
    return len(response.json()["items"])


def value_date_for(loan: dict[str, Any]) -> str:
    """The loan's accrued-through date when it has one, else the business day; never later."""
    today = SystemClock().today()  # the business day, as the server sees it
    accrued = loan.get("accrued_through")
    if isinstance(accrued, str) and date.fromisoformat(accrued) <= today:
        return accrued
    return today.isoformat()


def test_a_hundred_identical_repayments_over_http_post_once_in_each_of_twenty_trials(
    server: str,
) -> None:
    headers = sign_in(server, "servicing")
    listed = httpx.get(f"{server}/api/v1/loans?status=active", headers=headers)
    assert listed.status_code == 200, listed.text
    active = [loan for loan in listed.json()["items"] if loan["status"] == "active"]
    assert active, "the demo data has no active loan"
    loan_id = int(active[0]["id"])
    loan = httpx.get(f"{server}/api/v1/loans/{loan_id}", headers=headers).json()
    value_date = value_date_for(loan)
    repayments_url = f"{server}/api/v1/loans/{loan_id}/repayments"

    per_thread = local()
    clients: list[httpx.Client] = []

    def client() -> httpx.Client:
        if not hasattr(per_thread, "client"):
            per_thread.client = httpx.Client(headers=headers, timeout=60)
            clients.append(per_thread.client)
        made: httpx.Client = per_thread.client
        return made

    started = time.monotonic()
    server_errors = 0
    try:
        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            for trial in range(TRIALS):
                key = f"r2-{trial}-{uuid.uuid4()}"
                body = {
                    "amount": "10.00",
                    "currency": "CNY",
                    "value_date": value_date,
                    "channel": "bank_transfer",
                    "reference": f"r2-{trial}",
                }
                gate = Barrier(REQUESTS)

                def post(
                    _: int, gate: Barrier = gate, key: str = key, body: dict[str, str] = body
                ) -> tuple[int, str]:
                    session = client()
                    gate.wait(timeout=30)
                    response = session.post(
                        repayments_url, json=body, headers={"Idempotency-Key": key}
                    )
                    return response.status_code, response.text

                before = transaction_count(server, loan_id, headers)
                results = list(pool.map(post, range(REQUESTS)))
                after = transaction_count(server, loan_id, headers)

                statuses = [status for status, _ in results]
                server_errors += sum(1 for status in statuses if status >= 500)
                assert all(200 <= status < 300 for status in statuses), (
                    trial,
                    sorted(set(statuses)),
                    next(text for status, text in results if not 200 <= status < 300),
                )
                bodies = {json.dumps(json.loads(text), sort_keys=True) for _, text in results}
                assert len(bodies) == 1, (trial, bodies)
                assert after - before == 1, (trial, before, after)
    finally:
        for made in clients:
            made.close()
    elapsed = time.monotonic() - started

    assert server_errors == 0
    print(
        f"R2 over HTTP: {TRIALS} trials x {REQUESTS} requests, 1 posting each, "
        f"{server_errors} 5xx, {elapsed:.1f} s"
    )
