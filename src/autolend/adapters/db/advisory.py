"""Transaction-scoped advisory locks: serialise writers that meet on a name rather than
on a row (no row exists yet to lock, or the rows are many).

PostgreSQL: ``pg_advisory_xact_lock`` on a stable 64-bit key of the name, released by the
server at commit or rollback. SQLite: nothing to do, since a write transaction begins
with ``BEGIN IMMEDIATE`` and is the only writer already.

Example: two underwriters accept offers on two applications for the same car at the same
moment; both hold ``car:<VIN index>`` before they look for the car's other loan, so the
second sees the first's booking and is refused.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text

__all__ = ["advisory_key", "hold_until_commit"]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for lock ``name`` (PostgreSQL's advisory key space)."""
    digest = hashlib.sha256(f"autolend:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def hold_until_commit(conn: Connection, name: str) -> None:
    """Wait for, then hold, lock ``name`` until this transaction ends."""
    if conn.dialect.name != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE has made this the only writer already
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(name)})
