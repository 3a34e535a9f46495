"""SQLite has one writer: a write that cannot get the lock in time fails cleanly as Busy
(HTTP 503) with nothing written, instead of an unhandled database error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.adapters.db.uow import SqlUnitOfWorkFactory
from autolend.api.errors import status_of
from autolend.domain.errors import Busy

pytestmark = pytest.mark.integration


def test_a_write_behind_a_held_sqlite_lock_is_refused_as_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    # After the engine's own connect hook (busy_timeout 30 s): wait 50 ms in this test.
    event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA busy_timeout=50"))
    engine.dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, e.g. an end-of-day partition
    try:
        with pytest.raises(Busy) as raised, SqlUnitOfWorkFactory(engine)(write=True):
            pass
        assert status_of(raised.value) == 503
        with SqlUnitOfWorkFactory(engine)() as uow:  # readers are not blocked
            assert uow.users.list_all() == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
