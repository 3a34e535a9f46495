"""applications: applications, their parties, documents and status events

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)
_STATUSES = ("draft", "approved", "referred", "declined", "pending_second", "counter_offered",
             "accepted", "signing", "signed", "disbursed", "withdrawn")  # fmt: skip


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _applications() -> None:
    statuses = ", ".join(f"'{s}'" for s in _STATUSES)
    op.create_table(
        "applications",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("product_code", sa.String(length=32), nullable=False),
        sa.Column("dealer_id", _ID, nullable=True),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("id_number_bidx", sa.String(length=64), nullable=False),
        sa.Column("phone_bidx", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("details_enc", sa.LargeBinary(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("offers", sa.Text(), nullable=True),
        sa.Column("accepted_option", sa.Integer(), nullable=True),
        sa.Column("loan_id", _ID, nullable=True),
        sa.Column("contract_id", _ID, nullable=True),
        sa.Column("created_by", _ID, nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("submitted_at", _AT, nullable=True),
        sa.CheckConstraint(f"status IN ({statuses})", name=op.f("ck_applications_status_known")),
        sa.CheckConstraint(
            "channel IN ('borrower', 'dealer')", name=op.f("ck_applications_channel_known")
        ),
        _fk("applications", "dealer_id", "dealers"),
        _fk("applications", "customer_id", "customers"),
        _fk("applications", "loan_id", "loans"),
        _fk("applications", "contract_id", "contracts"),
        _fk("applications", "created_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    for column in ("dealer_id", "customer_id", "id_number_bidx", "phone_bidx"):
        op.create_index(op.f(f"ix_applications_{column}"), "applications", [column])
    op.create_index("ix_applications_status_updated", "applications", ["status", "updated_at"])


def _parties() -> None:
    op.create_table(
        "application_parties",
        sa.Column("application_id", _ID, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('borrower', 'co_borrower', 'guarantor')",
            name=op.f("ck_application_parties_role_known"),
        ),
        _fk("application_parties", "application_id", "applications"),
        _fk("application_parties", "customer_id", "customers"),
        sa.PrimaryKeyConstraint("application_id", "position", name=op.f("pk_application_parties")),
    )
    op.create_index(
        op.f("ix_application_parties_customer_id"), "application_parties", ["customer_id"]
    )


def _documents() -> None:
    op.create_table(
        "application_documents",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("application_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("content_enc", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", _ID, nullable=False),
        sa.Column("uploaded_at", _AT, nullable=False),
        _fk("application_documents", "application_id", "applications"),
        _fk("application_documents", "uploaded_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_documents")),
    )
    op.create_index(
        op.f("ix_application_documents_application_id"),
        "application_documents",
        ["application_id"],
    )


def _events() -> None:
    op.create_table(
        "application_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("application_id", _ID, nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("status_from", sa.String(length=16), nullable=True),
        sa.Column("status_to", sa.String(length=16), nullable=False),
        sa.Column("actor_user_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("automated", sa.Boolean(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        _fk("application_events", "application_id", "applications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_events")),
    )
    op.create_index(
        op.f("ix_application_events_application_id"), "application_events", ["application_id"]
    )


def upgrade() -> None:
    _applications()
    _parties()
    _documents()
    _events()


def downgrade() -> None:
    for table in ("application_events", "application_documents", "application_parties"):
        op.drop_table(table)
    op.drop_table("applications")
