"""The bureau sandbox answers a US applicant, on both databases. It validated only CN
resident IDs, so the query for an SSN or ITIN was refused (HTTP 400), the platform took the
bureau for unavailable and every US application was referred. Now a 9-digit SSN or ITIN
gets its own deterministic report (same shape, in dollars, from lenders named as the
sandbox's), and a US application is decided on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.model_ports import NewModelVersion
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    control,
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.integration.test_us_origination import us_body, us_product  # noqa: F401 - fixture
from tests.support.bureau_ids import us_tins
from tests.support.origination import origination_container, trained_once

pytestmark = pytest.mark.integration
# The referrals of a decision made without a report.
NOT_USED = "bureau_unavailable", "no_credit_file", "bureau_error"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    """The dollar model (``default-usd``): a yuan one would read US amounts as yuan."""
    return trained_once(tmp_path_factory, "USD")


@pytest.fixture
def bureau(request: pytest.FixtureRequest) -> str:
    """The sandbox's URL (reset, reports dated 2026-11-28)."""
    return str(request.getfixturevalue("sandbox"))


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, bureau: str,
              model: NewModelVersion) -> Iterator[Container]:  # fmt: skip
    """A lender under the US pack pointed at the sandbox, with the dollar credit model."""
    with origination_container(
        db_url, tmp_path, clock, model, bureau_url=bureau, bureau_retries=0,
        jurisdiction="US", timezone="America/New_York",
    ) as built:  # fmt: skip
        yield built


def ask(url: str, id_number: str) -> httpx.Response:
    body = {"id_number": id_number, "name": "John Smith", "purpose": "loan_application",
            "consent_reference": "C1"}  # fmt: skip
    return httpx.post(f"{url}/v1/reports", json=body)


def test_the_sandbox_answers_an_ssn_or_itin_with_the_same_report_in_dollars(bureau: str) -> None:
    ssn = us_tins("clean", 1, 1)[0]
    first = ask(bureau, ssn)
    assert first.status_code == 200, first.text
    dashed = ask(bureau, f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}")
    assert dashed.json() == first.json()  # typed either way, the same subject
    report: dict[str, Any] = first.json()
    assert report["subject"]["id_type"] == "ssn" and report["accounts"]
    assert {a["currency"] for a in report["accounts"]} == {"USD"}
    assert all(a["lender"].startswith("Sandbox ") for a in report["accounts"])
    assert ask(bureau, "912-70-1234").status_code in (200, 404)  # an ITIN
    assert ask(bureau, us_tins("no_record", 1, 1)[0]).status_code == 404
    refused = ask(bureau, "666-12-3456")  # never issued
    assert refused.status_code == 400 and "id_number" in refused.json()["error"]["message"]


@pytest.mark.usefixtures("us_product")
def test_a_us_application_is_decided_on_the_sandboxs_report(
    client: TestClient, staff: dict[Role, str], bureau: str
) -> None:
    dealer = as_role(client, staff, Role.DEALER)
    ssn = us_tins("clean", 1, 1)[0]
    made = client.post("/api/v1/applications", json=us_body(id_number=ssn), headers=dealer)
    assert made.status_code == 201, made.text
    app_id = made.json()["id"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
    assert decided.status_code == 200, decided.text
    decision = decided.json()["decision"]
    codes = [reason["code"] for reason in decision["reasons"]]
    hits = [hit["rule"] for hit in decision["rule_hits"]]
    assert not set(codes + hits) & set(NOT_USED), decision
    assert "CREDIT_UTILISATION" in codes or decided.json()["status"] == "approved", decision
    assert decision["model_version"] == "default-usd@1"
    assert control(bureau)["counters"]["served"] == 1
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    shown = client.get(f"/api/v1/applications/{app_id}", headers=underwriter).json()
    facts = next(
        e["detail"]["facts"] for e in shown["events"] if e["detail"] and "facts" in e["detail"]
    )
    assert facts["bureau_query_id"] is not None and facts["bureau_error"] is None, facts
