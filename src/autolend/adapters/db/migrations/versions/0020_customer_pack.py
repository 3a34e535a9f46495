"""customers: the regulation pack a customer is registered under.

A customer's pack (CN, US) says how their ID and phone are checked and the currency of
their income and credit report. It was read from the stored ID's shape (9 digits an SSN or
ITIN, else a CN resident ID), a guess a third pack with 9-digit IDs would break. New
customers record it; rows written before keep NULL (their personal data is sealed, so SQL
cannot read the shape) and are read as before (``services.customers.pack_of_customer``).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pack", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("pack")
