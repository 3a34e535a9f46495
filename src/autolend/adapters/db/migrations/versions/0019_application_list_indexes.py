"""applications: indexes in the order the lists read them.

A dealer's list, the borrower's and the API's show the newest filed first
(``ORDER BY created_at DESC, id DESC``, see ``ApplicationRepository.search``). With only
``dealer_id`` indexed, a dealer's page read every one of its applications and sorted them
to keep the first 50; ``(dealer_id, created_at, id)`` hands them over in order, and
``(created_at, id)`` does the same for the unfiltered list.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_applications_dealer_created", "applications", ["dealer_id", "created_at", "id"]
    )
    op.create_index("ix_applications_created", "applications", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_applications_created", table_name="applications")
    op.drop_index("ix_applications_dealer_created", table_name="applications")
