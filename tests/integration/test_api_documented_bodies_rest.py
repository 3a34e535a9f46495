"""The OpenAPI document says what the contracts, loan-booking and health routes answer,
and says it truly: servicing issues a contract on a booked loan, the borrower reads it,
asks for a code (SMS and e-mail) and signs with it; servicing books a loan from its terms
and migrates one from another system; the load balancer checks liveness and readiness.
Every answer, on both databases, validates against the model the document names for its
route (each forbids fields it does not name), and so does each model's example."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolend.api.schema_contract_responses import (
    ContractSignedView,
    ContractView,
    Liveness,
    Readiness,
    SignatureRequested,
)
from autolend.api.schema_loan_responses import LoanDetail
from autolend.domain.access import Role
from tests.integration import test_contracts as contracts
from tests.integration.test_loan_migration import MIGRATION
from tests.integration.test_loans_api import as_role
from tests.support.documented_models import answered, check_document
from tests.support.messaging import SmsSandbox

pytestmark = pytest.mark.integration
# The contracts module's container: e-mail to a local SMTP server, SMS to a sandbox.
container, mail, sms, loan_id = (
    contracts.container,
    contracts.mail,
    contracts.sms,
    contracts.loan_id,
)
CONTRACT = "/api/v1/contracts/{contract_id}"
DOCUMENTED: dict[tuple[str, str, str], type[BaseModel]] = {
    ("post", "/api/v1/contracts", "201"): ContractView,
    ("get", CONTRACT, "200"): ContractView,
    ("post", CONTRACT + "/signature-requests", "201"): SignatureRequested,
    ("post", CONTRACT + "/sign", "200"): ContractSignedView,
    ("post", "/api/v1/loans", "201"): LoanDetail,
    ("post", "/api/v1/loans/migrations", "201"): LoanDetail,
    ("get", "/healthz", "200"): Liveness,
    ("get", "/readyz", "200"): Readiness,
}


def test_each_contract_answer_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, staff: dict[Role, str], loan_id: int, sms: SmsSandbox
) -> None:
    servicing = as_role(client, staff, Role.SERVICING)
    body = {"loan_id": loan_id, "vehicle": contracts.VEHICLE}
    issued = answered(client.post("/api/v1/contracts", json=body, headers=servicing), 201,
                      ContractView)  # fmt: skip
    assert (issued["status"], issued["locale"], issued["signed_at"]) == ("issued", "zh_CN", None)
    one = f"/api/v1/contracts/{issued['id']}"
    borrower = as_role(client, staff, Role.BORROWER)
    assert answered(client.get(one, headers=borrower), 200, ContractView) == issued
    asked = client.post(f"{one}/signature-requests", json={"email": contracts.EMAIL},
                        headers=borrower)  # fmt: skip
    sent = answered(asked, 201, SignatureRequested)
    assert sent["contract_id"] == issued["id"] and len(sent["messages"]) == 2
    code = contracts.sent_code(sms)
    signed = client.post(f"{one}/sign", json={"code": code}, headers=borrower)
    done = answered(signed, 200, ContractSignedView)
    assert done["status"] == "signed" and done["signed_at"] is not None
    assert len(done["messages"]) == 1


def test_a_loan_booked_or_migrated_answers_the_loan_as_its_documented_model_names(
    client: TestClient, staff: dict[Role, str]
) -> None:
    servicing = as_role(client, staff, Role.SERVICING)
    terms = {key: MIGRATION[key] for key in ("principal", "annual_rate", "periods", "start")}
    extras = {"monthly_fees": {"gps": "30.00"}, "late_fee": {"amount": "50.00", "after_days": 15},
              "collateral": {"price": "15000.00", "energy": "nev", "condition": "new"}}  # fmt: skip
    booked = client.post("/api/v1/loans", json=terms | extras, headers=servicing)
    loan = answered(booked, 201, LoanDetail)
    assert (loan["status"], loan["monthly_fees"]) == ("booked", {"gps": "30.00"})
    assert loan["late_fee"] is not None and loan["collateral"] is not None
    keyed = servicing | {"Idempotency-Key": "documented-migration"}
    migrated = client.post("/api/v1/loans/migrations", json=MIGRATION, headers=keyed)
    assert answered(migrated, 201, LoanDetail)["status"] == "active"


def test_liveness_and_readiness_answer_what_their_documented_models_name(
    client: TestClient,
) -> None:
    assert answered(client.get("/healthz"), 200, Liveness) == {"status": "ok"}
    assert answered(client.get("/readyz"), 200, Readiness) == {"status": "ok", "database": "ok"}


def test_the_document_names_each_model_as_its_route_s_success_answer(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    check_document(document, DOCUMENTED)
