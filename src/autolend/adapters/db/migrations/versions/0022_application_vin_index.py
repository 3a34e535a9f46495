"""applications: a blind index of the car's VIN, to find a car financed twice.

One car pledged for two loans is a classic auto-finance fraud (the same vehicle taken to
two dealers, or to one twice). The VIN sits in the sealed details; a keyed blind index
(HMAC, as for the resident ID and the mobile) lets the decision find another application
whose loan the car already secures without decrypting anything. Applications filed
before this revision have no index until ``autolend db index-vins`` reads their details.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("vin_bidx", sa.String(64), nullable=True))
    op.create_index("ix_applications_vin", "applications", ["vin_bidx"])


def downgrade() -> None:
    op.drop_index("ix_applications_vin", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("vin_bidx")
