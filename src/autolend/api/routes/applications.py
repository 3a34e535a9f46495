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
disbursement (status: offer accepted)"); bad input 422 naming the JSON path of the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from autolend.api.deps import KeyHeader, ServicesDep, require
from autolend.api.errors import BUREAU_RESPONSES, CONTRACT_RESPONSES
from autolend.api.routes.loans import _idem, _json
from autolend.api.schema_application_responses import (
    AcceptedOffer,
    ApplicationOffers,
    ApplicationView,
    SignResult,
    SubmittedApplication,
)
from autolend.api.schema_contract_responses import UploadedDocument
from autolend.api.schema_money_responses import ApplicationDisbursement
from autolend.api.schema_review_responses import (
    ApplicationPage,
    ReviewQueue,
    ReviewResult,
    VinRecorded,
)
from autolend.domain.access import Actor, Permission
from autolend.domain.application_parts import MAX_DOCUMENT_BYTES
from autolend.domain.errors import InvalidInput
from autolend.threads import calling_the_bureau

router = APIRouter(tags=["applications"])
Applicant = Annotated[Actor, Depends(require(Permission.APPLICATION_CREATE))]
Reader = Annotated[Actor, Depends(require(Permission.APPLICATION_READ))]
Reviewer = Annotated[Actor, Depends(require(Permission.APPLICATION_REVIEW))]
Payer = Annotated[Actor, Depends(require(Permission.LOAN_BOOK))]
AppId = Annotated[int, Path(ge=1, le=2**53, description="The application's id", examples=[7])]
DocumentId = Annotated[int, Path(ge=1, le=2**53, description="The document's id")]
Limit = Annotated[int, Query(ge=1, le=200, description="At most this many items (1 to 200)")]
Offset = Annotated[
    int, Query(ge=0, le=10**9, description="Skip this many items: the next page's start")
]
_MONEY = 'Decimal string, e.g. "30000.00"'


class ApplicantBody(BaseModel):
    """A borrower, co-borrower or guarantor; the regulation pack checks each field."""

    model_config = ConfigDict(extra="ignore")
    role: str = Field("borrower", description="borrower, co_borrower or guarantor")
    name: str | None = Field(None, examples=["Zhang Wei"])
    id_number: str | None = Field(None, description="CN resident ID, or US SSN / ITIN")
    birth_date: str | None = Field(
        None, description="YYYY-MM-DD, a US applicant's (CN: read from the ID)",
        examples=["1990-04-01"],
    )  # fmt: skip
    mobile: str | None = Field(None, description="CN mainland mobile, or US phone")
    address: str | None = None
    email: str | None = None
    employment: str | None = Field(None, description="How the income is earned")
    monthly_income: str | None = Field(None, description=_MONEY, examples=["12000.00"])
    income_documented: bool = Field(False, strict=True, description="Proof of income is on file")
    monthly_obligations: str | None = Field(
        None, description="Other debts' monthly payments; " + _MONEY, examples=["1500.00"]
    )
    first_time_buyer: bool = Field(False, strict=True)
    income_stability_months: int | None = Field(
        None, strict=True, description="Months the current income has been earned: with this "
        "employer, in this business or this farming (0 to the months since the applicant "
        "turned 16)"
    )  # fmt: skip


class ApplicationVehicle(BaseModel):
    """The car financed."""

    model_config = ConfigDict(extra="ignore")
    vin: str | None = Field(None, description="17 characters; may follow later (/vin)")
    make: str | None = Field(None, examples=["BYD"])
    model: str | None = Field(None, examples=["Qin PLUS"])
    energy: str | None = Field(None, description="ice or nev")
    condition: str | None = Field(None, description="new or used")
    price: str | None = Field(None, description="The sale price; " + _MONEY)
    reference_price: str | None = Field(
        None, description="A used car's appraised value", examples=["98000.00"]
    )
    dealer_id: int | None = Field(None, strict=True, description="The selling dealer's id")


class ConsentBody(BaseModel):
    """A consent the applicant gives with the application."""

    model_config = ConfigDict(extra="ignore")
    kind: str = Field(description="What is consented to", examples=["bureau_query"])
    text_version: str = Field(description="The version of the consent text shown")


class ApplicationBody(BaseModel):
    """The application; amounts are decimal strings (``"30000.00"``)."""

    model_config = ConfigDict(extra="ignore")
    channel: Literal["borrower", "dealer"] = Field(description="Who files it")
    product_code: str = Field(max_length=32, description="The product applied for")
    term_months: int = Field(strict=True, description="Months to repay", examples=[36])
    down_payment: str = Field(description=_MONEY, examples=["30000.00"])
    amount: str | None = Field(
        None,
        description="Amount financed; default: price less down payment",
        examples=["120000.00"],
    )
    applicants: list[ApplicantBody] = Field(max_length=4, description="The borrower first")
    vehicle: ApplicationVehicle
    consents: list[ConsentBody] = Field(default_factory=list, max_length=6)


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    option: int = Field(ge=1, le=4, description="The offer's option number", examples=[1])


class ApplicationSignBody(BaseModel):
    """Empty to send the code; the code received to sign."""

    model_config = ConfigDict(extra="forbid")
    code: str | None = Field(
        None, max_length=16, description="The one-time code sent to the borrower's mobile"
    )
    locale: Literal["zh_CN", "en"] | None = Field(
        None, description="The contract's language; default: the loan's pack's"
    )


class VinBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vin: str = Field(max_length=40, description="The car's VIN", examples=["LSVAU2180N2183294"])


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=500, description="Why, for the audit trail")


_RATE = "A fraction, at most 4 decimal places (0.0549: 5.49 %); null: the decision's rate"


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "decline", "counter_offer"]
    reason: str = Field(max_length=500, description="The decision's reason, kept and audited")
    annual_rate: str | None = Field(None, examples=["0.0549"], description=_RATE)
    down_payment: str | None = Field(None, description="A counter-offer's; " + _MONEY)
    term_months: int | None = Field(None, description="A counter-offer's term")


class SecondApprovalBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool = Field(description="true confirms it; false sends it back to review")
    reason: str = Field(max_length=500, description="Why, kept and audited")


@router.post(
    "/applications",
    status_code=201,
    response_model=None,
    responses={201: {"model": ApplicationView}},
)
def file_application(
    body: ApplicationBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    """File an application (status ``draft``) for a borrower, by the borrower or their
    dealer; ``POST .../submit`` decides it. 422 names each wrong field by its JSON path
    (``applicants[0].id_number``)."""
    return services.applications.create(actor, body.model_dump())


@router.get("/applications", response_model=None, responses={200: {"model": ApplicationPage}})
def list_applications(
    actor: Reader,
    services: ServicesDep,
    status: Annotated[
        str | None,
        Query(max_length=20, description="Only applications of this status", examples=["draft"]),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Applications, newest first, a page at a time: a borrower's own, a dealer's, or
    every one for staff."""
    return services.applications.page(actor, status=status, limit=limit, offset=offset)


@router.get(
    "/applications/{application_id}",
    response_model=None,
    responses={200: {"model": ApplicationView}},
)
def get_application(application_id: AppId, actor: Reader, services: ServicesDep) -> dict[str, Any]:
    """One application with its applicants, car, decision and offers (404 for one the
    caller may not see)."""
    return services.applications.get(actor, application_id)


@router.post(
    "/applications/{application_id}/submit",
    response_model=None,
    responses={200: {"model": SubmittedApplication}, **BUREAU_RESPONSES},
)
async def submit_application(
    application_id: AppId, actor: Applicant, services: ServicesDep, request: Request
) -> dict[str, Any]:
    """Run the decision: approve (with offers), refer to a person, or decline (with the
    adverse-action notice); the credit bureau is queried on the way (502 / 503 when it
    fails). 409 unless the application is a draft."""
    return await calling_the_bureau(
        request.app.state, lambda: services.decisions.submit(actor, application_id)
    )


@router.get(
    "/applications/{application_id}/offers",
    response_model=None,
    responses={200: {"model": ApplicationOffers}},
)
def application_offers(
    application_id: AppId, actor: Reader, services: ServicesDep
) -> dict[str, Any]:
    """The offers of an approved application (installment, APR, total cost each), as
    ``{"items": [...]}``."""
    return {"items": services.origination.offers(actor, application_id)}


@router.post(
    "/applications/{application_id}/vin",
    response_model=None,
    responses={200: {"model": VinRecorded}},
)
def add_vehicle_vin(
    application_id: AppId, body: VinBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    """Record the car's VIN on an application filed without one (before an offer is
    accepted: the contract names it); 409 once it has one or the deal is closed."""
    return services.origination.add_vin(actor, application_id, body.vin)


@router.post(
    "/applications/{application_id}/accept",
    response_model=None,
    responses={200: {"model": AcceptedOffer}},
)
def accept_offer(
    application_id: AppId, body: AcceptBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    """Take offer ``option``; after an underwriter's counter-offer, only its structure
    (422 on ``option`` for another)."""
    return services.origination.accept(actor, application_id, body.option)


@router.post(
    "/applications/{application_id}/sign",
    response_model=None,
    responses={200: {"model": SignResult}, **CONTRACT_RESPONSES},
)
def sign_contract(
    application_id: AppId, body: ApplicationSignBody, actor: Reader, services: ServicesDep
) -> dict[str, Any]:
    """Without a code: issue the contract and send a one-time code to the borrower's
    mobile. With the code: sign. Only the applicant, the application's dealer and
    servicing may (as on ``/contracts/{id}/sign``); anyone else who reads it gets 403."""
    result = services.origination.sign(actor, application_id, code=body.code, locale=body.locale)
    if result.get("messages"):  # the code leaves now; a failure stays pending
        services.notifications.send_now(len(result["messages"]))
    return result


@router.post(
    "/applications/{application_id}/disburse",
    status_code=201,
    responses={201: {"model": ApplicationDisbursement}},
)
def disburse_application(
    application_id: AppId, actor: Payer, services: ServicesDep, idempotency_key: KeyHeader = None
) -> JSONResponse:
    """Pay a signed application's loan out to the dealer (201); 409 before the contract is
    signed ("the contract must be signed before disbursement")."""
    route = f"POST /applications/{application_id}/disburse"
    idem = _idem(idempotency_key, actor, route, {})
    return _json(services.origination.disburse(actor, application_id, idem))


@router.post(
    "/applications/{application_id}/withdraw",
    response_model=None,
    responses={200: {"model": ApplicationView}},
)
def withdraw_application(
    application_id: AppId, body: ReasonBody, actor: Applicant, services: ServicesDep
) -> dict[str, Any]:
    """Withdraw an application until its loan is paid out, for ``reason`` (a booked loan
    is cancelled, its contract withdrawn); 409 once disbursed."""
    return services.applications.withdraw(actor, application_id, body.reason)


@router.post("/applications/{application_id}/documents", status_code=201, response_model=None,
             responses={201: {"model": UploadedDocument}})  # fmt: skip
async def upload_document(  # noqa: PLR0917 - FastAPI injects every parameter
    application_id: AppId,
    request: Request,
    actor: Applicant,
    services: ServicesDep,
    kind: Annotated[
        str, Query(max_length=24, description="What the file is", examples=["id_front"])
    ],
    content_type: Annotated[
        str, Header(max_length=100, description="application/pdf, image/jpeg or image/png")
    ] = "",
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
    application_id: AppId, document_id: DocumentId, actor: Reader, services: ServicesDep
) -> Response:
    """The file as uploaded, its type as ``Content-Type`` and its SHA-256 in
    ``X-Content-SHA256``."""
    doc, content = services.applications.document(actor, application_id, document_id)
    return Response(content, media_type=doc.content_type, headers={"X-Content-SHA256": doc.sha256})


@router.get("/review-queue", response_model=None, responses={200: {"model": ReviewQueue}})
def review_queue(
    actor: Reviewer,
    services: ServicesDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """What waits for an underwriter, the longest waiting first: ``total`` counts it all
    (``waiting`` by status), the next page starts at ``offset + limit``."""
    return services.review.queue(actor, limit=limit, offset=offset)


@router.post(
    "/applications/{application_id}/review",
    response_model=None,
    responses={200: {"model": ReviewResult}},
)
def review_application(
    application_id: AppId, body: ReviewBody, actor: Reviewer, services: ServicesDep
) -> dict[str, Any]:
    """An underwriter decides a referred application: approve, decline, or a counter-offer
    (``annual_rate``, ``down_payment``, ``term_months``); some approvals wait for a second
    underwriter (``pending_second``). 409 unless it waits for review."""
    return services.review.review(actor, application_id, body.model_dump())


@router.post(
    "/applications/{application_id}/second-approval",
    response_model=None,
    responses={200: {"model": ReviewResult}},
)
def second_approval(
    application_id: AppId, body: SecondApprovalBody, actor: Reviewer, services: ServicesDep
) -> dict[str, Any]:
    """Another underwriter than the first confirms an approval that needs two (status
    ``pending_second``) or sends it back to review (``referred``, never a decline); 409
    otherwise, and for the first underwriter."""
    return services.review.confirm(actor, application_id, body.model_dump())
