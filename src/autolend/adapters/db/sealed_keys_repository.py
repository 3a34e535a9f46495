"""Every sealed record's wrapped data key, for master-key rotation
(:mod:`autolend.services.keys`).

Six tables hold sealed personal data, each record under its own data key wrapped by a
master key and bound to a context (customers to their ID blind index, applications to the
borrower's customer id, documents to their application and SHA-256, bureau reports to the
query reference, outbox messages to the outbox, contracts to their reference and PDF
digest). :meth:`SqlSealedKeyRepository.wrapped_keys`
lists what the context needs beside the wrapped key; only ``key_id`` and
``wrapped_data_key`` are ever rewritten, never a ciphertext.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Table, select, update

from autolend.adapters.db import application_tables as at
from autolend.adapters.db import contract_tables as ct
from autolend.adapters.db import tables as t
from autolend.services.ports import WrappedKey

__all__ = ["SqlSealedKeyRepository"]


def _sources() -> dict[str, tuple[Table, Column[Any], tuple[Column[Any], ...]]]:
    """kind -> (table, its id column, the columns its sealing context is made of)."""
    return {
        "customer": (t.customers, t.customers.c.id, (t.customers.c.id_number_bidx,)),
        "application": (
            at.applications, at.applications.c.id, (at.applications.c.customer_id,)
        ),
        "application_document": (
            at.application_documents, at.application_documents.c.id,
            (at.application_documents.c.application_id, at.application_documents.c.sha256),
        ),
        "bureau_report": (
            t.bureau_reports, t.bureau_reports.c.query_id, (t.bureau_queries.c.reference,)
        ),
        "outbox": (ct.outbox, ct.outbox.c.id, ()),
        "contract": (ct.contracts, ct.contracts.c.id, (ct.contracts.c.reference,
                                                        ct.contracts.c.sha256)),
    }  # fmt: skip


class SqlSealedKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def wrapped_keys(self, kind: str) -> list[WrappedKey]:
        table, id_column, binding = _sources()[kind]
        query = select(id_column, table.c.key_id, table.c.wrapped_data_key, *binding)
        if kind == "contract":  # those issued before migration 0017 are in clear
            query = query.where(table.c.key_id.is_not(None))
        if kind == "bureau_report":
            query = query.join_from(
                t.bureau_reports, t.bureau_queries,
                t.bureau_queries.c.id == t.bureau_reports.c.query_id,
            )  # fmt: skip
        return [
            WrappedKey(kind, row[0], row[1], bytes(row[2]), tuple(str(v) for v in row[3:]))
            for row in self._conn.execute(query.order_by(id_column))
        ]

    def replace_key(self, kind: str, row_id: int, key_id: str, wrapped_data_key: bytes) -> None:
        table, id_column, _ = _sources()[kind]
        self._conn.execute(
            update(table)
            .where(id_column == row_id)
            .values(key_id=key_id, wrapped_data_key=wrapped_data_key)
        )
