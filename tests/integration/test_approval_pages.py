"""Maker-checker in the web UI, on both databases: servicing asks on the loan page for a
write-off or a fee waiver, and a second person decides on ``/approvals`` (risk a
write-off, another fee checker a waiver). Before, both were API-only: a checker could not
approve anything without calling the API by hand."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_fees_and_waivers import charge
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.support.loan_pages import done_form, refused_form
from tests.support.write_off import CHECKER, MAKER

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 28)  # the test clock's business day


def row(page: str, request_id: int) -> str:
    return page.split(f'data-request-id="{request_id}"')[1].split("</tr>", maxsplit=1)[0]


def waiting_request(page: str) -> int:
    found = re.search(r'data-approval-request="(\d+)"', page)
    assert found is not None, page[:2000]
    return int(found.group(1))


def decision_form(page: str, request_id: int, action: str) -> dict[str, str]:
    """The fields of the Approve (or Reject) form in one request's row."""
    forms = re.findall(r"<form[^>]*>(.*?)</form>", row(page, request_id), re.S)
    chosen = next(f for f in forms if f'data-action="{action}"' in f)
    return dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', chosen))


def decided(
    client: TestClient, request_id: int, fields: dict[str, str], *, replayed: bool = False
) -> httpx.Response:
    """Post a decision on request ``request_id`` and assert it is done: 303 to the page that
    says so (``/approvals?decided=5``, ``&replayed=1`` for the same form sent again), never
    the page at the form's address (a refresh would post it again). The page it goes to."""
    done = client.post(f"/approvals/{request_id}/decision", data=fields, follow_redirects=False)
    assert done.status_code == 303, done.text[:2000]
    went = done.headers["location"]
    assert went == f"/approvals?decided={request_id}" + ("&replayed=1" if replayed else "")
    shown: httpx.Response = client.get(went)
    assert shown.status_code == 200, shown.text[:2000]
    return shown


def test_a_write_off_asked_on_the_loan_page_is_approved_by_risk_on_the_approvals_page(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = book(container)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    assert 'data-form="write-off"' in page
    asked = done_form(
        client,
        f"/loans/{loan_id}/write-off-requests",
        {"csrf_token": csrf(page), "value_date": "2026-11-28", "reason": "untraceable"},
    )
    assert 'data-notice="write_off_request"' in asked.text
    request_id = waiting_request(asked.text)
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "active"
    mine = row(client.get("/approvals").text, request_id)  # the maker sees it, undecidable
    assert "由您提出" in mine and "data-action" not in mine

    web_sign_in(client, staff, Role.RISK)
    queue = client.get("/approvals")
    assert queue.status_code == 200 and 'data-nav="approvals"' in queue.text
    assert 'data-kind="write_off"' in row(queue.text, request_id)
    assert "类型</span>核销</td>" in row(queue.text, request_id)  # the kind in words
    assert "untraceable" in row(queue.text, request_id)
    fields = decision_form(queue.text, request_id, "approve")
    done = decided(client, request_id, fields)
    assert 'data-notice="approved"' in done.text
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "written_off"
    again = decided(client, request_id, fields, replayed=True)  # a double click
    assert 'data-replayed="true"' in again.text
    assert f'data-request-id="{request_id}" data-status="approved"' in again.text
    refused = client.post(
        f"/approvals/{request_id}/decision",
        data=fields | {"idempotency_key": "another-form"},
        headers={"Referer": "http://testserver/approvals"},
        follow_redirects=False,
    )  # decided already: the page says so at the form's address (no redirect)
    assert refused.status_code == 409 and 'role="alert"' in refused.text
    # the language switch of a form's answer goes back to the form's page, not to the
    # POST address (a GET there was 405)
    assert 'href="/lang/en?next=%2Fapprovals"' in refused.text


def test_a_fee_waiver_asked_on_the_loan_page_is_rejected_by_another_user_and_posts_nothing(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan_id = book(container)
    charge(container, loan_id, "30.00")
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    assert 'data-form="fee-waiver"' in page
    typed = {"csrf_token": csrf(page), "n": "1", "amount": "30.01", "reason": "goodwill"}
    url = f"/loans/{loan_id}/fee-waiver-requests"
    refused, form = refused_form(client, url, typed, "fee-waiver")
    assert 'data-form-error="amount"' in refused
    # the refused form comes back as typed, the erring amount marked
    assert re.search(r'id="waiver-amount"[^>]*value="30.01"[^>]*aria-invalid="true"', form)
    assert 'value="goodwill"' in form
    asked = done_form(client, url, typed | {"amount": "30.00"})
    assert 'data-notice="fee_waiver_request"' in asked.text
    request_id = waiting_request(asked.text)
    assert "由您提出" in row(client.get("/approvals").text, request_id)

    web_sign_in(client, staff, Role.ADMIN)  # holds fee:waive_approve
    queue = client.get("/approvals").text
    done = decided(client, request_id, decision_form(queue, request_id, "reject"))
    assert 'data-notice="rejected"' in done.text
    assert container.services.loans.get(SERVICING, loan_id)["balances"]["fees"] == "30.00"


def test_who_neither_asks_nor_checks_gets_no_approvals_page(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.COLLECTOR)
    assert client.get("/approvals").status_code == 403


def test_the_latest_decisions_come_newest_first_and_a_loans_pending_write_off_is_found(
    container: Container,
) -> None:
    """The page's 'latest decisions' read the oldest requests (the list is the queue's
    order, oldest first); and a second write-off request was looked for among the first
    500 pending only."""
    approvals = container.services.approvals
    loans = [book(container) for _ in range(3)]
    asked = [approvals.request_write_off(MAKER, loan, TODAY, "untraceable") for loan in loans]
    for request in asked:
        approvals.decide(CHECKER, request["id"], approve=False)
    newest = approvals.list_requests(CHECKER, newest_first=True, limit=2)
    assert [r["id"] for r in newest] == [asked[2]["id"], asked[1]["id"]]
    queue = approvals.list_requests(CHECKER, limit=2)
    assert [r["id"] for r in queue] == [asked[0]["id"], asked[1]["id"]]
    approvals.request_write_off(MAKER, loans[0], TODAY, "untraceable")
    with pytest.raises(Conflict, match="already waiting"):
        approvals.request_write_off(MAKER, loans[0], TODAY, "again")
    approvals.request_write_off(MAKER, loans[1], TODAY, "another loan")


def test_a_write_off_dated_before_the_serviced_through_day_is_refused_in_chinese(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The refusal was the service's English on the Chinese loan page."""
    loan_id = book(container)
    web_sign_in(client, staff, Role.SERVICING)
    typed = {"value_date": "2020-01-01", "reason": "untraceable"}
    refused, _ = refused_form(client, f"/loans/{loan_id}/write-off-requests", typed, "write-off")
    assert "核销日期须在" in refused and "不能是 2020-01-01" in refused
    assert "write off from" not in refused
