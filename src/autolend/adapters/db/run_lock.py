"""The end-of-day run lock (:class:`~autolend.services.eod_ports.RunLock`): one run at a
time, whoever starts it, released when the holder's process dies.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection held
for the run; the server drops it with the connection, so a run killed by ``kill -9``
leaves nothing to clear by hand. SQLite: ``flock`` on a file beside the database
(``books.db`` -> ``books.db.eod-lock``), which the kernel drops with the process. An
in-memory SQLite database has no other process to meet: a lock within this process.

Example: the command line's ``autolend eod --through D`` started while a run begun from
the end-of-day page goes on is refused at once (409, "another end-of-day run is going
on") instead of planning the same loans a second time.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from autolend.adapters.db.advisory import advisory_key

__all__ = ["DatabaseRunLock"]

_IN_PROCESS = threading.Lock()
DEAD_HOLDER_GRACE_S = 3.0
"""How long a start waits on PostgreSQL before it is refused: a holder killed a moment
ago keeps its lock until its server process has seen the connection close."""


class DatabaseRunLock:
    """The run lock named ``name`` on ``engine``'s database (module docstring)."""

    def __init__(self, engine: Engine, name: str = "eod") -> None:
        self._engine = engine
        self._name = name

    @contextmanager
    def __call__(self) -> Iterator[bool]:
        if self._engine.dialect.name == "postgresql":
            with self._advisory() as taken:
                yield taken
            return
        path = self._engine.url.database
        if not path or path == ":memory:":
            taken = _IN_PROCESS.acquire(blocking=False)
            try:
                yield taken
            finally:
                if taken:
                    _IN_PROCESS.release()
            return
        with _flocked(f"{path}.{self._name}-lock") as taken:
            yield taken

    @contextmanager
    def _advisory(self) -> Iterator[bool]:
        key = {"key": advisory_key(self._name)}
        with self._engine.connect() as conn:
            taken, deadline = False, time.monotonic() + DEAD_HOLDER_GRACE_S
            while not taken:
                found = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar()
                conn.commit()  # the lock is the session's: no transaction left open meanwhile
                taken = bool(found)
                if taken or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            try:
                yield taken
            finally:
                if taken:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                    conn.commit()


@contextmanager
def _flocked(path: str) -> Iterator[bool]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
