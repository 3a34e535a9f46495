"""The product catalogue over HTTP.

* ``GET /products?date=`` — the version of each product in force (today by default);
* ``GET /products/{code}?date=`` — one product's version in force (404 when none);
* ``GET /products/{code}/versions`` — every version, newest first;
* ``POST /products`` — publish a version (``product:admin``): the body is the product's
  JSON form (:mod:`autolend.domain.product_codec`); 201 with the stored version, 422
  naming the field on bad data (``rate_min``, ``eligibility.max_dsr``, ``terms`` ...).

Reading today's products needs ``product:read`` (everyone signed in, borrowers and dealers
included); another date or the history ``product:read_all`` (staff).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query

from autolend.api.deps import ServicesDep, require
from autolend.api.schema_catalogue_responses import ProductVersion
from autolend.domain.access import Actor, Permission
from autolend.domain.product_codec import product_to_dict

router = APIRouter(tags=["products"])
Reader = Annotated[Actor, Depends(require(Permission.PRODUCT_READ))]
Publisher = Annotated[Actor, Depends(require(Permission.PRODUCT_ADMIN))]
Code = Annotated[str, Path(description="The product's code", examples=["standard"])]
Day = Annotated[date | None, Query(alias="date", description="YYYY-MM-DD; today if absent")]


@router.get("/products", response_model=None, responses={200: {"model": list[ProductVersion]}})
def list_products(actor: Reader, services: ServicesDep, day: Day = None) -> list[dict[str, Any]]:
    """The version of each product in force on the date."""
    return [product_to_dict(p) for p in services.products.active(actor, day)]


@router.get("/products/{code}", response_model=None, responses={200: {"model": ProductVersion}})
def get_product(
    code: Code, actor: Reader, services: ServicesDep, day: Day = None
) -> dict[str, Any]:
    """The version of one product in force on the date."""
    return product_to_dict(services.products.get(actor, code, day))


@router.get(
    "/products/{code}/versions",
    response_model=None,
    responses={200: {"model": list[ProductVersion]}},
)
def product_versions(code: Code, actor: Reader, services: ServicesDep) -> list[dict[str, Any]]:
    """Every version of one product, newest first."""
    return [product_to_dict(p) for p in services.products.history(actor, code)]


@router.post(
    "/products", status_code=201, response_model=None, responses={201: {"model": ProductVersion}}
)
def publish_product(
    actor: Publisher, services: ServicesDep, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Publish the next version of a product (ends the previous one the day before)."""
    return product_to_dict(services.products.publish_json(actor, body))
