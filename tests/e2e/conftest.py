"""End-to-end fixtures: the real server in a subprocess and headless Chromium via Playwright.

The server is ``autolend serve --demo`` on a free port with its own ``AUTOLEND_HOME`` (a fresh
SQLite database with the demo users and customers). The browser is Debian's Chromium
(``/usr/bin/chromium``); without it the browser tests are skipped, except on CI
(``CI=true``) where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
VENDOR = REPO / "src" / "autolend" / "web" / "static" / "vendor"
# Seeding the demo (its model trained, its book, its first end of day) takes about 25 s of
# CPU; on two cores shared with the other worker and other jobs it has taken over 90 s.
STARTUP_TIMEOUT_S = 240.0
VIEWPORT = {"width": 1280, "height": 860}


def _on_ci() -> bool:
    return os.environ.get("CI") == "true"


def _skip_or_fail(reason: str) -> None:
    if _on_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("autolend")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "autolend.cli"]
    return [*base, "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)]


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"autolend serve exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"autolend serve did not answer /healthz within {STARTUP_TIMEOUT_S:.0f} s")


def demo_server(home: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``autolend serve --demo`` in ``home`` (with ``extra_env``, e.g. a jurisdiction)
    until the generator is closed; yields its base URL once it answers /healthz."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEND_")}
    env |= {"AUTOLEND_HOME": str(home), "AUTOLEND_DEMO": "true", "PYTHONUNBUFFERED": "1"}
    env |= extra_env or {}
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _server_command(port), env=env, stdout=out, stderr=subprocess.STDOUT, cwd=home
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running ``autolend serve --demo`` with a fresh home folder."""
    yield from demo_server(tmp_path_factory.mktemp("autolend-home"))


@pytest.fixture(scope="session")
def us_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``autolend serve --demo`` of a lender under the US pack, with its own home folder
    (one per test process: the US pages' tests only read the demo or add applications)."""
    home = tmp_path_factory.mktemp("autolend-us-home")
    yield from demo_server(home, {"AUTOLEND_JURISDICTION": "US"})


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh")
    if not all((VENDOR / name).is_file() for name in ("htmx.min.js", "echarts.min.js")):
        _skip_or_fail(f"web assets missing in {VENDOR}: run scripts/install-assets.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def fresh_profile(
    browser: Any, base_url: str, viewport: dict[str, int], locale: str
) -> Iterator[Any]:
    """A browser profile with no cookies on ``base_url``, closed afterwards."""
    ctx = browser.new_context(base_url=base_url, viewport=viewport, locale=locale)
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def context(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser profile (no cookies) pointed at the server."""
    with fresh_profile(browser, server, VIEWPORT, "en-US") as ctx:
        yield ctx


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def us_page(browser: Any, us_server: str) -> Iterator[Any]:
    """A page in a fresh profile on the US lender's server, in American English."""
    with fresh_profile(browser, us_server, VIEWPORT, "en-US") as ctx:
        yield ctx.new_page()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    """A page in a fresh profile on a phone's screen (390 x 844), in Chinese."""
    with fresh_profile(browser, server, PHONE, "zh-CN") as ctx:
        yield ctx.new_page()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$AUTOLEND_E2E_SCREENSHOTS`` if set, else a temporary folder."""
    chosen = os.environ.get("AUTOLEND_E2E_SCREENSHOTS")
    if chosen:
        folder = Path(chosen)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")
