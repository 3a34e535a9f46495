"""Submitting and withdrawing an application are the applicant's side's, on both
databases, through the API and the pages: the borrower who filed it, the dealer it came
through, or the staff member who filed it for a walk-in borrower. Found walking the pages
(2027-02): an underwriter was offered "Withdraw" and "Submit" on every dealer's
application and could do both (the pages and the services asked only for
``application:create``, which underwriters hold to file for walk-ins)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import file_through_the_form, post, web_sign_in
from tests.integration.test_counter_offer_pages import container  # noqa: F401 - no bureau
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body

pytestmark = pytest.mark.integration

APPLICATIONS = "/api/v1/applications"


def drafted(client: TestClient, headers: dict[str, str], **changes: object) -> str:
    made = client.post(APPLICATIONS, json=application_body(**changes), headers=headers)
    assert made.status_code == 201, made.text
    return f"{APPLICATIONS}/{made.json()['id']}"


def test_an_underwriter_neither_submits_nor_withdraws_a_dealers_application_in_the_api(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    app = drafted(client, dealer)
    refused = client.post(f"{app}/submit", headers=underwriter)
    assert refused.status_code == 403, refused.text
    assert "only whoever filed the application submits it" in refused.json()["error"]["message"]
    assert client.get(app, headers=dealer).json()["status"] == "draft"
    assert client.post(f"{app}/submit", headers=dealer).json()["status"] == "referred"
    gone = client.post(f"{app}/withdraw", json={"reason": "not theirs"}, headers=underwriter)
    assert gone.status_code == 403 and "applicant's side" in gone.json()["error"]["message"]
    assert client.get(app, headers=dealer).json()["status"] == "referred"
    mine = client.post(f"{app}/withdraw", json={"reason": "bought elsewhere"}, headers=dealer)
    assert mine.status_code == 200 and mine.json()["status"] == "withdrawn"


def test_an_underwriter_who_filed_for_a_walk_in_borrower_submits_and_withdraws_it(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    app = drafted(client, underwriter, channel="borrower")
    assert client.post(f"{app}/submit", headers=underwriter).json()["status"] == "referred"
    gone = client.post(f"{app}/withdraw", json={"reason": "walked out"}, headers=underwriter)
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"


def test_the_pages_offer_an_underwriter_neither_step_and_refuse_both_in_chinese(
    client: TestClient,
    container: Container,  # noqa: F811
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="submit"' in page and 'data-form="withdraw"' in page
    web_sign_in(client, staff, Role.UNDERWRITER)
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="submit"' not in page and 'data-form="withdraw"' not in page
    submitted = post(client, f"/applications/{app_id}/submit")
    assert submitted.status_code == 403 and "只有提交申请的一方可以提交审批" in submitted.text
    withdrawn = post(client, f"/applications/{app_id}/withdraw", {"reason": "x"})
    assert withdrawn.status_code == 403 and "只有申请人一方可以撤回申请" in withdrawn.text
    web_sign_in(client, staff, Role.DEALER)
    assert 'data-application-status="draft"' in client.get(f"/applications/{app_id}").text
