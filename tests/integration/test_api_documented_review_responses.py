"""The OpenAPI document says what the rest of the applications API answers, and says it
truly: a dealer files without a VIN and adds it, lists its applications; the case is
referred (no bureau, no credit model), waits in the review queue, an underwriter
counter-offers at a rate below the decision's so that it waits for a second, who
confirms it; the dealer withdraws it. Every answer, on both databases, validates against
the model the document names for its route (each forbids fields it does not name), and
so does each model's example."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolend.api.schema_application_responses import ApplicationSummary, ApplicationView
from autolend.api.schema_review_responses import (
    ApplicationPage,
    QueuedApplication,
    ReviewQueue,
    ReviewResult,
    VinRecorded,
)
from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration import test_counter_offer_pages as counter_offer_pages
from tests.integration.test_loans_api import as_role
from tests.integration.test_loans_api import sign_in as api_sign_in
from tests.integration.test_rate_override import SECOND, confirmed, reviewed, second_underwriter
from tests.support.documented_models import answered, check_document
from tests.support.origination import VIN, application_body

pytestmark = pytest.mark.integration
# Demo mode with no bureau: every application is referred to a person.
container = counter_offer_pages.container
APPLICATIONS = "/api/v1/applications"
ONE = APPLICATIONS + "/{application_id}"
DOCUMENTED: dict[tuple[str, str, str], type[BaseModel]] = {
    ("get", APPLICATIONS, "200"): ApplicationPage,
    ("post", ONE + "/vin", "200"): VinRecorded,
    ("post", ONE + "/withdraw", "200"): ApplicationView,
    ("get", "/api/v1/review-queue", "200"): ReviewQueue,
    ("post", ONE + "/review", "200"): ReviewResult,
    ("post", ONE + "/second-approval", "200"): ReviewResult,
}


def test_each_review_answer_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    body = application_body()
    del body["vehicle"]["vin"]
    filed = client.post(APPLICATIONS, json=body, headers=dealer)
    app_id = answered(filed, 201, ApplicationView)["id"]
    one = f"{APPLICATIONS}/{app_id}"
    added = client.post(f"{one}/vin", json={"vin": VIN}, headers=dealer)
    assert answered(added, 200, VinRecorded) == {"id": app_id, "vin": VIN}
    assert client.post(f"{one}/submit", headers=dealer).json()["status"] == "referred"
    page = answered(client.get(APPLICATIONS, headers=dealer), 200, ApplicationPage)
    assert [item["id"] for item in page["items"]] == [app_id]
    first = as_role(client, staff, Role.UNDERWRITER)
    queued = answered(client.get("/api/v1/review-queue", headers=first), 200, ReviewQueue)
    assert queued["items"][0]["rate_override"] is None
    counter = {"down_payment": "80000", "term_months": 24}
    waiting = reviewed(client, first, app_id, action="counter_offer", annual_rate="0.0549",
                       **counter)  # fmt: skip
    assert answered(waiting, 200, ReviewResult)["status"] == "pending_second"
    [item] = answered(client.get("/api/v1/review-queue", headers=first), 200,
                      ReviewQueue)["items"]  # fmt: skip
    assert item["counter_offer"]["term_months"] == 24
    assert item["rate_override"]["direction"] == "below"
    second_underwriter(container)
    done = confirmed(client, api_sign_in(client, **SECOND), app_id)
    assert answered(done, 200, ReviewResult)["status"] == "counter_offered"
    gone = client.post(f"{one}/withdraw", json={"reason": "bought elsewhere"}, headers=dealer)
    assert answered(gone, 200, ApplicationView)["status"] == "withdrawn"


def test_the_document_names_each_model_as_its_route_s_success_answer(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    check_document(document, DOCUMENTED, (ApplicationSummary, QueuedApplication))
