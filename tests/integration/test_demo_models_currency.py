"""The demo's credit models follow the lender's jurisdiction, on both databases: under
``AUTOLEND_JURISDICTION=US`` the demo trains ``default-usd`` on the synthetic applicants'
amounts in dollars beside the yuan ``default`` (the demo applications are CN ones), each
with its monitoring report, so a US application is scored by a model of dollars; under
CN only ``default``, as always. The demo sizes are cut to 1,500 applicants here (seconds)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services import demo_models
from autolend.services.demo_models import DemoModelSeeder
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_origination import us_body, us_product  # noqa: F401 - fixture

pytestmark = pytest.mark.integration


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_models, "TRAIN_ROWS", 1_500)
    monkeypatch.setattr(demo_models, "WINDOW_ROWS", 1_500)


@pytest.mark.usefixtures("small_demo", "us_product")
def test_the_us_demo_registers_a_dollar_model_that_scores_a_us_application(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    s = container.services
    seeded = DemoModelSeeder(s.models, s.model_monitoring).seed("US")
    assert (seeded.trained, seeded.monitored) == (True, True)
    registered = {e.name: e.metadata["currency"] for e in s.models.versions(SYSTEM_ACTOR)}
    assert registered == {"default": "CNY", "default-usd": "USD"}
    usd_card = s.models.describe(SYSTEM_ACTOR, "default-usd").metadata["data"]
    assert usd_card["rows"] == 1_500
    assert {r.name for r in s.model_monitoring.latest(SYSTEM_ACTOR)} == set(registered)
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=us_body(), headers=dealer)
    assert made.status_code == 201, made.text
    done = client.post(f"/api/v1/applications/{made.json()['id']}/submit", headers=dealer)
    decision: dict[str, Any] = done.json()["decision"]
    assert decision["model_version"] == "default-usd@1", decision
    again = DemoModelSeeder(s.models, s.model_monitoring).seed("US")
    assert (again.trained, again.monitored) == (False, False)  # present: left as it is
