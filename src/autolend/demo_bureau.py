"""The demo's credit bureau: ``autolend serve --demo`` (and ``autolend demo``, while it
seeds) starts the bureau sandbox as its own
process on a free local port and points the platform at it, so demo applications are
decided against synthetic credit reports over real HTTP (a lender sets
``AUTOLEND_BUREAU_URL`` to its bureau instead, and then nothing is started).

Example: ``autolend serve --demo`` prints ``bureau sandbox http://127.0.0.1:41873`` and
stops the sandbox when it exits, however it exits: at exit (Ctrl-C), and on Linux also
through the kernel's parent-death signal, because uvicorn ends a server stopped with
SIGTERM by re-raising the signal, which kills the process before exit handlers run.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

__all__ = ["demo_bureau_while", "start_demo_bureau"]

STARTUP_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def _die_with_parent() -> None:
    """In the child before it runs: ask Linux to send it SIGTERM when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing (the exit handler still stops it)."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_demo_bureau() -> str | None:
    """Start the sandbox unless a bureau is configured; returns its URL (None when one is
    configured already or the sandbox did not come up, in which case decisions refer).
    It runs until this process exits."""
    started = _start()
    if started is None:
        return None
    url, process = started
    atexit.register(_stop, process)
    os.environ["AUTOLEND_BUREAU_URL"] = url
    return url


@contextmanager
def demo_bureau_while() -> Iterator[str | None]:
    """The sandbox for the length of one command (``autolend demo`` decides its demo
    applications against it), then stopped and ``AUTOLEND_BUREAU_URL`` unset again; does
    nothing when a bureau is configured."""
    started = _start()
    if started is None:
        yield None
        return
    url, process = started
    os.environ["AUTOLEND_BUREAU_URL"] = url
    try:
        yield url
    finally:
        os.environ.pop("AUTOLEND_BUREAU_URL", None)
        _stop(process)


def _start() -> tuple[str, subprocess.Popen[bytes]] | None:
    """The sandbox process on a free port once it answers; None when a bureau is
    configured or it did not come up within :data:`STARTUP_SECONDS`."""
    if os.environ.get("AUTOLEND_BUREAU_URL"):
        return None
    port = _free_port()
    command = [sys.executable, "-m", "autolend.cli_bureau", "bureau-sandbox", "serve",
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads run yet at start-up
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/_control", timeout=1).status_code == 200:
                return url, process
        except httpx.HTTPError:
            time.sleep(0.2)
    _stop(process)
    return None
