"""The OpenAPI document says what the products, credit-model, bureau-report and
document-upload routes answer, and says it truly: staff read the demo catalogue (a product
with a late fee, one with a subsidy, one with step weights) and publish a version; the
risk role reads a registered model with and without its curves; an underwriter reads the
full report a bureau sent (the sandbox's report of a CN resident); a dealer uploads an ID
photo to an application. Every answer, on both databases, validates against the model the
document names for its route (each forbids fields it does not name), and so does each
model's example."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolend.adapters.clock import FixedClock
from autolend.api import schema_catalogue_responses as catalogue
from autolend.api import schema_report_responses as reports
from autolend.api.schema_catalogue_responses import ModelDescription, ProductVersion
from autolend.api.schema_contract_responses import UploadedDocument
from autolend.api.schema_report_responses import BureauReport
from autolend.bootstrap import Container
from autolend.bureau_sandbox.reports import build_report
from autolend.domain.access import Role
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_codec import product_to_dict
from autolend.services.model_ports import NewModelVersion
from tests.integration import test_bureau_answers as answers
from tests.integration import test_model_risk as risk
from tests.integration.test_loans_api import as_role
from tests.support.documented_models import answered, check_document
from tests.support.origination import application_body, origination_container

pytestmark = pytest.mark.integration
# A bureau that answers every query with ``bureau.body``, and the small model trained
# once for this module (registered as ``tiny``).
bureau, baseline, training, trained = answers.bureau, risk.baseline, risk.training, risk.trained
ORDINARY = "110105199001010037"  # the sandbox's ordinary file: accounts, inquiries
DOCUMENTED: dict[tuple[str, str, str], type[BaseModel]] = {
    ("get", "/api/v1/products/{code}", "200"): ProductVersion,
    ("post", "/api/v1/products", "201"): ProductVersion,
    ("get", "/api/v1/models/{name}", "200"): ModelDescription,
    ("get", "/api/v1/customers/{customer_id}/bureau-reports/{query_id}", "200"): BureauReport,
    ("post", "/api/v1/applications/{application_id}/documents", "201"): UploadedDocument,
}
NESTED = (
    catalogue.ProductEligibility, catalogue.ProductFee, catalogue.ProductSubsidySpec,
    catalogue.ProductLateFee, catalogue.ModelData, catalogue.ModelFeature,
    catalogue.ModelMetrics, catalogue.ModelCard, reports.ReportSubject, reports.ReportAccount,
    reports.ReportDelinquencies, reports.ReportInquiry, reports.ReportInquiries,
    reports.ReportTotals,
)  # fmt: skip
LISTS = ("/api/v1/products", "/api/v1/products/{code}/versions")
"""Routes that answer a list of product versions."""


@pytest.fixture
def container(
    db_url: str, tmp_path: Path, clock: FixedClock, bureau: answers.FakeBureau,
    trained: NewModelVersion,
) -> Iterator[Container]:  # fmt: skip
    """The demo catalogue, the model ``tiny``, and the bureau, which sends the sandbox's
    report of an ordinary CN file."""
    report = build_report(ORDINARY, "王芳", date(2026, 11, 28))
    bureau.body = json.dumps(report, ensure_ascii=False).encode()
    with origination_container(db_url, tmp_path, clock, trained, bureau_url=bureau.url,
                               bureau_retries=1, bureau_backoff_seconds=0.0) as built:  # fmt: skip
        yield built


def listed(response: Any, model: type[BaseModel]) -> list[dict[str, Any]]:
    """A 200 list, each item of which ``model`` accepts."""
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    for item in items:
        model.model_validate(item)
    return items


def test_each_product_answer_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, staff: dict[Role, str]
) -> None:
    admin = as_role(client, staff, Role.ADMIN)
    today = listed(client.get("/api/v1/products", headers=admin), ProductVersion)
    kinds = {(p["late_fee"] is None, p["subsidy"] is None, p["step_weights"] is None)
             for p in today}  # fmt: skip
    assert {(False, True, True), (True, False, True), (True, True, False)} <= kinds
    used = answered(client.get("/api/v1/products/USED_CAR", headers=admin), 200, ProductVersion)
    assert used["late_fee"] == {"amount": "50.00", "after_days": 15}
    history = client.get("/api/v1/products/NEV_GREEN/versions", headers=admin)
    assert [v["version"] for v in listed(history, ProductVersion)] == [2, 1]
    body = product_to_dict(STANDARD_NEW) | {"effective_from": "2026-12-01"}
    made = client.post("/api/v1/products", json=body, headers=admin)
    assert answered(made, 201, ProductVersion)["version"] == 2


def test_a_model_is_described_as_its_documented_model_names_with_or_without_curves(
    client: TestClient, staff: dict[Role, str]
) -> None:
    risk_role = as_role(client, staff, Role.RISK)
    light = answered(client.get("/api/v1/models/tiny", headers=risk_role), 200, ModelDescription)
    assert "roc" not in light["card"] and light["card"]["columns"] is not None
    full = client.get("/api/v1/models/tiny?curves=true", headers=risk_role)
    card = answered(full, 200, ModelDescription)["card"]
    curves = ("roc", "ks_curve", "reliability", "score_distribution", "bins")
    assert all(card[name] for name in curves)


def test_the_full_bureau_report_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, staff: dict[Role, str]
) -> None:
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    person = {"name": "王芳", "id_number": ORDINARY, "phone": "13900139000"}
    made = client.post("/api/v1/customers", json=person, headers=underwriter)
    customer = f"/api/v1/customers/{made.json()['id']}"
    consent = {"kind": "bureau_query", "text_version": "BQ-2026-01"}
    assert client.post(f"{customer}/consents", json=consent, headers=underwriter).is_success
    queried = client.post(f"{customer}/bureau-reports", json={"purpose": "loan_application"},
                          headers=underwriter)  # fmt: skip
    assert queried.status_code == 201, queried.text
    full = client.get(f"{customer}/bureau-reports/{queried.json()['id']}", headers=underwriter)
    report = answered(full, 200, BureauReport)
    assert report["subject"]["id_number"] == ORDINARY and report["accounts"]
    assert report["inquiries"]["records"]


def test_an_uploaded_document_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, staff: dict[Role, str]
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    filed = client.post("/api/v1/applications", json=application_body(), headers=dealer)
    assert filed.status_code == 201, filed.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    uploaded = client.post(f"/api/v1/applications/{filed.json()['id']}/documents?kind=id_front",
                           content=png, headers=dealer | {"Content-Type": "image/png"})  # fmt: skip
    document = answered(uploaded, 201, UploadedDocument)
    assert (document["kind"], document["size"]) == ("id_front", len(png))


def test_the_document_names_each_model_as_its_route_s_success_answer(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    check_document(document, DOCUMENTED)
    check_document(document, {}, NESTED, examples_required=False)
    for path in LISTS:
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]
        items = schema["application/json"]["schema"]["items"]
        assert items == {"$ref": "#/components/schemas/ProductVersion"}, path
