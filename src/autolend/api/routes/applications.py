"""Applications over HTTP: file, submit (the automated decision), offers, accept, sign,
disburse; documents; withdrawing; manual review and the second approval.

Example (a dealer, then the borrower's code, then servicing)::

    POST /api/v1/applications            -> 201 {"id": 7, "status": "draft", ...}
    POST /api/v1/applications/7/submit   -> 200 {"status": "approved", "decision": {...},
                                                  "offers": [{"option": 1, "apr_nominal": ...}]}
    POST /api/v1/applications/7/accept   {"option": 1}        -> 200, the loan booked
    POST /api/v1/applications/7/sign     {}                   -> 200 code sent (signing)
    POST /api/v1/applications/7/sign     {"code": "042917"}   -> 200 signed
    POST /api/v1/applications/7/disburse (Idempotency-Key)    -> 201 paid to the dealer

Illegal moves answer 409 with the reason ("the contract must be signed before
disbursement (status: accepted)"); bad input 422 naming the JSON path of the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from autolend.api.deps import ServicesDep, require
from autolend.api.routes.loans import KeyHeader, _idem, _json
from autolend.domain.access import Actor, Permission
from autolend.domain.application_parts import MAX_DOCUMENT_BYTES
from autolend.domain.errors import InvalidInput
from autolend.threads import calling_the_bureau

router = APIRouter(tags=["applications"])
Applicant = Annotated[Actor, Depends(require(Permission.APPLICATION_CREATE))]
Reader = Annotated[Actor, Depends(require(Permission.APPLICATION_READ))]
Reviewer = Annotated[Actor, Depends(require(Permission.APPLICATION_REVIEW))]
Payer = Annotated[Actor, Depends(require(Permission.LOAN_BOOK))]
AppId = Annotated[int, Path(ge=1, le=2**53)]


class ApplicantBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: str = "borrower"
    name: str | None = None
    id_number: str | None = None
    birth_date: str | None = None  # YYYY-MM-DD, a US applicant's (CN: from the ID)
    mobile: str | None = None
    address: str | None = None
    email: str | None = None
    employment: str | None = None
    monthly_income: str | None = None
    income_documented: bool = False
    monthly_obligations: str | None = None
    first_time_buyer: bool = False
    income_stability_months: int | None = Field(
        None, description="Months the current income has been earned: with this employer, "
        "in this business or this farming (0 to the months since the applicant turned 16)"
    )  # fmt: skip


class VehicleBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    vin: str | None = None
    make: str | None = None
    model: str | None = None
    energy: str | None = None
    condition: str | None = None
    price: str | None = None
    reference_price: str | None = None
    dealer_id: int | None = None


class ConsentBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: str
    text_version: str


class ApplicationBody(BaseModel):
    """The application; amounts are decimal strings (``"30000.00"``)."""

    model_config = ConfigDict(extra="ignore")
    channel: Literal["borrower", "dealer"]
    product_code: str = Field(max_length=40)
    term_months: int
    down_payment: str
    amount: str | None = None
    applicants: list[ApplicantBody] = Field(max_length=4)
    vehicle: VehicleBody
    consents: list[ConsentBody] = Field(default_factory=list, max_length=6)


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    option: int = Field(ge=1, le=4)


class SignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str | None = Field(None, max_length=16)
    locale: Literal["zh_CN", "en"] | None = None  # None: the loan's pack's language


class VinBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vin: str = Field(max_length=40)


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=500)


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "decline", "counter_offer"]
    reason: str = Field(max_length=500)
    annual_rate: str | None = None
    down_payment: str | None = None
    term_months: int | None = None


class SecondApprovalBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    reason: str = Field(max_length=500)


@router.post("/applications", status_code=201)
def file_application(
    body: ApplicationBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    return services.applications.create(actor, body.model_dump())


@router.get("/applications")
def list_applications(
    actor: Reader,
    services: ServicesDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    items = services.applications.search(actor, status=status, limit=limit, offset=offset)
    return {"items": items, "limit": limit, "offset": offset}


@router.get("/applications/{application_id}")
def get_application(application_id: AppId, actor: Reader, services: ServicesDep) -> dict[str, Any]:
    return services.applications.get(actor, application_id)


@router.post("/applications/{application_id}/submit")
async def submit_application(
    application_id: AppId, actor: Applicant, services: ServicesDep, request: Request
) -> dict[str, Any]:
    """Run the decision: approve (with offers), refer to a person, or decline (with the
    adverse-action notice). On the bureau's threads (:mod:`autolend.threads`)."""
    return await calling_the_bureau(
        request.app.state, lambda: services.decisions.submit(actor, application_id)
    )


@router.get("/applications/{application_id}/offers")
def application_offers(
    application_id: AppId, actor: Reader, services: ServicesDep
) -> dict[str, Any]:
    return {"items": services.origination.offers(actor, application_id)}


@router.post("/applications/{application_id}/vin")
def add_vehicle_vin(
    application_id: AppId, body: VinBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    """Record the car's VIN on an application filed without one (before an offer is
    accepted: the contract names it); 409 once it has one or the deal is closed."""
    return services.origination.add_vin(actor, application_id, body.vin)


@router.post("/applications/{application_id}/accept")
def accept_offer(
    application_id: AppId, body: AcceptBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    """Take offer ``option``; after an underwriter's counter-offer, only its structure
    (422 on ``option`` for another)."""
    return services.origination.accept(actor, application_id, body.option)


@router.post("/applications/{application_id}/sign")
def sign_contract(
    application_id: AppId, body: SignBody, actor: Reader, services: ServicesDep
) -> dict[str, Any]:
    """Without a code: issue the contract and send a one-time code to the borrower's
    mobile. With the code: sign. Only the applicant, the application's dealer and
    servicing may (as on ``/contracts/{id}/sign``); anyone else who reads it gets 403."""
    result = services.origination.sign(actor, application_id, code=body.code, locale=body.locale)
    if result.get("messages"):  # the code leaves now; a failure stays pending
        services.notifications.send_now(len(result["messages"]))
    return result


@router.post("/applications/{application_id}/disburse", status_code=201)
def disburse_application(
    application_id: AppId, actor: Payer, services: ServicesDep, idempotency_key: KeyHeader = None
) -> JSONResponse:
    route = f"POST /applications/{application_id}/disburse"
    idem = _idem(idempotency_key, actor, route, {})
    return _json(services.origination.disburse(actor, application_id, idem))


@router.post("/applications/{application_id}/withdraw")
def withdraw_application(
    application_id: AppId, body: ReasonBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    return services.applications.withdraw(actor, application_id, body.reason)


@router.post("/applications/{application_id}/documents", status_code=201)
async def upload_document(  # noqa: PLR0917 - FastAPI injects every parameter
    application_id: AppId,
    request: Request,
    actor: Applicant,
    services: ServicesDep,
    kind: Annotated[str, Query(max_length=24)],
    content_type: Annotated[str, Header(max_length=100)] = "",
) -> dict[str, Any]:
    """The file is the request body (``Content-Type: application/pdf``, ``image/jpeg`` or
    ``image/png``, at most 10 MiB); ``?kind=id_front`` names what it is."""
    content = b""
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_DOCUMENT_BYTES:
            raise InvalidInput("a file must be from 1 byte to 10 MiB", field="size")
    return await run_in_threadpool(
        services.applications.add_document,
        actor,
        application_id,
        kind=kind,
        content_type=content_type,
        content=content,
    )


@router.get("/applications/{application_id}/documents/{document_id}", response_class=Response)
def download_document(
    application_id: AppId, document_id: AppId, actor: Reader, services: ServicesDep
) -> Response:
    doc, content = services.applications.document(actor, application_id, document_id)
    return Response(content, media_type=doc.content_type, headers={"X-Content-SHA256": doc.sha256})


@router.get("/review-queue")
def review_queue(
    actor: Reviewer,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """What waits for an underwriter, the longest waiting first: ``total`` counts it all
    (``waiting`` by status), the next page starts at ``offset + limit``."""
    return services.review.queue(actor, limit=limit, offset=offset)


@router.post("/applications/{application_id}/review")
def review_application(
    application_id: AppId, body: ReviewBody, actor: Reviewer, services: ServicesDep
) -> dict[str, Any]:
    return services.review.review(actor, application_id, body.model_dump())


@router.post("/applications/{application_id}/second-approval")
def second_approval(
    application_id: AppId, body: SecondApprovalBody, actor: Reviewer, services: ServicesDep
) -> dict[str, Any]:
    return services.review.confirm(actor, application_id, body.model_dump())
