"""Origination gaps found by the audit against the running demo (SQLite and PostgreSQL):
one person as two parties, an application filed without the data-processing and
sensitive-data consents, a manual decline without its adverse-action notice, and a
counter-offer whose term the product does not offer. Each refusal is a 422 naming the
field with nothing stored or changed. No bureau is configured, so every submitted case is
referred to a person (as in tests/integration/test_application_pages.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.conftest import test_settings as settings_for
from tests.integration.test_api_foundation import sign_in
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loans_api import as_role
from tests.support.bureau_ids import resident_ids
from tests.support.origination import application_body, install

pytestmark = pytest.mark.integration
PROCESSING = "consent to the processing of personal data"
SENSITIVE = "separate consent to the processing of sensitive data"
APPLICATIONS = "/api/v1/applications"


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """No bureau configured (every decision is referred), the demo products, no model."""
    built = build_container(settings_for(db_url, tmp_path), clock=clock)
    install(built, None)
    yield built
    built.engine.dispose()


def counts(container: Container) -> list[int]:
    """Applications, customers and consents stored."""
    with container.engine.connect() as conn:
        return [
            int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (at.applications, t.customers, t.consents)
        ]


def referred(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> int:
    made = client.post(APPLICATIONS, json=body, headers=headers)
    assert made.status_code == 201, made.text
    app_id = int(made.json()["id"])
    decided = client.post(f"{APPLICATIONS}/{app_id}/submit", headers=headers)
    assert decided.json()["status"] == "referred", decided.text
    return app_id


def error_of(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    return dict(answer.json()["error"])


def test_the_borrower_named_again_as_co_borrower_is_refused_naming_the_second_mention(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The audit: alone with 6,000.00 the case was declined for DSR; the same ID again as
    co-borrower with 20,000.00 was accepted, its income counted twice, and approved."""
    dealer = as_role(client, staff, Role.DEALER)
    borrower = application_body()["applicants"][0] | {"monthly_income": "6000.00"}
    again = borrower | {"role": "co_borrower", "monthly_income": "20000.00"}
    guarantor = borrower | {"role": "guarantor"}
    before = counts(container)
    for second in (again, guarantor):
        body = application_body(applicants=[borrower, second])
        error = error_of(client.post(APPLICATIONS, json=body, headers=dealer))
        assert error["field"] == "applicants[1].id_number"
        assert "same person cannot be two parties" in error["message"]
    assert counts(container) == before


def test_an_application_without_the_data_processing_and_sensitive_data_consents_is_refused(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """It was filed (201) and, on submit, scored without any consent; only the bureau
    query was skipped. The bureau-query consent stays optional: without it the case is
    filed and referred."""
    dealer = as_role(client, staff, Role.DEALER)
    before = counts(container)
    error = error_of(client.post(APPLICATIONS, json=application_body(consents=[]),
                                 headers=dealer))  # fmt: skip
    assert error["field"] == "consents"
    assert f"{PROCESSING}; {SENSITIVE}" in error["message"]
    only_processing = [{"kind": "data_processing", "text_version": "v1"}]
    error = error_of(client.post(APPLICATIONS, json=application_body(consents=only_processing),
                                 headers=dealer))  # fmt: skip
    assert error["field"] == "consents" and f"(missing: {SENSITIVE})" in error["message"]
    assert counts(container) == before
    body = application_body()
    body["consents"] = [c for c in body["consents"] if c["kind"] != "bureau_query"]
    app_id = referred(client, dealer, body)
    shown = client.get(f"{APPLICATIONS}/{app_id}", headers=dealer).json()
    hits = [h["message_en"] for h in shown["decision"]["rule_hits"]]
    assert any("no bureau-query consent" in hit for hit in hits), hits


def test_a_borrower_cannot_consent_for_the_co_borrower_they_name(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """A borrower filing for themselves consents for themselves only: a co-borrower new
    to the lender has given no consent, so their income is not processed; once the dealer
    has filed with that person's own consents, the borrower may name them."""
    spouse_id, own_id = resident_ids("clean", 2, start=1300)
    spouse = application_body()["applicants"][0] | {
        "role": "co_borrower", "name": "李娜", "id_number": spouse_id, "mobile": "13900139000",
    }  # fmt: skip
    mine = application_body(channel="borrower", applicants=[
        application_body()["applicants"][0] | {"id_number": own_id}, spouse,
    ])  # fmt: skip
    borrower = as_role(client, staff, Role.BORROWER)
    before = counts(container)
    error = error_of(client.post(APPLICATIONS, json=mine, headers=borrower))
    assert error["field"] == "applicants[1].id_number"
    assert "a borrower consents for themselves only" in error["message"]
    assert counts(container) == before
    dealers = application_body(applicants=[spouse | {"role": "borrower"}])
    dealer = as_role(client, staff, Role.DEALER)
    assert client.post(APPLICATIONS, json=dealers, headers=dealer).status_code == 201
    borrower = as_role(client, staff, Role.BORROWER)
    made = client.post(APPLICATIONS, json=mine, headers=borrower)
    assert made.status_code == 201, made.text


def test_a_manual_decline_stores_an_adverse_action_notice_shown_on_the_page(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The decline answered 200 with ``adverse_action`` null: the referral's (none) was
    kept."""
    app_id = referred(client, as_role(client, staff, Role.DEALER), application_body())
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    decline = {"action": "decline", "reason": "the employer could not be confirmed"}
    answer = client.post(f"{APPLICATIONS}/{app_id}/review", json=decline, headers=underwriter)
    assert answer.status_code == 200 and answer.json()["status"] == "declined", answer.text
    decision = client.get(f"{APPLICATIONS}/{app_id}", headers=underwriter).json()["decision"]
    notice = decision["adverse_action"]
    assert notice is not None and notice["outcome"] == "decline"
    first, *others = notice["reasons"]
    assert first["code"] == "manual_decline"
    assert decline["reason"] in first["text_en"] and decline["reason"] in first["text_zh"]
    # The report that could not be obtained is why a person looked, not why they declined:
    # no principal reason (the notice says no report was used; the rule hits keep it).
    assert "bureau_unavailable" not in [r["code"] for r in others]
    assert "bureau_unavailable" in [h["rule"] for h in decision["rule_hits"]]
    assert len(notice["reasons"]) <= 4 and notice["bureau"] is None  # no report was used
    assert decision["reasons"] == notice["reasons"] and decision["counter_offers"] == []
    web_sign_in(client, staff, Role.UNDERWRITER)
    for lang, expected in (
        ("zh_CN", "1. 经人工审核拒绝：the employer could not be confirmed"),
        ("en", "1. Declined after review by a person: the employer"),
    ):
        client.cookies.set("autolend_lang", lang)
        page = client.get(f"/applications/{app_id}").text
        shown = re.search(r'data-section="adverse-action">([^<]*)<', page)
        assert shown and expected in shown.group(1), page[:3000]


def test_the_second_persons_refusal_of_a_large_approval_sends_it_back_without_a_notice(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """A refusal at the second approval declined the customer with an adverse-action
    notice (found 2027-02): it sends the case back to review instead, and the notice
    comes only with an underwriter's own decline, naming their reason."""
    body = application_body(down_payment="150000.00")
    body["vehicle"]["price"] = "500000.00"  # 350,000.00 financed, above 300,000.00
    app_id = referred(client, as_role(client, staff, Role.DEALER), body)
    first = as_role(client, staff, Role.UNDERWRITER)
    approve = {"action": "approve", "reason": "salary slips checked"}
    waiting = client.post(f"{APPLICATIONS}/{app_id}/review", json=approve, headers=first)
    assert waiting.json()["status"] == "pending_second", waiting.text
    password = "pw-underwriter2-long"
    users = container.services.users
    users.create(SYSTEM_ACTOR, username="underwriter2", password=password, roles=["underwriter"])
    second = sign_in(client, "underwriter2", password)
    refuse = {"approve": False, "reason": "the car's price is not plausible"}
    done = client.post(f"{APPLICATIONS}/{app_id}/second-approval", json=refuse, headers=second)
    assert done.status_code == 200 and done.json()["status"] == "referred", done.text
    shown = client.get(f"{APPLICATIONS}/{app_id}", headers=second).json()
    assert shown["decision"]["outcome"] == "refer" and shown["offers"] == []
    assert shown["decision"]["adverse_action"] is None
    decline = {"action": "decline", "reason": "the price could not be confirmed"}
    declined = client.post(f"{APPLICATIONS}/{app_id}/review", json=decline, headers=second)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    notice = client.get(f"{APPLICATIONS}/{app_id}", headers=second).json()["decision"][
        "adverse_action"]  # fmt: skip
    assert notice is not None and decline["reason"] in notice["reasons"][0]["text_en"]
    assert all(r["code"] != "returned_to_review" for r in notice["reasons"])


def test_a_counter_offer_with_a_term_the_product_does_not_offer_is_refused_unchanged(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """72 months on STD_NEW (12..60) answered 200 ``counter_offered`` with offers at
    60/48/36/24, the term dropped without a word."""
    app_id = referred(client, as_role(client, staff, Role.DEALER), application_body())
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    before = client.get(f"{APPLICATIONS}/{app_id}", headers=underwriter).json()
    counter = {"action": "counter_offer", "reason": "longer", "term_months": 72}
    error = error_of(client.post(f"{APPLICATIONS}/{app_id}/review", json=counter,
                                 headers=underwriter))  # fmt: skip
    assert error["field"] == "term_months" and "STD_NEW" in error["message"]
    after = client.get(f"{APPLICATIONS}/{app_id}", headers=underwriter).json()
    assert after == before and after["status"] == "referred"


def test_a_counter_offer_below_the_products_down_payment_is_refused_not_raised(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """35,000.00 down on 200,000.00 (STD_NEW: 20 % down, LTV 80 %) answered 200 with
    offers at another down payment than the one the underwriter gave; and a counter-offer
    of a down payment alone was refused, the API's null term read as a term."""
    app_id = referred(client, as_role(client, staff, Role.DEALER), application_body())
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    counter = {"action": "counter_offer", "reason": "lower down payment",
               "down_payment": "35000.00", "term_months": 36}  # fmt: skip
    error = error_of(client.post(f"{APPLICATIONS}/{app_id}/review", json=counter,
                                 headers=underwriter))  # fmt: skip
    assert error["field"] == "down_payment", error
    shown = client.get(f"{APPLICATIONS}/{app_id}", headers=underwriter).json()
    assert shown["status"] == "referred" and shown["offers"] == []
    fits = {"action": "counter_offer", "reason": "more down", "down_payment": "50000.00"}
    answer = client.post(f"{APPLICATIONS}/{app_id}/review", json=fits, headers=underwriter)
    assert answer.status_code == 200 and answer.json()["status"] == "counter_offered"
    offers = client.get(f"{APPLICATIONS}/{app_id}/offers", headers=underwriter).json()["items"]
    assert (offers[0]["down_payment"], offers[0]["term_months"]) == ("50000.00", 36)
