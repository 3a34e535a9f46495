"""The contract registry: an append-only hash chain of contract documents and signatures.

Each entry registers one event of one contract: ``issued`` (the PDF's SHA-256 when it was
made), ``signed`` (the SHA-256 the borrower signed, with the time and the actor) or
``voided`` (the borrower withdrew the application before the loan was paid out: the
contract of that digest will never take effect). As in
the audit chain (:mod:`autolend.domain.audit`), ``hash_n = SHA-256(canonical JSON of entry
n, including hash_{n-1})`` and ``hash_0 = "0" * 64``; an edited, deleted or reordered
entry breaks the chain at the place :func:`verify_registry` names.

>>> from datetime import UTC, datetime
>>> at = datetime(2026, 1, 5, tzinfo=UTC)
>>> first = registry_next(None, RegistryEvent(7, "loan:3", "issued", "ab" * 32, 1, at))
>>> (first.seq, first.prev_hash == GENESIS_HASH)
(1, True)
>>> second = registry_next(first, RegistryEvent(7, "loan:3", "signed", "ab" * 32, 2, at))
>>> verify_registry([first, second], (2, second.hash)).ok
True
>>> verify_registry([second], (2, second.hash)).problem
'registry entry 1 is missing (next present is 2)'
>>> verify_registry([first], (2, second.hash)).problem
'registry entries 2..2 are missing (truncated)'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from autolend.domain.audit import GENESIS_HASH, ChainReport

__all__ = [
    "GENESIS_HASH",
    "RegistryEntry",
    "RegistryEvent",
    "entry_hash",
    "registry_next",
    "verify_registry",
]

EVENTS = ("issued", "signed", "voided")


@dataclass(frozen=True)
class RegistryEvent:
    """What is registered: contract, its business reference, event, document digest."""

    contract_id: int
    reference: str
    event: str
    sha256: str
    actor_user_id: int
    created_at: datetime


@dataclass(frozen=True)
class RegistryEntry:
    seq: int
    body: RegistryEvent
    prev_hash: str
    hash: str


def entry_hash(seq: int, body: RegistryEvent, prev_hash: str) -> str:
    """SHA-256 of the entry's fields in a fixed order (time as ISO-8601, microseconds)."""
    material = [
        seq,
        body.contract_id,
        body.reference,
        body.event,
        body.sha256,
        body.actor_user_id,
        body.created_at.isoformat(timespec="microseconds"),
        prev_hash,
    ]
    encoded = json.dumps(material, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def registry_next(head: RegistryEntry | None, body: RegistryEvent) -> RegistryEntry:
    """Place ``body`` after the last entry (``None``: the chain is empty)."""
    seq = 1 if head is None else head.seq + 1
    prev = GENESIS_HASH if head is None else head.hash
    return RegistryEntry(seq, body, prev, entry_hash(seq, body, prev))


def verify_registry(entries: Iterable[RegistryEntry], head: tuple[int, str]) -> ChainReport:
    """Walk the entries in ``seq`` order and name the first that breaks the chain; the
    stored ``head`` (last seq, its hash; ``(0, GENESIS_HASH)`` when empty) must match."""
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    for entry in entries:
        problem = _problem(entry, expected_seq, expected_prev)
        if problem is not None:
            bad = expected_seq if entry.seq > expected_seq else entry.seq
            return ChainReport(checked, first_bad_seq=bad, problem=problem)
        checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    last = expected_seq - 1
    if head[0] > last:
        problem = f"registry entries {last + 1}..{head[0]} are missing (truncated)"
        return ChainReport(checked, first_bad_seq=last + 1, problem=problem)
    if head != (last, expected_prev):
        return ChainReport(checked, first_bad_seq=last, problem="the registry head does not match")
    return ChainReport(checked)


def _problem(entry: RegistryEntry, expected_seq: int, expected_prev: str) -> str | None:
    if entry.seq < expected_seq:
        return f"registry entry {entry.seq} appears twice or out of order"
    if entry.seq > expected_seq:
        return f"registry entry {expected_seq} is missing (next present is {entry.seq})"
    if entry.prev_hash != expected_prev:
        return f"registry entry {entry.seq} does not link to the entry before it"
    if entry.body.event not in EVENTS:
        return f"registry entry {entry.seq} has an unknown event {entry.body.event!r}"
    if entry_hash(entry.seq, entry.body, entry.prev_hash) != entry.hash:
        return f"registry entry {entry.seq} was altered (its hash does not match its content)"
    return None
