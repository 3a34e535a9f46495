"""contracts: documents, the hash-chained registry and its head, signing challenges, outbox

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def _contracts() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("loan_id", _ID, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("text_layer", sa.Text(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("signed_at", _AT, nullable=True),
        sa.Column("signed_by", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "status IN ('issued', 'signed')", name=op.f("ck_contracts_status_known")
        ),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name=op.f("fk_contracts_loan_id_loans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
    )
    op.create_index(op.f("ix_contracts_loan_id"), "contracts", ["loan_id"])


def _registry() -> None:
    op.create_table(
        "contract_registry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("contract_id", _ID, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("actor_user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_registry_contract_id_contracts"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_contract_registry")),
    )
    op.create_index(op.f("ix_contract_registry_contract_id"), "contract_registry", ["contract_id"])
    op.create_table(
        "contract_registry_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_contract_registry_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_registry_head")),
    )
    # The head starts at genesis (seq 0), so the first append has a row to lock.
    head = sa.table(
        "contract_registry_head",
        sa.column("id", sa.Integer),
        sa.column("seq", sa.BigInteger),
        sa.column("hash", sa.String),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])


def _challenges() -> None:
    op.create_table(
        "contract_challenges",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("contract_id", _ID, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'used', 'locked', 'superseded')",
            name=op.f("ck_contract_challenges_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_challenges_contract_id_contracts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_challenges")),
    )
    op.create_index(
        op.f("ix_contract_challenges_contract_id"), "contract_challenges", ["contract_id"]
    )


def _outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("recipient", sa.LargeBinary(), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("sent_at", _AT, nullable=True),
        sa.CheckConstraint("channel IN ('sms', 'email')", name=op.f("ck_outbox_channel_known")),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_outbox_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_status_id", "outbox", ["status", "id"])


def upgrade() -> None:
    _contracts()
    _registry()
    _challenges()
    _outbox()


def downgrade() -> None:
    op.drop_index("ix_outbox_status_id", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_contract_challenges_contract_id"), table_name="contract_challenges")
    op.drop_table("contract_challenges")
    op.drop_table("contract_registry_head")
    op.drop_index(op.f("ix_contract_registry_contract_id"), table_name="contract_registry")
    op.drop_table("contract_registry")
    op.drop_index(op.f("ix_contracts_loan_id"), table_name="contracts")
    op.drop_table("contracts")
