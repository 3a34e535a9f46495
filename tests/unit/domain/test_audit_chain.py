"""The audit hash chain detects every kind of tampering and names the first bad record."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from autolend.domain.audit import (
    GENESIS_HASH,
    AuditEvent,
    AuditRecord,
    ChainHead,
    chain_next,
    record_hash,
    verify_chain,
)

START = datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=UTC)


def build_chain(length: int) -> tuple[list[AuditRecord], ChainHead]:
    head = ChainHead(0, GENESIS_HASH)
    records = []
    for i in range(length):
        event = AuditEvent(
            occurred_at=START + timedelta(seconds=i),
            actor_user_id=1 + i % 3,
            actor_username=f"user{i % 3}",
            actor_roles="servicing",
            action="customer.register",
            object_type="customer",
            object_id=str(i),
            summary={"n": i, "ok": True, "note": None},
            request_id=f"req-{i}",
        )
        record = chain_next(head, event)
        records.append(record)
        head = ChainHead(record.seq, record.hash)
    return records, head


def test_an_untouched_chain_verifies_from_genesis_to_head() -> None:
    records, head = build_chain(10)
    report = verify_chain(records, head)
    assert report.ok and report.records_checked == 10


def test_the_first_record_links_to_the_genesis_hash() -> None:
    records, _ = build_chain(2)
    assert records[0].prev_hash == GENESIS_HASH
    assert records[1].prev_hash == records[0].hash


def test_an_empty_chain_with_the_genesis_head_verifies() -> None:
    assert verify_chain([], ChainHead(0, GENESIS_HASH)).ok


def test_the_hash_covers_every_field_of_the_event() -> None:
    records, _ = build_chain(1)
    event = records[0].event
    changes: dict[str, Any] = {
        "occurred_at": event.occurred_at + timedelta(microseconds=1),
        "actor_user_id": 99,
        "actor_username": "mallory",
        "actor_roles": "admin",
        "action": "customer.delete",
        "object_type": "loan",
        "object_id": "999",
        "summary": {"n": 1},
        "request_id": "other",
    }
    original = record_hash(1, event, GENESIS_HASH)
    for name, value in changes.items():
        altered = dataclasses.replace(event, **{name: value})
        assert record_hash(1, altered, GENESIS_HASH) != original, name


def test_an_edited_record_is_named() -> None:
    records, head = build_chain(10)
    edited = dataclasses.replace(records[4].event, action="user.delete")
    records[4] = dataclasses.replace(records[4], event=edited)
    report = verify_chain(records, head)
    assert report.first_bad_seq == 5
    assert report.problem is not None and "altered" in report.problem


def test_a_deleted_record_is_named() -> None:
    records, head = build_chain(10)
    del records[6]
    assert verify_chain(records, head).first_bad_seq == 7


def test_an_inserted_record_is_caught_even_when_its_own_hash_is_valid() -> None:
    records, head = build_chain(10)
    forged = chain_next(ChainHead(3, records[2].hash), records[3].event)
    records.insert(3, forged)
    report = verify_chain(records, head)
    assert not report.ok and report.first_bad_seq == 4


def test_swapped_records_are_caught() -> None:
    records, head = build_chain(10)
    a, b = records[2], records[7]
    records[2] = dataclasses.replace(a, event=b.event)
    records[7] = dataclasses.replace(b, event=a.event)
    assert verify_chain(records, head).first_bad_seq == 3


def test_a_truncated_tail_is_caught_through_the_head() -> None:
    records, head = build_chain(10)
    report = verify_chain(records[:6], head)
    assert report.first_bad_seq == 7
    assert report.problem is not None and "truncated" in report.problem


def test_a_fully_truncated_chain_is_caught() -> None:
    _, head = build_chain(5)
    assert verify_chain([], head).first_bad_seq == 1


def test_a_missing_head_is_caught_when_records_exist() -> None:
    records, _ = build_chain(3)
    assert not verify_chain(records, None).ok


def test_a_rewritten_tail_that_ignores_the_head_is_caught() -> None:
    records, head = build_chain(5)
    rebuilt = chain_next(ChainHead(4, records[3].hash), records[0].event)
    report = verify_chain([*records[:4], rebuilt], head)
    assert not report.ok and report.first_bad_seq == 5


@pytest.mark.parametrize("seed", range(25))
def test_random_tampering_is_always_detected(seed: int) -> None:
    rng = random.Random(seed)
    records, head = build_chain(30)
    position = rng.randrange(30)
    kind = rng.choice(["edit", "delete", "swap", "truncate"])
    if kind == "edit":
        event = dataclasses.replace(records[position].event, object_id="tampered")
        records[position] = dataclasses.replace(records[position], event=event)
    elif kind == "delete":
        del records[position]
    elif kind == "swap":
        other = (position + 1 + rng.randrange(29)) % 30
        first, second = records[position], records[other]
        records[position] = dataclasses.replace(first, event=second.event)
        records[other] = dataclasses.replace(second, event=first.event)
    else:
        records = records[:position]
    assert not verify_chain(records, head).ok
