"""Storage: the migrations build the schema the code expects, on both databases; SQLite is
tuned for money; the unit of work commits only when asked."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select

from autolend.adapters.db import tables as t
from autolend.adapters.db.engine import WRITE_OPTION
from autolend.adapters.db.migrate import current_revision, head_revision
from autolend.bootstrap import Container

pytestmark = pytest.mark.integration


def test_the_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diffs == []


def test_the_database_is_at_the_newest_revision(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()


def test_the_audit_chain_head_starts_at_genesis(engine: Engine) -> None:
    with engine.connect() as conn:
        row = conn.execute(select(t.audit_head)).one()
    assert (row.seq, row.hash) == (0, "0" * 64)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_write_unit_of_work_on_sqlite_takes_the_write_lock_at_begin(engine: Engine) -> None:
    writer = engine.execution_options(**{WRITE_OPTION: True}).connect()
    writer.begin()
    try:
        other = engine.execution_options(**{WRITE_OPTION: True}).connect()
        other.connection.dbapi_connection.execute("PRAGMA busy_timeout=50")  # type: ignore[union-attr]
        with pytest.raises(Exception, match="locked"):
            other.begin()
        other.close()
    finally:
        writer.rollback()
        writer.close()


def test_leaving_a_unit_of_work_without_commit_writes_nothing(container: Container) -> None:
    with container.uow(write=True) as uow:
        uow.dealers.add("D9", "Uncommitted", None, container.services.clock.now())
    with container.uow() as uow:
        assert uow.dealers.by_code("D9") is None
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.dealers)).scalar() == 0


def add_dealer(container: Container, code: str) -> None:
    with container.uow(write=True) as uow:
        uow.dealers.add(code, f"Dealer {code}", None, container.services.clock.now())
        uow.commit()


def test_a_snapshot_read_sees_the_database_as_of_its_first_statement(
    container: Container,
) -> None:
    """What `autolend verify` relies on: a dealer committed by another writer between two
    statements of a snapshot read is not seen by the second one (PostgreSQL REPEATABLE
    READ, SQLite's read transaction). A plain read on PostgreSQL (autocommit) sees it at
    its next statement; on SQLite every read is a transaction with one snapshot."""
    add_dealer(container, "D1")
    with container.uow(snapshot=True) as uow:
        assert uow.dealers.by_code("D1") is not None
        add_dealer(container, "D2")
        assert uow.dealers.by_code("D2") is None
    with container.uow() as uow:
        assert uow.dealers.by_code("D1") is not None
        add_dealer(container, "D3")
        seen = uow.dealers.by_code("D3") is not None
    assert seen is (container.engine.dialect.name == "postgresql")


@pytest.mark.parametrize("db_backend", ["postgresql"])
def test_a_plain_read_on_postgresql_opens_no_transaction(container: Container) -> None:
    """Reads run in autocommit on PostgreSQL: no BEGIN / ROLLBACK round trips."""
    with container.uow() as uow:
        uow.dealers.by_code("D1")
        assert uow.connection.connection.dbapi_connection is not None
        assert uow.connection.connection.dbapi_connection.autocommit is True
    with container.uow(write=True) as uow:
        assert uow.connection.connection.dbapi_connection is not None
        assert uow.connection.connection.dbapi_connection.autocommit is False
