"""Table definitions (SQLAlchemy Core). Alembic migrations are the source of the schema;
these definitions must match them (a test compares the two).

Amounts are BIGINT minor units; times are stored in UTC. Personal data lives only as
AES-GCM ciphertext plus a keyed blind index for exact lookups.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# BIGINT keys (room for a national book), INTEGER on SQLite where only INTEGER autoincrements.
Id = BigInteger().with_variant(Integer, "sqlite")

dealers = Table(
    "dealers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("city", String(100), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("display_name", String(200), nullable=True),
    Column("dealer_id", Id, ForeignKey("dealers.id"), nullable=True),
    Column("locale", String(10), nullable=True),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(32), primary_key=True),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_user_id", Id, ForeignKey("users.id"), nullable=True, index=True),
    Column("dealer_id", Id, ForeignKey("dealers.id"), nullable=True, index=True),
    Column("key_id", String(32), nullable=False),
    Column("wrapped_data_key", LargeBinary, nullable=False),
    Column("name_enc", LargeBinary, nullable=False),
    Column("id_number_enc", LargeBinary, nullable=False),
    Column("phone_enc", LargeBinary, nullable=False),
    Column("bank_account_enc", LargeBinary, nullable=True),
    Column("monthly_income_enc", LargeBinary, nullable=True),
    Column("id_number_bidx", String(64), nullable=False, unique=True),
    Column("phone_bidx", String(64), nullable=False, index=True),
    Column("bank_account_bidx", String(64), nullable=True, index=True),
    Column("created_by", Id, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("pack", String(8), nullable=True),  # 0020; NULL: read by the ID (pack_of_customer)
)


# An audit event in the chain, or committed and waiting to be chained (audit_repository.py)
def _audit_event_columns() -> list[Column[Any]]:
    return [
        Column("occurred_at", String(40), nullable=False),
        Column("actor_user_id", BigInteger, nullable=False),
        Column("actor_username", String(64), nullable=False),
        Column("actor_roles", String(200), nullable=False),
        Column("action", String(64), nullable=False),
        Column("object_type", String(64), nullable=False),
        Column("object_id", String(64), nullable=False),
        Column("summary", Text, nullable=False),
        Column("request_id", String(64), nullable=True),
    ]


audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    *_audit_event_columns(),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_object", "object_type", "object_id"),
)

audit_queue = Table(
    "audit_queue",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    *_audit_event_columns(),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

# --- Ledger and servicing (P1.3) -------------------------------------------------------

Amount = BigInteger

loans = Table(
    "loans",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=True, index=True),
    Column("dealer_id", Id, ForeignKey("dealers.id"), nullable=True, index=True),
    Column("product_code", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("approved_minor", Amount, nullable=False),
    Column("principal_minor", Amount, nullable=False),
    Column("disbursed_minor", Amount, nullable=False, default=0),
    Column("annual_rate", String(24), nullable=False),
    Column("terms", Text, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("accrued_through", Date, nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("state", Text, nullable=True),  # servicing snapshot (JSON), migration 0003
    Column("closed_on", Date, nullable=True),  # paid off / written off on (0003)
    Column("down_payment_minor", Amount, nullable=True),  # recorded at disbursement (0013)
    CheckConstraint("approved_minor > 0", name="approved_positive"),
    CheckConstraint("disbursed_minor <= approved_minor", name="disbursed_within_approved"),
)

installments = Table(
    "installments",
    metadata,
    Column("loan_id", Id, ForeignKey("loans.id"), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("due_date", Date, nullable=False),
    Column("principal_due", Amount, nullable=False),
    Column("interest_due", Amount, nullable=False),
    Column("fee_due", Amount, nullable=False, default=0),
    Column("principal_paid", Amount, nullable=False, default=0),
    Column("interest_paid", Amount, nullable=False, default=0),
    Column("fee_paid", Amount, nullable=False, default=0),
    CheckConstraint("principal_paid <= principal_due", name="principal_not_overpaid"),
    CheckConstraint("interest_paid <= interest_due", name="interest_not_overpaid"),
    CheckConstraint("fee_paid <= fee_due", name="fee_not_overpaid"),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("value_date", Date, nullable=False),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=True, index=True),
    Column("description", String(200), nullable=False),
    Column("reverses_id", Id, ForeignKey("journal_entries.id"), nullable=True, unique=True),
    Column("idempotency_key", String(128), nullable=True, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("booked_at", DateTime(timezone=True), nullable=False),
    Column("booked_by", BigInteger, nullable=False),
    Column("request_id", String(64), nullable=True),
    # Which servicing fact the entry states (e.g. "ai:2026-02-01", "ev:12"); migration 0003.
    Column("fact", String(64), nullable=True),
)

postings = Table(
    "postings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("entry_id", Id, ForeignKey("journal_entries.id"), nullable=False, index=True),
    Column("gl_code", String(8), nullable=False),
    Column("loan_id", Id, nullable=True),
    Column("sub_ledger", String(16), nullable=True),
    Column("side", String(1), nullable=False),
    Column("amount_minor", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("value_date", Date, nullable=False),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("side IN ('D', 'C')", name="side_known"),
    Index("ix_postings_loan_sub", "loan_id", "sub_ledger", "value_date"),
    Index("ix_postings_gl", "gl_code", "currency"),
)

accruals = Table(
    "accruals",
    metadata,
    Column("loan_id", Id, ForeignKey("loans.id"), primary_key=True),
    Column("accrual_date", Date, primary_key=True),
    Column("component", String(32), primary_key=True),
    Column("amount_minor", Amount, nullable=False),
    Column("entry_id", Id, ForeignKey("journal_entries.id"), nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("user_id", BigInteger, primary_key=True),
    Column("route", String(128), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# Money events of a loan (repayments, prepayments, payoffs, write-offs, recoveries),
# replayed in (value_date, seq, id) order to rebuild the servicing state (migration 0003).
repayments = Table(
    "repayments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("amount_minor", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("value_date", Date, nullable=False),
    Column("channel", String(32), nullable=True),
    Column("reference", String(128), nullable=True),
    Column("status", String(16), nullable=False),
    Column("entry_id", Id, ForeignKey("journal_entries.id"), nullable=True),
    Column("reversal_entry_id", Id, ForeignKey("journal_entries.id"), nullable=True),
    Column("allocation", Text, nullable=True),
    Column("details", Text, nullable=True),
    Column("seq", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("amount_minor >= 0", name="amount_not_negative"),
    CheckConstraint("status IN ('posted', 'reversed')", name="status_known"),
)

# Maker-checker requests (双人复核, migration 0004): a fee waiver or a write-off; JSON payload.
approval_requests = Table(
    "approval_requests",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=True, index=True),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("maker_user_id", BigInteger, nullable=False),
    Column("checker_user_id", BigInteger, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status_known"),
    CheckConstraint(
        "checker_user_id IS NULL OR checker_user_id <> maker_user_id", name="two_people"
    ),
)

# Credit-model registry (0005): each version's pickled artifact, its SHA-256, its metadata.
model_versions = Table(
    "model_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("artifact", LargeBinary, nullable=False),
    Column("artifact_sha256", String(64), nullable=False),
    Column("metadata", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=False),
    UniqueConstraint("name", "version", name="uq_model_versions_name_version"),
    CheckConstraint("version >= 1", name="version_positive"),
)

# --- Consents and the credit bureau (P1.5, migration 0006) ---------------------------------

# What a customer agreed to (bureau query, data processing, sensitive data), under which text.
consents = Table(
    "consents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("text_version", String(32), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("granted_by", BigInteger, nullable=False),
    CheckConstraint(
        "kind IN ('bureau_query', 'data_processing', 'sensitive_data')", name="kind_known"
    ),
)

# The log of every bureau query: who, when, for whom, why, under which consent, what came back.
bureau_queries = Table(
    "bureau_queries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("reference", String(36), nullable=False, unique=True),
    Column("purpose", String(32), nullable=False),
    Column("consent_id", Id, ForeignKey("consents.id"), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("detail", String(200), nullable=True),
    Column("latency_ms", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("queried_by", BigInteger, nullable=False),
    Column("queried_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(64), nullable=True),
    CheckConstraint(
        "outcome IN ('ok', 'no_record', 'unavailable', 'rejected')", name="outcome_known"
    ),
)

# The report itself, sealed (AES-GCM under a per-record data key bound to the query reference).
bureau_reports = Table(
    "bureau_reports",
    metadata,
    Column("query_id", Id, ForeignKey("bureau_queries.id"), primary_key=True),
    Column("key_id", String(32), nullable=False),
    Column("wrapped_data_key", LargeBinary, nullable=False),
    Column("report_enc", LargeBinary, nullable=False),
)

# --- Model monitoring reports (P1.4, migration 0007) ---------------------------------------

# One monitoring run of a registered model version: PSI, performance by month, fairness (JSON).
model_reports = Table(
    "model_reports",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(8), nullable=False),
    Column("report", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=False),
    CheckConstraint("status IN ('stable', 'watch', 'act')", name="status_known"),
    Index("ix_model_reports_name_created", "name", "created_at"),
)

# --- Tables kept in their own modules, on this metadata: eod_tables: end of day job runs
# (P1.6, migration 0008); product_tables: the product catalogue (P1.5, migration 0009);
# contract_tables: contracts, registry chain, signing, outbox (P1.5, migration 0010);
# application_tables (P1.5, 0011); portfolio_tables: the risk snapshot (P1.6, 0012).
from autolend.adapters.db import (  # noqa: E402
    application_tables,  # noqa: F401
    contract_tables,  # noqa: F401
    eod_tables,  # noqa: F401
    portfolio_tables,  # noqa: F401
    product_tables,  # noqa: F401
)
