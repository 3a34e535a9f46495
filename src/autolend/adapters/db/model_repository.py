"""The credit-model registry in the database (table ``model_versions``)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from autolend.adapters.db import tables as t
from autolend.services.model_ports import (
    ModelReportRow,
    ModelVersionRow,
    NewModelReport,
    NewModelVersion,
)

_COLUMNS = (
    t.model_versions.c.name,
    t.model_versions.c.version,
    t.model_versions.c.artifact_sha256,
    t.model_versions.c.metadata,
    t.model_versions.c.created_at,
    t.model_versions.c.created_by,
)


def _utc(moment: Any) -> Any:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _row(row: Row[Any, Any, Any, Any, Any, Any]) -> ModelVersionRow:
    created = row.created_at
    if created.tzinfo is None:  # SQLite returns naive UTC
        created = created.replace(tzinfo=UTC)
    return ModelVersionRow(
        row.name, row.version, row.artifact_sha256, row.metadata, created, row.created_by
    )


class SqlModelRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, new: NewModelVersion) -> int:
        c = t.model_versions.c
        latest = self._conn.execute(
            select(func.max(c.version)).where(c.name == new.name)
        ).scalar_one()
        version = int(latest or 0) + 1
        self._conn.execute(
            insert(t.model_versions).values(
                name=new.name,
                version=version,
                artifact=new.artifact,
                artifact_sha256=new.artifact_sha256,
                metadata=new.metadata_json,
                created_at=new.created_at,
                created_by=new.created_by,
            )
        )
        return version

    def get(self, name: str, version: int | None = None) -> ModelVersionRow | None:
        c = t.model_versions.c
        query = select(*_COLUMNS).where(c.name == name)
        query = query.where(c.version == version) if version is not None else query
        row = self._conn.execute(query.order_by(c.version.desc()).limit(1)).first()
        return None if row is None else _row(row)

    def artifact_hash(self, name: str, version: int | None = None) -> tuple[int, str] | None:
        c = t.model_versions.c
        query = select(c.version, c.artifact_sha256).where(c.name == name)
        query = query.where(c.version == version) if version is not None else query
        row = self._conn.execute(query.order_by(c.version.desc()).limit(1)).first()
        return None if row is None else (int(row.version), str(row.artifact_sha256))

    def artifact(self, name: str, version: int) -> bytes | None:
        c = t.model_versions.c
        found = self._conn.execute(
            select(c.artifact).where(c.name == name, c.version == version)
        ).scalar_one_or_none()
        return None if found is None else bytes(found)

    def list_versions(self, name: str | None = None) -> list[ModelVersionRow]:
        c = t.model_versions.c
        query = select(*_COLUMNS).order_by(c.name, c.version.desc())
        if name is not None:
            query = query.where(c.name == name)
        return [_row(r) for r in self._conn.execute(query)]

    def add_report(self, new: NewModelReport) -> int:
        result = self._conn.execute(
            insert(t.model_reports).values(
                name=new.name,
                version=new.version,
                status=new.status,
                report=new.report_json,
                created_at=new.created_at,
                created_by=new.created_by,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def latest_reports(self, name: str | None = None) -> list[ModelReportRow]:
        c = t.model_reports.c
        newest = select(c.name, func.max(c.id).label("id")).group_by(c.name)
        if name is not None:
            newest = newest.where(c.name == name)
        ids = newest.subquery()
        query = select(t.model_reports).join(ids, ids.c.id == c.id).order_by(c.name)
        return [
            ModelReportRow(
                r.id, r.name, r.version, r.status, r.report, _utc(r.created_at), r.created_by
            )
            for r in self._conn.execute(query)
        ]
