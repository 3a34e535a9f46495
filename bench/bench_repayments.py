"""P1: repayments over HTTP on PostgreSQL, against pgbench on the same cluster.

Run from the repository root: ``.venv/bin/python -m bench.bench_repayments`` (defaults:
``--loans 2000 --clients 16 --seconds 20 --workers 2``). It starts a throw-away PostgreSQL cluster
(durable: fsync and synchronous_commit on, the defaults), migrates, books and disburses the
loans through the services, starts ``autolend serve`` (``--workers`` uvicorn processes) in a
subprocess, then runs ``--clients`` concurrent clients (aiohttp, one event loop), each with
its own HTTP connection, posting repayments with unique Idempotency-Keys for ``--seconds``.
Afterwards every loan is accrued through the business date (as end of day would) and
``autolend verify`` must pass. Then ``pgbench -i -s 10`` into a separate database and
``pgbench -c 16 -j 2 -T <seconds>``; the ratio of repayments/s to pgbench TPS is printed
(target >= 25 %, p99 < 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import aiohttp
import httpx

from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.adapters.keys.vault import MasterKeyRing
from autolend.bootstrap import build_container
from autolend.config import Settings
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from bench.cpu import CpuMeter, postmaster_pid
from tests.support.postgres import ThrowawayPostgres

ROOT = Path(__file__).resolve().parent.parent
AUTOLEND = str(ROOT / ".venv" / "bin" / "autolend")
SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
PASSWORD = "bench-password-long"


def env_for(url: str, home: Path, port: int) -> dict[str, str]:
    return os.environ | {
        "AUTOLEND_HOME": str(home),
        "AUTOLEND_DATABASE_URL": url,
        "AUTOLEND_TOKEN_SECRET": "bench-token-secret-" + "x" * 32,
        "AUTOLEND_MASTER_KEYS": MasterKeyRing.generate("k1"),
        "AUTOLEND_BLIND_INDEX_KEY": base64.urlsafe_b64encode(b"b" * 32).decode(),
        "AUTOLEND_PORT": str(port),
        "AUTOLEND_SESSION_COOKIE_SECURE": "false",
    }


def bench_settings(url: str, home: Path) -> Settings:
    return Settings(
        home=home,
        database_url=url,
        token_secret="bench-token-secret-" + "x" * 32,
        master_keys=MasterKeyRing.generate("k1"),
        blind_index_key=base64.urlsafe_b64encode(b"b" * 32).decode(),
    )


def end_of_day(url: str, home: Path, loan_ids: list[int], through: date) -> None:
    """Accrue every loan through the business date, as end of day would, so that
    ``autolend verify`` can check invariant 7 as well."""
    container = build_container(bench_settings(url, home))
    servicing = container.services.servicing
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: servicing.accrue_loan(SERVICING, i, through), loan_ids))
    container.engine.dispose()


def seed(url: str, home: Path, loans: int, start: date, accrued_through: date) -> list[int]:
    """Migrate; create the bench user; book, disburse and accrue ``loans`` loans through
    ``accrued_through`` (as end of day would have), 8 threads."""
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    container = build_container(bench_settings(url, home))
    container.services.users.create(
        SYSTEM_ACTOR, username="bench", password=PASSWORD, roles=["servicing"]
    )
    service = container.services.loans

    def one(i: int) -> int:
        principal = Money.parse(str(10_000 + (i % 50) * 1_000), "CNY")
        terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=36, start=start)
        loan_id = service.book(SERVICING, BookingRequest(terms=terms, approved=principal))
        service.disburse(SERVICING, loan_id, DisbursementInput(principal, start))
        container.services.servicing.accrue_loan(SERVICING, loan_id, accrued_through)
        return loan_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(one, range(loans)))
    container.engine.dispose()
    return ids


def wait_healthy(
    base: str,
    server: subprocess.Popen[bytes],
    log: Path | None = None,
    timeout: float = 60,
    *,
    workers: int = 1,
) -> None:
    """Wait for ``/healthz`` and, with a log, for ``workers`` "server process ready" lines:
    ``/healthz`` answers as soon as one process is up, and a load started then measures
    the others' start-up and sends every keep-alive connection to the first one. If the
    server exits first, stop with the end of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log is not None else ""
            raise SystemExit(f"autolend serve exited with {server.returncode}\n{tail}")
        if _healthy(base) and (log is None or _ready_processes(log) >= workers):
            return
        time.sleep(0.2)
    raise SystemExit("autolend serve did not become healthy")


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _ready_processes(log: Path) -> int:
    return log.read_text(errors="replace").count('"message": "server process ready"')


def load(
    base: str, loan_ids: list[int], clients: int, seconds: float, value_date: date
) -> tuple[list[float], list[str], float]:
    """``clients`` concurrent clients posting repayments for ``seconds``; latencies, errors.

    The clients are aiohttp sessions of one connection each in one event loop: the load
    generator shares the 2 CPUs with the server and PostgreSQL, so it should cost as little
    as pgbench's C client does (httpx in 16 threads took about two thirds of the CPUs).
    """
    token = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": "bench", "password": PASSWORD}
    ).json()["access_token"]
    return asyncio.run(_load(base, token, loan_ids, clients, seconds, value_date))


async def _load(  # noqa: PLR0917 - the load's whole description
    base: str, token: str, loan_ids: list[int], clients: int, seconds: float, value_date: date
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds

    async def client(n: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(base, connector=connector, headers=headers) as http:
            i = 0
            while time.monotonic() < stop_at:
                loan = loan_ids[(n + i * clients) % len(loan_ids)]
                body = {
                    "amount": f"{50 + (i % 7) * 25}.00",
                    "currency": "CNY",
                    "value_date": value_date.isoformat(),
                    "reference": f"bench-{n}-{i}",
                }
                key = {"Idempotency-Key": f"bench-{n}-{i}"}
                began = time.perf_counter()
                url = f"/api/v1/loans/{loan}/repayments"
                async with http.post(url, json=body, headers=key) as answer:
                    text = await answer.text()
                latencies.append(time.perf_counter() - began)
                if answer.status != 201:
                    errors.append(f"{answer.status}: {text[:200]}")
                i += 1

    began = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, errors, time.perf_counter() - began


def pgbench(pg: ThrowawayPostgres, clients: int, seconds: int) -> float:
    pg.create_database("pgbench")
    tool = str(pg.bin_dir / "pgbench")
    common = ["-h", pg.host, "-p", str(pg.port), "-U", "postgres"]
    subprocess.run(
        [tool, "-i", "-s", "10", "-q", *common, "pgbench"], check=True, capture_output=True
    )
    done = subprocess.run(
        [tool, "-c", str(clients), "-j", "2", "-T", str(seconds), *common, "pgbench"],
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    if found is None:
        raise SystemExit(f"no TPS in pgbench output:\n{done.stdout}")
    return float(found.group(1))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--start", default="2026-10-28", help="loan start date")
    parser.add_argument("--value-date", default="2026-11-28", help="repayment value date")
    args = parser.parse_args()
    start, value_date = date.fromisoformat(args.start), date.fromisoformat(args.value_date)
    with tempfile.TemporaryDirectory() as tmp, ThrowawayPostgres() as pg:
        home = Path(tmp)
        pg.create_database("autolend")
        url = pg.url("autolend")
        began = time.perf_counter()
        loan_ids = seed(url, home, args.loans, start, value_date - timedelta(days=1))
        print(f"seeded {len(loan_ids):,} loans in {time.perf_counter() - began:.1f} s")
        port = pg.port + 1 if pg.port < 65_000 else pg.port - 1
        env = env_for(url, home, port)
        log = (home / "serve.log").open("wb")  # the access log, one line a request
        server = subprocess.Popen(
            [AUTOLEND, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, server, home / "serve.log", workers=args.workers)
            meter = CpuMeter({"server": server.pid, "postgres": postmaster_pid(pg.data_dir)})
            meter.start()
            latencies, errors, elapsed = load(
                base, loan_ids, args.clients, args.seconds, value_date
            )
            meter.stop()
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        end_of_day(url, home, loan_ids, value_date)
        verified = subprocess.run(
            [AUTOLEND, "verify"], check=False, env=env, capture_output=True, text=True
        )
        tps = pgbench(pg, args.clients, args.seconds)
    report(args, (latencies, errors, elapsed), meter, verified, tps)


def report(
    args: argparse.Namespace,
    run: tuple[list[float], list[str], float],
    meter: CpuMeter,
    verified: subprocess.CompletedProcess[str],
    tps: float,
) -> None:
    """Print the table, the targets' verdict and the first errors; exit 1 on errors or a
    failed verify."""
    latencies, errors, elapsed = run
    rate = len(latencies) / elapsed
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    print(verified.stdout)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print("| what | figure |")
    print("| --- | --- |")
    print(f"| repayments posted ({args.clients} clients, {elapsed:.1f} s) | {len(latencies):,} |")
    print(f"| errors (non-201) | {len(errors)} |")
    print(f"| repayments/s | {rate:,.1f} |")
    print(f"| latency p50 / p99 | {p50:.1f} ms / {p99:.1f} ms |")
    print(f"| CPU per repayment | {meter.per_item_ms(len(latencies))} |")
    print(f"| pgbench TPS (-s 10, -c {args.clients} -j 2 -T {args.seconds}) | {tps:,.1f} |")
    print(f"| repayments/s / pgbench TPS | {rate / tps:.1%} |")
    print(f"| autolend verify | {'pass' if verified.returncode == 0 else 'FAIL'} |")
    met = rate >= 0.25 * tps and p99 < 50 and not errors and verified.returncode == 0
    print(f"targets (>= 25 % of pgbench TPS, p99 < 50 ms, 0 errors, verify passes): {met}")
    for error in errors[:5]:
        print("error:", error)
    sys.exit(0 if not errors and verified.returncode == 0 else 1)


if __name__ == "__main__":
    main()
