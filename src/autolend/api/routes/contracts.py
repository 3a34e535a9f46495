"""Contracts over HTTP: issue one from a booked loan (staff with ``loan:book``), read its
metadata and PDF (a borrower reaches only their own), request a signing code, sign.

Example: ``POST /api/v1/contracts {"loan_id": 3, "vehicle": {"vin": "LSVAU2180N2183294",
"make": "BYD", "model": "Qin PLUS", "powertrain": "NEV"}}`` -> 201 with the contract's id
and SHA-256, in the language of the loan's regulation pack unless ``locale`` names one
(a CN loan's in zh_CN, a US loan's in en); ``POST /api/v1/contracts/1/signature-requests``
sends the code by SMS (and e-mail when ``{"email": ...}`` is given); ``POST
/api/v1/contracts/1/sign {"code": "042917"}`` signs it, or answers 422 with the attempts
left, 409 once locked.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from autolend.api.deps import ServicesDep, require
from autolend.api.errors import CONTRACT_RESPONSES
from autolend.api.schema_contract_responses import (
    ContractSignedView,
    ContractView,
    SignatureRequested,
)
from autolend.api.schema_loans import MAX_ID
from autolend.domain.access import Actor, Permission
from autolend.domain.contract import Vehicle
from autolend.domain.errors import InvalidInput
from autolend.domain.money import parse_money
from autolend.services.contract_facts import ContractRequest, UpfrontFee

router = APIRouter(tags=["contracts"])
ContractId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="The contract's id", examples=[1])
]  # an out-of-range id is a 422, not a 500
Issuer = Annotated[Actor, Depends(require(Permission.LOAN_BOOK))]
Reader = Annotated[Actor, Depends(require(Permission.LOAN_READ))]


class ContractVehicle(BaseModel):
    """The car the contract names."""

    model_config = ConfigDict(extra="forbid")
    vin: str = Field(max_length=32, examples=["LSVAU2180N2183294"])
    make: str = Field(max_length=64, examples=["BYD"])
    model: str = Field(max_length=64, examples=["Qin PLUS"])
    powertrain: Literal["NEV", "ICE"]


class FeeBody(BaseModel):
    """A fee paid up front, printed on the contract."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64, examples=["Documentation fee"])
    amount: str = Field(description='Decimal string, e.g. "595.00"', examples=["595.00"])
    currency: str | None = Field(  # None: the loan's; another is 422
        None, max_length=3, description="ISO 4217 code; only the loan's currency"
    )
    financed: bool = Field(  # in the principal: paid through the installments, not again
        False, description="In the principal, paid through the installments"
    )


class ContractBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    loan_id: int = Field(ge=1, le=MAX_ID, description="The booked loan's id", examples=[3])
    vehicle: ContractVehicle
    locale: Literal["zh_CN", "en"] | None = Field(
        None, description="The contract's language; default: the loan's pack's (CN zh_CN, US en)"
    )
    upfront_fees: list[FeeBody] = Field(default_factory=list, max_length=10)


class SignatureRequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str | None = Field(
        None, max_length=254, description="Also send the code to this e-mail address"
    )


class ContractSignBody(BaseModel):
    """The one-time code the borrower received."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=16, examples=["042917"])


def upfront_fees(fees: list[FeeBody], currency: str) -> tuple[UpfrontFee, ...]:
    """The fees as typed, read in the loan's ``currency``; a fee that names another is
    refused (422 on ``upfront_fees.currency``): "595.00" on a USD loan is $595.00."""
    for fee in fees:
        if fee.currency is not None and fee.currency.upper() != currency:
            raise InvalidInput(
                f"upfront_fees.currency must be the loan's currency {currency}, "
                f"got {fee.currency!r}",
                field="upfront_fees.currency",
            )
    return tuple(
        UpfrontFee(fee.name, parse_money(fee.amount, currency, field="upfront_fees.amount"),
                   fee.financed)
        for fee in fees
    )  # fmt: skip


@router.post(
    "/contracts", status_code=201, response_model=None,
    responses={201: {"model": ContractView}, **CONTRACT_RESPONSES},
)  # fmt: skip
def issue_contract(body: ContractBody, actor: Issuer, services: ServicesDep) -> dict[str, Any]:
    """Render the contract of a booked loan, store it and register its SHA-256; the fees
    paid up front are in the loan's currency."""
    fees: tuple[UpfrontFee, ...] = ()
    if body.upfront_fees:
        currency = services.contracts.loan_currency(actor, body.loan_id)
        fees = upfront_fees(body.upfront_fees, currency)
    vehicle = Vehicle(body.vehicle.vin, body.vehicle.make, body.vehicle.model,
                      body.vehicle.powertrain)  # fmt: skip
    request = ContractRequest(body.loan_id, vehicle, body.locale, fees)
    return services.contracts.issue(actor, request)


@router.get(
    "/contracts/{contract_id}", response_model=None, responses={200: {"model": ContractView}}
)
def get_contract(contract_id: ContractId, actor: Reader, services: ServicesDep) -> dict[str, Any]:
    """The contract's metadata: loan, language, SHA-256, signing status (a borrower
    reaches only their own)."""
    return services.contracts.get(actor, contract_id)


@router.get("/contracts/{contract_id}/pdf", response_class=Response)
def contract_pdf(contract_id: ContractId, actor: Reader, services: ServicesDep) -> Response:
    """The contract as registered, ``application/pdf``."""
    data = services.contracts.pdf(actor, contract_id)
    headers = {"Content-Disposition": f'inline; filename="contract-{contract_id}.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.post(
    "/contracts/{contract_id}/signature-requests",
    status_code=201,
    response_model=None,
    responses={201: {"model": SignatureRequested}},
)
def request_signature(
    contract_id: ContractId,
    actor: Reader,
    services: ServicesDep,
    body: SignatureRequestBody | None = None,
) -> dict[str, Any]:
    """Queue a one-time code in the outbox, then try to send what is pending at once
    (a gateway that is down leaves the message pending for the next dispatch)."""
    email = body.email if body is not None else None
    answer = services.contracts.request_signature(actor, contract_id, email=email)
    services.notifications.send_now(len(answer["messages"]))
    return answer


@router.post(
    "/contracts/{contract_id}/sign",
    response_model=None,
    responses={200: {"model": ContractSignedView}},
)
def sign_contract(
    contract_id: ContractId, body: ContractSignBody, actor: Reader, services: ServicesDep
) -> dict[str, Any]:
    """Sign with the code; the borrower's confirmation (SMS) leaves at once, or stays
    pending for the next dispatch if the gateway does not answer."""
    signed = services.contracts.sign(actor, contract_id, body.code)
    services.notifications.send_now(len(signed["messages"]))
    return signed
