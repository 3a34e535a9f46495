"""The audit trail as a hash chain.

Every state change made through a service appends one record. Each record carries the hash
of the record before it, and the chain head (last sequence number and hash) is kept apart,
so an edited, deleted, inserted, swapped or truncated record breaks the chain at a place
that :func:`verify_chain` names.

Rule: ``hash_n = SHA-256(canonical JSON of record n's fields, including hash_{n-1})`` with
``hash_0 = "0" * 64`` (genesis). Example: the first record's ``prev_hash`` is the genesis
hash, the second's is the first record's hash, and so on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

GENESIS_HASH = "0" * 64

_SUMMARY_VALUE = str | int | bool | None


@dataclass(frozen=True)
class AuditEvent:
    """What happened, before it is placed in the chain.

    ``summary`` holds before/after facts without personal data: ids, statuses, counts.
    """

    occurred_at: datetime
    actor_user_id: int
    actor_username: str
    actor_roles: str
    action: str
    object_type: str
    object_id: str
    summary: Mapping[str, _SUMMARY_VALUE] = field(default_factory=dict)
    request_id: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    """An event placed in the chain: its sequence number, the previous hash and its hash."""

    seq: int
    event: AuditEvent
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying a chain; ``first_bad_seq`` is None when it verifies."""

    records_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def canonical_summary(summary: Mapping[str, _SUMMARY_VALUE]) -> str:
    """Summary as canonical JSON (sorted keys, no spaces) so that hashing is stable."""
    return json.dumps(dict(summary), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(seq: int, event: AuditEvent, prev_hash: str) -> str:
    """SHA-256 of the record's fields in a fixed order.

    Timestamps are hashed as ISO-8601 strings in UTC at microsecond precision, the form in
    which they are stored.
    """
    material = [
        seq,
        event.occurred_at.isoformat(timespec="microseconds"),
        event.actor_user_id,
        event.actor_username,
        event.actor_roles,
        event.action,
        event.object_type,
        event.object_id,
        canonical_summary(event.summary),
        event.request_id,
        prev_hash,
    ]
    encoded = json.dumps(material, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def chain_next(head: ChainHead | None, event: AuditEvent) -> AuditRecord:
    """Place an event after the current head."""
    seq = 1 if head is None else head.seq + 1
    prev = GENESIS_HASH if head is None else head.hash
    return AuditRecord(seq=seq, event=event, prev_hash=prev, hash=record_hash(seq, event, prev))


def verify_chain(records: Iterable[AuditRecord], head: ChainHead | None) -> ChainReport:
    """Walk the records in sequence order and name the first one that breaks the chain.

    ``records`` must be ordered by ``seq``; the stored head must match the last record.
    """
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    for record in records:
        problem = _record_problem(record, expected_seq, expected_prev)
        if problem is not None:
            # A gap names the missing record, anything else the record found wanting.
            bad = expected_seq if record.seq > expected_seq else record.seq
            return ChainReport(checked, first_bad_seq=bad, problem=problem)
        checked += 1
        expected_seq, expected_prev = record.seq + 1, record.hash
    return _check_head(head, checked, expected_seq, expected_prev)


def _record_problem(record: AuditRecord, expected_seq: int, expected_prev: str) -> str | None:
    if record.seq < expected_seq:
        return f"record {record.seq} appears twice or out of order"
    if record.seq > expected_seq:
        return f"record {expected_seq} is missing (next present is {record.seq})"
    if record.prev_hash != expected_prev:
        return f"record {record.seq} does not link to the record before it"
    if record_hash(record.seq, record.event, record.prev_hash) != record.hash:
        return f"record {record.seq} was altered (its hash does not match its content)"
    return None


def _check_head(head: ChainHead | None, checked: int, next_seq: int, last_hash: str) -> ChainReport:
    last_seq = next_seq - 1
    if head is None:
        if checked == 0:
            return ChainReport(0)
        return ChainReport(checked, first_bad_seq=1, problem="the chain head is missing")
    if head.seq > last_seq:
        return ChainReport(
            checked,
            first_bad_seq=last_seq + 1,
            problem=f"records {last_seq + 1}..{head.seq} are missing (truncated)",
        )
    if head.seq < last_seq or head.hash != last_hash:
        return ChainReport(
            checked,
            first_bad_seq=head.seq + 1 if head.seq < last_seq else last_seq,
            problem="the chain head does not match the last record",
        )
    return ChainReport(checked)
