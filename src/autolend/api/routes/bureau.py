"""Consents and credit-bureau queries of a customer.

``POST /customers/{id}/consents`` records a consent (the borrower for themselves, a dealer for
its customer, an underwriter); ``POST /customers/{id}/bureau-reports`` queries the bureau
(underwriter, servicing) and answers 201 with the query's log line and a summary, 422
``consent_required`` without an active bureau-query consent, 503 when the bureau is down;
``GET`` lists the queries with purpose and outcome; the full report is one more ``GET``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from autolend.api.deps import ServicesDep, require
from autolend.api.errors import BUREAU_RESPONSES
from autolend.api.schema_bureau import (
    BureauQueryCreate,
    BureauQueryResponse,
    ConsentCreate,
    ConsentResponse,
)
from autolend.api.schema_report_responses import BureauReport
from autolend.domain.access import Actor, Permission
from autolend.threads import calling_the_bureau

router = APIRouter(tags=["consents and credit bureau"])
MAX_ID = 2**63 - 1
CustomerId = Annotated[int, Path(ge=1, le=MAX_ID, description="The customer's id", examples=[1])]
ConsentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The consent's id")]
QueryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The bureau query's id")]


@router.post("/customers/{customer_id}/consents", response_model=ConsentResponse, status_code=201)
def record_consent(
    body: ConsentCreate,
    actor: Annotated[Actor, Depends(require(Permission.CONSENT_RECORD))],
    services: ServicesDep,
    customer_id: CustomerId,
) -> ConsentResponse:
    """Record a consent the customer gave (``bureau_query``, ``data_processing``,
    ``sensitive_data``) to the text version shown; the borrower for themselves, a dealer
    for its customer, staff."""
    view = services.consents.record(
        actor, customer_id, body.kind, body.text_version, body.expires_at
    )
    return ConsentResponse.of(view)


@router.get("/customers/{customer_id}/consents", response_model=list[ConsentResponse])
def list_consents(
    actor: Annotated[Actor, Depends(require(Permission.CUSTOMER_READ))],
    services: ServicesDep,
    customer_id: CustomerId,
) -> list[ConsentResponse]:
    """The customer's consents, revoked and expired ones included (``active`` says)."""
    return [ConsentResponse.of(v) for v in services.consents.list(actor, customer_id)]


@router.post(
    "/customers/{customer_id}/consents/{consent_id}/revoke", response_model=ConsentResponse
)
def revoke_consent(
    actor: Annotated[Actor, Depends(require(Permission.CONSENT_RECORD))],
    services: ServicesDep,
    customer_id: CustomerId,
    consent_id: ConsentId,
) -> ConsentResponse:
    """Revoke a consent from now on; what was done under it stays lawful."""
    return ConsentResponse.of(services.consents.revoke(actor, customer_id, consent_id))


@router.post(
    "/customers/{customer_id}/bureau-reports",
    response_model=BureauQueryResponse,
    status_code=201,
    responses=BUREAU_RESPONSES,
)
async def query_bureau(
    body: BureauQueryCreate,
    actor: Annotated[Actor, Depends(require(Permission.BUREAU_QUERY))],
    services: ServicesDep,
    customer_id: CustomerId,
    request: Request,
) -> BureauQueryResponse:
    """Query the credit bureau for a customer, for ``purpose``: 201 with the query's log
    line and a summary of the report; 422 ``consent_required`` without the customer's
    active ``bureau_query`` consent."""
    view = await calling_the_bureau(
        request.app.state, lambda: services.bureau.query(actor, customer_id, body.purpose)
    )
    return BureauQueryResponse.of(view)


@router.get("/customers/{customer_id}/bureau-reports", response_model=list[BureauQueryResponse])
def list_bureau_queries(
    actor: Annotated[Actor, Depends(require(Permission.BUREAU_READ))],
    services: ServicesDep,
    customer_id: CustomerId,
    limit: Annotated[
        int, Query(ge=1, le=500, description="At most this many queries, newest first")
    ] = 50,
) -> list[BureauQueryResponse]:
    """The log of the customer's bureau queries: purpose, outcome, who and when."""
    views = services.bureau.history(actor, customer_id, limit)
    return [BureauQueryResponse.of(v) for v in views]


@router.get(
    "/customers/{customer_id}/bureau-reports/{query_id}",
    response_model=None,
    responses={200: {"model": BureauReport}},
)
def read_bureau_report(
    actor: Annotated[Actor, Depends(require(Permission.BUREAU_QUERY))],
    services: ServicesDep,
    customer_id: CustomerId,
    query_id: QueryId,
) -> dict[str, Any]:
    """The full report as the bureau sent it (personal data: underwriter, servicing)."""
    return services.bureau.report(actor, customer_id, query_id)
