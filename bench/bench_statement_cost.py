"""What one SQL statement costs the client in CPU: SQLAlchemy Core against psycopg alone,
and what the pool's pre-ping adds to a connection checkout (P1.3's floor, see
docs/benchmarks.md "What the targets would take").

Run from the repository root: ``.venv/bin/python -m bench.bench_statement_cost`` (default
``--statements 3000``). It starts a throw-away PostgreSQL cluster, makes a 3-column table
of 300 rows and times, on one connection and one thread, CPU (``time.process_time``) and
wall time per call of: a primary-key select built per call (as most repository code
does), the same select built once with a bound parameter, an insert, a select through
``exec_driver_sql`` (SQLAlchemy's execution without statement compilation), and the
select on the raw psycopg cursor; then a checkout and return of a pooled connection with
and without ``pool_pre_ping``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    insert,
    select,
    text,
)

from tests.support.postgres import ThrowawayPostgres

TABLE = Table(
    "t",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("a", Integer),
    Column("b", String(20)),
)


def per_call(label: str, calls: int, call: Callable[[int], object]) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(calls):
        call(i)
    cpu_us = 1e6 * (time.process_time() - cpu) / calls
    wall_us = 1e6 * (time.perf_counter() - wall) / calls
    print(f"| {label} | {cpu_us:.0f} µs | {wall_us:.0f} µs |")


def statements(conn: Connection, calls: int) -> None:
    t = TABLE.c
    prebuilt = select(t.id, t.a, t.b).where(t.id == bindparam("k"))
    raw = conn.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()

    def on_psycopg(i: int) -> None:
        cursor.execute("select id, a, b from t where id = %s", (i % 300 + 1,))
        cursor.fetchone()

    per_call(
        "select built per call",
        calls,
        lambda i: conn.execute(select(t.id, t.a, t.b).where(t.id == i % 300 + 1)).one(),
    )
    per_call("select built once", calls, lambda i: conn.execute(prebuilt, {"k": i % 300 + 1}).one())
    per_call(
        "insert built per call", calls, lambda i: conn.execute(insert(TABLE).values(a=i, b="y"))
    )
    per_call(
        "exec_driver_sql",
        calls,
        lambda i: conn.exec_driver_sql(
            "select id, a, b from t where id = %(k)s", {"k": i % 300 + 1}
        ).one(),
    )
    per_call("psycopg cursor alone", calls, on_psycopg)  # fmt: skip


def checkouts(url: str, calls: int) -> None:
    for ping in (True, False):
        engine = create_engine(url, pool_pre_ping=ping)
        with engine.connect() as conn:
            conn.execute(text("select 1"))

        def checkout(_i: int, engine: object = engine) -> None:
            with engine.connect():  # type: ignore[attr-defined]
                pass

        per_call(f"checkout, pool_pre_ping={ping}", calls, checkout)
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=3000)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    with ThrowawayPostgres() as pg:
        pg.create_database("cost")
        url = pg.url("cost")
        engine = create_engine(url)
        TABLE.metadata.create_all(engine)
        print("| per call (one thread) | CPU | wall |\n| --- | --- | --- |")
        with engine.connect() as conn:
            conn.execute(insert(TABLE), [{"a": i, "b": "x"} for i in range(300)])
            statements(conn, args.statements)
            conn.commit()
        engine.dispose()
        checkouts(url, args.statements)


if __name__ == "__main__":
    main()
