"""A US product over HTTP on both databases: published without an upper age limit it
stores and reads back none (Reg B 1002.6(b)(2)); one with an upper age limit is 422
naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_products_api import catalogue, new_version, sign_in

__all__ = ["catalogue"]  # the seeded catalogue fixture, used by name

pytestmark = pytest.mark.integration


def us_product(**eligibility: Any) -> dict[str, Any]:
    rules = {"conditions": ["new"], "employment": ["salaried", "self_employed"], **eligibility}
    return new_version(
        code="US_NEW", pack="US", currency="USD", fees=[], min_amount="5000.00",
        max_amount="80000.00", penalty_uplift="0", effective_from="2026-11-28",
        eligibility=rules,
    )  # fmt: skip


def test_a_us_product_has_no_upper_age_limit_and_refuses_one_naming_the_field(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    admin = sign_in(client, catalogue, Role.ADMIN)
    refused = client.post("/api/v1/products", json=us_product(max_age=60), headers=admin)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "eligibility.max_age"
    assert client.get("/api/v1/products/US_NEW", headers=admin).status_code == 404
    made = client.post("/api/v1/products", json=us_product(), headers=admin)
    assert made.status_code == 201, made.text
    rules = client.get("/api/v1/products/US_NEW", headers=admin).json()["eligibility"]
    assert (rules["min_age"], rules["max_age"], rules["max_age_at_maturity"]) == (18, None, None)
