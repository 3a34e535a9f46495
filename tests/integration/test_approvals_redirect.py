"""A decision on ``/approvals`` is Post/Redirect/Get, on both databases: done, it answers
303 to ``/approvals?decided=<id>`` (``&replayed=1`` for the same form sent again), whose
page says what was decided from the request as stored, so that a refresh reads the page
again and posts nothing. Before, the decision answered the page itself (200) at the
form's address, and a refresh asked to send the form again. An address naming no
request, a pending one, or one someone else decided says nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_approval_pages import decided, waiting_request
from tests.integration.test_approval_pages_audit import ask_waiver
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_prepayment_fees_and_refunds import book

pytestmark = pytest.mark.integration


def asked_write_off(container: Container, client: TestClient, staff: dict[Role, str]) -> int:
    """Servicing asks on a loan page to write a new loan off; the request's id."""
    loan_id = book(container)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    asked = client.post(
        f"/loans/{loan_id}/write-off-requests",
        data={"csrf_token": csrf(page), "value_date": "2026-11-28", "reason": "untraceable"},
    )
    return waiting_request(asked.text)


def as_checker(client: TestClient, staff: dict[Role, str], role: Role) -> dict[str, str]:
    """``role`` signed in, the page in English; the Approve form of the first pending row."""
    client.cookies.clear()
    web_sign_in(client, staff, role)
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/approvals").text
    return {"csrf_token": csrf(page), "approve": "true", "idempotency_key": "one-form-true"}


def events(container: Container, loan_id: int) -> int:
    return len(container.services.loans.transactions(SERVICING, loan_id))


def test_an_approval_answers_303_to_the_page_that_says_it_from_the_request_as_stored(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    request_id = asked_write_off(container, client, staff)
    form = as_checker(client, staff, Role.RISK)

    done = client.post(f"/approvals/{request_id}/decision", data=form, follow_redirects=False)

    assert done.status_code == 303, done.text[:2000]
    assert done.headers["location"] == f"/approvals?decided={request_id}"
    loan_id = container.services.approvals.get_request(SERVICING, request_id)["loan_id"]
    shown = client.get(done.headers["location"]).text
    assert 'data-notice="approved"' in shown
    assert f"Request no. {request_id} approved: Write-off posted on loan {loan_id}." in shown


def test_a_refresh_of_the_page_a_decision_went_to_posts_nothing(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    request_id = asked_write_off(container, client, staff)
    form = as_checker(client, staff, Role.RISK)
    loan_id = container.services.approvals.get_request(SERVICING, request_id)["loan_id"]

    shown = client.post(f"/approvals/{request_id}/decision", data=form)  # as a browser
    posted = events(container, loan_id)
    refreshed = client.get(shown.url)

    assert shown.request.method == "GET" and shown.url.path == "/approvals"
    assert 'data-notice="approved"' in refreshed.text
    assert events(container, loan_id) == posted
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "written_off"


def test_the_same_form_sent_again_goes_to_the_page_that_says_nothing_was_posted_again(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    request_id = asked_write_off(container, client, staff)
    form = as_checker(client, staff, Role.RISK)
    loan_id = container.services.approvals.get_request(SERVICING, request_id)["loan_id"]
    decided(client, request_id, form)
    posted = events(container, loan_id)

    again = decided(client, request_id, form, replayed=True)

    assert 'data-replayed="true"' in again.text
    assert "nothing was posted again" in again.text
    assert events(container, loan_id) == posted


def test_htmx_is_told_to_load_the_page_a_decision_goes_to(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    request_id = asked_write_off(container, client, staff)
    form = as_checker(client, staff, Role.RISK)

    done = client.post(
        f"/approvals/{request_id}/decision",
        data=form,
        headers={"HX-Request": "true"},
        follow_redirects=False,
    )

    assert done.status_code == 200
    assert done.headers["HX-Redirect"] == f"/approvals?decided={request_id}"


def test_a_refused_decision_answers_the_page_with_why_at_its_status_not_a_redirect(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    request_id = ask_waiver(container, client, staff)
    form = as_checker(client, staff, Role.RISK)  # risk decides write-offs, not waivers

    refused = client.post(f"/approvals/{request_id}/decision", data=form, follow_redirects=False)

    assert refused.status_code == 403 and "location" not in refused.headers
    assert 'role="alert"' in refused.text and "data-notice" not in refused.text


def test_an_address_naming_no_request_a_pending_one_or_anothers_decision_says_nothing(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    waiver = ask_waiver(container, client, staff)
    written_off = asked_write_off(container, client, staff)
    pending = asked_write_off(container, client, staff)
    form = as_checker(client, staff, Role.ADMIN)  # a fee checker rejects the waiver
    decided(client, waiver, form | {"approve": "false"})
    decided(client, written_off, as_checker(client, staff, Role.RISK))

    # risk decided the write-off: the waiver is another's decision, of a kind it never decides
    for query in (f"{waiver}", f"{pending}", "999999", "0", "-1", "x", "", f"{2**63}",
                  "99999999999999999999999"):  # fmt: skip
        page = client.get(f"/approvals?decided={query}")
        assert page.status_code == 200, query
        assert "data-notice" not in page.text, query
    for role in (Role.ADMIN, Role.SERVICING):  # who did not decide the write-off
        as_checker(client, staff, role)
        page = client.get(f"/approvals?decided={written_off}").text
        assert "data-notice" not in page, role
