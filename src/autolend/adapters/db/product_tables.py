"""Product catalogue table (migration 0009), on :data:`autolend.adapters.db.tables.metadata`
(``tables`` imports this module, so the metadata always holds it).

One row per product version: the code, the version number, the days it is in force
(``effective_to`` empty while open-ended) and the whole product as JSON. Example:
``STD_NEW`` v1 from 2026-01-01 to 2026-06-30 and v2 from 2026-07-01 are two rows.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from autolend.adapters.db.tables import Id, metadata

__all__ = ["products"]

# One immutable version of a product; publishing a later version closes the one before.
products = Table(
    "products",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=False),
    UniqueConstraint("code", "version", name="uq_products_code_version"),
    CheckConstraint("version >= 1", name="version_positive"),
    CheckConstraint(
        "effective_to IS NULL OR effective_to >= effective_from", name="effective_ordered"
    ),
    Index("ix_products_code_effective", "code", "effective_from"),
)
