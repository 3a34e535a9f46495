"""The OpenAPI document says what the applications API answers, and says it truly: a
dealer files, submits (the bureau sandbox and a credit model decide), reads, accepts,
signs with the code sent by SMS, and servicing pays out; every answer validates against
the model the document names for its route (each forbids fields it does not name)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolend.api.schema_application_responses import (
    AcceptedOffer,
    ApplicationOffer,
    ApplicationOffers,
    ApplicationView,
    ContractSigned,
    SigningStarted,
    SubmittedApplication,
)
from autolend.api.schema_money_responses import ApplicationDisbursement
from autolend.domain.access import Role
from tests.integration import test_origination_api as origination
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.support.documented_models import answered, check_document
from tests.support.messaging import SmsSandbox
from tests.support.origination import application_body

pytestmark = pytest.mark.integration
# The origination API's fixtures: its container (the bureau sandbox, a trained model, the
# SMS sandbox), and a signed-in dealer.
model, sms, bureau = origination.model, origination.sms, origination.bureau
container, dealer = origination.container, origination.dealer
APPLICATIONS = "/api/v1/applications"
DOCUMENTED: dict[tuple[str, str, str], type[BaseModel]] = {
    ("post", APPLICATIONS, "201"): ApplicationView,
    ("get", APPLICATIONS + "/{application_id}", "200"): ApplicationView,
    ("post", APPLICATIONS + "/{application_id}/submit", "200"): SubmittedApplication,
    ("get", APPLICATIONS + "/{application_id}/offers", "200"): ApplicationOffers,
    ("post", APPLICATIONS + "/{application_id}/accept", "200"): AcceptedOffer,
    ("post", APPLICATIONS + "/{application_id}/disburse", "201"): ApplicationDisbursement,
}


def test_each_application_answer_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, staff: dict[Role, str], dealer: dict[str, str], sms: SmsSandbox
) -> None:
    filed = client.post(APPLICATIONS, json=application_body(), headers=dealer)
    one = f"{APPLICATIONS}/{answered(filed, 201, ApplicationView)['id']}"
    decided = answered(client.post(f"{one}/submit", headers=dealer), 200, SubmittedApplication)
    assert decided["status"] == "approved" and decided["offers"], decided["decision"]
    answered(client.get(f"{one}/offers", headers=dealer), 200, ApplicationOffers)
    answered(client.post(f"{one}/accept", json={"option": 1}, headers=dealer), 200,
             AcceptedOffer)  # fmt: skip
    answered(client.post(f"{one}/sign", json={}, headers=dealer), 200, SigningStarted)
    code = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert code is not None, sms.received
    signed = client.post(f"{one}/sign", json={"code": code[1]}, headers=dealer)
    answered(signed, 200, ContractSigned)
    payer = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "pay-1"}
    answered(client.post(f"{one}/disburse", headers=payer), 201, ApplicationDisbursement)
    answered(client.get(one, headers=dealer), 200, ApplicationView)  # masked, no facts
    staff_view = client.get(one, headers=as_role(client, staff, Role.UNDERWRITER))
    assert answered(staff_view, 200, ApplicationView)["events"][1]["detail"]["facts"]


def test_the_document_names_each_model_as_its_route_s_success_answer(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    sign = document["paths"][APPLICATIONS + "/{application_id}/sign"]["post"]["responses"]
    refs = sign["200"]["content"]["application/json"]["schema"]["anyOf"]
    assert refs == [{"$ref": "#/components/schemas/SigningStarted"},
                    {"$ref": "#/components/schemas/ContractSigned"}]  # fmt: skip
    more = (ApplicationOffer, SigningStarted)
    check_document(document, DOCUMENTED, more, examples_required=False)
