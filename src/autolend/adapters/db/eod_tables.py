"""End-of-day job tables (migration 0008), on :data:`autolend.adapters.db.tables.metadata`
(``tables`` imports this module, so the metadata always holds them).

A run is one ``autolend eod`` invocation; a partition checkpoint commits with the
partition's postings; a loan error is a loan the run could not accrue while its
partition went on. Example: ``eod --through`` over three days of 2,500 loans in
partitions of 1,000 writes one run, nine checkpoints and one row per failed loan.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from autolend.adapters.db.tables import Id, metadata

__all__ = ["eod_loan_errors", "eod_partitions", "eod_runs"]

# One `autolend eod` invocation: one day (mode 'date') or several caught up ('through').
eod_runs = Table(
    "eod_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("mode", String(8), nullable=False),
    Column("first_day", Date, nullable=False),
    Column("through_day", Date, nullable=False),
    Column("partition_size", Integer, nullable=False),
    Column("status", String(8), nullable=False),
    Column("loans", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("started_by", BigInteger, nullable=False),
    CheckConstraint("mode IN ('date', 'through')", name="mode_known"),
    CheckConstraint("status IN ('running', 'done', 'failed')", name="status_known"),
)

# The checkpoint of one partition of one business day in one run, committed with its postings.
eod_partitions = Table(
    "eod_partitions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("run_id", Id, ForeignKey("eod_runs.id"), nullable=False, index=True),
    Column("business_day", Date, nullable=False),
    Column("partition_no", Integer, nullable=False),
    Column("loans", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("millis", Integer, nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Index("ix_eod_partitions_day_partition", "business_day", "partition_no"),
)

# A loan the run could not accrue (the partition went on without it).
eod_loan_errors = Table(
    "eod_loan_errors",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("run_id", Id, ForeignKey("eod_runs.id"), nullable=False, index=True),
    Column("business_day", Date, nullable=False),
    Column("partition_no", Integer, nullable=False),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=False),
    Column("error", String(500), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
