"""Who may accept an application's offer, on the API and on the page alike: the borrower
who applied, the dealer it came through, or the staff member who filed it for a walk-in
borrower; never an underwriter who merely reaches every application, nor one who
reviewed it (segregation of duties). Before, any role that may file applications could
accept any offer it reached, the reviewing underwriter's own approval included. Every
application here is referred (no bureau, no model) and approved by ``underwriter``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.integration.test_application_pages import OWN_ID, post
from tests.integration.test_borrower_numbers_agree import _ok
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_loans_api import as_role, sign_in
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration
APPLICATIONS = "/api/v1/applications"
OTHER = "underwriter2"  # an underwriter who neither filed nor reviewed
ACCEPT_BUTTON = 'data-action="accept-offer"'


@pytest.fixture
def other(client: TestClient, container: Container, staff: dict[Role, str]) -> dict[str, str]:
    container.services.users.create(SYSTEM_ACTOR, username=OTHER, password="pw-underwriter2-long",
                                    roles=["underwriter"])  # fmt: skip
    return sign_in(client, OTHER, "pw-underwriter2-long")


def approved_by_review(client: TestClient, staff: dict[Role, str], filer: dict[str, str],
                       **changes: Any) -> str:  # fmt: skip
    """An application filed by ``filer``, referred, approved by ``underwriter``; its path."""
    made = _ok(client.post(APPLICATIONS, json=application_body(**changes), headers=filer), 201)
    app = f"{APPLICATIONS}/{made['id']}"
    assert _ok(client.post(f"{app}/submit", headers=filer))["status"] == "referred"
    review = {"action": "approve", "reason": "income and car checked"}
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    assert _ok(client.post(f"{app}/review", json=review, headers=underwriter))["status"] == (
        "approved"
    )
    return app


def loans(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.loans)).scalar_one())


def refused(client: TestClient, app: str, headers: dict[str, str]) -> str:
    """Accepting offer 1 as ``headers``: 403; its message."""
    answer = client.post(f"{app}/accept", json={"option": 1}, headers=headers)
    assert answer.status_code == 403, answer.text
    return str(answer.json()["error"]["message"])


def test_an_underwriter_who_did_not_file_it_gets_403_and_nothing_changes_then_the_dealer_accepts(
    client: TestClient, container: Container, staff: dict[Role, str], other: dict[str, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    app = approved_by_review(client, staff, dealer)
    assert "applicant's side" in refused(client, app, other)
    assert "reviewed this application" in refused(
        client, app, as_role(client, staff, Role.UNDERWRITER)
    )
    shown = _ok(client.get(app, headers=dealer))
    assert (shown["status"], shown["loan_id"], shown["accepted_option"]) == ("approved", None, None)
    assert [e["action"] for e in shown["events"]][-1] == "review" and loans(container) == 0
    taken = _ok(client.post(f"{app}/accept", json={"option": 1}, headers=dealer))
    assert taken["status"] == "accepted" and loans(container) == 1


def test_the_staff_member_who_filed_for_a_walk_in_borrower_accepts_but_its_reviewer_may_not(
    client: TestClient, container: Container, staff: dict[Role, str], other: dict[str, str]
) -> None:
    app = approved_by_review(client, staff, other, channel="borrower")
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    assert "reviewed this application" in refused(client, app, underwriter)
    taken = _ok(client.post(f"{app}/accept", json={"option": 1}, headers=other))
    assert taken["status"] == "accepted" and loans(container) == 1


def test_the_borrower_who_applied_accepts_as_before(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    borrower = as_role(client, staff, Role.BORROWER)
    own = application_body()["applicants"][0] | {"id_number": OWN_ID, "mobile": "13900139000"}
    app = approved_by_review(client, staff, borrower, channel="borrower", applicants=[own])
    assert _ok(client.post(f"{app}/accept", json={"option": 1}, headers=borrower))["loan_id"]


def web_sign_in(client: TestClient, username: str, password: str) -> None:
    client.cookies.clear()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    form = {"username": username, "password": password, "csrf_token": token[1]}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def test_the_page_offers_accepting_to_whom_the_service_lets_accept_and_refuses_the_rest(
    client: TestClient, container: Container, staff: dict[Role, str], other: dict[str, str]
) -> None:
    """The dealer's application: its dealer sees the button, the reviewer and another
    underwriter do not; the walk-in's: its filer sees it, its reviewer does not. The
    reviewer's own form post is refused in their language."""
    dealers = approved_by_review(client, staff, as_role(client, staff, Role.DEALER))
    walk_in = approved_by_review(client, staff, other, channel="borrower")
    people = {"dealer": "pw-dealer-long", "underwriter": "pw-underwriter-long",
              OTHER: "pw-underwriter2-long"}  # fmt: skip
    offered = {(dealers, "dealer"), (walk_in, OTHER)}
    for app in (dealers, walk_in):
        page_path = app.removeprefix("/api/v1")
        for username, password in people.items():
            if (app, username) == (walk_in, "dealer"):
                continue  # the dealer does not reach a borrower's own application
            web_sign_in(client, username, password)
            page = client.get(page_path)
            assert page.status_code == 200, (app, username)
            assert (ACCEPT_BUTTON in page.text) == ((app, username) in offered), (app, username)
    web_sign_in(client, "underwriter", "pw-underwriter-long")
    client.get("/lang/zh_CN?next=/")
    answer = post(client, f"{dealers.removeprefix('/api/v1')}/accept", {"option": "1"})
    assert answer.status_code == 403, answer.text
    assert "审核人员不能代为接受" in answer.text and loans(container) == 0
