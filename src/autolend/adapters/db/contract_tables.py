"""Contracts, their registry chain, signing challenges and the notification outbox
(migration 0010), on :data:`autolend.adapters.db.tables.metadata` (``tables`` imports this
module, so the metadata always holds them).

A contract row keeps its PDF bytes: they commit in the same transaction as the registry
entry that names their SHA-256, are backed up with the database and need no file store.
Example: issuing contract 1 for loan 3 writes one ``contracts`` row (about 60 kB of PDF),
registry entry 1 (``issued``) and moves the registry head to seq 1.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

__all__ = ["contract_challenges", "contract_registry", "contract_registry_head", "contracts",
           "outbox"]  # fmt: skip

# One contract document: the rendered PDF, its digest and text layer, and its state. The
# PDF and the text are sealed (``pdf`` and ``text_enc`` the ciphertexts under the data key
# wrapped in ``wrapped_data_key``); contracts issued before migration 0017 are in clear
# (``key_id`` empty, ``text_layer`` the text, the borrower masked).
contracts = Table(
    "contracts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=False, index=True),
    Column("reference", String(64), nullable=False),
    Column("locale", String(8), nullable=False),
    Column("status", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("text_layer", Text, nullable=True),
    Column("key_id", String(32), nullable=True),
    Column("wrapped_data_key", LargeBinary, nullable=True),
    Column("text_enc", LargeBinary, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=True),
    Column("signed_by", BigInteger, nullable=True),
    CheckConstraint("status IN ('issued', 'signed', 'voided')", name="status_known"),
)

# The append-only registry chain (see autolend.domain.contract_registry).
contract_registry = Table(
    "contract_registry",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("contract_id", Id, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("reference", String(64), nullable=False),
    Column("event", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("actor_user_id", BigInteger, nullable=False),
    Column("created_at", String(40), nullable=False),  # ISO-8601 as hashed
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The registry's last seq and hash: the row appenders lock, and what truncation breaks.
contract_registry_head = Table(
    "contract_registry_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

# A one-time signing code: only its keyed hash, expiry and attempts.
contract_challenges = Table(
    "contract_challenges",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("contract_id", Id, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=False),
    CheckConstraint("status IN ('open', 'used', 'locked', 'superseded')", name="status_known"),
)

# Messages written with the business change, sent later by the dispatcher. The recipient
# and any secret (a one-time code) are sealed like customer data; the payload is not personal.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(8), nullable=False),
    Column("template", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("wrapped_data_key", LargeBinary, nullable=False),
    Column("recipient", LargeBinary, nullable=False),
    Column("secret", LargeBinary, nullable=True),
    Column("status", String(8), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    # A dispatcher's lease on a pending message (migration 0014): none while it is free.
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    CheckConstraint("channel IN ('sms', 'email')", name="channel_known"),
    CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status_known"),
    Index("ix_outbox_status_id", "status", "id"),
)
