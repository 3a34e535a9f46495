"""Consents, the bureau query log and the sealed reports (tables ``consents``,
``bureau_queries``, ``bureau_reports``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from autolend.adapters.db import tables as t
from autolend.services.bureau_ports import (
    REPORT_FIELD,
    BureauQueryRow,
    ConsentRow,
    NewBureauQuery,
    NewConsent,
)
from autolend.services.ports import SealedFields

_C = t.consents.c
_Q = t.bureau_queries.c
_R = t.bureau_reports.c


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _maybe_utc(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


def _consent(row: Row[Any]) -> ConsentRow:
    return ConsentRow(
        id=row.id,
        customer_id=row.customer_id,
        kind=row.kind,
        text_version=row.text_version,
        granted_at=_utc(row.granted_at),
        expires_at=_maybe_utc(row.expires_at),
        revoked_at=_maybe_utc(row.revoked_at),
        granted_by=row.granted_by,
    )


def _query(row: Row[Any]) -> BureauQueryRow:
    return BureauQueryRow(
        id=row.id,
        customer_id=row.customer_id,
        reference=row.reference,
        purpose=row.purpose,
        consent_id=row.consent_id,
        outcome=row.outcome,
        detail=row.detail,
        latency_ms=row.latency_ms,
        attempts=row.attempts,
        queried_by=row.queried_by,
        queried_at=_utc(row.queried_at),
    )


def _consent_values(consent: NewConsent) -> dict[str, Any]:
    return {
        "customer_id": consent.customer_id,
        "kind": consent.kind,
        "text_version": consent.text_version,
        "granted_at": consent.granted_at,
        "expires_at": consent.expires_at,
        "granted_by": consent.granted_by,
    }


def _inserted_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class SqlConsentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, consent: NewConsent) -> int:
        return _inserted_id(self._conn.execute(insert(t.consents), _consent_values(consent)))

    def add_all(self, consents: Sequence[NewConsent]) -> None:
        """Several consents in one statement (an application records three or four)."""
        if consents:
            self._conn.execute(insert(t.consents), [_consent_values(c) for c in consents])

    def get(self, consent_id: int) -> ConsentRow | None:
        row = self._conn.execute(select(t.consents).where(_C.id == consent_id)).first()
        return None if row is None else _consent(row)

    def list_for(self, customer_id: int) -> list[ConsentRow]:
        query = select(t.consents).where(_C.customer_id == customer_id).order_by(_C.id)
        return [_consent(r) for r in self._conn.execute(query)]

    def revoke(self, consent_id: int, at: datetime) -> None:
        self._conn.execute(
            update(t.consents)
            .where(_C.id == consent_id, _C.revoked_at.is_(None))
            .values(revoked_at=at)
        )


class SqlBureauRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_query(self, query: NewBureauQuery) -> int:
        values = {
            "customer_id": query.customer_id,
            "reference": query.reference,
            "purpose": query.purpose,
            "consent_id": query.consent_id,
            "outcome": query.outcome,
            "detail": query.detail[:200] if query.detail else None,
            "latency_ms": query.latency_ms,
            "attempts": query.attempts,
            "queried_by": query.queried_by,
            "queried_at": query.queried_at,
            "request_id": query.request_id,
        }
        return _inserted_id(self._conn.execute(insert(t.bureau_queries), values))

    def add_report(self, query_id: int, sealed: SealedFields) -> None:
        self._conn.execute(
            insert(t.bureau_reports),
            {
                "query_id": query_id,
                "key_id": sealed.key_id,
                "wrapped_data_key": sealed.wrapped_data_key,
                "report_enc": sealed.fields[REPORT_FIELD],
            },
        )

    def queries_for(self, customer_id: int, limit: int) -> list[BureauQueryRow]:
        query = (
            select(t.bureau_queries)
            .where(_Q.customer_id == customer_id)
            .order_by(_Q.id.desc())
            .limit(limit)
        )
        return [_query(r) for r in self._conn.execute(query)]

    def query(self, query_id: int) -> BureauQueryRow | None:
        row = self._conn.execute(select(t.bureau_queries).where(_Q.id == query_id)).first()
        return None if row is None else _query(row)

    def reports_of(
        self, query_ids: Sequence[int]
    ) -> dict[int, tuple[BureauQueryRow, SealedFields]]:
        """Queries with their stored reports, by query id, in one statement (a query
        without a report is left out)."""
        if not query_ids:
            return {}
        joined = t.bureau_queries.join(t.bureau_reports, _R.query_id == _Q.id)
        query = (
            select(t.bureau_queries, _R.key_id, _R.wrapped_data_key, _R.report_enc)
            .select_from(joined)
            .where(_Q.id.in_(query_ids))
        )
        return {
            row.id: (
                _query(row),
                SealedFields(row.key_id, row.wrapped_data_key, {REPORT_FIELD: row.report_enc}),
            )
            for row in self._conn.execute(query)
        }

    def report(self, query_id: int) -> SealedFields | None:
        row = self._conn.execute(select(t.bureau_reports).where(_R.query_id == query_id)).first()
        if row is None:
            return None
        return SealedFields(row.key_id, row.wrapped_data_key, {REPORT_FIELD: row.report_enc})
