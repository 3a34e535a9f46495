"""The borrower a dealer filed an application for reads it, on both databases.

张伟 registered his own customer profile; dealer D001 filed an application for him (his
ID number, so his profile is its borrower), an underwriter approved it and the dealer
accepted its offer, which booked his loan. He read the loan, but the application it came
from answered 404 in the API and on its page, and the loan page had no link to it: only
the applications a borrower filed himself were his to read. Now the applicant reads it
as he would one he filed himself: his own details in full, no underwriter's note, no
staff-only part of the decision. He reads it only: a step on it (withdrawing it) still
answers 404. Another borrower gets 404 as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.integration.test_application_pages import sign_in as web_page_sign_in
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_application_withdrawal import _ok, accepted
from tests.integration.test_contracts import sms  # noqa: F401 - the SMS sandbox fixture
from tests.integration.test_loans_api import as_role, sign_in
from tests.support.origination import (
    BORROWER_ID,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration
NOTE = "income and car checked"  # the underwriter's reason for approving: a staff note
PROFILE = {"name": "张伟", "id_number": BORROWER_ID, "phone": "13800138000"}


def filed_by_the_dealer(client: TestClient, staff: dict[Role, str]) -> tuple[str, int]:
    """The borrower user's own profile, then the dealer's application for that person,
    approved and accepted: the application's API path and the loan it booked."""
    borrower = as_role(client, staff, Role.BORROWER)
    _ok(client.post("/api/v1/customers", json=PROFILE, headers=borrower), 201)
    return accepted(client, staff)


def another_borrower(client: TestClient, container: Container) -> dict[str, str]:
    container.services.users.create(
        SYSTEM_ACTOR, username="other", password="pw-other-long", roles=["borrower"]
    )
    return sign_in(client, "other", "pw-other-long")


def test_the_applicant_reads_the_application_a_dealer_filed_for_him(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app, loan_id = filed_by_the_dealer(client, staff)
    borrower = as_role(client, staff, Role.BORROWER)
    assert _ok(client.get(f"/api/v1/loans/{loan_id}", headers=borrower))["id"] == loan_id
    read: dict[str, Any] = _ok(client.get(app, headers=borrower))
    assert (read["channel"], read["status"], read["loan_id"]) == ("dealer", "accepted", loan_id)
    (party,) = read["parties"]
    assert (party["id_number"], party["name"]) == (BORROWER_ID, "张伟")  # his own, in full
    assert [e["reason"] for e in read["events"] if e["action"] == "review"] == [None]
    assert "facts" not in read["decision"]
    assert NOTE not in str(read)
    staff_read = _ok(client.get(app, headers=as_role(client, staff, Role.UNDERWRITER)))
    assert NOTE in str(staff_read)  # the note is there, for staff


def test_the_applicant_reads_it_only_and_another_borrower_not_at_all(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app, loan_id = filed_by_the_dealer(client, staff)
    borrower = as_role(client, staff, Role.BORROWER)
    withdraw = {"reason": "changed my mind"}
    answer = client.post(f"{app}/withdraw", json=withdraw, headers=borrower)
    assert answer.status_code == 404, answer.text  # the dealer's to withdraw, as before
    other = another_borrower(client, container)
    assert client.get(app, headers=other).status_code == 404
    assert client.get(f"/api/v1/loans/{loan_id}", headers=other).status_code == 404
    assert _ok(client.get(app, headers=borrower))["status"] == "accepted"


def test_the_loan_page_links_the_application_and_its_page_opens(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app, loan_id = filed_by_the_dealer(client, staff)
    app_id = app.rsplit("/", 1)[-1]
    link = f'<a href="/applications/{app_id}" data-action="open-application">'
    web_sign_in(client, staff, Role.BORROWER)
    for lang in ("en", "zh_CN"):
        client.cookies.set("autolend_lang", lang)
        loan_page = client.get(f"/loans/{loan_id}")
        assert loan_page.status_code == 200, lang
        assert link in loan_page.text, lang
        page = client.get(f"/applications/{app_id}")
        assert page.status_code == 200, (lang, page.text[:2000])
        assert BORROWER_ID in page.text and NOTE not in page.text, lang
    another_borrower(client, container)
    web_page_sign_in(client, "other", "pw-other-long")
    assert client.get(f"/applications/{app_id}").status_code == 404
    assert client.get(f"/loans/{loan_id}").status_code == 404
