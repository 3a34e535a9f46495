"""The product catalogue in the database (table ``products``)."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from autolend.adapters.db.product_tables import products
from autolend.domain.errors import Conflict
from autolend.services.product_ports import ProductRow

_IN_FORCE = (
    select(products)
    .where(
        products.c.effective_from <= bindparam("day"),
        or_(products.c.effective_to.is_(None), products.c.effective_to >= bindparam("day")),
    )
    .order_by(products.c.code, products.c.version)
)
_ONE_IN_FORCE = _IN_FORCE.where(products.c.code == bindparam("code"))


def _row(row: Row[Any]) -> ProductRow:
    created = row.created_at
    if created.tzinfo is None:  # SQLite returns naive UTC
        created = created.replace(tzinfo=UTC)
    return ProductRow(
        row.code, row.version, row.effective_from, row.effective_to, row.body, created,
        row.created_by,
    )  # fmt: skip


class SqlProductRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, row: ProductRow) -> None:
        """Insert one version. Publishing locks the code's versions first, but a brand-new
        code has none to lock: two first publications at once both plan version 1, and the
        unique (code, version) key refuses the second, which is a 409 to retry, not a 500."""
        try:
            self._conn.execute(
                insert(products).values(
                    code=row.code,
                    version=row.version,
                    effective_from=row.effective_from,
                    effective_to=row.effective_to,
                    body=row.body_json,
                    created_at=row.created_at,
                    created_by=row.created_by,
                )
            )
        except IntegrityError as error:
            raise Conflict(
                f"version {row.version} of product {row.code} was published by someone else "
                "at the same moment; reload and publish again"
            ) from error

    def close(self, code: str, version: int, effective_to: date) -> None:
        c = products.c
        self._conn.execute(
            update(products)
            .where(c.code == code, c.version == version)
            .values(effective_to=effective_to)
        )

    def versions(self, code: str, *, for_update: bool = False) -> list[ProductRow]:
        query = select(products).where(products.c.code == code).order_by(products.c.version)
        if for_update:
            query = query.with_for_update()
        return [_row(r) for r in self._conn.execute(query)]

    def in_force(self, day: date, code: str | None = None) -> list[ProductRow]:
        if code is None:
            return [_row(r) for r in self._conn.execute(_IN_FORCE, {"day": day})]
        return [_row(r) for r in self._conn.execute(_ONE_IN_FORCE, {"day": day, "code": code})]

    def codes(self) -> list[str]:
        c = products.c
        return [
            str(code)
            for code in self._conn.execute(select(c.code).distinct().order_by(c.code)).scalars()
        ]
