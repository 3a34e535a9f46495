"""Helpers for tests that run the real ``autolend`` command as a server process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

AUTOLEND = str(Path(sys.executable).with_name("autolend"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def group_is_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_group(process: subprocess.Popen[bytes], pgid: int) -> None:
    """SIGTERM the whole process group, then SIGKILL whatever is still there after 20 s."""
    if group_is_alive(pgid):
        os.killpg(pgid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 20
    while group_is_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if group_is_alive(pgid):
        os.killpg(pgid, signal.SIGKILL)
