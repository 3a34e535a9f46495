"""The audit sequencer on both databases: while it runs, a commit writes its audit events to
the queue (no lock on the chain head) and the sequencer chains them; readers chain the queue
first, so they see the same chain as if every event had been chained at its commit."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.audit import CHAIN_BATCH, record_change
from autolend.services.audit_sequencer import AuditSequencer

pytestmark = pytest.mark.integration


def _note(container: Container, clock: FixedClock, action: str, *, commit: bool = True) -> None:
    with container.uow(write=True) as uow:
        record_change(uow, clock, SYSTEM_ACTOR, action=action, object_type="loan", object_id=7)
        if commit:
            uow.commit()


def _count(container: Container, table: Any) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _actions(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(select(t.audit_log.c.action).order_by(t.audit_log.c.seq)).all()
    return [r.action for r in rows]


def test_queued_events_wait_outside_the_chain_until_chained_oldest_first(
    container: Container, clock: FixedClock
) -> None:
    chained_before = _count(container, t.audit_log)
    told: list[int] = []
    container.uow.audit_queued = lambda: told.append(1)  # a sequencer that does not chain
    _note(container, clock, "loan.first")
    _note(container, clock, "loan.never_committed", commit=False)
    _note(container, clock, "loan.second")

    assert _count(container, t.audit_log) == chained_before
    assert _count(container, t.audit_queue) == 2
    assert told == [1, 1], "the sequencer is told once per commit that queued events"

    assert container.services.audit.chain_queued() == 2
    assert _count(container, t.audit_queue) == 0
    assert _actions(container)[chained_before:] == ["loan.first", "loan.second"]
    assert container.services.audit.verify().ok


def test_readers_chain_the_queue_before_they_read(container: Container, clock: FixedClock) -> None:
    container.uow.audit_queued = lambda: None
    _note(container, clock, "loan.queued")

    assert container.services.audit.recent(1)[0].event.action == "loan.queued"
    _note(container, clock, "loan.queued_again")
    report = container.services.verify.run()
    assert report.ok, report
    assert _actions(container)[-1] == "loan.queued_again"
    assert _count(container, t.audit_queue) == 0


def test_a_queue_longer_than_a_batch_is_chained_in_several_transactions(
    container: Container,
) -> None:
    event = {
        "occurred_at": "2026-11-29T06:00:00.000000+00:00",
        "actor_user_id": 0,
        "actor_username": "system",
        "actor_roles": "system",
        "action": "loan.bulk",
        "object_type": "loan",
        "object_id": "1",
        "summary": "{}",
        "request_id": None,
    }
    with container.engine.begin() as conn:
        conn.execute(insert(t.audit_queue), [event] * (CHAIN_BATCH + 3))
    before = _count(container, t.audit_log)

    assert container.services.audit.chain_queued() == CHAIN_BATCH + 3
    assert _count(container, t.audit_log) == before + CHAIN_BATCH + 3
    assert container.services.audit.verify().ok


def test_concurrent_writers_with_a_running_sequencer_leave_one_unbroken_chain(
    container: Container, clock: FixedClock
) -> None:
    """Eight threads commit 25 audited changes each while the sequencer chains: every event
    is chained exactly once, in a chain that verifies, and the queue ends empty."""
    before = _count(container, t.audit_log)
    sequencer = AuditSequencer(container.services.audit.chain_queued, gather_seconds=0.005)
    container.uow.audit_queued = sequencer.notify
    sequencer.start()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                _note(container, clock, f"loan.w{n}.{i}")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    container.uow.audit_queued = None
    sequencer.stop()

    assert errors == []
    actions = _actions(container)[before:]
    assert sorted(actions) == sorted(f"loan.w{n}.{i}" for n in range(8) for i in range(25))
    for n in range(8):  # one writer's commits keep their order in the chain
        mine = [a for a in actions if a.startswith(f"loan.w{n}.")]
        assert mine == [f"loan.w{n}.{i}" for i in range(25)]
    assert _count(container, t.audit_queue) == 0
    assert container.services.audit.verify().ok
