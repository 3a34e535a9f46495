"""P1.6: full end of day on PostgreSQL -- read, compute, write postings -- bulk against
per-loan.

Run from the repository root: ``.venv/bin/python -m bench.bench_eod_postgres`` (defaults:
``--loans 100000 --partition-size 10000 --per-loan 2000``). It starts a throw-away
PostgreSQL cluster (durable: fsync and synchronous_commit on; with :data:`TUNING` unless
``--untuned``), migrates,
inserts ``--loans`` synthetic booked and disbursed loans set-based
(:func:`autolend.batch.bulk_synth.insert_synthetic_loans`: every product shape; 85 %
starting the day before the first timed day, 15 % overdue since 3 days before it, so
accruing penalty interest), then times two business days of
``EodRunner.run_date`` with the bulk path -- on the first day most loans accrue from their
booked state, on the second every loan from its stored servicing snapshot (the steady
state) -- and
``autolend verify``'s ledger checks. Then, in a second database of ``--per-loan`` loans
of the same book, the per-loan runner (``bulk=False``) over the same two days, for its
rate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from autolend.adapters.clock import FixedClock
from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.batch.bulk_synth import insert_synthetic_loans
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR
from tests.conftest import test_settings
from tests.support.postgres import ThrowawayPostgres

FIRST_DAY = date(2026, 3, 2)
OVERDUE_SHARE = 0.15
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
TUNING = {  # a batch server's usual settings, not the 128 MB / 1 GB defaults
    "shared_buffers": "2GB", "max_wal_size": "16GB", "checkpoint_timeout": "30min",
    "work_mem": "64MB", "maintenance_work_mem": "512MB",
}  # fmt: skip


def tune(pg: ThrowawayPostgres) -> None:
    """Apply :data:`TUNING` (``ALTER SYSTEM``) and restart the cluster."""
    with pg.connect() as conn:
        for name, value in TUNING.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    pg.restart()


def world(pg: ThrowawayPostgres, name: str, home: Path) -> Container:
    pg.create_database(name)
    url = pg.url(name)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return build_container(test_settings(url, home / name), clock=FixedClock(NOW))


def load(container: Container, loans: int, first: date = FIRST_DAY) -> float:
    """85 % of the loans start the day before the first timed day; 15 % started 6 days
    before it with a first installment due 3 days later, unpaid, so they accrue
    penalty interest (brought to the day before by end of day, untimed)."""
    began = time.perf_counter()
    uow, clock = container.uow, container.services.clock
    overdue = int(loans * OVERDUE_SHARE)
    start = first - timedelta(days=1)
    insert_synthetic_loans(uow, clock, loans - overdue, seed=1, starts=[start])
    early = [first - timedelta(days=6)]
    insert_synthetic_loans(uow, clock, overdue, seed=2, starts=early, first_due_after=3)
    EodRunner(uow, clock, partition_size=50_000).run_through(SYSTEM_ACTOR, start)
    with container.engine.begin() as conn:  # planner statistics, as autovacuum keeps them
        conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - began


def timed_days(
    container: Container, *, bulk: bool, size: int, workers: int = 1, first: date = FIRST_DAY
) -> list[dict[str, float]]:
    clock = container.services.clock
    runner = EodRunner(container.uow, clock, partition_size=size, bulk=bulk, workers=workers)
    out = []
    for day in (first, first + timedelta(days=1)):
        began = time.perf_counter()
        result = runner.run_date(SYSTEM_ACTOR, day)
        seconds = time.perf_counter() - began
        assert result.errors == 0, result.errors
        out.append({"day": day.isoformat(), "loans": result.loans, "entries": result.entries,
                    "seconds": seconds, "loans_per_second": result.loans / seconds})  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--partition-size", type=int, default=10_000)
    parser.add_argument("--per-loan", type=int, default=2_000, help="loans for the per-loan run")
    parser.add_argument("--workers", type=int, default=1, help="partitions run at a time")
    parser.add_argument("--json", action="store_true", help="print one JSON line only")
    parser.add_argument("--untuned", action="store_true", help="PostgreSQL's default settings")
    parser.add_argument(
        "--first-day", type=date.fromisoformat, default=FIRST_DAY,
        help="the first timed day (2026-03-31: a month-end, with its snapshot and allowance)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ThrowawayPostgres() as pg:
        home = Path(tmp)
        if not args.untuned:
            tune(pg)
        bulk_world = world(pg, "bulk", home)
        first = args.first_day
        setup = load(bulk_world, args.loans, first)
        bulk = timed_days(
            bulk_world, bulk=True, size=args.partition_size, workers=args.workers, first=first
        )
        began = time.perf_counter()
        report = bulk_world.services.verify.run(first + timedelta(days=1))
        verify_seconds = time.perf_counter() - began
        bulk_world.engine.dispose()
        per_world = world(pg, "per_loan", home)
        load(per_world, args.per_loan, first)
        per_loan = timed_days(per_world, bulk=False, size=args.partition_size, first=first)
        per_world.engine.dispose()
    figures = {
        "loans": args.loans, "partition_size": args.partition_size, "workers": args.workers,
        "settings": "default" if args.untuned else TUNING,
        "setup_seconds": round(setup, 1), "bulk": bulk, "per_loan": per_loan,
        "verify_ok": report.ok, "verify_seconds": round(verify_seconds, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}", "load_average": os.getloadavg(),
    }  # fmt: skip
    if args.json:
        print(json.dumps(figures))
        return
    print(json.dumps(figures, indent=2))
    print("| what | figure |")
    print("| --- | --- |")
    for name, days in (("bulk", bulk), ("per-loan", per_loan)):
        for n, d in enumerate(days, start=1):
            print(f"| {name}, day {n} ({d['day']}): {d['loans']:,} loans, {d['entries']:,} entries "
                  f"| {d['seconds']:.1f} s ({d['loans_per_second']:,.0f} loans/s) |")  # fmt: skip
    print(f"| `autolend verify` after the run | {'ok' if report.ok else 'FAILED'}, "
          f"{verify_seconds:.1f} s |")  # fmt: skip


if __name__ == "__main__":
    main()
