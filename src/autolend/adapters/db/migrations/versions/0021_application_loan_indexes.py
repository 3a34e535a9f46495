"""applications: found by the loan booked from them and by their contract.

The payout gate and signing ask which application a loan was booked from, and the demo
SMS inbox which application a contract was drawn up for. They searched the customer's
newest 200 applications for it: a customer with more would have had their loan's
application missed (its payout gate and signers not applied). ``loan_id`` and
``contract_id`` indexed make each one exact lookup.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 05:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_applications_loan", "applications", ["loan_id"])
    op.create_index("ix_applications_contract", "applications", ["contract_id"])


def downgrade() -> None:
    op.drop_index("ix_applications_contract", table_name="applications")
    op.drop_index("ix_applications_loan", table_name="applications")
