"""Consents: recording, revoking and finding what a customer agreed to.

A borrower records consents for their own customer profile, a dealer for the customers it
brought, an underwriter for any; each record names the text version the customer saw and is
in the audit trail. Example: a borrower grants ``bureau_query`` under text ``BQ-2026-01`` on
1 Jan; without another expiry it is active until 1 Apr (90 days), unless revoked earlier;
:func:`active_consent` finds it for :class:`~autolend.services.bureau.BureauService`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from autolend.domain.access import Actor, Ownership, Permission, may_reach
from autolend.domain.consent import ConsentKind, default_expiry, is_active, parse_kind
from autolend.domain.errors import InvalidInput, NotFound, PermissionDenied
from autolend.services.audit import record_change
from autolend.services.bureau_ports import ConsentRow, NewConsent
from autolend.services.ports import Clock, CustomerRow, UnitOfWork, UnitOfWorkFactory

CUSTOMER_NOT_FOUND = "customer not found"


@dataclass(frozen=True)
class ConsentView:
    id: int
    customer_id: int
    kind: str
    text_version: str
    granted_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool


def reachable_customer(uow: UnitOfWork, actor: Actor, customer_id: int) -> CustomerRow:
    """The customer's row; NotFound unless it exists and the actor may reach it."""
    row = uow.customers.by_id(customer_id)
    if row is None or not may_reach(actor, Ownership(row.owner_user_id, row.dealer_id)):
        raise NotFound(CUSTOMER_NOT_FOUND)
    return row


def active_consent(
    uow: UnitOfWork, customer_id: int, kind: ConsentKind, at: datetime
) -> ConsentRow | None:
    """The newest consent of this kind active at ``at``, or None."""
    rows = [
        r
        for r in uow.consents.list_for(customer_id)
        if r.kind == kind.value and is_active(r.granted_at, r.expires_at, r.revoked_at, at=at)
    ]
    return rows[-1] if rows else None


def _view(row: ConsentRow, at: datetime) -> ConsentView:
    return ConsentView(
        id=row.id,
        customer_id=row.customer_id,
        kind=row.kind,
        text_version=row.text_version,
        granted_at=row.granted_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        active=is_active(row.granted_at, row.expires_at, row.revoked_at, at=at),
    )


class ConsentService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def record(
        self,
        actor: Actor,
        customer_id: int,
        kind: str,
        text_version: str,
        expires_at: datetime | None = None,
    ) -> ConsentView:
        """Store one consent (with its audit record) in one transaction."""
        if not actor.can(Permission.CONSENT_RECORD):
            raise PermissionDenied("your role may not record consents")
        parsed = parse_kind(kind)
        version = text_version.strip()
        if not version or len(version) > 32:
            raise InvalidInput("text_version must have 1 to 32 characters", field="text_version")
        now = self._clock.now()
        expiry = expires_at if expires_at is not None else default_expiry(parsed, now)
        if expiry is not None and expiry <= now:
            raise InvalidInput("a consent must expire in the future", field="expires_at")
        with self._uow(write=True) as uow:
            reachable_customer(uow, actor, customer_id)
            new = NewConsent(customer_id, parsed.value, version, now, expiry, actor.user_id)
            row = uow.consents.get(uow.consents.add(new))
            assert row is not None
            self._audit(uow, actor, "consent.grant", row)
            uow.commit()
        return _view(row, now)

    def revoke(self, actor: Actor, customer_id: int, consent_id: int) -> ConsentView:
        """Revoke a consent from now on; queries already made under it stay lawful."""
        if not actor.can(Permission.CONSENT_RECORD):
            raise PermissionDenied("your role may not revoke consents")
        now = self._clock.now()
        with self._uow(write=True) as uow:
            reachable_customer(uow, actor, customer_id)
            row = uow.consents.get(consent_id)
            if row is None or row.customer_id != customer_id:
                raise NotFound("consent not found")
            uow.consents.revoke(consent_id, now)
            self._audit(uow, actor, "consent.revoke", row)
            row = uow.consents.get(consent_id)
            uow.commit()
        assert row is not None
        return _view(row, now)

    def list(self, actor: Actor, customer_id: int) -> list[ConsentView]:
        if not actor.can(Permission.CUSTOMER_READ):
            raise PermissionDenied("your role may not read customers")
        now = self._clock.now()
        with self._uow() as uow:
            reachable_customer(uow, actor, customer_id)
            rows = uow.consents.list_for(customer_id)
        return [_view(r, now) for r in rows]

    def _audit(self, uow: UnitOfWork, actor: Actor, action: str, consent: ConsentRow) -> None:
        record_change(
            uow,
            self._clock,
            actor,
            action=action,
            object_type="consent",
            object_id=consent.id,
            summary={"customer_id": consent.customer_id, "kind": consent.kind},
        )
