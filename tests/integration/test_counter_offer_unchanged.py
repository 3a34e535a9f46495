"""A counter-offer that changes nothing is refused, on both databases: its down payment and
term both the ones applied for (60,000.00 down over 36 months), or not given, answer 422
naming ``down_payment`` (or the one field given), in English and Chinese, and nothing is
stored. Before, it was accepted and approved the case as applied for while calling it a
counter-offer: Approve's to do. The review page says so at the field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration import test_counter_offer_pages as counter_offer_pages
from tests.integration.test_counter_offer_pages import counter, referred
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body

pytestmark = pytest.mark.integration
container = counter_offer_pages.container  # demo mode, no bureau: every case is referred
APPLICATIONS = "/api/v1/applications"
SAID = "a counter-offer changes the down payment or the term; choose Approve to approve"
SAID_ZH = "附条件审批须变更首付或期限；如按申请条件批准，请选择“批准”"


def filed(client: TestClient, staff: dict[Role, str]) -> int:
    """A dealer's application through the API (60,000.00 down over 36 months), referred."""
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post(APPLICATIONS, json=application_body(), headers=dealer)
    assert made.status_code == 201, made.text
    submitted = client.post(f"{APPLICATIONS}/{made.json()['id']}/submit", headers=dealer)
    assert submitted.json()["status"] == "referred", submitted.text
    return int(made.json()["id"])


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({}, "down_payment"),
        ({"down_payment": None, "term_months": None}, "down_payment"),
        ({"down_payment": "60000.00", "term_months": 36}, "down_payment"),
        ({"down_payment": "60000"}, "down_payment"),
        ({"term_months": 36}, "term_months"),
    ],
)
def test_a_counter_offer_that_changes_nothing_is_refused_and_stores_nothing(
    client: TestClient, staff: dict[Role, str], terms: dict[str, Any], field: str
) -> None:
    app_id = filed(client, staff)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    body = {"action": "counter_offer", "reason": "checked"} | terms

    refused = client.post(f"{APPLICATIONS}/{app_id}/review", json=body, headers=underwriter)

    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == field, error
    assert error["message"].startswith(SAID) and error["message_zh"] == SAID_ZH
    kept = client.get(f"{APPLICATIONS}/{app_id}", headers=underwriter).json()
    assert kept["status"] == "referred", kept
    assert not (kept.get("decision") or {}).get("counter_offer"), kept


def test_a_counter_offer_changing_the_term_alone_still_stands(
    client: TestClient, staff: dict[Role, str]
) -> None:
    app_id = filed(client, staff)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    body = {"action": "counter_offer", "reason": "shorter", "down_payment": "60000.00",
            "term_months": 24}  # fmt: skip

    done = client.post(f"{APPLICATIONS}/{app_id}/review", json=body, headers=underwriter)

    assert done.status_code == 200 and done.json()["status"] == "counter_offered", done.text


@pytest.mark.parametrize(("lang", "said"), [("zh_CN", SAID_ZH), ("en", SAID)])
def test_the_review_page_says_a_counter_offer_changing_nothing_is_refused_at_its_field(
    client: TestClient, staff: dict[Role, str], lang: str, said: str
) -> None:
    app_id = referred(client, staff)
    client.cookies.set("autolend_lang", lang)

    refused = counter(client, app_id, "60,000", "")

    assert refused.status_code == 422
    alert = re.search(r'<div class="alert alert--error"[^>]*>(.*?)</div>', refused.text, re.S)
    assert alert and 'data-error-field="down_payment"' in alert.group(0), refused.text[:3000]
    assert said in alert.group(1)
    form = refused.text.split('data-form="review"')[1].split("</form>")[0]
    assert re.search(r'name="down_payment"[^>]*aria-invalid="true"', form)
    assert not re.search(r'name="term_months"[^>]*aria-invalid', form)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-application-status="referred"' in page
