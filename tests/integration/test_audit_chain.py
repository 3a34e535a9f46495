"""The hash-chained audit trail on both databases (RELIABILITY.md S8).

Every state change made through a service appends one record without personal data, and
the chain verifies. Tampering directly in SQL (edit, delete, insert, swap, truncate, wipe)
is detected by ``AuditService.verify()`` and by ``autolend verify`` (exit 1), each naming the
first bad record; a seeded random battery checks that 100 % of tampers are caught.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, delete, insert, select, update

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.adapters.keys.vault import MasterKeyRing
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.audit import GENESIS_HASH, AuditEvent, record_hash
from autolend.domain.errors import AuthenticationFailed
from autolend.domain.identity import resident_id_check_character
from autolend.domain.money import parse_money
from autolend.services.audit import record_change
from autolend.services.auth import actor_of
from autolend.services.customers import CustomerInput

pytestmark = pytest.mark.integration

STAFF_RECORDS = len(Role)  # the staff fixture creates one user, so one record, per role


# -- helpers ------------------------------------------------------------------------------------


def audit_rows(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq)).mappings().all()
    return [dict(r) for r in rows]


def all_audit_rows(container: Container) -> list[dict[str, Any]]:
    with container.engine.connect() as conn:
        return audit_rows(conn)


def tamper(container: Container, change: Callable[[Connection], None]) -> None:
    """Apply a change straight to the tables, bypassing every service."""
    with container.engine.begin() as conn:
        change(conn)


def run_cli_verify(container: Container, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``autolend verify`` as a separate process against the test's database."""
    settings = container.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEND_")}
    env.update(
        AUTOLEND_DATABASE_URL=settings.resolved_database_url(),
        AUTOLEND_TOKEN_SECRET=settings.token_secret or "",
        AUTOLEND_MASTER_KEYS=settings.master_keys or "",
        AUTOLEND_BLIND_INDEX_KEY=settings.blind_index_key or "",
        AUTOLEND_HOME=str(tmp_path / "cli-home"),
        COLUMNS="240",
        NO_COLOR="1",
        TERM="dumb",
    )
    return subprocess.run(
        [sys.executable, "-m", "autolend.cli", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


def assert_cli_ok(container: Container, tmp_path: Path, records: int) -> None:
    done = run_cli_verify(container, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"\bok\b.*\b{records} records\b", done.stdout), done.stdout


def assert_cli_names(container: Container, tmp_path: Path, bad_seq: int) -> None:
    done = run_cli_verify(container, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout, done.stdout
    assert re.search(rf"first bad record: {bad_seq}\b", done.stdout), done.stdout


def event_of(row: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        occurred_at=datetime.fromisoformat(row["occurred_at"]),
        actor_user_id=row["actor_user_id"],
        actor_username=row["actor_username"],
        actor_roles=row["actor_roles"],
        action=row["action"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        summary=json.loads(row["summary"]),
        request_id=row["request_id"],
    )


def forged_row(seq: int, prev_hash: str, action: str = "user.create") -> dict[str, Any]:
    """A record an attacker who knows the hashing rule computes correctly."""
    event = AuditEvent(
        occurred_at=datetime.fromisoformat("2026-11-28T09:31:00.000000+00:00"),
        actor_user_id=0,
        actor_username="system",
        actor_roles="admin",
        action=action,
        object_type="user",
        object_id="999",
        summary={"username": "backdoor", "roles": "admin"},
    )
    return {
        "seq": seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_user_id": event.actor_user_id,
        "actor_username": event.actor_username,
        "actor_roles": event.actor_roles,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": json.dumps(dict(event.summary), sort_keys=True),
        "request_id": None,
        "prev_hash": prev_hash,
        "hash": record_hash(seq, event, prev_hash),
    }


def hash_of(conn: Connection, seq: int) -> str:
    if seq == 0:
        return GENESIS_HASH
    return str(
        conn.execute(select(t.audit_log.c.hash).where(t.audit_log.c.seq == seq)).scalar_one()
    )


def set_fields(seq: int, **values: Any) -> Callable[[Connection], None]:
    def change(conn: Connection) -> None:
        result = conn.execute(update(t.audit_log).where(t.audit_log.c.seq == seq).values(**values))
        assert result.rowcount == 1

    return change


def delete_where(condition: Any) -> Callable[[Connection], None]:
    def change(conn: Connection) -> None:
        conn.execute(delete(t.audit_log).where(condition))

    return change


def insert_at_tail(conn: Connection) -> None:
    last = int(conn.execute(select(t.audit_head.c.seq)).scalar_one())
    conn.execute(insert(t.audit_log).values(**forged_row(last + 1, hash_of(conn, last))))


def insert_in_middle(seq: int) -> Callable[[Connection], None]:
    """Shift records ``seq..`` up by one and slip a correctly hashed forgery in at ``seq``."""

    def change(conn: Connection) -> None:
        prev = hash_of(conn, seq - 1)
        shift = 1_000_000
        conn.execute(
            update(t.audit_log)
            .where(t.audit_log.c.seq >= seq)
            .values(seq=t.audit_log.c.seq + shift)
        )
        conn.execute(
            update(t.audit_log)
            .where(t.audit_log.c.seq >= shift)
            .values(seq=t.audit_log.c.seq - shift + 1)
        )
        conn.execute(insert(t.audit_log).values(**forged_row(seq, prev)))

    return change


def swap(a: int, b: int) -> Callable[[Connection], None]:
    """Exchange everything but the sequence numbers of two records."""

    def change(conn: Connection) -> None:
        rows = {r["seq"]: r for r in audit_rows(conn) if r["seq"] in (a, b)}
        for here, there in ((a, b), (b, a)):
            values = {k: v for k, v in rows[there].items() if k != "seq"}
            conn.execute(update(t.audit_log).where(t.audit_log.c.seq == here).values(**values))

    return change


def rehash_one(seq: int) -> Callable[[Connection], None]:
    """Edit a record and recompute its own hash (but not the records after it)."""

    def change(conn: Connection) -> None:
        row = next(r for r in audit_rows(conn) if r["seq"] == seq)
        event = event_of(row)
        forged = AuditEvent(**{**event.__dict__, "summary": {"forged": True}})
        conn.execute(
            update(t.audit_log)
            .where(t.audit_log.c.seq == seq)
            .values(
                summary=json.dumps({"forged": True}),
                hash=record_hash(seq, forged, row["prev_hash"]),
            )
        )

    return change


def move_head_hash(conn: Connection) -> None:
    conn.execute(update(t.audit_head).values(hash="f" * 64))


def reset_chain(conn: Connection) -> None:
    conn.execute(delete(t.audit_log))
    conn.execute(update(t.audit_head).values(seq=0, hash=GENESIS_HASH))


# -- every state change is audited, without personal data ---------------------------------------

CANARY_NAME = "欧阳娜娜"
CANARY_DISPLAY_NAME = "王小明"
CANARY_ID = "44030519870704" + "321"
CANARY_ID += resident_id_check_character(CANARY_ID)
CANARY_PHONE = "13987654321"
CANARY_BANK = "6217001234567890123"
CANARY_INCOME = "98765.43"


def test_every_service_state_change_writes_one_audit_record_without_personal_data(
    container: Container, staff: dict[Role, str], clock: FixedClock, tmp_path: Path
) -> None:
    services = container.services
    assert services.audit.verify().records_checked == STAFF_RECORDS

    def latest() -> dict[str, Any]:
        rows = all_audit_rows(container)
        return rows[-1] | {"count": len(rows)}

    def expect_one(before: int, action: str, object_type: str) -> dict[str, Any]:
        record = latest()
        assert record["count"] == before + 1, f"{action}: {record['count'] - before} records"
        assert (record["action"], record["object_type"]) == (action, object_type)
        return record

    count = STAFF_RECORDS
    user = services.users.create(
        SYSTEM_ACTOR,
        username="wang.xm",
        password="pw-wang-long-1",
        roles=["underwriter"],
        display_name=CANARY_DISPLAY_NAME,
    )
    record = expect_one(count, "user.create", "user")
    assert record["object_id"] == str(user.id)
    count += 1

    actor = actor_of(user, request_id="req-audit-1")
    view = services.customers.register(
        actor,
        CustomerInput(
            CANARY_NAME,
            CANARY_ID,
            CANARY_PHONE,
            CANARY_BANK,
            parse_money(CANARY_INCOME, "CNY", field="monthly_income"),
        ),
        as_of=clock.now().date(),
    )
    record = expect_one(count, "customer.register", "customer")
    assert record["object_id"] == str(view.id)
    assert record["actor_username"] == "wang.xm" and record["request_id"] == "req-audit-1"
    count += 1

    services.users.set_active(SYSTEM_ACTOR, user.id, False)
    record = expect_one(count, "user.disable", "user")
    assert json.loads(record["summary"]) == {"before": True, "after": False}
    count += 1
    services.users.set_active(SYSTEM_ACTOR, user.id, True)
    expect_one(count, "user.enable", "user")
    count += 1

    rotated = build_container(
        container.settings.model_copy(
            update={
                "master_keys": ",".join(
                    [MasterKeyRing.generate("k2"), container.settings.master_keys or ""]
                )
            }
        ),
        clock=clock,
    )
    try:
        rotated.services.keys.rotate(SYSTEM_ACTOR)
    finally:
        rotated.engine.dispose()
    record = expect_one(count, "keys.rotate", "key_ring")
    assert json.loads(record["summary"]) == {"rewrapped": 1}
    count += 1

    for attempt in range(5):
        with pytest.raises(AuthenticationFailed):
            services.auth.authenticate("wang.xm", f"wrong-password-{attempt}")
        if attempt < 4:
            assert latest()["count"] == count, "a single failed sign-in is not a state change"
    record = expect_one(count, "user.locked", "user")
    assert json.loads(record["summary"]) == {"failures": 5}
    count += 1

    session = services.auth.start_session(services.users.list(SYSTEM_ACTOR)[0])
    expect_one(count, "session.start", "user")
    count += 1
    del session

    forbidden = [
        CANARY_NAME,
        CANARY_DISPLAY_NAME,
        CANARY_ID,
        CANARY_ID[:17],
        CANARY_PHONE,
        CANARY_BANK,
        CANARY_INCOME,
        "9876543",
        "pw-wang-long-1",
        "wrong-password",
    ]
    for row in all_audit_rows(container):
        text = json.dumps(row, default=str, ensure_ascii=False)
        leaked = [c for c in forbidden if c in text]
        assert not leaked, f"audit record {row['seq']} holds personal data {leaked}"

    report = services.audit.verify()
    assert report.ok and report.first_bad_seq is None
    assert report.records_checked == count
    assert_cli_ok(container, tmp_path, count)


# -- tampering in SQL ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tamper:
    change: Callable[[Connection], None]
    first_bad: int
    problem: str


# Over the staff fixture's chain, records 1..9.
TAMPERS: dict[str, Tamper] = {
    "update the summary of record 4": Tamper(
        set_fields(4, summary=json.dumps({"roles": "admin", "username": "eve"})), 4, "altered"
    ),
    "update the action of record 4": Tamper(set_fields(4, action="user.delete"), 4, "altered"),
    "update the time of record 4": Tamper(
        set_fields(4, occurred_at="2020-01-01T00:00:00.000000+00:00"), 4, "altered"
    ),
    "update the actor of record 1": Tamper(set_fields(1, actor_username="eve"), 1, "altered"),
    "edit record 4 and recompute its own hash": Tamper(rehash_one(4), 5, "does not link"),
    "delete the middle record 5": Tamper(
        delete_where(t.audit_log.c.seq == 5), 5, "record 5 is missing"
    ),
    "insert a forged record at the tail": Tamper(
        insert_at_tail, STAFF_RECORDS + 1, "head does not match"
    ),
    "insert a forged record in the middle": Tamper(insert_in_middle(5), 6, "does not link"),
    "swap the contents of records 3 and 6": Tamper(swap(3, 6), 3, "does not link"),
    "truncate the tail from record 8": Tamper(delete_where(t.audit_log.c.seq >= 8), 8, "truncated"),
    "delete the last record": Tamper(
        delete_where(t.audit_log.c.seq == STAFF_RECORDS), STAFF_RECORDS, "truncated"
    ),
    "delete every record": Tamper(delete_where(t.audit_log.c.seq >= 1), 1, "truncated"),
    "overwrite the stored chain head": Tamper(move_head_hash, STAFF_RECORDS, "head"),
}


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_a_tampered_audit_chain_is_detected_naming_the_first_bad_record(
    container: Container, staff: dict[Role, str], tmp_path: Path, kind: str
) -> None:
    spec = TAMPERS[kind]
    clean = container.services.audit.verify()
    assert clean.ok and clean.records_checked == STAFF_RECORDS

    tamper(container, spec.change)

    report = container.services.audit.verify()
    assert not report.ok, kind
    assert report.first_bad_seq == spec.first_bad, (kind, report)
    assert report.problem is not None and spec.problem in report.problem, (kind, report)
    assert_cli_names(container, tmp_path, spec.first_bad)


def test_autolend_verify_exits_0_on_the_untouched_chain_and_1_naming_the_record_after_an_edit(
    container: Container, staff: dict[Role, str], tmp_path: Path
) -> None:
    assert_cli_ok(container, tmp_path, STAFF_RECORDS)
    tamper(container, set_fields(7, object_id="1"))
    assert_cli_names(container, tmp_path, 7)
    done = run_cli_verify(container, tmp_path)
    assert "record 7 was altered" in done.stdout, done.stdout


@pytest.mark.parametrize("garbage", ["not json {", "[1, 2]", "null", ""])
def test_an_audit_summary_that_is_no_longer_a_json_object_is_reported_as_an_altered_record(
    container: Container, staff: dict[Role, str], tmp_path: Path, garbage: str
) -> None:
    tamper(container, set_fields(3, summary=garbage))
    report = container.services.audit.verify()
    assert not report.ok
    assert report.first_bad_seq == 3, report
    assert report.problem is not None and "altered" in report.problem
    assert_cli_names(container, tmp_path, 3)


def test_an_audit_time_that_is_no_longer_a_timestamp_is_reported_as_an_altered_record(
    container: Container, staff: dict[Role, str], tmp_path: Path
) -> None:
    tamper(container, set_fields(2, occurred_at="yesterday"))
    report = container.services.audit.verify()
    assert not report.ok
    assert report.first_bad_seq == 2, report
    assert_cli_names(container, tmp_path, 2)


# -- randomized battery -------------------------------------------------------------------------

RANDOM_KINDS = (
    "update_summary",
    "update_action",
    "update_object",
    "delete",
    "insert_tail",
    "insert_middle",
    "swap",
    "truncate",
    "rehash_one",
    "head",
)
SEEDS = 20


def build_chain(container: Container, clock: FixedClock, rng: random.Random, size: int) -> None:
    actors = [
        Actor(user_id=i, username=f"user{i}", roles=(role,)) for i, role in enumerate(Role, start=1)
    ]
    with container.uow(write=True) as uow:
        for _ in range(size):
            clock.advance(timedelta(microseconds=rng.randint(1, 5_000_000)))
            record_change(
                uow,
                clock,
                rng.choice(actors),
                action=rng.choice(["loan.approve", "customer.register", "user.disable"]),
                object_type=rng.choice(["loan", "customer", "user"]),
                object_id=rng.randint(1, 10_000),
                summary={"amount_minor": rng.randint(0, 10**9), "ok": rng.random() < 0.5},
            )
        uow.commit()


def random_tamper(
    kind: str, size: int, rng: random.Random
) -> tuple[Callable[[Connection], None], int]:
    """The tamper and the first bad record it must be reported at."""
    p = rng.randint(1, size)
    if kind == "update_summary":
        return set_fields(p, summary=json.dumps({"amount_minor": -1, "ok": True})), p
    if kind == "update_action":
        return set_fields(p, action="loan.write_off"), p
    if kind == "update_object":
        return set_fields(p, object_id=str(10_001 + p)), p
    if kind == "delete":
        return delete_where(t.audit_log.c.seq == p), p  # a gap names the missing record
    if kind == "insert_tail":
        return insert_at_tail, size + 1
    if kind == "insert_middle":
        return insert_in_middle(p), p + 1
    if kind == "swap":
        q = rng.choice([s for s in range(1, size + 1) if s != p])
        return swap(p, q), min(p, q)
    if kind == "truncate":
        return delete_where(t.audit_log.c.seq >= p), p
    if kind == "rehash_one":
        return rehash_one(p), (p + 1 if p < size else size)
    assert kind == "head"
    return move_head_hash, size


def test_random_tampers_over_twenty_seeded_chains_are_all_detected_at_the_right_record(
    container: Container, clock: FixedClock
) -> None:
    deck = list(RANDOM_KINDS) * (SEEDS // len(RANDOM_KINDS))
    random.Random(20261128).shuffle(deck)
    outcomes = []
    for seed, kind in enumerate(deck):
        rng = random.Random(seed)
        tamper(container, reset_chain)
        size = rng.randint(25, 35)
        build_chain(container, clock, rng, size)
        clean = container.services.audit.verify()
        assert clean.ok and clean.records_checked == size, (seed, clean)
        change, expected = random_tamper(kind, size, rng)
        tamper(container, change)
        report = container.services.audit.verify()
        outcomes.append((seed, kind, expected, report.first_bad_seq, report.ok))
    missed = [o for o in outcomes if o[4]]
    misplaced = [o for o in outcomes if not o[4] and o[2] != o[3]]
    assert len(outcomes) == SEEDS
    assert not missed, f"undetected tampers: {missed}"
    assert not misplaced, f"wrong first bad record (seed, kind, expected, got, ok): {misplaced}"
    assert {o[1] for o in outcomes} == set(RANDOM_KINDS)


def _note(clock: FixedClock, uow: Any, action: str) -> None:
    record_change(uow, clock, SYSTEM_ACTOR, action=action, object_type="loan", object_id=1)


def test_audit_events_are_chained_at_commit_and_dropped_with_a_rolled_back_savepoint(
    container: Container, clock: FixedClock
) -> None:
    before = len(all_audit_rows(container))
    with container.uow(write=True) as uow:
        _note(clock, uow, "loan.first")
        with pytest.raises(RuntimeError), uow.savepoint():
            _note(clock, uow, "loan.rolled_back")
            raise RuntimeError("this loan failed")
        _note(clock, uow, "loan.second")
        uow.commit()
    with container.uow(write=True) as uow:
        _note(clock, uow, "loan.never_committed")
    rows = all_audit_rows(container)[before:]
    assert [r["action"] for r in rows] == ["loan.first", "loan.second"]
    assert [r["seq"] for r in rows] == [before + 1, before + 2]
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert container.services.audit.verify().ok
