"""An application's contract and its signing, on both databases: a contract signed
through the contracts API (or whose application move failed after the signature) moves
the application to ``signed`` instead of leaving it in ``signing`` for good; two requests
for a code at the same moment (a double click) send codes of one and the same contract;
only the applicant, the application's dealer and servicing ask for a code or sign, as on
the contracts API (an underwriter, who reaches every application, does not)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services.origination import OriginationService
from tests.integration.test_application_pages import OWN_ID
from tests.integration.test_borrower_numbers_agree import _ok, approved
from tests.integration.test_contracts import sent_code, sms  # noqa: F401 - fixture
from tests.integration.test_loans_api import as_role, sign_in
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration


def accepted(client: TestClient, staff: dict[Role, str]) -> str:
    """A standard new-car application, approved by a person and its offer 1 accepted."""
    app = approved(client, staff, "STD_NEW")
    _ok(
        client.post(
            f"{app}/accept", json={"option": 1}, headers=as_role(client, staff, Role.DEALER)
        )
    )
    return app


def test_a_contract_signed_through_the_contracts_api_moves_its_application_to_signed(
    client: TestClient,
    staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
) -> None:
    app = accepted(client, staff)
    dealer = as_role(client, staff, Role.DEALER)
    contract_id = _ok(client.post(f"{app}/sign", json={}, headers=dealer))["contract_id"]
    signed = client.post(f"/api/v1/contracts/{contract_id}/sign", json={"code": sent_code(sms)},
                         headers=dealer)  # fmt: skip
    assert signed.status_code == 200, signed.text
    assert _ok(client.get(app, headers=dealer))["status"] == "signing"
    # before: "the contract is already signed" on every try, and no way out of signing
    moved = _ok(client.post(f"{app}/sign", json={"code": "000000"}, headers=dealer))
    assert moved["status"] == "signed" and moved["contract"]["id"] == contract_id
    assert _ok(client.get(app, headers=dealer))["status"] == "signed"
    servicing = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"pay-{app}"}
    _ok(client.post(f"{app}/disburse", headers=servicing), 201)
    assert _ok(client.get(app, headers=dealer))["status"] == "disbursed"


def test_two_requests_for_a_code_at_once_send_codes_of_one_contract(
    client: TestClient, container: Container, staff: dict[Role, str],
    sms: SmsSandbox, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:  # fmt: skip
    """The second click arrives while the first is drawing its contract: before, each
    issued a contract and sent its code, and the newest text's code was refused as wrong
    on the application, which kept the first."""
    app = accepted(client, staff)
    app_id = int(app.rsplit("/", 1)[1])
    token = as_role(client, staff, Role.DEALER)["Authorization"].removeprefix("Bearer ")
    dealer = container.services.auth.actor_for_token(token)
    origination = container.services.origination
    original = OriginationService._issue
    clicks: list[dict[str, Any]] = []
    other_click = [True]

    def drawing(self: OriginationService, *args: Any, **kwargs: Any) -> int:
        if other_click.pop() if other_click else False:  # it comes in meanwhile, ends first
            clicks.append(origination.sign(dealer, app_id, code=None))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(OriginationService, "_issue", drawing)
    first = origination.sign(dealer, app_id, code=None)
    assert first["contract_id"] == clicks[0]["contract_id"]
    container.services.notifications.dispatch()
    assert len(sms.received) == 2  # two texts, both for the application's contract
    signed = origination.sign(dealer, app_id, code=sent_code(sms))
    assert signed["status"] == "signed" and signed["contract"]["id"] == first["contract_id"]
    # the contract the first click drew is voided, not left open to be signed later
    with container.uow() as uow:
        loan_id = signed["contract"]["loan_id"]
        statuses = {c.id: c.status for c in uow.contracts.for_loan(loan_id)}
    assert sorted(statuses.values()) == ["signed", "voided"], statuses


@pytest.mark.parametrize(
    "role", [Role.UNDERWRITER, Role.RISK, Role.COMPLIANCE, Role.AUDITOR, Role.COLLECTOR, Role.ADMIN]
)
def test_only_the_applicant_the_dealer_or_servicing_may_ask_for_a_code_or_sign_the_application(
    client: TestClient,
    staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
    role: Role,
) -> None:
    """An underwriter (who reaches every application and may file one) asked for the
    borrower's code through the application and signed the contract with it; the
    contracts API refuses them. Now the application route follows its rule: servicing
    may, as there."""
    app = accepted(client, staff)
    other = as_role(client, staff, role)
    asked = client.post(f"{app}/sign", json={}, headers=other)
    assert asked.status_code == 403, asked.text
    assert sms.received == []
    dealer = as_role(client, staff, Role.DEALER)
    assert _ok(client.get(app, headers=dealer))["status"] == "accepted"
    _ok(client.post(f"{app}/sign", json={}, headers=dealer))
    signed = client.post(f"{app}/sign", json={"code": sent_code(sms)}, headers=other)
    assert signed.status_code == 403, signed.text
    if role is not Role.COLLECTOR:  # reads no applications: refused before the service
        assert "only the borrower, their dealer or servicing" in signed.json()["error"]["message"]
    assert _ok(client.get(app, headers=dealer))["status"] == "signing"
    servicing = as_role(client, staff, Role.SERVICING)
    _ok(client.post(f"{app}/sign", json={}, headers=servicing))
    done = _ok(client.post(f"{app}/sign", json={"code": sent_code(sms)}, headers=servicing))
    assert done["status"] == "signed"


def test_a_borrower_signs_their_own_application_and_another_borrower_cannot_reach_it(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    sms: SmsSandbox,  # noqa: F811
) -> None:
    """The applicant themselves: a borrower who filed for themselves asks for the code
    and signs; the code goes to their own mobile."""
    borrower = as_role(client, staff, Role.BORROWER)
    mine = application_body(channel="borrower")
    mine["applicants"][0] |= {"id_number": OWN_ID, "mobile": "13900139000"}
    made = _ok(client.post("/api/v1/applications", json=mine, headers=borrower), 201)
    app = f"/api/v1/applications/{made['id']}"
    assert _ok(client.post(f"{app}/submit", headers=borrower))["status"] == "referred"
    approve = {"action": "approve", "reason": "income and car checked"}
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    _ok(client.post(f"{app}/review", json=approve, headers=underwriter))
    _ok(client.post(f"{app}/accept", json={"option": 1}, headers=borrower))
    container.services.users.create(SYSTEM_ACTOR, username="stranger",
                                    password="pw-stranger-long", roles=["borrower"])  # fmt: skip
    stranger = sign_in(client, "stranger", "pw-stranger-long")
    assert client.post(f"{app}/sign", json={}, headers=stranger).status_code == 404
    borrower = as_role(client, staff, Role.BORROWER)
    assert _ok(client.post(f"{app}/sign", json={}, headers=borrower))["messages"]
    assert sms.received[-1]["to"] == "13900139000"
    signed = _ok(client.post(f"{app}/sign", json={"code": sent_code(sms)}, headers=borrower))
    assert signed["status"] == "signed"
