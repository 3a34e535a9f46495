"""portfolio_risk: the end-of-day risk snapshot per loan and date

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "portfolio_risk",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("loan_id", _ID, nullable=False),
        sa.Column("product_code", sa.String(length=32), nullable=False),
        sa.Column("dpd", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("risk_class", sa.SmallInteger(), nullable=False),
        sa.Column("class_source", sa.SmallInteger(), nullable=False),
        sa.Column("stage", sa.SmallInteger(), nullable=False),
        sa.Column("ecl_minor", sa.BigInteger(), nullable=False),
        sa.Column("warnings", sa.SmallInteger(), nullable=False),
        sa.Column("collection_stage", sa.SmallInteger(), nullable=False),
        sa.Column("principal_outstanding_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("as_of", "loan_id", name=op.f("pk_portfolio_risk")),
    )
    op.create_index("ix_portfolio_risk_loan", "portfolio_risk", ["loan_id"])


def downgrade() -> None:
    op.drop_index("ix_portfolio_risk_loan", table_name="portfolio_risk")
    op.drop_table("portfolio_risk")
