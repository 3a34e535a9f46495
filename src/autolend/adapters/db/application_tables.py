"""Applications, their parties, documents and status events (migration 0011), on
:data:`autolend.adapters.db.tables.metadata` (``tables`` imports this module).

An application's personal and financial details (names, IDs, income, obligations, the
vehicle) are one sealed JSON field under a per-record data key, like a customer's; the
columns in clear are what queues, lists and fraud checks need: status, product, amounts,
and blind indexes of the borrower's resident ID and mobile (for "one ID or phone across
many applications"). Example: a dealer's application for a 200,000.00 car with 60,000.00
down is one ``applications`` row (amount_minor 14000000), one party per applicant, one
event per move (``create``, ``submit``...).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from autolend.adapters.db.tables import Id, metadata

__all__ = ["application_documents", "application_events", "application_parties", "applications"]

STATUSES = ("draft", "approved", "referred", "declined", "pending_second", "counter_offered",
            "accepted", "signing", "signed", "disbursed", "withdrawn")  # fmt: skip
_STATUS_IN = "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")"

applications = Table(
    "applications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("status", String(16), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("product_code", String(32), nullable=False),
    Column("dealer_id", Id, ForeignKey("dealers.id"), nullable=True, index=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("term_months", Integer, nullable=False),
    Column("id_number_bidx", String(64), nullable=False, index=True),
    Column("phone_bidx", String(64), nullable=False, index=True),
    # The car's VIN, blind-indexed (0022): NULL without a VIN, or filed before 0022 and
    # not indexed yet (`autolend db index-vins`).
    Column("vin_bidx", String(64), nullable=True),
    Column("key_id", String(32), nullable=False),
    Column("wrapped_data_key", LargeBinary, nullable=False),
    Column("details_enc", LargeBinary, nullable=False),
    Column("outcome", String(8), nullable=True),
    Column("decision", Text, nullable=True),
    Column("offers", Text, nullable=True),
    Column("accepted_option", Integer, nullable=True),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=True),
    Column("contract_id", Id, ForeignKey("contracts.id"), nullable=True),
    Column("created_by", Id, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    CheckConstraint(_STATUS_IN, name="status_known"),
    CheckConstraint("channel IN ('borrower', 'dealer')", name="channel_known"),
    Index("ix_applications_status_updated", "status", "updated_at"),
    # A dealer's list reads newest filed first (0019).
    Index("ix_applications_dealer_created", "dealer_id", "created_at", "id"),
    # A loan's application (the payout gate, signing) and a contract's (its texts) (0021).
    Index("ix_applications_loan", "loan_id"),
    Index("ix_applications_contract", "contract_id"),
    Index("ix_applications_vin", "vin_bidx"),
)

# Who is on the application: the borrower, co-borrowers and guarantors, each a customer.
application_parties = Table(
    "application_parties",
    metadata,
    Column("application_id", Id, ForeignKey("applications.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    CheckConstraint("role IN ('borrower', 'co_borrower', 'guarantor')", name="role_known"),
)

# An uploaded document: type-checked, its SHA-256, and its bytes sealed.
application_documents = Table(
    "application_documents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("application_id", Id, ForeignKey("applications.id"), nullable=False, index=True),
    Column("kind", String(24), nullable=False),
    Column("content_type", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("wrapped_data_key", LargeBinary, nullable=False),
    Column("content_enc", LargeBinary, nullable=False),
    Column("uploaded_by", Id, ForeignKey("users.id"), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

# Every move of an application: who, when, from which status to which, and why.
application_events = Table(
    "application_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("application_id", Id, ForeignKey("applications.id"), nullable=False, index=True),
    Column("action", String(24), nullable=False),
    Column("status_from", String(16), nullable=True),
    Column("status_to", String(16), nullable=False),
    Column("actor_user_id", BigInteger, nullable=False),
    Column("reason", Text, nullable=True),
    Column("detail", Text, nullable=True),
    Column("automated", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
