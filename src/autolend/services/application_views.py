"""What an application looks like on the wire: personal data masked unless the caller's
role reads it in full (``pii:read_full``), money as decimal strings, the decision and the
offers as stored, the status history.

``amount`` is the vehicle amount financed (price less down payment, or the amount asked
for); ``financed_fees`` and ``amount_financed`` are what the product adds to it and the
loan an offer of that structure finances (140,000.00 + a 1,500.00 GPS fee = 141,500.00),
priced by the offers' own fee code; both null when the product is not known."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from autolend.domain import masking
from autolend.domain.access import Actor, Permission
from autolend.domain.applicant_side import REVIEW_MOVES
from autolend.domain.application import ApplicationInput, Party
from autolend.domain.money import Money
from autolend.domain.offers import financed_fees
from autolend.domain.products import Product
from autolend.services.application_ports import ApplicationRow, DocumentRow, EventRow

__all__ = ["application_view", "document_view", "summary_view"]


def _money(minor: int, currency: str) -> str:
    return Money.of_minor(minor, currency).to_api()


def _optional(money: Money | None) -> str | None:
    return None if money is None else money.to_api()


def party_view(party: Party, *, full: bool) -> dict[str, Any]:
    def shown(value: str, mask: Any) -> str:
        return value if full else str(mask(value))

    income = _optional(party.monthly_income)
    return {
        "role": party.role.value, "name": shown(party.name, masking.mask_name),
        "id_number": shown(party.id_number, masking.mask_id_number),
        "mobile": shown(party.mobile, masking.mask_phone),
        "address": party.address if full else "***",
        "employment": party.employment.value,
        "monthly_income": income if full or income is None else masking.mask_income(income),
        "income_documented": party.income_documented,
        "monthly_obligations": party.monthly_obligations.to_api(),
        "first_time_buyer": party.first_time_buyer,
        "income_stability_months": party.income_stability_months,
    }  # fmt: skip


def summary_view(row: ApplicationRow) -> dict[str, Any]:
    """The list form: no personal data at all."""
    return {
        "id": row.id, "status": row.status, "channel": row.channel,
        "product_code": row.product_code, "dealer_id": row.dealer_id,
        "customer_id": row.customer_id, "currency": row.currency,
        "amount": _money(row.amount_minor, row.currency),
        "price": _money(row.price_minor, row.currency), "term_months": row.term_months,
        "outcome": row.outcome, "loan_id": row.loan_id, "contract_id": row.contract_id,
        "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
    }  # fmt: skip


def document_view(doc: DocumentRow) -> dict[str, Any]:
    return {
        "id": doc.id, "kind": doc.kind, "content_type": doc.content_type, "size": doc.size,
        "sha256": doc.sha256, "uploaded_at": doc.uploaded_at.isoformat(),
    }  # fmt: skip


# What only staff read of a decision and its events: the facts snapshot (fraud counts, the
# bureau query), a rate override (the risk-based rate and the underwriter who set it) and
# what a second person declined (``proposed``: the approval the first underwriter proposed,
# who proposed and who declined it; the applicant has the decline and its notice).
_STAFF_ONLY = ("facts", "rate_override", "proposed")


def _decision_view(row: ApplicationRow, *, staff: bool) -> dict[str, Any] | None:
    """The stored decision; without its :data:`_STAFF_ONLY` parts for anyone else."""
    decision: dict[str, Any] | None = json.loads(row.decision) if row.decision else None
    if decision is not None and not staff:
        for internal in _STAFF_ONLY:
            decision.pop(internal, None)
    return decision


def told_applicant(events: Sequence[EventRow], decision: dict[str, Any] | None) -> set[int]:
    """The review events (by id) whose reason the applicant is told anyway: a decline's
    (its adverse-action notice states it) and that of the counter-offer on offer (its
    card shows it). Every other reason of a review or a second approval is an
    underwriters' note, for staff alone (an approval's, a second person's refusal)."""
    reviews = [(e.id, json.loads(e.detail or "{}").get("action")) for e in events
               if e.action == "review"]  # fmt: skip
    told = {event_id for event_id, action in reviews if action == "decline"}
    if reviews and reviews[-1][1] == "counter_offer" and (decision or {}).get("counter_offer"):
        told.add(reviews[-1][0])
    return told


def _event_view(event: EventRow, *, staff: bool, told: set[int]) -> dict[str, Any]:
    """One move; its :data:`_STAFF_ONLY` parts (the facts snapshot, a rate override) are
    for staff, and so is the reason an underwriter gave for a review or a second
    approval, unless the applicant is :func:`told_applicant` it."""
    detail = json.loads(event.detail) if event.detail else None
    if detail is not None and not staff:
        for internal in _STAFF_ONLY:
            detail.pop(internal, None)
    internal_note = not staff and event.action in REVIEW_MOVES and event.id not in told
    return {
        "action": event.action, "from": event.status_from, "to": event.status_to,
        "actor_user_id": event.actor_user_id, "automated": event.automated,
        "reason": None if internal_note else event.reason, "at": event.created_at.isoformat(),
        "detail": detail,
    }  # fmt: skip


def _financing(product: Product | None, data: ApplicationInput) -> dict[str, str | None]:
    if product is None:
        return {"financed_fees": None, "amount_financed": None}
    fees = financed_fees(product, data)
    return {"financed_fees": fees.to_api(), "amount_financed": (data.financed + fees).to_api()}


def application_view(
    actor: Actor,
    row: ApplicationRow,
    data: ApplicationInput,
    events: Sequence[EventRow],
    documents: Sequence[DocumentRow],
    *,
    product: Product | None,
    applicant: bool = False,
) -> dict[str, Any]:
    """The full form: parties (masked unless ``pii:read_full``, or for the borrower who
    filed it for themselves: they typed it), vehicle, the amounts financed under
    ``product`` (the version filed against), decision, offers. ``applicant``: the reader
    is the borrower a dealer filed it for, who reads it as one who filed their own (no
    staff notes), their own details in full and a co-applicant's masked (the dealer
    typed those)."""
    own = actor.self_service and row.channel == "borrower"
    full = actor.can(Permission.PII_READ_FULL) or (own and row.created_by == actor.user_id)
    staff = actor.can(Permission.APPLICATION_READ_ALL)
    decision = _decision_view(row, staff=staff)
    told = told_applicant(events, decision)
    vehicle = data.vehicle
    return summary_view(row) | {
        "parties": [
            party_view(p, full=full or (applicant and p is data.borrower)) for p in data.parties
        ],
        "vehicle": {
            "vin": vehicle.vin, "make": vehicle.make, "model": vehicle.model,
            "energy": vehicle.energy.value, "condition": vehicle.condition.value,
            "price": vehicle.price.to_api(), "reference_price": _optional(vehicle.reference_price),
            "dealer_id": vehicle.dealer_id,
        },
        "down_payment": data.down_payment.to_api(),
        "requested_amount": _optional(data.amount),
        **_financing(product, data),
        "consents": [{"kind": c.kind.value, "text_version": c.text_version} for c in data.consents],
        "decision": decision,
        "offers": json.loads(row.offers) if row.offers else [],
        "accepted_option": row.accepted_option,
        "documents": [document_view(d) for d in documents],
        "events": [_event_view(e, staff=staff, told=told) for e in events],
    }  # fmt: skip
