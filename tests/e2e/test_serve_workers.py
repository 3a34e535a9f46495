"""``autolend serve --workers 2``: several worker processes behind one port, run as a user runs
it, and stopped cleanly through its process group with no stray worker left behind."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.processes import AUTOLEND, free_port, group_is_alive, stop_group

pytestmark = pytest.mark.e2e
STARTUP_TIMEOUT_S = 120.0


def test_serve_with_two_workers_signs_in_answers_me_and_stops_without_strays(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEND_")}
    env |= {"AUTOLEND_HOME": str(tmp_path), "AUTOLEND_SESSION_COOKIE_SECURE": "false"}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [AUTOLEND, "serve", "--demo", "--workers", "2", "--port", str(port)],
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

        assert "workers 2" in log.read_text()
        signed_in = httpx.post(
            f"{url}/api/v1/auth/token",
            data={"username": "servicing", "password": "demo-servicing"},
        )
        assert signed_in.status_code == 200, signed_in.text
        headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        # several calls so that both workers (separate processes) accept the same token
        for _ in range(6):
            me = httpx.get(f"{url}/api/v1/me", headers=headers)
            assert me.status_code == 200, me.text
            assert me.json()["username"] == "servicing"
            assert "servicing" in me.json()["roles"]
    finally:
        stop_group(process, pgid)

    assert process.returncode is not None
    assert not group_is_alive(pgid), "worker processes were left running"
