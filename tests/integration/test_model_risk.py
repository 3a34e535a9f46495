"""Credit models over HTTP and in the browser pages, and the monitoring service, on both
databases.

One small model (1,500 synthetic applicants, 3 folds, a small challenger) is trained once a
run on its own SQLite database; each test copies the registered version into its fresh
database, so the metadata and artifact are exactly what the service registers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.errors import InvalidInput
from autolend.risk.challenger import ChallengerSettings
from autolend.risk.synth import synthetic_applicants, write_applicants
from autolend.services.model_monitoring import MonitorRequest
from autolend.services.model_ports import NewModelVersion
from autolend.services.models import TrainRequest
from autolend.web.i18n import translations
from tests import conftest as shared
from tests.support.once import once_a_run

NAME = "tiny"
LEFT_OUT = ("application_id", "application_month", "true_pd")


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    return synthetic_applicants(1_500, seed=5, as_of_month="2025-06")


@pytest.fixture(scope="module")
def training(
    baseline: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[NewModelVersion, dict[str, Any]]]:
    """The registered version (artifact and metadata) of a model trained once a run (this
    module and test_model_registry.py share it, see :mod:`tests.support.once`), and the
    summary of the training's audit record."""
    yield once_a_run(tmp_path_factory, "model-tiny", lambda folder: _train(baseline, folder))


def _train(baseline: pd.DataFrame, folder: Path) -> tuple[NewModelVersion, dict[str, Any]]:
    url = f"sqlite:///{folder / 'train.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    container = build_container(shared.test_settings(url, folder))
    request = TrainRequest(
        write_applicants(baseline, folder / "applicants.csv"),
        "bad",
        None,
        NAME,
        exclude=LEFT_OUT,
        protected=("gender",),
        folds=3,
        challenger=ChallengerSettings(max_trees=120, early_stopping=20, inner_folds=3),
    )
    container.services.models.train(SYSTEM_ACTOR, request)
    with container.uow() as uow:
        row = uow.models.get(NAME)
        assert row is not None
        artifact = uow.models.artifact(NAME, row.version)
    assert artifact is not None
    [audit] = [r for r in container.services.audit.recent(10, 0) if r.event.action == "model.train"]
    container.engine.dispose()
    version = NewModelVersion(
        NAME, artifact, row.artifact_sha256, row.metadata_json, row.created_at, row.created_by
    )
    return version, dict(audit.event.summary)


@pytest.fixture(scope="module")
def trained(training: tuple[NewModelVersion, dict[str, Any]]) -> NewModelVersion:
    return training[0]


def test_training_is_audited_with_the_artifact_hash_and_the_auc_as_text(
    training: tuple[NewModelVersion, dict[str, Any]],
) -> None:
    # A float here made the auditor's API answer 500 (its records hold text, ints, bools).
    version, summary = training
    auc = json.loads(version.metadata_json)["card"]["metrics"]["auc"]
    assert summary == {"sha256": version.artifact_sha256, "auc": f"{auc:.4f}"}


def test_the_registry_records_the_target_value_that_meant_bad_even_when_guessed(
    trained: NewModelVersion,
) -> None:
    # Trained without --bad: the value guessed from the usual names is what the card shows.
    data = json.loads(trained.metadata_json)["data"]
    assert (data["target"], data["bad"]) == ("bad", "1")


@pytest.fixture
def registered(container: Container, trained: NewModelVersion) -> str:
    with container.uow(write=True) as uow:
        uow.models.add(trained)
        uow.commit()
    return NAME


def bearer(client: TestClient, staff: dict[Role, str], role: Role) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": role.value, "password": staff[role]}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def web_sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> None:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    form = {"username": role.value, "password": staff[role], "csrf_token": match.group(1)}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def application(baseline: pd.DataFrame, row: int = 0) -> dict[str, Any]:
    values = baseline.drop(columns=[*LEFT_OUT, "gender", "bad"]).iloc[row]
    return {
        k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
        for k, v in values.items()
    }


# --- API ------------------------------------------------------------------------------------


def test_the_registry_lists_the_model_for_the_risk_role_and_refuses_a_borrower(
    client: TestClient, staff: dict[Role, str], registered: str
) -> None:
    listed = client.get("/api/v1/models", headers=bearer(client, staff, Role.RISK))
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["name"], row["version"], row["latest"]) == (registered, 1, True)
    assert 0.5 < row["auc"] <= 1
    refused = client.get("/api/v1/models", headers=bearer(client, staff, Role.BORROWER))
    assert refused.status_code == 403


def test_describing_a_model_leaves_out_the_curves_unless_asked(
    client: TestClient, staff: dict[Role, str], registered: str
) -> None:
    headers = bearer(client, staff, Role.RISK)
    light = client.get(f"/api/v1/models/{registered}", headers=headers).json()
    assert "roc" not in light["card"] and "bins" not in light["card"]
    assert light["card"]["psi_baseline"]["shares"]
    assert "gender" in light["data"]["protected"]
    full = client.get(f"/api/v1/models/{registered}?curves=true", headers=headers).json()
    assert len(full["card"]["roc"]["x"]) > 10
    missing = client.get("/api/v1/models/nope", headers=headers)
    assert missing.status_code == 404


def test_scoring_an_application_answers_pd_grade_and_reasons_from_the_catalogue(
    client: TestClient, staff: dict[Role, str], registered: str, baseline: pd.DataFrame
) -> None:
    headers = bearer(client, staff, Role.RISK)
    # The riskiest applicant of the sample has reasons to give.
    riskiest = int(baseline["true_pd"].idxmax())
    response = client.post(
        f"/api/v1/models/{registered}/score", json=application(baseline, riskiest), headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert 0 < body["pd"] < 1 and body["grade"] in "ABCDE"
    assert body["model_version"] == f"{registered}@1"
    assert 1 <= len(body["reasons"]) <= 4
    first = body["reasons"][0]
    assert first["text_zh"] and first["text_en"] and first["code"] == first["feature"].upper()
    assert (first["points_lost"] or first["shap_value"]) > 0
    assert "score too low" not in str(body).lower()


def test_scoring_names_a_missing_or_malformed_feature_and_an_unknown_model(
    client: TestClient, staff: dict[Role, str], registered: str, baseline: pd.DataFrame
) -> None:
    headers = bearer(client, staff, Role.RISK)
    url = f"/api/v1/models/{registered}/score"
    without_ltv = {k: v for k, v in application(baseline).items() if k != "ltv"}
    missing = client.post(url, json=without_ltv, headers=headers)
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "ltv"
    malformed = client.post(url, json={**application(baseline), "ltv": "high"}, headers=headers)
    assert malformed.status_code == 422
    assert malformed.json()["error"]["field"] == "ltv"
    unknown = client.post("/api/v1/models/nope/score", json=application(baseline), headers=headers)
    assert unknown.status_code == 404
    borrower = bearer(client, staff, Role.BORROWER)
    assert client.post(url, json=application(baseline), headers=borrower).status_code == 403


# --- pages ----------------------------------------------------------------------------------

MODEL_KIND_ZH = {"champion": "评分卡（冠军模型）", "challenger": "梯度提升树（挑战者模型）",
                 "ensemble": "评分卡 + 随机森林（组合模型）"}  # fmt: skip


def test_the_risk_role_sees_the_registry_and_the_model_card_with_its_charts(
    client: TestClient, staff: dict[Role, str], registered: str
) -> None:
    web_sign_in(client, staff, Role.RISK)
    listing = client.get("/risk/models")
    assert listing.status_code == 200
    assert f'data-model="{registered}"' in listing.text and 'data-nav="models"' in listing.text
    # In the page's language (zh-CN by default): the member by name, the time in Beijing
    # time, not the stored "2026-...T...+00:00" and "ensemble" / "champion" codes.
    primary = re.search(r'data-primary="(\w+)">([^<]+)<', listing.text)
    assert primary and primary.group(2) == MODEL_KIND_ZH[primary.group(1)], listing.text
    assert "+00:00" not in listing.text and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", listing.text)
    card = client.get(f"/risk/models/{registered}")
    assert card.status_code == 200
    assert f'data-model-card="{registered}@1"' in card.text
    assert "+00:00" not in card.text and MODEL_KIND_ZH["champion"] in card.text  # a candidate
    assert card.text.count("<svg") >= 4
    assert client.get(f"/risk/models/{registered}/v/1").status_code == 200
    assert client.get(f"/risk/models/{registered}/v/9").status_code == 404
    assert client.get("/risk/models/nope").status_code == 404


def test_the_model_card_page_shows_the_dealer_left_out_as_not_about_the_applicant(
    client: TestClient, staff: dict[Role, str], registered: str
) -> None:
    # A reason must be about the applicant, so the dealer is neither a reason nor scored.
    headers = bearer(client, staff, Role.RISK)
    meta = client.get(f"/api/v1/models/{registered}", headers=headers).json()
    assert "dealer_id" not in {f["name"] for f in meta["features"]}
    web_sign_in(client, staff, Role.RISK)
    card = client.get(f"/risk/models/{registered}").text
    row = re.search(r'<tr data-column-note="not_about_the_applicant"[^>]*>(.*?)</tr>', card, re.S)
    assert row, card
    assert "<code>dealer_id</code>" in row.group(1)
    assert translations("zh_CN").gettext("Left out: not about the applicant") in row.group(1)
    # the note's detail in the page's language (it was the stored English sentence)
    assert "dealer_id：未入模，该列描述的是经销商，而非申请人本人" in row.group(1)


def test_the_scorecard_downloads_as_csv_with_points_per_bin(
    client: TestClient, staff: dict[Role, str], registered: str
) -> None:
    web_sign_in(client, staff, Role.RISK)
    response = client.get(f"/risk/models/{registered}/v/1/scorecard.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="scorecard-tiny-v1.csv"' in response.headers["content-disposition"]
    # UTF-8 with a byte-order mark, so that Excel on a Chinese Windows reads it as UTF-8.
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"feature", "bin", "points"} <= set(rows[0])
    assert "gender" not in {r["feature"] for r in rows} and "ltv" in {r["feature"] for r in rows}


def test_a_borrower_gets_the_forbidden_page_and_no_risk_navigation(
    client: TestClient, staff: dict[Role, str], registered: str
) -> None:
    web_sign_in(client, staff, Role.BORROWER)
    for path in ("/risk/models", f"/risk/models/{registered}", "/risk/monitoring"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/risk/models/{registered}/v/1/scorecard.csv").status_code == 403
    assert 'data-nav="models"' not in client.get("/").text


# --- monitoring -----------------------------------------------------------------------------


def test_a_window_equal_to_the_baseline_is_stable_and_a_shifted_one_calls_for_action(
    container: Container, registered: str, baseline: pd.DataFrame
) -> None:
    service = container.services.model_monitoring
    same = service.run(SYSTEM_ACTOR, MonitorRequest(registered, baseline, baseline=baseline))
    assert same.report["status"] == "stable" and same.report["score_psi"]["psi"] < 0.1
    assert all(f["psi"] < 0.02 for f in same.report["feature_psi"])
    shifted = baseline.assign(
        ltv=baseline["ltv"] * 1.4,
        debt_service_ratio=baseline["debt_service_ratio"] * 2,
        bureau_delinquencies_24m=baseline["bureau_delinquencies_24m"] + 3,
    )
    moved = service.run(SYSTEM_ACTOR, MonitorRequest(registered, shifted, baseline=baseline))
    psi = {f["feature"]: f["psi"] for f in moved.report["feature_psi"]}
    assert psi["ltv"] > 0.25 and psi["debt_service_ratio"] > 0.25
    assert moved.report["score_psi"]["psi"] > 0.25 and moved.status == "act"
    [latest] = service.latest(SYSTEM_ACTOR)
    assert (latest.id, latest.status) == (moved.id, "act")
    actions = [r.event.action for r in container.services.audit.recent(10)]
    assert actions.count("model.monitor") == 2


def test_monitoring_reports_auc_by_month_on_observed_outcomes_and_fairness_by_group(
    container: Container, registered: str, baseline: pd.DataFrame
) -> None:
    window = baseline.copy()
    last = window["application_month"].max()
    window["bad"] = window["bad"].astype(float).where(window["application_month"] != last)
    request = MonitorRequest(registered, window, group_col="gender")
    report = container.services.model_monitoring.run(SYSTEM_ACTOR, request).report
    months = [p["month"] for p in report["performance"]]
    assert last not in months and len(months) == window["application_month"].nunique() - 1
    assert any(p["auc"] is not None and p["auc"] > 0.5 for p in report["performance"])
    assert report["bad_rate_by_month"][-1] == {
        "month": last,
        "applications": int((window["application_month"] == last).sum()),
        "observed": 0,
        "bad_rate": None,
    }
    assert report["feature_psi"] == []  # no baseline frame: the score's PSI only
    assert {g["group"] for g in report["fairness"]["groups"]} == {"F", "M"}


def test_fairness_monitoring_refuses_a_group_that_is_a_model_feature(
    container: Container, registered: str, baseline: pd.DataFrame
) -> None:
    request = MonitorRequest(registered, baseline, group_col="city_tier")
    with pytest.raises(InvalidInput) as raised:
        container.services.model_monitoring.run(SYSTEM_ACTOR, request)
    assert raised.value.field == "group"
    assert container.services.model_monitoring.latest(SYSTEM_ACTOR) == []


def test_the_lender_sets_which_grades_count_as_approved_in_the_fairness_report(
    container: Container, registered: str, baseline: pd.DataFrame
) -> None:
    """Approval was fixed at grades A-C: on a book of riskier applicants every group showed
    an approval rate near 0 %. ``approve_grades`` (``--approve-grades`` on the command line)
    is the lender's cut-off; a grade the model does not have is refused, naming it."""
    service = container.services.model_monitoring
    strict = service.run(
        SYSTEM_ACTOR,
        MonitorRequest(registered, baseline, group_col="gender", approve_grades=("A",)),
    ).report
    loose = service.run(
        SYSTEM_ACTOR,
        MonitorRequest(
            registered, baseline, group_col="gender", approve_grades=("A", "B", "C", "D")
        ),
    ).report
    assert strict["window"]["approve_grades"] == ["A"]
    assert strict["window"]["approval_rate"] < loose["window"]["approval_rate"]
    with pytest.raises(InvalidInput, match="got Z") as raised:
        service.run(SYSTEM_ACTOR, MonitorRequest(registered, baseline, approve_grades=("A", "Z")))
    assert raised.value.field == "approve_grades"


def test_the_monitoring_page_shows_the_latest_report_with_its_charts(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    registered: str,
    baseline: pd.DataFrame,
    tmp_path: Path,
) -> None:
    window = tmp_path / "window.csv"
    write_applicants(baseline, window)
    request = MonitorRequest(registered, window, baseline=window, group_col="gender")
    container.services.model_monitoring.run(SYSTEM_ACTOR, request)
    web_sign_in(client, staff, Role.RISK)
    page = client.get("/risk/monitoring")
    assert page.status_code == 200
    assert f'data-report="{registered}"' in page.text and 'data-status="stable"' in page.text
    kinds = re.findall(r'data-chart-kind="(\w+)"', page.text)
    assert kinds == ["psi", "performance", "bad_rate", "approval"]
    assert '<script type="application/json" id="tiny-psi">' in page.text


def test_a_window_too_small_to_judge_says_so_on_the_monitoring_page(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    registered: str,
    baseline: pd.DataFrame,
) -> None:
    """Ten applications gave a score PSI of several points ("act"); the report says the
    window is too small, and the page did show it as "Stable" (its stored status)."""
    small = baseline.head(10)
    made = container.services.model_monitoring.run(SYSTEM_ACTOR, MonitorRequest(registered, small))
    assert made.report["verdict"] == "too few rows"
    web_sign_in(client, staff, Role.RISK)
    page = client.get("/risk/monitoring").text
    assert 'data-status="too-few-rows"' in page
    assert 'data-status="stable"' not in page.split("</h2>")[0]
