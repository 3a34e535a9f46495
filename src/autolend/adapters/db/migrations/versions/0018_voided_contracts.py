"""contracts: status ``voided`` (作废), for the contract of an application withdrawn after
its offer was accepted and before the loan was paid out; the registry records the
``voided`` event of its digest (``event`` is already 8 characters wide).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_NAME = "ck_contracts_status_known"


def upgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.drop_constraint(op.f(_NAME), type_="check")
        batch.create_check_constraint(op.f(_NAME), "status IN ('issued', 'signed', 'voided')")


def downgrade() -> None:
    # A voided contract has no earlier status to go back to: refuse to lose it.
    conn = op.get_bind()
    if conn.exec_driver_sql("SELECT COUNT(*) FROM contracts WHERE status = 'voided'").scalar():
        raise RuntimeError("voided contracts exist: they cannot be stored without the status")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_constraint(op.f(_NAME), type_="check")
        batch.create_check_constraint(op.f(_NAME), "status IN ('issued', 'signed')")
