"""The audit trail says when the platform performed a step for a user in a role the user
does not hold (both databases). A dealer asking for a signing code has the platform issue
the contract as servicing; the record said ``dealer`` with roles ``servicing``, as if the
dealer user were a servicing officer. It now says ``dealer,platform:servicing``: the
user, their own role, and the role the platform acted in; the page reads "Dealer, the
platform as Servicing officer" (平台以贷后专员身份代为执行)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Actor, Role
from autolend.services.decisioning import acting_for
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_application_withdrawal import accepted, code_sent
from tests.integration.test_contracts import sms  # noqa: F401 - the SMS sandbox fixture
from tests.integration.test_loans_api import as_role
from tests.support.messaging import SmsSandbox
from tests.support.origination import referring_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration


def test_a_step_done_for_a_user_is_labelled_with_their_own_roles_and_the_platforms() -> None:
    dealer = Actor(7, "showroom", (Role.DEALER,), 3, "req-1")
    engine = acting_for(dealer, Role.UNDERWRITER)
    assert engine.roles == (Role.UNDERWRITER,)  # what the step may do
    assert engine.role_label == "dealer,platform:underwriter"
    assert acting_for(engine, Role.SERVICING).role_label == "dealer,platform:servicing"
    assert dealer.role_label == "dealer"


def test_the_contract_the_platform_issues_for_a_dealer_is_recorded_as_such(
    client: TestClient, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    app, _ = accepted(client, staff)
    code_sent(client, staff, app, sms)
    auditor = as_role(client, staff, Role.AUDITOR)
    records = client.get("/api/v1/audit/records?limit=100", headers=auditor).json()
    issued = [r for r in records if r["action"] == "contract.issue"]
    assert [(r["actor"], r["roles"]) for r in issued] == [("dealer", "dealer,platform:servicing")]
    web_sign_in(client, staff, Role.AUDITOR)
    for lang, said in (("en", "Dealer, the platform as Servicing officer"),
                       ("zh_CN", "经销商、平台以贷后专员身份代为执行")):  # fmt: skip
        client.cookies.set("autolend_lang", lang)
        page = client.get("/audit?limit=100").text
        row = page.split('data-action="contract.issue"')[0].rsplit("<tr", 1)[1]
        assert said in " ".join(re.sub(r"<[^>]+>", " ", row).split()), row
