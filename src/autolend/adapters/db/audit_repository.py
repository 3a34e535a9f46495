"""The audit trail's storage: the hash chain (``audit_log`` + ``audit_head``) and the queue
of committed events waiting to be chained (``audit_queue``).

Two ways to write, one chain:

- **at commit** (the default): the unit of work chains its events just before it commits,
  with the head row locked from there to the commit. Simple and immediate; but every
  writer in the system queues on that one row, and under load a holder spends several
  client round trips (each waiting for a CPU) holding it.
- **sequenced** (``autolend serve``): the unit of work writes its events to the queue in
  its own transaction (no shared lock), and a sequencer chains the queue in batches
  (:meth:`SqlAuditRepository.chain_queued`), one head lock per batch. Readers chain the
  queue before they read, so they see the same chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, update

from autolend.adapters.db import tables as t
from autolend.domain.audit import AuditEvent, AuditRecord, ChainHead, chain_next

_UNREADABLE_TIME = datetime.min.replace(tzinfo=UTC)
_PAGE = (
    select(t.audit_log)
    .where(t.audit_log.c.seq > bindparam("after"))
    .order_by(t.audit_log.c.seq)
    .limit(2000)
)


class SqlAuditRepository:
    """``sequenced=True`` sends the events of a commit to the queue instead of the chain."""

    def __init__(self, conn: Connection, *, sequenced: bool = False) -> None:
        self._conn = conn
        self._pending: list[AuditEvent] = []
        self._sequenced = sequenced

    def add(self, event: AuditEvent) -> None:
        self._pending.append(event)

    def queued(self) -> int:
        """How many events wait for the commit (a savepoint's mark)."""
        return len(self._pending)

    def forget_after(self, mark: int) -> None:
        """Drop the events queued since ``mark`` (their savepoint rolled back)."""
        del self._pending[mark:]

    def flush(self) -> int:
        """Write the events waiting for the commit (the unit of work calls this right
        before it commits) and return how many. At commit: lock the head, link each event
        to the one before, move the head. Sequenced: one insert into the queue."""
        events, self._pending = self._pending, []
        if not events:
            return 0
        if self._sequenced:
            self._conn.execute(insert(t.audit_queue), [_event_row(e) for e in events])
        else:
            self._chain(events)
        return len(events)

    def chain_queued(self, limit: int = 500) -> int:
        """Chain up to ``limit`` queued events, oldest first, and return how many.

        The head is locked first, so two sequencers take turns and the second reads the
        queue only after the first committed (on PostgreSQL each statement of a READ
        COMMITTED transaction sees what committed before it began).
        """
        head = self.head(for_update=True)
        rows = self._conn.execute(
            select(t.audit_queue).order_by(t.audit_queue.c.id).limit(limit)
        ).all()
        if not rows:
            return 0
        self._chain([_event(row) for row in rows], head)
        chained = [row.id for row in rows]
        self._conn.execute(delete(t.audit_queue).where(t.audit_queue.c.id.in_(chained)))
        return len(rows)

    def has_queued(self) -> bool:
        """Whether any committed event waits to be chained."""
        return self._conn.execute(select(t.audit_queue.c.id).limit(1)).first() is not None

    def _chain(self, events: Sequence[AuditEvent], head: ChainHead | None = None) -> None:
        if head is None:
            head = self.head(for_update=True)
        records = []
        for event in events:
            record = chain_next(head, event)
            records.append(record)
            head = ChainHead(seq=record.seq, hash=record.hash)
        self._conn.execute(insert(t.audit_log), [_record_row(r) for r in records])
        self._move_head(records[-1])

    def head(self, *, for_update: bool = False) -> ChainHead | None:
        query = select(t.audit_head.c.seq, t.audit_head.c.hash).where(t.audit_head.c.id == 1)
        if for_update:
            query = query.with_for_update()
        row = self._conn.execute(query).first()
        return None if row is None else ChainHead(seq=row.seq, hash=row.hash)

    def _move_head(self, record: AuditRecord) -> None:
        self._conn.execute(
            update(t.audit_head)
            .where(t.audit_head.c.id == 1)
            .values(seq=record.seq, hash=record.hash)
        )

    def iter_records(self) -> Iterator[AuditRecord]:
        """Every record in chain order, read in pages by sequence number (a server-side
        cursor would need a transaction, and reads run in autocommit on PostgreSQL)."""
        after = -1
        while rows := self._conn.execute(_PAGE, {"after": after}).all():
            for row in rows:
                yield _record(row)
            after = rows[-1].seq

    def recent(self, limit: int, offset: int = 0) -> list[AuditRecord]:
        rows = self._conn.execute(
            select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(limit).offset(offset)
        ).all()
        return [_record(r) for r in rows]

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(t.audit_log)).scalar_one())


def _event_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_user_id": event.actor_user_id,
        "actor_username": event.actor_username,
        "actor_roles": event.actor_roles,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": json.dumps(dict(event.summary), sort_keys=True, ensure_ascii=False),
        "request_id": event.request_id,
    }


def _record_row(record: AuditRecord) -> dict[str, Any]:
    return _event_row(record.event) | {
        "seq": record.seq,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def _event(row: Row[Any]) -> AuditEvent:
    # A row edited into an unreadable time or summary must still come back as an event,
    # so that verification reports it (its hash cannot match) instead of crashing.
    try:
        occurred_at = datetime.fromisoformat(row.occurred_at)
    except (TypeError, ValueError):
        occurred_at = _UNREADABLE_TIME
    try:
        summary = json.loads(row.summary)
    except (TypeError, ValueError):
        summary = None
    if not isinstance(summary, dict):
        summary = {"unreadable_summary": str(row.summary)[:200]}
    return AuditEvent(
        occurred_at=occurred_at,
        actor_user_id=row.actor_user_id,
        actor_username=row.actor_username,
        actor_roles=row.actor_roles,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        summary=summary,
        request_id=row.request_id,
    )


def _record(row: Row[Any]) -> AuditRecord:
    return AuditRecord(seq=row.seq, event=_event(row), prev_hash=row.prev_hash, hash=row.hash)
