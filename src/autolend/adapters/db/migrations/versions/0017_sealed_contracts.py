"""contracts: the PDF and its text layer sealed (envelope encryption, like every record of
personal data), so the contract can name its borrower in full: ``key_id``,
``wrapped_data_key`` and ``text_enc`` (the text layer's ciphertext; ``pdf`` then holds
the PDF's). Contracts issued before stay as they were: in clear, the borrower masked,
``key_id`` empty.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("key_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("wrapped_data_key", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("text_enc", sa.LargeBinary(), nullable=True))
        batch.alter_column("text_layer", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # Sealed contracts cannot go back to clear text without the keys: refuse to lose them.
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT COUNT(*) FROM contracts WHERE key_id IS NOT NULL")).scalar():
        raise RuntimeError("sealed contracts exist: they cannot be stored in clear again")
    with op.batch_alter_table("contracts") as batch:
        batch.alter_column("text_layer", existing_type=sa.Text(), nullable=False)
        batch.drop_column("text_enc")
        batch.drop_column("wrapped_data_key")
        batch.drop_column("key_id")
