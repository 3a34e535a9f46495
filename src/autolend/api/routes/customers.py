"""Customers: register (borrower for themselves, dealer for a customer, underwriter), read,
search by resident ID through the blind index (POST, so the ID never sits in a URL)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from autolend.api.deps import ServicesDep, get_settings, require
from autolend.api.schemas import CustomerCreate, CustomerPage, CustomerResponse, CustomerSearch
from autolend.config import Settings
from autolend.domain.access import Actor, Permission
from autolend.domain.money import parse_money
from autolend.domain.regulation import pack_for
from autolend.services.customers import CustomerInput, CustomerView

router = APIRouter(tags=["customers"])
SettingsDep = Annotated[Settings, Depends(get_settings)]
MAX_ID = 2**63 - 1


def _out(view: CustomerView) -> CustomerResponse:
    return CustomerResponse(
        id=view.id,
        name=view.name,
        id_number=view.id_number,
        phone=view.phone,
        bank_account=view.bank_account,
        monthly_income=view.monthly_income,
        currency=view.currency,
        masked=view.masked,
        dealer_id=view.dealer_id,
        created_at=view.created_at,
    )


@router.post("/customers", response_model=CustomerResponse, status_code=201)
def register_customer(
    body: CustomerCreate,
    actor: Annotated[Actor, Depends(require(Permission.CUSTOMER_CREATE))],
    services: ServicesDep,
    settings: SettingsDep,
) -> CustomerResponse:
    """A customer of the jurisdiction ``pack_code``, by default the lender's
    (``AUTOLEND_JURISDICTION``): a CN lender registers a US borrower with ``"US"``."""
    pack = body.pack_code or settings.jurisdiction
    income = (
        parse_money(body.monthly_income, pack_for(pack).currency, field="monthly_income")
        if body.monthly_income is not None
        else None
    )
    data = CustomerInput(body.name, body.id_number, body.phone, body.bank_account, income, pack)
    today = services.clock.today()
    return _out(services.customers.register(actor, data, as_of=today))


@router.get("/customers", response_model=CustomerPage)
def list_customers(
    actor: Annotated[Actor, Depends(require(Permission.CUSTOMER_READ))],
    services: ServicesDep,
    limit: Annotated[
        int, Query(ge=1, le=500, description="At most this many items (1 to 500)")
    ] = 100,
    offset: Annotated[
        int, Query(ge=0, le=10**9, description="Skip this many items: the next page's start")
    ] = 0,
) -> CustomerPage:
    """Newest first, a page at a time, as the loans list: ``{"items": [...], "total": 120,
    "limit": 50, "offset": 100}``; the next page starts at ``offset + limit`` while that is
    under ``total``."""
    page = services.customers.page(actor, limit, offset)
    items = [_out(v) for v in page.items]
    return CustomerPage(items=items, total=page.total, limit=page.limit, offset=page.offset)


@router.post("/customers/search", response_model=CustomerResponse)
def search_customer(
    body: CustomerSearch,
    actor: Annotated[Actor, Depends(require(Permission.CUSTOMER_SEARCH))],
    services: ServicesDep,
    settings: SettingsDep,
) -> CustomerResponse:
    """Find a customer by resident ID (CN) or SSN / ITIN (US) through the blind index;
    POST, so the number never sits in a URL or an access log. 404 when there is none."""
    pack = body.pack_code or settings.jurisdiction
    return _out(services.customers.find_by_id_number(actor, body.id_number, pack=pack))


@router.get("/customers/{customer_id}", response_model=CustomerResponse)
def get_customer(
    actor: Annotated[Actor, Depends(require(Permission.CUSTOMER_READ))],
    services: ServicesDep,
    customer_id: Annotated[
        int, Path(ge=1, le=MAX_ID, description="The customer's id", examples=[1])
    ],
) -> CustomerResponse:
    """One customer; personal data masked unless the caller may read it in full
    (``masked``). A borrower reaches only themselves, a dealer its own customers."""
    return _out(services.customers.get(actor, customer_id))
