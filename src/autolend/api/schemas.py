"""Request and response bodies. Requests forbid unknown fields and coerce nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth2 token type, not a secret
    expires_at: datetime


class MeResponse(BaseModel):
    id: int
    username: str
    roles: list[str]
    permissions: list[str]
    dealer_id: int | None


class UserCreate(StrictRequest):
    username: str = Field(min_length=2, max_length=64)
    password: str = Field(min_length=8, max_length=128)
    roles: list[str] = Field(min_length=1, max_length=9)
    dealer_code: str | None = Field(None, max_length=32)
    display_name: str | None = Field(None, max_length=200)


class UserUpdate(StrictRequest):
    is_active: bool


class UserResponse(BaseModel):
    id: int
    username: str
    roles: list[str]
    dealer_id: int | None
    display_name: str | None
    is_active: bool


PackCode = Literal["CN", "US"]


class CustomerCreate(StrictRequest):
    """A person of the jurisdiction ``pack_code`` (by default the lender's,
    ``AUTOLEND_JURISDICTION``): CN a resident ID and a mainland mobile, US an SSN or ITIN
    (``123-45-6789``) and a US phone (``6145550100``); the pack checks each."""

    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(
        min_length=9, max_length=18, description="CN resident ID, or US SSN / ITIN"
    )
    phone: str = Field(min_length=10, max_length=20)
    bank_account: str | None = Field(None, min_length=12, max_length=23)
    monthly_income: str | None = Field(
        None,
        max_length=20,
        description='decimal string in the pack\'s currency (CNY, USD), e.g. "12000.00"',
    )
    pack_code: PackCode | None = Field(None, description="CN or US; default: the lender's")


class CustomerSearch(StrictRequest):
    id_number: str = Field(min_length=9, max_length=18)
    pack_code: PackCode | None = Field(None, description="CN or US; default: the lender's")


class CustomerResponse(BaseModel):
    id: int
    name: str
    id_number: str
    phone: str
    bank_account: str | None
    monthly_income: str | None
    currency: str = "CNY"
    masked: bool
    dealer_id: int | None
    created_at: datetime


class CustomerPage(BaseModel):
    """A page of ``GET /customers``, shaped as the loans list: the next page starts at
    ``offset + limit`` while that is under ``total``."""

    items: list[CustomerResponse]
    total: int = Field(description="every customer the caller may see")
    limit: int
    offset: int


class AuditVerifyResponse(BaseModel):
    ok: bool
    records_checked: int
    first_bad_seq: int | None
    problem: str | None


class AuditRecordResponse(BaseModel):
    seq: int
    occurred_at: datetime
    actor: str
    roles: str = Field(
        description="The user's roles, comma-separated; a step the platform performed for "
        "them in another role adds it as platform:<role> (dealer,platform:underwriter)"
    )
    action: str
    object_type: str
    object_id: str
    # Records written before 2026-11-30 may hold a float (a trained model's AUC).
    summary: dict[str, str | int | float | bool | None]
    request_id: str | None
    hash: str
