"""The late fee's days in English on the staff pages, on both databases: a rule charging
after one day says "1 day", never "1 days"; one charging after 15 says "15 days"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.product_catalogue import DEMO_HISTORY
from tests.integration.test_loan_contracts import book
from tests.integration.test_loans_api import as_role
from tests.integration.test_model_risk import web_sign_in
from tests.integration.test_products_api import new_version, sign_in

pytestmark = pytest.mark.integration


def late_fee_text(page: str) -> list[str]:
    """The texts of the page's late-fee elements, tags stripped."""
    found = re.findall(r"<(?:span|dd) data-late-fee[^>]*>(.*?)</(?:span|dd)>", page, re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


def test_a_loans_late_fee_after_one_day_reads_1_day_and_after_fifteen_15_days(
    client: TestClient, staff: dict[Role, str]
) -> None:
    svc = as_role(client, staff, Role.SERVICING)
    one = book(client, svc, late_fee={"amount": "50.00", "after_days": 1})
    fifteen = book(client, svc, late_fee={"amount": "50.00", "after_days": 15})
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    shown = late_fee_text(client.get(f"/loans/{one['id']}").text)
    assert shown == ["¥50.00 after 1 day unpaid"]
    shown = late_fee_text(client.get(f"/loans/{fifteen['id']}").text)
    assert shown == ["¥50.00 after 15 days unpaid"]


def test_the_catalogue_reads_1_day_for_a_fee_after_one_day_and_15_days_for_fifteen(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    container.services.products.seed(SYSTEM_ACTOR, DEMO_HISTORY)  # USED_CAR: after 15 days
    admin = sign_in(client, staff, Role.ADMIN)
    body = new_version(code="LATE_ONE", effective_from="2026-11-28",
                       late_fee={"amount": "20.00", "after_days": 1})  # fmt: skip
    made = client.post("/api/v1/products", json=body, headers=admin)
    assert made.status_code == 201, made.text
    web_sign_in(client, staff, Role.ADMIN)
    client.cookies.set("autolend_lang", "en")
    shown = set(late_fee_text(client.get("/products").text))
    assert "¥20.00 once, on an installment unpaid 1 day after its due date" in shown
    assert "¥50.00 once, on an installment unpaid 15 days after its due date" in shown
    assert not any("1 days" in text for text in shown)
