"""A credit model is scored only on amounts of its own currency, on both databases.

Origination scored every application with the one ``default`` model, trained on yuan: a
US applicant's $9,000.00 a month read as 9,000 yuan, a low income, so US PDs, prices and
reasons were wrong. Now a version records the currency of its amounts (versions from
before read as CNY), decisioning picks the application's currency's model (``default``
for CNY, ``default-usd`` for USD), and with none for that currency the case goes to a
person saying so, in English and Chinese. No bureau is configured here, so every case is
referred, after scoring."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.errors import InvalidInput
from autolend.services.model_ports import NewModelVersion
from autolend.services.models import TrainRequest
from tests.integration.test_loans_api import as_role
from tests.integration.test_model_risk import application, web_sign_in
from tests.integration.test_us_origination import (  # noqa: F401 - fixtures
    sms,
    us_body,
    us_product,
)
from tests.support.origination import (
    application_body,
    install,
    referring_container,  # noqa: F401 - the container: no bureau, no model
    trained_once,
)

pytestmark = pytest.mark.integration

NO_USD_MODEL_EN = (
    "No credit model is registered for USD amounts, so the application was not scored; "
    "a person will review"
)
NO_USD_MODEL_ZH = "暂无适用于美元金额的信用评分模型，本申请未评分，将转人工审核"


@pytest.fixture(scope="module")
def cny_model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    return trained_once(tmp_path_factory)


@pytest.fixture(scope="module")
def usd_model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    return trained_once(tmp_path_factory, "USD")


def decided(client: TestClient, staff: dict[Role, str], body: dict[str, Any]) -> dict[str, Any]:
    """The decision of ``body``, filed and submitted by the dealer."""
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    assert made.status_code == 201, made.text
    done = client.post(f"/api/v1/applications/{made.json()['id']}/submit", headers=dealer)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "referred"  # no bureau here
    return dict(done.json()["decision"])


def score_hits(decision: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (h["rule"], h["message_en"], h["message_zh"])
        for h in decision["rule_hits"]
        if h["field"] == "score"
    ]


@pytest.mark.usefixtures("us_product")
def test_a_usd_application_is_scored_by_the_usd_model_and_a_cny_one_by_default(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion, usd_model: NewModelVersion,
) -> None:  # fmt: skip
    install(container, cny_model, usd_model)
    dollars = decided(client, staff, us_body())
    assert dollars["model_version"] == "default-usd@1", dollars
    assert dollars["pd"] is not None and score_hits(dollars) == []
    yuan = decided(client, staff, application_body())
    assert yuan["model_version"] == "default@1", yuan


@pytest.mark.usefixtures("us_product")
def test_a_usd_application_with_only_a_cny_model_is_referred_saying_so(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion,
) -> None:  # fmt: skip
    install(container, cny_model)
    decision = decided(client, staff, us_body())
    assert (decision["model_version"], decision["pd"]) == (None, None)
    assert score_hits(decision) == [("no_model", NO_USD_MODEL_EN, NO_USD_MODEL_ZH)]
    assert "no_model" in [r["code"] for r in decision["reasons"]]


@pytest.mark.usefixtures("us_product")
def test_a_yuan_model_registered_under_the_dollar_name_is_never_used(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion,
) -> None:  # fmt: skip
    """Copied into the registry by hand (training refuses it): its metadata says CNY."""
    install(container, replace(cny_model, name="default-usd"))
    decision = decided(client, staff, us_body())
    assert decision["model_version"] is None
    assert score_hits(decision) == [("no_model", NO_USD_MODEL_EN, NO_USD_MODEL_ZH)]


def test_the_registry_keeps_each_versions_currency_and_reads_older_ones_as_cny(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion, usd_model: NewModelVersion,
) -> None:  # fmt: skip
    before = json.loads(cny_model.metadata_json)
    del before["currency"]  # as registered before versions recorded it
    install(container, replace(cny_model, metadata_json=json.dumps(before)), usd_model)
    models = container.services.models
    assert models.describe(SYSTEM_ACTOR, "default-usd").metadata["currency"] == "USD"
    assert models.describe(SYSTEM_ACTOR, "default").metadata["currency"] == "CNY"
    listed = {e.name: e.metadata["currency"] for e in models.versions(SYSTEM_ACTOR)}
    assert listed == {"default": "CNY", "default-usd": "USD"}
    shown = client.get("/api/v1/models/default-usd", headers=as_role(client, staff, Role.RISK))
    assert shown.status_code == 200 and shown.json()["currency"] == "USD"
    with container.uow() as uow:  # the older version still decides CNY applications
        assert models.decision_model_in(uow, "CNY").model_version == "default@1"


@pytest.mark.parametrize(
    ("name", "currency", "message"),
    [
        ("default-usd", "CNY", "'default-usd' is the decision model of USD amounts, not CNY: "
         "train it on USD amounts, or name a CNY model 'default'"),
        ("default", "USD", "'default' is the decision model of CNY amounts, not USD: "
         "train it on CNY amounts, or name a USD model 'default-usd'"),
        ("mine", "XYZ", "unknown currency 'XYZ'; supported ISO 4217 codes: CNY, EUR, GBP, "
         "HKD, JPY, USD"),
    ],
    ids=["yuan_as_default_usd", "dollars_as_default", "unknown_currency"],
)  # fmt: skip
def test_training_refuses_a_currency_its_name_or_iso_4217_does_not_allow(
    container: Container, name: str, currency: str, message: str
) -> None:
    request = TrainRequest(
        container.settings.home / "not-read.csv", "bad", None, name, currency=currency
    )
    with pytest.raises(InvalidInput) as refused:
        container.services.models.train(SYSTEM_ACTOR, request)
    assert (refused.value.field, refused.value.message) == ("currency", message)
    assert container.services.models.versions(SYSTEM_ACTOR) == []


def dollar_applicant() -> dict[str, Any]:
    """One synthetic applicant's feature values, amounts in dollars."""
    from autolend.risk.synth import synthetic_applicants

    return application(synthetic_applicants(3, seed=5, as_of_month="2026-06", currency="USD"))


def test_the_model_list_says_each_versions_currency(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion, usd_model: NewModelVersion,
) -> None:  # fmt: skip
    before = json.loads(cny_model.metadata_json)
    del before["currency"]  # as registered before versions recorded it: yuan
    install(container, replace(cny_model, metadata_json=json.dumps(before)), usd_model)
    listed = client.get("/api/v1/models", headers=as_role(client, staff, Role.RISK))
    assert listed.status_code == 200, listed.text
    assert {m["name"]: m["currency"] for m in listed.json()} == {
        "default": "CNY", "default-usd": "USD",
    }  # fmt: skip


def test_the_risk_pages_show_each_models_currency(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion, usd_model: NewModelVersion,
) -> None:  # fmt: skip
    install(container, cny_model, usd_model)
    web_sign_in(client, staff, Role.RISK)
    registry = client.get("/risk/models").text
    for name, code in (("default", "CNY"), ("default-usd", "USD")):
        row = re.search(rf'<tr data-model="{name}" data-version="1">(.*?)</tr>', registry, re.S)
        assert row is not None and f'data-currency="{code}">{code}<' in row.group(1), name
        card = client.get(f"/risk/models/{name}").text
        assert f'data-currency="{code}">{code}<' in card, name


def test_scoring_an_application_in_another_currency_than_the_models_is_refused_naming_it(
    client: TestClient, container: Container, staff: dict[Role, str],
    cny_model: NewModelVersion, usd_model: NewModelVersion,
) -> None:  # fmt: skip
    """A model of yuan read a $9,000.00 income as 9,000 yuan: it scored anything."""
    install(container, cny_model, usd_model)
    risk = as_role(client, staff, Role.RISK)
    values = dollar_applicant()
    dollars = client.post("/api/v1/models/default-usd/score", headers=risk,
                          json=values | {"currency": "USD"})  # fmt: skip
    assert dollars.status_code == 200, dollars.text
    assert dollars.json()["model_version"] == "default-usd@1"
    for name, body in (("default", values | {"currency": "USD"}),
                       ("default-usd", values),  # no currency: yuan, as before
                       ("default-usd", values | {"currency": "XYZ"}),
                       ("default-usd", values | {"currency": 840})):  # fmt: skip
        refused = client.post(f"/api/v1/models/{name}/score", headers=risk, json=body)
        assert refused.status_code == 422, (name, body.get("currency"), refused.text)
        assert refused.json()["error"]["field"] == "currency"
    yuan = client.post("/api/v1/models/default/score", headers=risk, json=values)
    assert yuan.status_code == 200, yuan.text  # a CN caller's body is read as before
