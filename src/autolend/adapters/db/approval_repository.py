"""Maker-checker requests (table ``approval_requests``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from autolend.adapters.db import tables as t
from autolend.services.loan_ports import ApprovalRequestRow, NewApprovalRequest

_C = t.approval_requests.c


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _row(row: Row[Any]) -> ApprovalRequestRow:
    created = _utc(row.created_at)
    assert created is not None
    return ApprovalRequestRow(
        id=row.id,
        kind=row.kind,
        loan_id=row.loan_id,
        payload_json=row.payload,
        status=row.status,
        maker_user_id=row.maker_user_id,
        checker_user_id=row.checker_user_id,
        created_at=created,
        decided_at=_utc(row.decided_at),
    )


class SqlApprovalRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, request: NewApprovalRequest) -> int:
        result = self._conn.execute(
            insert(t.approval_requests).values(
                kind=request.kind,
                loan_id=request.loan_id,
                payload=request.payload_json,
                status="pending",
                maker_user_id=request.maker_user_id,
                created_at=request.created_at,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def get(self, request_id: int, *, for_update: bool = False) -> ApprovalRequestRow | None:
        query = select(t.approval_requests).where(_C.id == request_id)
        if for_update:
            query = query.with_for_update()
        row = self._conn.execute(query).first()
        return None if row is None else _row(row)

    def find(
        self,
        *,
        status: str | None,
        kind: str | None,
        limit: int,
        loan_id: int | None = None,
        newest_first: bool = False,
    ) -> list[ApprovalRequestRow]:
        query = select(t.approval_requests)
        for column, value in ((_C.status, status), (_C.kind, kind), (_C.loan_id, loan_id)):
            if value is not None:
                query = query.where(column == value)
        order = _C.id.desc() if newest_first else _C.id
        rows = self._conn.execute(query.order_by(order).limit(limit))
        return [_row(r) for r in rows]

    def decide(self, request_id: int, status: str, checker_user_id: int, at: datetime) -> None:
        self._conn.execute(
            update(t.approval_requests)
            .where(_C.id == request_id)
            .values(status=status, checker_user_id=checker_user_id, decided_at=at)
        )
