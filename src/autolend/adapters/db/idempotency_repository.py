"""Idempotency keys: claimed in the same transaction as the postings they guard."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from autolend.adapters.db import tables as t
from autolend.adapters.db.advisory import hold_until_commit
from autolend.services.loan_ports import IdempotencyRecord


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class SqlIdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str, user_id: int) -> IdempotencyRecord | None:
        c = t.idempotency_keys.c
        row = self._conn.execute(
            select(t.idempotency_keys).where(c.key == key, c.user_id == user_id)
        ).first()
        if row is None:
            return None
        return IdempotencyRecord(
            key=row.key,
            user_id=row.user_id,
            route=row.route,
            request_hash=row.request_hash,
            status_code=row.status_code,
            response_body=row.response_body,
            created_at=_utc(row.created_at),
            expires_at=_utc(row.expires_at),
        )

    def claim(self, record: IdempotencyRecord) -> None:
        self._conn.execute(insert(t.idempotency_keys), record.__dict__)

    def hold(self, key: str, user_id: int) -> None:
        hold_until_commit(self._conn, f"idempotency:{user_id}:{key}")
