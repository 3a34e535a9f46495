"""The audit trail: recent records and chain verification (auditor, compliance, admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from autolend.api.deps import ServicesDep, require
from autolend.api.schemas import AuditRecordResponse, AuditVerifyResponse
from autolend.domain.access import Actor, Permission

router = APIRouter(tags=["audit"])


@router.get("/audit/verify", response_model=AuditVerifyResponse)
def verify_audit_chain(
    _actor: Annotated[Actor, Depends(require(Permission.AUDIT_VERIFY))], services: ServicesDep
) -> AuditVerifyResponse:
    """Recompute the audit trail's hash chain: ``ok``, how many records were checked and,
    on a break, the first bad record's ``seq`` and the problem."""
    report = services.audit.verify()
    return AuditVerifyResponse(
        ok=report.ok,
        records_checked=report.records_checked,
        first_bad_seq=report.first_bad_seq,
        problem=report.problem,
    )


@router.get("/audit/records", response_model=list[AuditRecordResponse])
def recent_audit_records(
    _actor: Annotated[Actor, Depends(require(Permission.AUDIT_READ))],
    services: ServicesDep,
    limit: Annotated[
        int, Query(ge=1, le=500, description="At most this many records (1 to 500)")
    ] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Skip this many, newest first")] = 0,
) -> list[AuditRecordResponse]:
    """The newest records first, ``limit`` from ``offset``."""
    return [
        AuditRecordResponse(
            seq=r.seq,
            occurred_at=r.event.occurred_at,
            actor=r.event.actor_username,
            roles=r.event.actor_roles,
            action=r.event.action,
            object_type=r.event.object_type,
            object_id=r.event.object_id,
            summary=dict(r.event.summary),
            request_id=r.event.request_id,
            hash=r.hash,
        )
        for r in services.audit.recent(limit, offset)
    ]
