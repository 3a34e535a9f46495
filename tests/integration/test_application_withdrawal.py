"""Withdrawing an application after its offer was accepted, on both databases: until the
dealer is paid the borrower may walk away; the loan booked on acceptance is cancelled,
the contract voided (registered in the hash chain), a code sent before signs nothing,
and nothing can move money on the cancelled loan. The loans API does not pay the loan
out (its application does, once signed), so it keeps nothing from being withdrawn. After
the payout it is refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from autolend.adapters.db import contract_tables as ct
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_borrower_numbers_agree import approved
from tests.integration.test_contracts import contract_check, sent_code, sms  # noqa: F401
from tests.integration.test_eod_runner import verified
from tests.integration.test_loans_api import as_role
from tests.support.messaging import SmsSandbox
from tests.support.origination import referring_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration


def _ok(answer: Any, status: int = 200) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    return dict(answer.json())


def accepted(client: TestClient, staff: dict[Role, str]) -> tuple[str, int]:
    """A standard new-car application approved and its offer 1 accepted by the dealer:
    its API path and the loan booked."""
    app = approved(client, staff, "STD_NEW")
    dealer = as_role(client, staff, Role.DEALER)
    loan_id = _ok(client.post(f"{app}/accept", json={"option": 1}, headers=dealer))["loan_id"]
    return app, int(loan_id)


def code_sent(
    client: TestClient, staff: dict[Role, str], app: str, inbox: SmsSandbox
) -> tuple[int, str]:
    """The dealer asks for a signing code: the contract issued and the code the SMS bore."""
    dealer = as_role(client, staff, Role.DEALER)
    contract_id = _ok(client.post(f"{app}/sign", json={}, headers=dealer))["contract_id"]
    return int(contract_id), sent_code(inbox)


def sign(client: TestClient, staff: dict[Role, str], app: str, inbox: SmsSandbox) -> int:
    """The dealer signs the accepted application ``app`` with the code sent: its contract."""
    contract_id, code = code_sent(client, staff, app, inbox)
    _ok(
        client.post(f"{app}/sign", json={"code": code}, headers=as_role(client, staff, Role.DEALER))
    )
    return contract_id


def signed(client: TestClient, staff: dict[Role, str], inbox: SmsSandbox) -> tuple[str, int, int]:
    """An application accepted and signed by the dealer with the code sent: its API path,
    its loan and its contract."""
    app, loan_id = accepted(client, staff)
    return app, loan_id, sign(client, staff, app, inbox)


def paid_out(
    client: TestClient, staff: dict[Role, str], app: str, inbox: SmsSandbox
) -> dict[str, Any]:
    """The accepted application ``app`` signed by the dealer and paid out by servicing
    through the application, the one way its loan is paid out: the payout's answer."""
    sign(client, staff, app, inbox)
    servicing = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"pay-{app}"}
    return _ok(client.post(f"{app}/disburse", headers=servicing), 201)


def paid_directly(client: TestClient, staff: dict[Role, str], loan_id: int) -> Any:
    """Servicing asks the loans API to pay the booked loan out (not the application):
    the answer, whatever it is."""
    servicing = as_role(client, staff, Role.SERVICING)
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    body = {"amount": loan["principal"], "currency": "CNY", "value_date": loan["start_date"]}
    return client.post(f"/api/v1/loans/{loan_id}/disbursements", json=body,
                       headers=servicing | {"Idempotency-Key": f"direct-{loan_id}"})  # fmt: skip


def registry_events(container: Container) -> list[tuple[int, str]]:
    with container.engine.connect() as conn:
        rows = conn.execute(select(ct.contract_registry).order_by(ct.contract_registry.c.seq))
        return [(row.contract_id, row.event) for row in rows]


def test_a_signed_application_withdrawn_before_payout_cancels_its_loan_and_contract(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    app, loan_id, contract_id = signed(client, staff, sms)
    dealer = as_role(client, staff, Role.DEALER)
    withdrawn = client.post(f"{app}/withdraw", json={"reason": "bought elsewhere"},
                            headers=dealer)  # fmt: skip
    assert _ok(withdrawn)["status"] == "withdrawn"
    servicing = as_role(client, staff, Role.SERVICING)
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    today = container.services.clock.today().isoformat()
    assert (loan["status"], loan["closed_on"]) == ("cancelled", today)
    contract = _ok(client.get(f"/api/v1/contracts/{contract_id}", headers=servicing))
    assert contract["status"] == "voided"
    assert registry_events(container)[-3:] == [
        (contract_id, "issued"), (contract_id, "signed"), (contract_id, "voided")
    ]  # fmt: skip
    assert contract_check(container) == ()
    verified(container, container.services.clock.today())
    listed = _ok(client.get("/api/v1/loans?status=cancelled", headers=servicing))["items"]
    assert [item["id"] for item in listed] == [loan_id]


def test_nothing_moves_money_on_a_cancelled_loan_and_a_code_sent_before_signs_nothing(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    app, loan_id = accepted(client, staff)
    dealer = as_role(client, staff, Role.DEALER)
    contract_id, code = code_sent(client, staff, app, sms)
    _ok(client.post(f"{app}/withdraw", json={"reason": ""}, headers=dealer))
    servicing = as_role(client, staff, Role.SERVICING)
    refused = [
        client.post(f"{app}/sign", json={"code": code}, headers=dealer),
        client.post(f"/api/v1/contracts/{contract_id}/sign", json={"code": code},
                    headers=servicing),
        client.post(f"{app}/disburse", headers=servicing | {"Idempotency-Key": "w-1"}),
        client.post(f"/api/v1/loans/{loan_id}/disbursements",
                    json={"amount": "100000.00", "currency": "CNY", "value_date": "2026-01-05"},
                    headers=servicing | {"Idempotency-Key": "w-2"}),
        client.post(f"/api/v1/loans/{loan_id}/repayments",
                    json={"amount": "100.00", "currency": "CNY", "value_date": "2026-01-05",
                          "channel": "bank_transfer", "reference": "r"},
                    headers=servicing | {"Idempotency-Key": "w-3"}),
    ]  # fmt: skip
    assert [r.status_code for r in refused] == [409] * len(refused), [r.text for r in refused]
    assert "void" in refused[1].json()["error"]["message"]
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    assert (loan["status"], loan["disbursed"]) == ("cancelled", "0.00")
    assert _ok(client.get(f"/api/v1/loans/{loan_id}/ledger", headers=servicing))["items"] == []


def test_an_application_paid_out_cannot_be_withdrawn_and_nothing_changes(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    app, loan_id, _ = signed(client, staff, sms)
    dealer = as_role(client, staff, Role.DEALER)
    servicing = as_role(client, staff, Role.SERVICING)
    _ok(client.post(f"{app}/disburse", headers=servicing | {"Idempotency-Key": app}), 201)
    refused = client.post(f"{app}/withdraw", json={"reason": "changed my mind"}, headers=dealer)
    assert refused.status_code == 409, refused.text
    assert "can no longer be withdrawn" in refused.json()["error"]["message"]
    assert _ok(client.get(app, headers=dealer))["status"] == "disbursed"
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    assert loan["status"] == "active"


def test_the_loans_api_refuses_to_pay_out_an_accepted_application_and_it_may_be_withdrawn(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """The loan booked at acceptance is paid out only through its application (once its
    contract is signed): the loans API answers 409 naming the application and posts
    nothing, so the dealer may still withdraw it. Before, servicing paid it out there
    before the contract was signed, and the application could no longer be withdrawn."""
    app, loan_id = accepted(client, staff)
    app_id = app.rsplit("/", 1)[-1]
    refused = paid_directly(client, staff, loan_id)
    assert refused.status_code == 409, refused.text
    assert f"application {app_id}" in refused.json()["error"]["message"]
    servicing = as_role(client, staff, Role.SERVICING)
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    assert (loan["status"], loan["disbursed"]) == ("booked", "0.00")
    assert _ok(client.get(f"/api/v1/loans/{loan_id}/ledger", headers=servicing))["items"] == []
    dealer = as_role(client, staff, Role.DEALER)
    withdrawn = client.post(f"{app}/withdraw", json={"reason": ""}, headers=dealer)
    assert _ok(withdrawn)["status"] == "withdrawn"
    loan = _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))
    assert loan["status"] == "cancelled"


def test_the_dealer_withdraws_an_accepted_application_from_its_page(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app, loan_id = accepted(client, staff)
    app_id = app.rsplit("/", 1)[-1]
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-form="withdraw"' in page and "已登记的贷款将被取消" in page
    fields = {"reason": "客户改变主意", "csrf_token": csrf(page)}
    moved = client.post(f"/applications/{app_id}/withdraw", data=fields, follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/applications/{app_id}?done=withdrawn"
    page = client.get(moved.headers["location"]).text
    assert "申请已撤回" in page and 'data-form="withdraw"' not in page
    web_sign_in(client, staff, Role.SERVICING)
    assert 'data-loan-status="cancelled"' in client.get(f"/loans/{loan_id}").text


def test_a_withdrawn_applications_contract_reads_void_beside_its_pdf(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """The page linked "The contract (PDF)" after the withdrawal, nothing saying it was
    voided (found 2027-02)."""
    app, _loan_id = accepted(client, staff)
    code_sent(client, staff, app, sms)
    app_id = app.rsplit("/", 1)[-1]
    web_sign_in(client, staff, Role.DEALER)
    page = client.get(f"/applications/{app_id}").text
    assert 'data-action="contract-pdf"' in page and "data-contract-void" not in page
    dealer = as_role(client, staff, Role.DEALER)
    _ok(client.post(f"{app}/withdraw", json={"reason": "bought elsewhere"}, headers=dealer))
    for lang, said in (("en", "Void: the application was withdrawn"), ("zh_CN", "已作废")):
        client.cookies.set("autolend_lang", lang)
        card = client.get(f"/applications/{app_id}").text.split('data-section="contract"')[1]
        assert "data-contract-void" in card and said in card.split("</div>")[0]


def test_verify_names_a_cancelled_loan_that_holds_journal_entries(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """A cancelled loan never held money: one whose status was set to cancelled after it
    was paid out (a tampered row) breaks invariant 5, naming the loan."""
    app, loan_id = accepted(client, staff)
    paid_out(client, staff, app, sms)
    with container.engine.begin() as conn:
        conn.execute(update(t.loans).where(t.loans.c.id == loan_id).values(status="cancelled"))
    report = container.services.verify.run(container.services.clock.today())
    bounds = next(c for c in report.checks if c.name == "bounds")
    assert any(
        v.startswith(f"cancelled loan {loan_id} has ") and v.endswith("journal entries")
        for v in bounds.violations
    ), bounds.violations


def test_a_contract_issued_for_the_loan_through_the_contracts_api_is_voided_by_the_withdrawal(
    client: TestClient,
    staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
) -> None:
    """Before, only the application's own contract was voided: another one issued for its
    loan could still be sent a code and signed for the cancelled loan."""
    app, loan_id = accepted(client, staff)
    servicing = as_role(client, staff, Role.SERVICING)
    vehicle = {"vin": "LGXCE6CB3N0123459", "make": "BYD", "model": "Han", "powertrain": "NEV"}
    issued = client.post("/api/v1/contracts", json={"loan_id": loan_id, "vehicle": vehicle},
                         headers=servicing)  # fmt: skip
    other = _ok(issued, 201)["id"]
    dealer = as_role(client, staff, Role.DEALER)
    _ok(client.post(f"{app}/withdraw", json={"reason": "changed mind"}, headers=dealer))
    asked = client.post(f"/api/v1/contracts/{other}/signature-requests", json={}, headers=dealer)
    assert asked.status_code == 409, asked.text
    assert "void" in asked.json()["error"]["message"]
    assert _ok(client.get(f"/api/v1/contracts/{other}", headers=servicing))["status"] == "voided"


def test_a_loan_is_signed_for_once_and_no_other_contract_is_issued_or_signed_after(
    client: TestClient,
    staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
) -> None:
    """Two contracts of one loan (one issued through the contracts API beside the
    application's): once the application's is signed, the other can be neither sent a code
    nor signed, and no new one is issued."""
    app, loan_id = accepted(client, staff)
    servicing = as_role(client, staff, Role.SERVICING)
    vehicle = {"vin": "LGXCE6CB3N0123459", "make": "BYD", "model": "Han", "powertrain": "NEV"}
    body = {"loan_id": loan_id, "vehicle": vehicle}
    other = _ok(client.post("/api/v1/contracts", json=body, headers=servicing), 201)["id"]
    contract_id = sign(client, staff, app, sms)
    dealer = as_role(client, staff, Role.DEALER)
    asked = client.post(f"/api/v1/contracts/{other}/signature-requests", json={}, headers=dealer)
    assert asked.status_code == 409, asked.text
    assert f"contract no. {contract_id} is signed already" in asked.json()["error"]["message"]
    again = client.post("/api/v1/contracts", json=body, headers=servicing)
    assert again.status_code == 409, again.text
