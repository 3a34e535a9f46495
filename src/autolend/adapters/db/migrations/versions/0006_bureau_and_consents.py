"""consents, the bureau query log and sealed bureau reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text_version", sa.String(length=32), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("granted_by", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('bureau_query', 'data_processing', 'sensitive_data')",
            name=op.f("ck_consents_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_consents_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "bureau_queries",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("reference", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("consent_id", _ID, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queried_by", sa.BigInteger(), nullable=False),
        sa.Column("queried_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('ok', 'no_record', 'unavailable', 'rejected')",
            name=op.f("ck_bureau_queries_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_bureau_queries_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["consents.id"], name=op.f("fk_bureau_queries_consent_id_consents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_queries")),
        sa.UniqueConstraint("reference", name=op.f("uq_bureau_queries_reference")),
    )
    with op.batch_alter_table("bureau_queries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bureau_queries_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "bureau_reports",
        sa.Column("query_id", _ID, nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("report_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["query_id"],
            ["bureau_queries.id"],
            name=op.f("fk_bureau_reports_query_id_bureau_queries"),
        ),
        sa.PrimaryKeyConstraint("query_id", name=op.f("pk_bureau_reports")),
    )


def downgrade() -> None:
    op.drop_table("bureau_reports")
    with op.batch_alter_table("bureau_queries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bureau_queries_customer_id"))
    op.drop_table("bureau_queries")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_customer_id"))
    op.drop_table("consents")
