"""The acceptance points of the foundation, checked as a user would: a real server started
with ``autolend serve --demo`` on a free port, real HTTP, the real CLI against its database."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from autolend.services.demo import DEMO_CUSTOMERS, demo_resident_id

pytestmark = pytest.mark.e2e
AUTOLEND = str(Path(sys.executable).with_name("autolend"))


@dataclass
class Server:
    url: str
    home: Path
    env: dict[str, str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("autolend-home")
    port = free_port()
    env = {**os.environ, "AUTOLEND_HOME": str(home), "AUTOLEND_SESSION_COOKIE_SECURE": "false"}
    process = subprocess.Popen(
        [AUTOLEND, "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
        if process.poll() is not None:
            pytest.fail(f"server exited: {process.stdout.read() if process.stdout else ''}")
    else:
        process.kill()
        pytest.fail("server did not answer /healthz within 120 s")
    yield Server(url, home, env)
    process.terminate()
    process.wait(timeout=20)


def token(server: Server, role: str) -> dict[str, str]:
    response = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": role, "password": f"demo-{role}"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def audit_count(server: Server) -> int:
    records = httpx.get(
        f"{server.url}/api/v1/audit/records?limit=500", headers=token(server, "auditor")
    )
    return len(records.json())


def test_the_demo_server_answers_health_and_readiness(server: Server) -> None:
    assert httpx.get(f"{server.url}/healthz").status_code == 200
    assert httpx.get(f"{server.url}/readyz").json()["database"] == "ok"


def test_every_demo_role_signs_in_with_its_demo_password(server: Server) -> None:
    for role in (
        "admin",
        "underwriter",
        "servicing",
        "collector",
        "risk",
        "compliance",
        "auditor",
        "dealer",
        "borrower",
    ):
        me = httpx.get(f"{server.url}/api/v1/me", headers=token(server, role)).json()
        assert me["roles"] == [role]


def test_no_token_gives_401_and_the_wrong_role_403(server: Server) -> None:
    assert httpx.get(f"{server.url}/api/v1/customers").status_code == 401
    forbidden = httpx.get(f"{server.url}/api/v1/users", headers=token(server, "dealer"))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"


def test_another_borrowers_object_answers_404(server: Server) -> None:
    borrower = token(server, "borrower")
    own = httpx.get(f"{server.url}/api/v1/customers", headers=borrower).json()["items"]
    assert len(own) == 1 and own[0]["masked"] is False
    everyone = httpx.get(f"{server.url}/api/v1/customers", headers=token(server, "underwriter"))
    others = [c["id"] for c in everyone.json()["items"] if c["id"] != own[0]["id"]]
    assert others
    for customer_id in others:
        response = httpx.get(f"{server.url}/api/v1/customers/{customer_id}", headers=borrower)
        assert response.status_code == 404


def test_bad_input_gets_422_naming_the_field_and_writes_nothing(server: Server) -> None:
    before = audit_count(server)
    response = httpx.post(
        f"{server.url}/api/v1/customers",
        json={"name": "赵六", "id_number": "110105194912310021", "phone": "13912345678"},
        headers=token(server, "dealer"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "id_number"
    unknown = httpx.post(
        f"{server.url}/api/v1/customers",
        json={
            "name": "赵六",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
            "dealer_id": 2,
        },
        headers=token(server, "dealer"),
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "dealer_id"
    assert audit_count(server) == before


def test_a_change_made_over_http_is_in_the_verified_audit_chain_at_once(server: Server) -> None:
    """``autolend serve`` queues audit events and chains them in the background; the
    auditor's reads chain what is queued first, so a change shows up straight away."""
    created = httpx.post(
        f"{server.url}/api/v1/customers",
        json={
            "name": "孙七",
            "id_number": demo_resident_id("320102", date(1990, 5, 17), 321),
            "phone": "13612345678",
        },
        headers=token(server, "dealer"),
    )
    assert created.status_code == 201, created.text
    auditor = token(server, "auditor")
    latest = httpx.get(f"{server.url}/api/v1/audit/records?limit=1", headers=auditor).json()[0]
    assert (latest["object_type"], latest["object_id"]) == ("customer", str(created.json()["id"]))
    verified = httpx.get(f"{server.url}/api/v1/audit/verify", headers=auditor).json()
    assert verified["ok"], verified


def test_the_database_file_holds_no_plaintext_id_number_or_phone(server: Server) -> None:
    raw = b"".join(p.read_bytes() for p in server.home.glob("autolend.db*"))
    dump = "\n".join(sqlite3.connect(server.home / "autolend.db").iterdump()).encode()
    for name, area, born, seq, phone, account, _ in DEMO_CUSTOMERS:
        for canary in (demo_resident_id(area, born, seq), phone, account, name):
            if canary:
                assert canary.encode() not in raw
                assert canary.encode() not in dump


def test_verify_passes_on_the_demo_database_and_fails_after_tampering(server: Server) -> None:
    ok = subprocess.run([AUTOLEND, "verify"], env=server.env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with sqlite3.connect(server.home / "autolend.db") as conn:
        conn.execute("UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 3")
    broken = subprocess.run([AUTOLEND, "verify"], env=server.env, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "first bad record: 3" in broken.stdout
