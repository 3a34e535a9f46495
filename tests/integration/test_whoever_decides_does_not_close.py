"""Whoever decided an application does not also close it (segregation of duties), on the
API and on the pages alike: a user who is both underwriter and servicing and reviewed
the application, or gave its second approval, is refused (403, nothing changes; the
pages say why in their language) asking for its signing code, signing its contract
(through the application or the contracts API, with the borrower's code) and paying it
out; the pages offer them no such form but say that another member of servicing does;
another servicing user does. Before, that user carried the case alone from the decision
to the payment. And a dealer merely named on a borrower's own online application signs
nothing of it (it did not file it, as it accepts nothing of it): before, the contracts
API let it ask for the code and sign. Every application here is referred (no bureau, no
model)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.integration.test_application_pages import OWN_ID, post
from tests.integration.test_borrower_numbers_agree import _ok
from tests.integration.test_contracts import sent_code, sms  # noqa: F401 - fixture
from tests.integration.test_loans_api import as_role, sign_in
from tests.integration.test_who_accepts_an_offer import web_sign_in
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration
APPLICATIONS = "/api/v1/applications"
BOTH, BOTH_PW = "uwservicing", "pw-uwservicing-long"  # underwriter and servicing
# 350,000.00 financed: above the policy's 300,000.00 for one person.
LARGE = {"vehicle": application_body()["vehicle"] | {"price": "500000.00"},
         "down_payment": "150000.00"}  # fmt: skip
APPROVE = {"action": "approve", "reason": "income and car checked"}
CONFIRM = {"approve": True, "reason": "second look at the file"}
SIGN_EN = "you reviewed this application: its contract is signed by the borrower"
SIGN_ZH = "审核人员不能经办签署"
PAY_EN = "you reviewed this application: another servicing staff member must disburse it"
PAY_ZH = "须由其他贷后服务人员放款"
NOTE = "data-another-servicing"
NOTE_EN = "so you neither sign its contract nor pay it out: another member of servicing does"
SIGNERS_ONLY = "only the borrower, their dealer or servicing may sign a contract"


@pytest.fixture
def people(client: TestClient, container: Container, staff: dict[Role, str]) -> dict[str, Any]:
    """API headers of the user who is underwriter and servicing, and of staff roles."""
    container.services.users.create(SYSTEM_ACTOR, username=BOTH, password=BOTH_PW,
                                    roles=["underwriter", "servicing"])  # fmt: skip
    roles = (Role.DEALER, Role.UNDERWRITER, Role.SERVICING, Role.BORROWER)
    return {BOTH: sign_in(client, BOTH, BOTH_PW)} | {
        role.value: as_role(client, staff, role) for role in roles
    }


def decided_by_both(client: TestClient, people: dict[str, Any], move: str) -> str:
    """A dealer's application that ``BOTH`` approved (``review``) or confirmed
    (``second_approval``, after ``underwriter``'s approval), its offer 1 accepted by the
    dealer; its API path."""
    dealer = people["dealer"]
    body = application_body(**(LARGE if move == "second_approval" else {}))
    app = f"{APPLICATIONS}/{_ok(client.post(APPLICATIONS, json=body, headers=dealer), 201)['id']}"
    assert _ok(client.post(f"{app}/submit", headers=dealer))["status"] == "referred"
    if move == "review":
        _ok(client.post(f"{app}/review", json=APPROVE, headers=people[BOTH]))
    else:
        _ok(client.post(f"{app}/review", json=APPROVE, headers=people["underwriter"]))
        _ok(client.post(f"{app}/second-approval", json=CONFIRM, headers=people[BOTH]))
    _ok(client.post(f"{app}/accept", json={"option": 1}, headers=dealer))
    return app


def refused(answer: Any, words: str) -> None:
    assert answer.status_code == 403, answer.text
    assert words in answer.json()["error"]["message"]


@pytest.mark.parametrize("move", ["review", "second_approval"])
def test_whoever_decided_it_neither_signs_nor_disburses_it_and_another_servicing_user_does(
    client: TestClient,
    people: dict[str, Any],
    sms: SmsSandbox,  # noqa: F811
    move: str,
) -> None:
    app = decided_by_both(client, people, move)
    both, servicing = people[BOTH], people["servicing"]
    refused(client.post(f"{app}/sign", json={}, headers=both), SIGN_EN)
    assert sms.received == [] and _ok(client.get(app, headers=both))["status"] == "accepted"
    contract_id = _ok(client.post(f"{app}/sign", json={}, headers=servicing))["contract_id"]
    code = sent_code(sms)
    refused(client.post(f"{app}/sign", json={"code": code}, headers=both), SIGN_EN)
    contract = f"/api/v1/contracts/{contract_id}"
    refused(client.post(f"{contract}/signature-requests", json={}, headers=both), SIGN_EN)
    refused(client.post(f"{contract}/sign", json={"code": code}, headers=both), SIGN_EN)
    assert _ok(client.get(contract, headers=servicing))["status"] != "signed"
    signed = _ok(client.post(f"{app}/sign", json={"code": code}, headers=servicing))
    assert signed["status"] == "signed"
    pay = {"Idempotency-Key": f"pay-{app}-{move}"}
    refused(client.post(f"{app}/disburse", headers=both | pay), PAY_EN)
    assert _ok(client.get(app, headers=both))["status"] == "signed"
    _ok(client.post(f"{app}/disburse", headers=servicing | pay), 201)
    assert _ok(client.get(app, headers=servicing))["status"] == "disbursed"


def test_the_page_offers_signing_and_paying_out_to_another_servicing_user_not_the_reviewer(
    client: TestClient,
    people: dict[str, Any],
    sms: SmsSandbox,  # noqa: F811
) -> None:
    """The reviewer: no code form, no payment form, a note instead; their own form posts
    refused in their language. Another servicing user: the forms, no note."""
    path = decided_by_both(client, people, "review").removeprefix("/api/v1")
    web_sign_in(client, BOTH, BOTH_PW)
    client.cookies.set("autolend_lang", "en")
    page = client.get(path).text
    assert 'data-form="send-code"' not in page and NOTE in page and NOTE_EN in page
    answer = post(client, f"{path}/sign")
    assert answer.status_code == 403 and SIGN_EN in answer.text
    client.cookies.set("autolend_lang", "zh_CN")
    answer = post(client, f"{path}/sign")
    assert answer.status_code == 403 and SIGN_ZH in answer.text and sms.received == []
    web_sign_in(client, "servicing", "pw-servicing-long")
    page = client.get(path).text
    assert 'data-form="send-code"' in page and NOTE not in page
    assert post(client, f"{path}/sign").status_code == 303
    assert post(client, f"{path}/sign", {"code": sent_code(sms)}).status_code == 303
    web_sign_in(client, BOTH, BOTH_PW)
    page = client.get(path).text
    assert 'data-form="disburse"' not in page and NOTE in page
    for lang, words in (("en", PAY_EN), ("zh_CN", PAY_ZH)):
        client.cookies.set("autolend_lang", lang)
        answer = post(client, f"{path}/disburse", {"idempotency_key": f"both-{lang}"})
        assert answer.status_code == 403 and words in answer.text, lang
    web_sign_in(client, "servicing", "pw-servicing-long")
    page = client.get(path).text
    assert 'data-form="disburse"' in page and NOTE not in page
    assert post(client, f"{path}/disburse", {"idempotency_key": "servicing"}).status_code == 303


def test_a_dealer_merely_named_on_a_borrowers_own_application_signs_nothing_of_it(
    client: TestClient,
    people: dict[str, Any],
    sms: SmsSandbox,  # noqa: F811
) -> None:
    """The borrower applied online naming dealer 1: the loan names dealer 1 too, yet
    dealer 1 did not file it and neither asks for its code nor signs it with the code
    through the contracts API (the application itself it does not even reach). The
    borrower signs."""
    borrower, dealer = people["borrower"], people["dealer"]
    own = application_body()["applicants"][0] | {"id_number": OWN_ID, "mobile": "13900139000"}
    body = application_body(channel="borrower", applicants=[own])
    assert body["vehicle"]["dealer_id"] == 1
    app = f"{APPLICATIONS}/{_ok(client.post(APPLICATIONS, json=body, headers=borrower), 201)['id']}"
    _ok(client.post(f"{app}/submit", headers=borrower))
    _ok(client.post(f"{app}/review", json=APPROVE, headers=people["underwriter"]))
    loan_id = _ok(client.post(f"{app}/accept", json={"option": 1}, headers=borrower))["loan_id"]
    assert _ok(client.get(f"/api/v1/loans/{loan_id}", headers=dealer))["id"] == loan_id
    contract_id = _ok(client.post(f"{app}/sign", json={}, headers=borrower))["contract_id"]
    contract = f"/api/v1/contracts/{contract_id}"
    refused(client.post(f"{contract}/signature-requests", json={}, headers=dealer), SIGNERS_ONLY)
    refused(client.post(f"{contract}/sign", json={"code": sent_code(sms)}, headers=dealer),
            SIGNERS_ONLY)  # fmt: skip
    assert client.post(f"{app}/sign", json={}, headers=dealer).status_code == 404
    assert len(sms.received) == 1
    signed = _ok(client.post(f"{app}/sign", json={"code": sent_code(sms)}, headers=borrower))
    assert signed["status"] == "signed"
