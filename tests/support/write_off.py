"""A write-off as the platform takes it: asked by servicing, approved by risk
(maker-checker, :mod:`autolend.services.approvals`).

Example: ``written_off(container, loan_id, date(2026, 6, 1))`` answers the posted
write-off event's wire form (``kind`` ``write_off``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.services.idempotency import IdempotencyRequest, MoneyResult

MAKER = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
CHECKER = Actor(user_id=7, username="risk", roles=(Role.RISK,))


def approved_write_off(
    container: Container,
    loan_id: int,
    on: date,
    *,
    request_id: int | None = None,
    idem: IdempotencyRequest | None = None,
) -> tuple[int, MoneyResult]:
    """The request (asked now unless ``request_id`` is given) and the checker's approval."""
    approvals = container.services.approvals
    if request_id is None:
        request_id = int(approvals.request_write_off(MAKER, loan_id, on, "uncollectable")["id"])
    return request_id, approvals.decide(CHECKER, request_id, approve=True, idem=idem)


def written_off(container: Container, loan_id: int, on: date) -> dict[str, Any]:
    """Write the loan off on ``on``; the posted event's wire form."""
    event: dict[str, Any] = approved_write_off(container, loan_id, on)[1].body["event"]
    return event
