"""model monitoring reports: PSI, performance by month and fairness per model version

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "model_reports",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "status IN ('stable', 'watch', 'act')", name=op.f("ck_model_reports_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_reports")),
    )
    op.create_index("ix_model_reports_name_created", "model_reports", ["name", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_model_reports_name_created", table_name="model_reports")
    op.drop_table("model_reports")
