"""The portfolio risk snapshot (migration 0012), on :data:`autolend.adapters.db.tables.metadata`
(``tables`` imports this module, so the metadata always holds it).

One row per loan and snapshot date: the end-of-day kernels' results for that day
(bucket, five-tier class, IFRS 9 stage, ECL, early-warning bits, collection stage) and
the principal outstanding. Example: a snapshot of 2026-03-31 over 3 active loans writes
3 rows keyed (2026-03-31, loan_id); taking it again replaces them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, SmallInteger, String, Table

from autolend.adapters.db.tables import Amount, Id, metadata

__all__ = ["portfolio_risk"]

portfolio_risk = Table(
    "portfolio_risk",
    metadata,
    Column("as_of", Date, primary_key=True),
    Column("loan_id", Id, primary_key=True),
    Column("product_code", String(32), nullable=False),
    Column("dpd", Integer, nullable=False),
    Column("bucket", SmallInteger, nullable=False),
    Column("risk_class", SmallInteger, nullable=False),
    Column("class_source", SmallInteger, nullable=False),
    Column("stage", SmallInteger, nullable=False),
    Column("ecl_minor", Amount, nullable=False),
    Column("warnings", SmallInteger, nullable=False),
    Column("collection_stage", SmallInteger, nullable=False),
    Column("principal_outstanding_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Index("ix_portfolio_risk_loan", "loan_id"),
)
