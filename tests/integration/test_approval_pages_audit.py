"""The approvals page as checkers read it: a waiver's amount is money (currency and digit
groups, not "30.00"); on a phone each request is a card whose values carry their column's
name, so the decision buttons are on the screen; a refusal the service words only in
English (no such request, no permission) is said in the page's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_approval_pages import decision_form, row, waiting_request
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_prepayment_fees_and_refunds import book

pytestmark = pytest.mark.integration


def ask_waiver(container: Container, client: TestClient, staff: dict[Role, str]) -> int:
    """Servicing asks to waive a 30.00 fee of installment 1; the request's id."""
    loan_id = book(container)
    charge(container, loan_id, "30.00")
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    asked = client.post(
        f"/loans/{loan_id}/fee-waiver-requests",
        data={"csrf_token": csrf(page), "n": "1", "amount": "30.00", "reason": "goodwill"},
    )
    return waiting_request(asked.text)


def test_a_waivers_amount_shows_as_money_in_the_queue(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    request_id = ask_waiver(container, client, staff)
    client.cookies.set(LANG_COOKIE, "zh_CN")

    queued = row(client.get("/approvals").text, request_id)

    assert "第 1 期，¥30.00" in queued


def test_each_request_is_a_card_on_a_phone_with_its_values_named(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    request_id = ask_waiver(container, client, staff)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get("/approvals").text

    assert '<table class="table table--stack" data-table="approvals-pending">' in page
    queued = row(page, request_id)
    for name in ("No.", "Kind", "Loan", "Details", "Asked by", "Waiting since", "Decision"):
        assert f'<span class="cell-label">{name}</span>' in queued


@pytest.mark.parametrize(
    ("role", "request_text", "said"),
    [
        (Role.RISK, None, "your role may not decide this kind of request"),
        (Role.ADMIN, "999", "there is no such request"),
    ],
)
def test_a_refusal_the_service_words_in_english_is_said_by_the_page(
    container: Container,
    client: TestClient,
    staff: dict[Role, str],
    role: Role,
    request_text: str | None,
    said: str,
) -> None:
    request_id = ask_waiver(container, client, staff)
    client.cookies.clear()
    web_sign_in(client, staff, role)  # risk checks write-offs only; admin waivers too
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/approvals").text
    admin_form = decision_form(page, request_id, "approve") if role is Role.ADMIN else {}
    form = admin_form or {"csrf_token": csrf(page), "approve": "true", "idempotency_key": "k"}

    answer = client.post(f"/approvals/{request_text or request_id}/decision", data=form)

    assert answer.status_code in (403, 404)
    alert = answer.text.split('role="alert"')[1].split("</div>")[0]
    assert said in alert
    assert "approval request not found" not in alert and "fee:waive_approve" not in alert
