"""An approval by the model above the policy's second-approval limit waits for a person:
the application goes to ``pending_second`` (its offers stored, none acceptable yet); an
underwriter confirms it and the offer can then be accepted, or the applicant withdraws
meanwhile. (Found 2026-11-30: such an application was approved, accepted, signed and
paid out, 451,500.00, with no person in its history, the decision saying
``second_approval_required``.) Both databases, the bureau sandbox and the model real."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_origination_api import (  # noqa: F401 - fixtures
    bureau,
    container,
    model,
    sms,
)
from tests.support.origination import application_body

pytestmark = pytest.mark.integration


@pytest.fixture
def dealer(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.DEALER)


def submitted(client: TestClient, headers: dict[str, str], price: str, down: str) -> Any:
    body = application_body(down_payment=down)
    body["vehicle"]["price"] = price
    made = client.post("/api/v1/applications", json=body, headers=headers)
    assert made.status_code == 201, made.text
    decided = client.post(f"/api/v1/applications/{made.json()['id']}/submit", headers=headers)
    assert decided.status_code == 200, decided.text
    return decided.json()


def test_the_models_approval_above_the_limit_waits_for_an_underwriter_to_confirm(
    client: TestClient, staff: dict[Role, str], dealer: dict[str, str]
) -> None:
    large = submitted(client, dealer, "500000.00", "150000.00")  # 350,000.00 financed
    app_id = large["id"]
    assert large["decision"]["outcome"] == "approve", large["decision"]
    assert large["decision"]["second_approval_required"] is True
    assert large["status"] == "pending_second" and large["offers"]
    accept = {"option": 1}
    early = client.post(f"/api/v1/applications/{app_id}/accept", json=accept, headers=dealer)
    assert early.status_code == 409 and "after approval" in early.json()["error"]["message"]

    underwriter = as_role(client, staff, Role.UNDERWRITER)
    queue = client.get("/api/v1/review-queue", headers=underwriter).json()
    assert app_id in [item["id"] for item in queue["items"]]
    confirm = {"approve": True, "reason": "income and the car's price checked"}
    url = f"/api/v1/applications/{app_id}/second-approval"
    done = client.post(url, json=confirm, headers=underwriter)
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text
    taken = client.post(f"/api/v1/applications/{app_id}/accept", json=accept, headers=dealer)
    assert taken.status_code == 200, taken.text


def test_below_the_limit_the_model_approves_alone_and_a_waiting_one_can_be_withdrawn(
    client: TestClient, dealer: dict[str, str]
) -> None:
    small = submitted(client, dealer, "200000.00", "60000.00")  # 140,000.00 financed
    assert small["status"] == "approved"
    assert small["decision"]["second_approval_required"] is False
    large = submitted(client, dealer, "500000.00", "150000.00")
    assert large["status"] == "pending_second"
    reason = {"reason": "the customer bought a cheaper car"}
    url = f"/api/v1/applications/{large['id']}/withdraw"
    gone = client.post(url, json=reason, headers=dealer)
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn", gone.text
