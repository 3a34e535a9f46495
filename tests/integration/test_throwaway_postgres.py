"""The throw-away PostgreSQL cluster used by integration tests really starts and behaves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.support.postgres import PostgresUnavailable, ThrowawayPostgres, find_pg_bin_dir

PG_BIN_DIR = find_pg_bin_dir()
MISSING_REASON = (
    "PostgreSQL binaries (initdb, pg_ctl) not found: set AUTOLEND_PG_BIN or run "
    "scripts/ensure-system-packages.sh --postgres-only as root"
)


def _require_postgres() -> None:
    if PG_BIN_DIR is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {MISSING_REASON}", pytrace=False)
    pytest.skip(MISSING_REASON)


@pytest.fixture(scope="module")
def pg() -> Iterator[ThrowawayPostgres]:
    _require_postgres()
    with ThrowawayPostgres() as cluster:
        yield cluster


def test_a_fresh_cluster_answers_select_one(pg: ThrowawayPostgres) -> None:
    with pg.connect() as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    assert pg.host == "127.0.0.1"
    assert pg.startup_seconds is not None and pg.startup_seconds < 120


def test_a_created_database_accepts_connections_through_its_sqlalchemy_url(
    pg: ThrowawayPostgres,
) -> None:
    pg.create_database("created_db")
    url = pg.url("created_db")
    assert url == f"postgresql+psycopg://postgres@127.0.0.1:{pg.port}/created_db"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
            assert conn.execute(text("select current_database()")).scalar_one() == "created_db"
    finally:
        engine.dispose()


def test_a_database_can_be_created_from_a_template(pg: ThrowawayPostgres) -> None:
    pg.create_database("template_src")
    with pg.connect("template_src") as conn:
        conn.execute("create table marker (v text)")
        conn.execute("insert into marker values ('copied')")
    pg.create_database("template_copy", template="template_src")
    with pg.connect("template_copy") as conn:
        assert conn.execute("select v from marker").fetchone() == ("copied",)


def test_dropping_a_database_terminates_its_open_connections(pg: ThrowawayPostgres) -> None:
    pg.create_database("to_drop")
    holder = pg.connect("to_drop")
    try:
        pg.drop_database("to_drop")
        with pg.connect() as conn:
            row = conn.execute("select count(*) from pg_database where datname = 'to_drop'")
            assert row.fetchone() == (0,)
    finally:
        holder.close()
    pg.drop_database("to_drop")  # dropping a missing database is not an error


def test_committed_data_survives_an_immediate_stop_and_a_restart(pg: ThrowawayPostgres) -> None:
    pg.create_database("durable")
    with pg.connect("durable") as conn:
        conn.execute("create table ledger (id int primary key, amount numeric not null)")
        conn.execute("insert into ledger values (1, 100.50), (2, 7)")
    pg.stop_immediate()
    assert not pg.is_running()
    with pytest.raises(PostgresUnavailable):
        pg.connect("durable")
    pg.start()
    with pg.connect("durable") as conn:
        rows = conn.execute("select id, amount::text from ledger order by id").fetchall()
    assert rows == [(1, "100.50"), (2, "7")]
    assert "database system was interrupted" in pg.log_path.read_text()


def test_restart_keeps_the_same_port_and_data(pg: ThrowawayPostgres) -> None:
    port = pg.port
    pg.restart()
    assert pg.port == port
    with pg.connect() as conn:
        assert conn.execute("select 1").fetchone() == (1,)


def test_leaving_the_context_manager_stops_the_server_and_removes_the_data_directory() -> None:
    _require_postgres()
    with ThrowawayPostgres(fast=True) as cluster:
        root: Path = cluster.root_dir
        data_dir = cluster.data_dir
        port = cluster.port
        assert (data_dir / "PG_VERSION").is_file()
        assert str(root).startswith("/tmp/")
        with cluster.connect() as conn:
            assert conn.execute("show fsync").fetchone() == ("off",)
    assert not root.exists()
    assert not data_dir.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"host=127.0.0.1 port={port} user=postgres connect_timeout=3")


def test_fsync_stays_on_unless_fast_mode_is_asked_for(pg: ThrowawayPostgres) -> None:
    with pg.connect() as conn:
        assert conn.execute("show fsync").fetchone() == ("on",)


def test_the_bin_dir_override_environment_variable_is_honoured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _require_postgres()
    assert PG_BIN_DIR is not None
    monkeypatch.setenv("AUTOLEND_PG_BIN", str(PG_BIN_DIR))
    assert find_pg_bin_dir() == PG_BIN_DIR
    monkeypatch.setenv("AUTOLEND_PG_BIN", str(tmp_path))  # no initdb there: falls through
    assert find_pg_bin_dir() is not None
