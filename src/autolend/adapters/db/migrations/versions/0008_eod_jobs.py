"""end of day: job runs, checkpointed partitions and per-loan errors

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def _runs() -> None:
    op.create_table(
        "eod_runs",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("through_day", sa.Date(), nullable=False),
        sa.Column("partition_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("loans", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("started_at", _AT, nullable=False),
        sa.Column("finished_at", _AT, nullable=True),
        sa.Column("started_by", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("mode IN ('date', 'through')", name=op.f("ck_eod_runs_mode_known")),
        sa.CheckConstraint(
            "status IN ('running', 'done', 'failed')", name=op.f("ck_eod_runs_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eod_runs")),
    )


def _partitions() -> None:
    op.create_table(
        "eod_partitions",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("run_id", _ID, nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("partition_no", sa.Integer(), nullable=False),
        sa.Column("loans", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("millis", sa.Integer(), nullable=False),
        sa.Column("finished_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["eod_runs.id"], name=op.f("fk_eod_partitions_run_id_eod_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eod_partitions")),
    )
    op.create_index(op.f("ix_eod_partitions_run_id"), "eod_partitions", ["run_id"])
    op.create_index(
        "ix_eod_partitions_day_partition", "eod_partitions", ["business_day", "partition_no"]
    )


def _errors() -> None:
    op.create_table(
        "eod_loan_errors",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("run_id", _ID, nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("partition_no", sa.Integer(), nullable=False),
        sa.Column("loan_id", _ID, nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["eod_runs.id"], name=op.f("fk_eod_loan_errors_run_id_eod_runs")
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loans.id"], name=op.f("fk_eod_loan_errors_loan_id_loans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eod_loan_errors")),
    )
    op.create_index(op.f("ix_eod_loan_errors_run_id"), "eod_loan_errors", ["run_id"])


def upgrade() -> None:
    _runs()
    _partitions()
    _errors()


def downgrade() -> None:
    op.drop_index(op.f("ix_eod_loan_errors_run_id"), table_name="eod_loan_errors")
    op.drop_table("eod_loan_errors")
    op.drop_index("ix_eod_partitions_day_partition", table_name="eod_partitions")
    op.drop_index(op.f("ix_eod_partitions_run_id"), table_name="eod_partitions")
    op.drop_table("eod_partitions")
    op.drop_table("eod_runs")
