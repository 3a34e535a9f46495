"""A policy simulation replays a ``no_model`` referral as one, on both databases.

A USD application with no dollar model registered is referred with ``no_model``; the
facts snapshot stored with the decision did not keep why it had no score, so its replay
referred it with ``score_unavailable`` instead ("the credit assessment could not be
completed"). The snapshot now keeps ``no_model_for``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.decision import decide
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.services.policy_simulation import _Gatherer
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_origination import sms, us_body, us_product  # noqa: F401
from tests.support.origination import referring_container  # noqa: F401 - no model, no bureau

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("us_product")]


def test_a_no_model_referral_is_replayed_with_no_model_not_score_unavailable(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=us_body(), headers=dealer)
    assert made.status_code == 201, made.text
    app_id = made.json()["id"]
    done = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert done.status_code == 200, done.text
    stored = [h["rule"] for h in done.json()["decision"]["rule_hits"] if h["field"] == "score"]
    assert stored == ["no_model"]
    with container.uow() as uow:
        row = uow.applications.get(app_id)
        assert row is not None
        cases, skipped = _Gatherer(uow, container.cipher, container.services.clock).cases([row])
    assert skipped == () and cases[0].facts.no_model_for == "USD"
    replayed = decide(cases[0].facts, DEFAULT_POLICY)
    assert [h.rule for h in replayed.rule_hits if h.field == "score"] == ["no_model"]
    assert [r.code for r in replayed.reasons] == [
        r["code"] for r in done.json()["decision"]["reasons"]
    ]
