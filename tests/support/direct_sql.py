"""Tests that change stored rows directly (to stage a case no API makes) write through
this, not a plain ``engine.begin()``.

On SQLite a plain transaction that reads and then writes can fail at once with
"database is locked": in WAL mode it holds a snapshot from its first read, and if the
server's background work (the audit sequencer chaining the last request's events)
commits in between, SQLite refuses the upgrade to a writer without waiting. ``BEGIN
IMMEDIATE`` takes the write lock first, waiting its turn, as the platform's own write
units of work do. On PostgreSQL it is an ordinary transaction.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlalchemy import Connection, Engine

from autolend.adapters.db.engine import WRITE_OPTION


def writing(engine: Engine) -> AbstractContextManager[Connection]:
    """A transaction that may read then write the rows it changes."""
    return engine.execution_options(**{WRITE_OPTION: True}).begin()
