"""The product catalogue on both databases: publish, list, get and history over HTTP,
who may do what, 422 naming the field with nothing stored, and the staff page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.errors import Conflict
from autolend.domain.product_catalogue import DEMO_HISTORY, STANDARD_NEW
from autolend.domain.product_codec import product_to_dict
from autolend.services.product_ports import ProductRow

pytestmark = pytest.mark.integration
CODES = {"STD_NEW", "NEV_GREEN", "YOUNG_FIRST", "USED_CAR", "SEASONAL", "SENIOR_INSURED",
         "OEM_ZERO", "BALLOON"}  # fmt: skip


def sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": role.value, "password": staff[role]}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def catalogue(container: Container, staff: dict[Role, str]) -> dict[Role, str]:
    assert container.services.products.seed(SYSTEM_ACTOR, DEMO_HISTORY) == 9
    return staff


def new_version(**changes: Any) -> dict[str, Any]:
    body = product_to_dict(STANDARD_NEW)
    body.update({"effective_from": "2026-12-01", "rate_min": "0.0349", **changes})
    return body


def test_the_demo_catalogue_is_listed_by_date_with_the_version_in_force(
    client: TestClient, catalogue: dict[Role, str], container: Container
) -> None:
    headers = sign_in(client, catalogue, Role.UNDERWRITER)
    today = client.get("/api/v1/products", headers=headers).json()
    assert {p["code"] for p in today} == CODES
    assert next(p for p in today if p["code"] == "NEV_GREEN")["version"] == 2
    summer = client.get("/api/v1/products?date=2026-08-31", headers=headers).json()
    green = next(p for p in summer if p["code"] == "NEV_GREEN")
    assert (green["version"], green["subsidy"]["subsidiser"]) == (1, "state")
    assert client.get("/api/v1/products?date=2025-06-01", headers=headers).json() == []
    assert container.services.products.seed(SYSTEM_ACTOR, DEMO_HISTORY) == 0  # idempotent


def test_borrowers_and_dealers_read_todays_products_but_not_other_dates_or_history(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    for role in (Role.BORROWER, Role.DEALER):
        headers = sign_in(client, catalogue, role)
        assert client.get("/api/v1/products", headers=headers).status_code == 200
        used = client.get("/api/v1/products/USED_CAR", headers=headers).json()
        assert (used["max_ltv_used"], used["terms"]) == ("0.70", [12, 24, 36])
        assert client.get("/api/v1/products?date=2026-08-31", headers=headers).status_code == 403
        assert client.get("/api/v1/products/BALLOON/versions", headers=headers).status_code == 403
    assert client.get("/api/v1/products").status_code == 401


def test_publishing_a_version_ends_the_previous_one_the_day_before(
    client: TestClient, catalogue: dict[Role, str], container: Container
) -> None:
    admin = sign_in(client, catalogue, Role.ADMIN)
    made = client.post("/api/v1/products", json=new_version(), headers=admin)
    assert made.status_code == 201, made.text
    assert (made.json()["version"], made.json()["effective_to"]) == (2, None)
    now = client.get("/api/v1/products/STD_NEW", headers=admin).json()
    assert (now["version"], now["effective_to"]) == (1, "2026-11-30")
    later = client.get("/api/v1/products/STD_NEW?date=2026-12-01", headers=admin).json()
    assert (later["version"], later["rate_min"]) == (2, "0.0349")
    history = client.get("/api/v1/products/STD_NEW/versions", headers=admin).json()
    assert [v["version"] for v in history] == [2, 1]
    actions = [r.event.action for r in container.services.audit.recent(5)]
    assert actions[0] == "product.publish"


def test_risk_may_publish_a_brand_new_product(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    risk = sign_in(client, catalogue, Role.RISK)
    body = new_version(code="STD_NEW_B", effective_from="2026-11-28")
    made = client.post("/api/v1/products", json=body, headers=risk)
    assert made.status_code == 201, made.text
    assert client.get("/api/v1/products/STD_NEW_B", headers=risk).json()["version"] == 1


def test_a_borrower_may_not_publish_and_nothing_is_stored(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    borrower = sign_in(client, catalogue, Role.BORROWER)
    refused = client.post("/api/v1/products", json=new_version(), headers=borrower)
    assert refused.status_code == 403
    underwriter = sign_in(client, catalogue, Role.UNDERWRITER)
    assert client.post("/api/v1/products", json=new_version(), headers=underwriter).status_code == (
        403
    )
    history = client.get("/api/v1/products/STD_NEW/versions", headers=underwriter).json()
    assert [v["version"] for v in history] == [1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rate_min": "0.10"}, "rate_min"),
        ({"rate_max": "0.30"}, "rate_max"),
        ({"terms": [12, 24, 36, 48, 60, 72]}, "terms"),
        (
            {"max_ltv_used": "0.8", "terms": [12, 36], "eligibility": {"conditions": ["used"]}},
            "max_ltv_used",
        ),
        ({"penalty_uplift": "0.7"}, "penalty_uplift"),
        ({"effective_from": "2026-11-28"}, "effective_from"),
        ({"eligibility": {"max_dsr": "2"}}, "eligibility.max_dsr"),
        ({"fees": [{"kind": "gps", "amount": "abc"}]}, "fees[0].amount"),
        ({"mystery": True}, "mystery"),
    ],
)
def test_bad_product_data_is_422_naming_the_field_and_nothing_is_stored(
    client: TestClient, catalogue: dict[Role, str], change: dict[str, Any], field: str
) -> None:
    admin = sign_in(client, catalogue, Role.ADMIN)
    response = client.post("/api/v1/products", json=new_version(**change), headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    history = client.get("/api/v1/products/STD_NEW/versions", headers=admin).json()
    assert [v["version"] for v in history] == [1]


def test_an_unknown_product_is_404(client: TestClient, catalogue: dict[Role, str]) -> None:
    headers = sign_in(client, catalogue, Role.UNDERWRITER)
    assert client.get("/api/v1/products/NOPE", headers=headers).status_code == 404
    assert client.get("/api/v1/products/NOPE/versions", headers=headers).status_code == 404


def web_sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> None:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    form = {"username": role.value, "password": staff[role], "csrf_token": match.group(1)}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def test_the_products_page_shows_the_catalogue_and_history_to_staff_in_both_languages(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    web_sign_in(client, catalogue, Role.UNDERWRITER)
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get("/products")
    assert page.status_code == 200
    for code in CODES:
        assert f'data-product="{code}"' in page.text
    assert "弹性尾款贷" in page.text and "Balloon loan" in page.text
    assert "合同利率" in page.text and 'data-history="NEV_GREEN"' in page.text
    assert 'data-version="1"' in page.text and 'data-version="2"' in page.text
    client.cookies.set("autolend_lang", "en")
    english = client.get("/products")
    assert "Contract rate" in english.text and "Maximum LTV (new / used)" in english.text


def test_the_products_page_is_forbidden_to_a_borrower(
    client: TestClient, catalogue: dict[Role, str]
) -> None:
    web_sign_in(client, catalogue, Role.BORROWER)
    assert client.get("/products").status_code == 403


def test_a_version_published_by_someone_else_at_the_same_moment_is_a_conflict_not_a_crash(
    container: Container, catalogue: dict[Role, str]
) -> None:
    # The race of two first publications of a new code: both plan version 1 with nothing
    # to lock; the second insert meets the first's committed row.
    with container.uow(write=True) as uow:
        stored = uow.products.versions("STD_NEW")[0]
    duplicate = ProductRow("STD_NEW", stored.version, stored.effective_from,
                           stored.effective_to, stored.body_json, stored.created_at,
                           stored.created_by)  # fmt: skip
    with (
        pytest.raises(Conflict, match="published by someone else"),
        container.uow(write=True) as uow,
    ):
        uow.products.add(duplicate)
    with container.uow() as uow:
        assert len(uow.products.versions("STD_NEW")) == 1
