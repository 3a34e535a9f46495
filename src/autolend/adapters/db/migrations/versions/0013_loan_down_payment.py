"""loans.down_payment_minor: the down payment recorded at disbursement

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild), nullable: a loan booked or migrated before has
    # no recorded down payment, and shows none.
    op.add_column("loans", sa.Column("down_payment_minor", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("loans", "down_payment_minor")
        return
    # SQLite >= 3.35 drops a column in place (no rebuild, so the triggers survive).
    op.execute("ALTER TABLE loans DROP COLUMN down_payment_minor")
