"""loan servicing: repayments (money events), loan state snapshot and close date,
journal entry facts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "repayments",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("loan_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("reference", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entry_id", _ID, nullable=True),
        sa.Column("reversal_entry_id", _ID, nullable=True),
        sa.Column("allocation", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor >= 0", name=op.f("ck_repayments_amount_not_negative")),
        sa.CheckConstraint(
            "status IN ('posted', 'reversed')", name=op.f("ck_repayments_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_repayments_entry_id_journal_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loans.id"], name=op.f("fk_repayments_loan_id_loans")
        ),
        sa.ForeignKeyConstraint(
            ["reversal_entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_repayments_reversal_entry_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repayments")),
    )
    with op.batch_alter_table("repayments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repayments_loan_id"), ["loan_id"], unique=False)
    # Plain ADD COLUMN (no table rebuild): the append-only triggers stay in place.
    op.add_column("loans", sa.Column("state", sa.Text(), nullable=True))
    op.add_column("loans", sa.Column("closed_on", sa.Date(), nullable=True))
    op.add_column("journal_entries", sa.Column("fact", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("repayments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repayments_loan_id"))
    op.drop_table("repayments")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("journal_entries", "fact")
        op.drop_column("loans", "closed_on")
        op.drop_column("loans", "state")
        return
    # SQLite >= 3.35 drops a column in place (no rebuild, so the triggers survive).
    op.execute("ALTER TABLE journal_entries DROP COLUMN fact")
    op.execute("ALTER TABLE loans DROP COLUMN closed_on")
    op.execute("ALTER TABLE loans DROP COLUMN state")
