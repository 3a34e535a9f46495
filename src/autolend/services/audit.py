"""Writing to and verifying the hash-chained audit trail."""

from __future__ import annotations

from collections.abc import Mapping

from autolend.domain.access import Actor
from autolend.domain.audit import AuditEvent, AuditRecord, ChainReport, verify_chain
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

SummaryValue = str | int | bool | None


def record_change(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    action: str,
    object_type: str,
    object_id: object,
    summary: Mapping[str, SummaryValue] | None = None,
) -> AuditEvent:
    """Record one audit event in the caller's transaction.

    The event is written when the unit of work commits. By default it is chained just
    before the commit: the chain head is read with a row lock then, so concurrent writers
    append one after the other and each links to the record truly before it. While the
    audit sequencer runs (``autolend serve``) it goes to the queue in the same commit
    instead, and the sequencer chains it moments later (:func:`chain_queued`). Either
    way a rolled-back unit of work records nothing. ``summary`` must hold no personal
    data, and only text, whole numbers, booleans and None: a float is written as text
    (``f"{auc:.4f}"``), whose digits do not depend on how a reader parses the JSON.
    """
    _check_summary(summary or {})
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_user_id=actor.user_id,
        actor_username=actor.username,
        actor_roles=actor.role_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=dict(summary or {}),
        request_id=actor.request_id,
    )
    uow.audit.add(event)
    return event


def _check_summary(summary: Mapping[str, object]) -> None:
    for key, value in summary.items():
        if value is not None and not isinstance(value, str | int | bool):
            kind = type(value).__name__
            raise TypeError(f"audit summary {key!r} is a {kind}: record text, int, bool or None")


CHAIN_BATCH = 500


def chain_queued(uow_factory: UnitOfWorkFactory, *, look_first: bool = True) -> int:
    """Chain every committed event waiting in the queue, oldest first, in transactions of
    up to ``CHAIN_BATCH`` events; return how many. Readers call this first, so the chain
    they read holds every committed event; ``look_first`` makes that one cheap read (no
    write transaction) when the queue is empty, as it is unless the sequencer runs."""
    if look_first:
        with uow_factory() as uow:
            if not uow.audit.has_queued():
                return 0
    total = 0
    while True:
        with uow_factory(write=True) as uow:
            chained = uow.audit.chain_queued(CHAIN_BATCH)
            uow.commit()
        total += chained
        if chained < CHAIN_BATCH:
            return total


class AuditService:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def chain_queued(self) -> int:
        """Chain the events waiting in the queue: the sequencer's step (it was told that
        events were queued, so it does not look first)."""
        return chain_queued(self._uow, look_first=False)

    def verify(self) -> ChainReport:
        """Recompute the whole chain from genesis to the stored head."""
        chain_queued(self._uow)
        with self._uow(snapshot=True) as uow:
            return verify_chain(uow.audit.iter_records(), uow.audit.head())

    def recent(self, limit: int = 50, offset: int = 0) -> list[AuditRecord]:
        """The newest records first, ``limit`` from ``offset`` (offset 50: the 51st newest
        on)."""
        chain_queued(self._uow)
        with self._uow() as uow:
            return uow.audit.recent(limit, offset)

    def page(self, limit: int, offset: int) -> tuple[list[AuditRecord], int]:
        """:meth:`recent` and how many records the trail holds in all (its head's number:
        the sequence has no gaps), read in one snapshot."""
        chain_queued(self._uow)
        with self._uow(snapshot=True) as uow:
            head = uow.audit.head()
            return uow.audit.recent(limit, offset), (head.seq if head else 0)
