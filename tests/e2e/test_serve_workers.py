"""``autolend serve --workers 2``: several worker processes behind one port, run as a user runs
it, and stopped cleanly through its process group with no stray worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.processes import AUTOLEND, free_port, group_is_alive, stop_group

pytestmark = pytest.mark.e2e
STARTUP_TIMEOUT_S = 120.0


def serve_demo(home: Path, port: int, *options: str) -> tuple[subprocess.Popen[bytes], Path]:
    """`autolend serve --demo` in its own session (process group) and home; its log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEND_")}
    env |= {"AUTOLEND_HOME": str(home), "AUTOLEND_SESSION_COOKIE_SECURE": "false"}
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [AUTOLEND, "serve", "--demo", *options, "--port", str(port)],
            env=env, cwd=home, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    return process, log


def test_serve_with_two_workers_signs_in_answers_me_and_stops_without_strays(
    tmp_path: Path,
) -> None:
    port = free_port()
    process, log = serve_demo(tmp_path, port, "--workers", "2")
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


def test_the_demo_bureau_sandbox_stops_when_the_server_alone_is_sent_sigterm(
    tmp_path: Path,
) -> None:
    """A service manager stops `autolend serve --demo` with SIGTERM to its main process;
    uvicorn then re-raises the signal, so exit handlers never run: the sandbox it started
    must still go (Linux's parent-death signal), not linger on its port."""
    process, log = serve_demo(tmp_path, free_port())
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while "bureau sandbox" not in log.read_text() or "serving on" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        sandbox = log.read_text().split("bureau sandbox")[1].split()[0]
        assert httpx.get(f"{sandbox}/_control", timeout=5).status_code == 200
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        gone_by = time.monotonic() + 10
        while time.monotonic() < gone_by:
            try:
                httpx.get(f"{sandbox}/_control", timeout=1)
            except httpx.TransportError:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"the bureau sandbox at {sandbox} outlived the server")
    finally:
        stop_group(process, process.pid)
