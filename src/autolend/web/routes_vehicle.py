"""The application page's "add the VIN" form: an application filed without the car's VIN
(the borrower or dealer had not picked the car) gets it before an offer is accepted,
since the contract and the vehicle mortgage name it
(:mod:`autolend.services.application_vehicle`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from autolend.web.deps import CsrfCheckedDep, WebStateDep, form_fields
from autolend.web.routes_applications import after, application_id_of

router = APIRouter(include_in_schema=False)


@router.post("/applications/{application_id}/vin")
async def add_vin(application_id: str, request: Request, state: WebStateDep,
                  signed: CsrfCheckedDep) -> Response:  # fmt: skip
    app_id = application_id_of(application_id)
    vin = (await form_fields(request)).get("vin", "")
    run = lambda: state.services.origination.add_vin(signed.actor, app_id, vin)  # noqa: E731
    return after(request, state, signed, app_id, action="vin_added", run=run,
                 typed={"vin": vin})  # fmt: skip
