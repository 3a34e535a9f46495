"""P1.5: application intake -> decision over HTTP on PostgreSQL, 20 applications at a time.

Run from the repository root: ``.venv/bin/python -m bench.bench_intake`` (defaults:
``--applications 1000 --clients 20 --workers 2``). It starts a throw-away PostgreSQL
cluster (durable: fsync and synchronous_commit on, the defaults), migrates, publishes the
demo products, trains and registers a small ``default`` credit model (as the tests do),
creates a dealer user, starts the bureau sandbox (``autolend bureau-sandbox serve``) and
``autolend serve --workers N`` as their own processes, each uvicorn, then runs
``--clients`` concurrent clients (aiohttp, one event loop), each with its own HTTP
connection, that file an application
(``POST /api/v1/applications``) and submit it (``POST /api/v1/applications/{id}/submit``:
bureau query over HTTP, fraud signals, scoring, the policy, offers with APR) until
``--applications`` are decided. Every applicant has a distinct valid resident ID (GB 11643
check character) and a distinct mobile, so the 30-day velocity rules do not fire. The
first ``--warmup`` applications (default 2 per client) are not measured.

Prints p50 and p99 of intake + decision (the two requests) and of the submit alone, the
outcomes, errors and throughput. Target: p99 < 100 ms. ``--profile S`` also samples the
server with py-spy for S seconds while the load runs (``--profile-out``: collapsed
stacks, one line per stack with its sample count, as ``flamegraph.pl`` reads them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.bootstrap import build_container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.identity import resident_id_check_character
from bench.bench_repayments import bench_settings, env_for, wait_healthy
from bench.cpu import CpuMeter, postmaster_pid
from tests.support.origination import application_body, install, train_model
from tests.support.postgres import ThrowawayPostgres

ROOT = Path(__file__).resolve().parent.parent
AUTOLEND = str(ROOT / ".venv" / "bin" / "autolend")
PASSWORD = "bench-password-long"
TARGET_P99_MS = 100.0


def resident_id(serial: int) -> str:
    """A distinct valid resident ID per serial: Beijing Chaoyang, born 1975..1994, the
    check character by GB 11643 (MOD 11-2)."""
    born = date(1975, 1, 1) + timedelta(days=serial % 7000)
    first17 = f"110105{born:%Y%m%d}{serial // 7000 % 1000:03d}"
    return first17 + resident_id_check_character(first17)


def body_for(serial: int) -> dict[str, Any]:
    """The tests' passing application with its own applicant, mobile and income."""
    borrower = application_body()["applicants"][0] | {
        "id_number": resident_id(serial),
        "mobile": f"139{serial:08d}",
        "monthly_income": f"{20_000 + serial % 7 * 5_000}.00",
    }
    return application_body(applicants=[borrower])


def seed(url: str, home: Path) -> None:
    """Migrate; the demo products, a trained model, dealer D001 and its bench user."""
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    model = train_model(Path(tempfile.mkdtemp(dir=home)))
    container = build_container(bench_settings(url, home))
    install(container, model)
    with container.uow(write=True) as uow:
        uow.dealers.add("D001", "Bench Dealer", "北京", container.services.clock.now())
        uow.commit()
    container.services.users.create(
        SYSTEM_ACTOR, username="bench", password=PASSWORD, roles=["dealer"], dealer_code="D001"
    )
    container.engine.dispose()


def start_sandbox(home: Path, port: int) -> subprocess.Popen[bytes]:
    log = (home / "bureau.log").open("wb")
    command = [AUTOLEND, "bureau-sandbox", "serve", "--port", str(port)]
    process = subprocess.Popen(command, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_control", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the bureau sandbox did not start")


class Load:
    """``clients`` concurrent clients (aiohttp sessions of one connection each, in one event
    loop: the load generator shares the CPUs with the server) filing and submitting
    applications numbered from a shared counter; each records (intake + decision, submit
    alone) in seconds, and the outcome."""

    def __init__(self, base: str, token: str, clients: int) -> None:
        self.base, self.token, self.clients = base, token, clients
        self.next_serial = 0
        self.timings: list[tuple[float, float]] = []
        self.outcomes: Counter[str] = Counter()
        self.errors: list[str] = []

    def _take(self, last: int) -> int | None:
        if self.next_serial >= last:
            return None
        self.next_serial += 1
        return self.next_serial - 1

    async def _one(self, http: aiohttp.ClientSession, serial: int) -> tuple[float, float] | str:
        began = time.perf_counter()
        async with http.post("/api/v1/applications", json=body_for(serial)) as made:
            text = await made.text()
        if made.status != 201:
            return f"create {made.status}: {text[:200]}"
        middle = time.perf_counter()
        async with http.post(f"/api/v1/applications/{json.loads(text)['id']}/submit") as done:
            answer = await done.text()
        ended = time.perf_counter()
        if done.status != 200:
            return f"submit {done.status}: {answer[:200]}"
        self.outcomes[json.loads(answer)["status"]] += 1
        return ended - began, ended - middle

    def run(self, last: int, *, measure: bool) -> float:
        return asyncio.run(self._run(last, measure=measure))

    async def _run(self, last: int, *, measure: bool) -> float:
        headers = {"Authorization": f"Bearer {self.token}"}
        timeout = aiohttp.ClientTimeout(total=60)

        async def client() -> None:
            connector = aiohttp.TCPConnector(limit=1)
            async with aiohttp.ClientSession(
                self.base, connector=connector, headers=headers, timeout=timeout
            ) as http:
                while (serial := self._take(last)) is not None:
                    result = await self._one(http, serial)
                    if isinstance(result, str):
                        self.errors.append(result)
                    elif measure:
                        self.timings.append(result)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(self.clients)))
        return time.perf_counter() - began


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


def profile(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes] | None:
    spy = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
    if not Path(spy).exists():
        print("py-spy not found: no profile")
        return None
    command = [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--subprocesses",
               "--rate", "200", "--format", "raw", "--output", str(out)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def report(args: argparse.Namespace, load: Load, elapsed: float) -> None:
    total = [t[0] * 1000 for t in load.timings]
    submit = [t[1] * 1000 for t in load.timings]
    p99 = percentile(total, 0.99)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average before the run {args.load_before}"
    )
    print("| what | figure |")
    print("| --- | --- |")
    print(f"| applications decided ({args.clients} clients, {args.workers} workers, "
          f"{elapsed:.1f} s) | {len(total):,} |")  # fmt: skip
    print(f"| outcomes | {dict(sorted(load.outcomes.items()))} |")
    print(f"| errors | {len(load.errors)} |")
    print(f"| decisions/s | {len(total) / elapsed:,.1f} |")
    print(f"| intake + decision p50 / p99 | {percentile(total, 0.5):.1f} ms / {p99:.1f} ms |")
    print(f"| submit alone p50 / p99 | {percentile(submit, 0.5):.1f} ms / "
          f"{percentile(submit, 0.99):.1f} ms |")  # fmt: skip
    met = p99 < TARGET_P99_MS and not load.errors
    print(f"target (p99 of intake + decision < {TARGET_P99_MS:.0f} ms, 0 errors): {met}")
    for error in load.errors[:5]:
        print("error:", error)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--warmup", type=int, default=None, help="default: 2 per client")
    parser.add_argument("--profile", type=int, default=0, help="py-spy seconds (0: none)")
    parser.add_argument(
        "--profile-out",
        default="var/bench-intake-profile.txt",
        help="collapsed stacks (flamegraph.pl input)",
    )
    args = parser.parse_args()
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    warmup = 2 * args.clients if args.warmup is None else args.warmup
    with tempfile.TemporaryDirectory() as tmp, ThrowawayPostgres() as pg:
        home = Path(tmp)
        pg.create_database("autolend")
        url = pg.url("autolend")
        began = time.perf_counter()
        seed(url, home)
        print(f"seeded (products, model, dealer) in {time.perf_counter() - began:.1f} s")
        port = pg.port + 1 if pg.port < 65_000 else pg.port - 1
        bureau_port = port + 1 if port < 65_000 else port - 2
        sandbox = start_sandbox(home, bureau_port)
        env = env_for(url, home, port) | {"AUTOLEND_BUREAU_URL": f"http://127.0.0.1:{bureau_port}"}
        log = (home / "serve.log").open("wb")
        server = subprocess.Popen(
            [AUTOLEND, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, server, home / "serve.log", workers=args.workers)
            token = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": "bench", "password": PASSWORD}
            ).json()["access_token"]
            load = Load(base, token, args.clients)
            load.run(warmup, measure=False)
            load.outcomes.clear()
            spy = (
                profile(server.pid, args.profile, Path(args.profile_out)) if args.profile else None
            )
            meter = CpuMeter(
                {
                    "server": server.pid,
                    "bureau sandbox": sandbox.pid,
                    "postgres": postmaster_pid(pg.data_dir),
                }
            )
            meter.start()
            elapsed = load.run(warmup + args.applications, measure=True)
            meter.stop()
            if spy is not None:
                spy.wait(timeout=args.profile + 60)
        finally:
            server.terminate()
            server.wait(timeout=30)
            sandbox.terminate()
            sandbox.wait(timeout=30)
            log.close()
    report(args, load, elapsed)
    print(f"CPU per application: {meter.per_item_ms(len(load.timings))}")
    sys.exit(1 if load.errors else 0)


if __name__ == "__main__":
    main()
