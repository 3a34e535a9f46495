"""outbox.claimed_until: a dispatcher's lease on a pending message

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: ADD COLUMN on both databases, existing messages are free.
    op.add_column("outbox", sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Valid on PostgreSQL and on SQLite >= 3.35 (in place, no table rebuild).
    op.execute("ALTER TABLE outbox DROP COLUMN claimed_until")
