"""A product whose ``min_age`` is under the age of majority (18) is refused naming
``min_age``, the limit it breaks; it was refused on ``max_age``, which was not wrong.
Over HTTP on both databases: 422 on ``eligibility.min_age`` and nothing is stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_products_api import catalogue, sign_in
from tests.integration.test_us_product_ages import us_product

__all__ = ["catalogue"]  # the seeded catalogue fixture, used by name

pytestmark = pytest.mark.integration


def test_a_product_lending_to_a_17_year_old_is_refused_on_min_age(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    admin = sign_in(client, catalogue, Role.ADMIN)
    refused = client.post("/api/v1/products", json=us_product(min_age=17), headers=admin)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "eligibility.min_age", error
    assert "18" in error["message"]
    assert client.get("/api/v1/products/US_NEW", headers=admin).status_code == 404
