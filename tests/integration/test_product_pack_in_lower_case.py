"""A product file's ``pack`` is the pack's exact code (CN, US), as the rest of the code
compares it (``known_pack``: a product's LTV caps, its repayment channels, its contract
form). ``"us"`` was accepted and stored as written, and then read as no pack at all
(CN's caps and channels); it is now 422 naming ``pack`` and the packs, in English and
Chinese, and nothing is stored. Over HTTP, on both databases."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_products_api import catalogue, sign_in
from tests.integration.test_us_product_ages import us_product

__all__ = ["catalogue"]  # the seeded catalogue fixture, used by name

pytestmark = pytest.mark.integration


def test_a_product_in_the_lower_case_pack_us_is_refused_naming_pack_and_the_packs(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    admin = sign_in(client, catalogue, Role.ADMIN)
    refused = client.post("/api/v1/products", json=us_product() | {"pack": "us"}, headers=admin)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "pack", error
    assert error["message"] == "pack 'us' is not a regulation pack; known: CN, US"
    assert error["message_zh"] == "监管规则包须为 CN、US 之一"
    assert client.get("/api/v1/products/US_NEW", headers=admin).status_code == 404
    made = client.post("/api/v1/products", json=us_product(), headers=admin)
    assert made.status_code == 201, made.text
    assert client.get("/api/v1/products/US_NEW", headers=admin).json()["pack"] == "US"
