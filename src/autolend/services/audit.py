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

    The event is chained when the unit of work commits, just before the commit: the chain
    head is read with a row lock then, so concurrent writers append one after the other
    and each links to the record truly before it, and the lock is held only for the
    appends and the commit, not for the rest of the use case (intake's three
    transactions an application queued on that one row). A rolled-back unit of work
    records nothing. ``summary`` must hold no personal data.
    """
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


class AuditService:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def verify(self) -> ChainReport:
        """Recompute the whole chain from genesis to the stored head."""
        with self._uow() as uow:
            return verify_chain(uow.audit.iter_records(), uow.audit.head())

    def recent(self, limit: int = 50) -> list[AuditRecord]:
        with self._uow() as uow:
            return uow.audit.recent(limit)
