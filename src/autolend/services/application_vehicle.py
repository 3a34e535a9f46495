"""The car's VIN, added to an application filed without one.

A borrower applying online, or a dealer pre-approving a customer, often has no VIN yet: the
car is picked (or assigned from stock) once the loan is approved. The contract and the
vehicle mortgage name the VIN, so an offer cannot be accepted without it; this records it
on the application's sealed details while the deal is still open (draft, referred,
approved, waiting for a second approval or counter-offered), once: a VIN already given is
not replaced. The VIN is checked as at filing (length, letters, check digit); the decision
does not change (it rests on the price, the condition and the powertrain, not the VIN).

Example: application 7, approved for a 200,000.00 NEV with no VIN, gets
``LGXCE6CB3N0123459`` and its offers can then be accepted.
"""

from __future__ import annotations

import json
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import Conflict, PermissionDenied
from autolend.domain.vin import validate_vin
from autolend.services.application_records import (
    raw_details,
    reachable_application,
    sealing_context,
)
from autolend.services.audit import record_change
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWorkFactory
from autolend.services.vehicle_financing import vin_index

__all__ = ["VIN_OPEN", "add_vin"]

VIN_OPEN = frozenset({"draft", "referred", "approved", "pending_second", "counter_offered"})
"""The statuses in which the vehicle's VIN may still be added."""


def add_vin(
    parts: tuple[UnitOfWorkFactory, PersonalDataCipher, Clock],
    actor: Actor,
    application_id: int,
    vin: str,
) -> dict[str, Any]:
    """Record ``vin`` on the application (see the module docstring); one transaction,
    audited. Answers ``{"id": ..., "vin": ...}``."""
    uow_factory, cipher, clock = parts
    if not actor.can(Permission.APPLICATION_CREATE):
        raise PermissionDenied("your role may not change applications")
    clean = validate_vin(vin, field="vin")
    with uow_factory(write=True) as uow:
        row = reachable_application(uow, actor, application_id, for_update=True)
        if row.status not in VIN_OPEN:
            raise Conflict(f"the application is {row.status}: its vehicle can no longer change")
        body = raw_details(cipher, row)
        if body["vehicle"].get("vin"):
            raise Conflict("the application already has a VIN", field="vin")
        body["vehicle"]["vin"] = clean
        details = json.dumps(body, ensure_ascii=False, default=str)
        sealed = cipher.seal({"details": details}, context=sealing_context(row.customer_id))
        uow.applications.reseal(row.id, sealed)  # the case keeps its place in the queue
        index = vin_index(cipher, clean)
        assert index is not None  # a VIN checked above
        uow.applications.set_vin_index(row.id, index)
        record_change(uow, clock, actor, action="application.vin", object_type="application",
                      object_id=row.id, summary={"vin_added": True})  # fmt: skip
        uow.commit()
    return {"id": application_id, "vin": clean}
