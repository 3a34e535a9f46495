"""``POST /api/v1/schedules`` on both databases: signed-in users only, the same numbers
as ``autolend schedule --json``, and a 422 naming the field for every bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.domain.access import Role

pytestmark = pytest.mark.integration

URL = "/api/v1/schedules"
AUTOLEND = str(Path(sys.executable).with_name("autolend"))
EXAMPLE: dict[str, Any] = {
    "principal": "5000.00",
    "annual_rate": "12",
    "periods": 18,
    "frequency": "monthly",
    "start": "2022-11-01",
}


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def borrower(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return sign_in(client, "borrower", staff[Role.BORROWER])


def cli_json(*args: str, home: Path) -> dict[str, Any]:
    environment = {**os.environ, "AUTOLEND_HOME": str(home)}
    result = subprocess.run(
        [AUTOLEND, "schedule", *args, "--json"],
        env=environment, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_without_a_token_the_schedule_calculator_answers_401(client: TestClient) -> None:
    response = client.post(URL, json=EXAMPLE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_any_signed_in_role_gets_the_issue_example_at_304_91_and_12_00_percent(
    client: TestClient, staff: dict[Role, str], borrower: dict[str, str]
) -> None:
    for headers in (borrower, sign_in(client, "dealer", staff[Role.DEALER])):
        response = client.post(URL, json=EXAMPLE, headers=headers)
        assert response.status_code == 200, response.text
        data = response.json()
        assert (data["installment"], data["apr"], data["apr_effective"]) == (
            "304.91", "12.00", "12.68",
        )  # fmt: skip
        assert data["rows"][0]["interest"] == "50.00"
        assert sum(Decimal(row["principal"]) for row in data["rows"]) == Decimal("5000.00")


def test_the_api_answers_exactly_what_the_cli_prints_with_json(
    client: TestClient, borrower: dict[str, str], tmp_path: Path
) -> None:
    body = {**EXAMPLE, "installment_multiple": "1", "rounding": "up"}
    response = client.post(URL, json=body, headers=borrower)
    assert response.status_code == 200, response.text
    printed = cli_json(
        "--principal", "5000.00", "--annual-rate", "12", "--periods", "18",
        "--frequency", "monthly", "--start", "2022-11-01", "--installment-multiple", "1",
        "--rounding", "up", home=tmp_path,
    )  # fmt: skip
    assert response.json() == printed
    first = printed["rows"][0]
    assert (first["principal"], first["interest"], first["payment"], first["balance"]) == (
        "255.00", "50.00", "305.00", "4745.00",
    )  # fmt: skip


def test_every_optional_field_is_accepted(client: TestClient, borrower: dict[str, str]) -> None:
    body = {
        **EXAMPLE, "periods": 12, "first_due": "2022-12-15", "method": "step",
        "interest_basis": "daily", "day_count": "ACT/365", "rounding": "half-even",
        "installment_multiple": "0.10", "currency": "CNY", "grace_periods": 1,
        "grace_kind": "interest_only", "step_weights": ["1"] * 6 + ["2"] * 6,
        "subsidy_customer_rate": "3.5",
    }  # fmt: skip
    response = client.post(URL, json=body, headers=borrower)
    assert response.status_code == 200, response.text
    data = response.json()
    assert len(data["rows"]) == 13 and data["rows"][0]["grace"] is True
    assert data["total_subsidy"] != "0.00"


BAD_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"principal": "-5"}, "principal"),
    ({"principal": "5,000"}, "principal"),
    ({"principal": 5000}, "principal"),
    ({"annual_rate": "abc"}, "annual_rate"),
    ({"annual_rate": "-1"}, "annual_rate"),
    ({"periods": 0}, "periods"),
    ({"periods": "18"}, "periods"),
    ({"start": "01/11/2022"}, "start"),
    ({"first_due": "2022-10-01"}, "first_due"),
    ({"method": "bullet"}, "method"),
    ({"frequency": "daily"}, "frequency"),
    ({"day_count": "ACT/366"}, "day_count"),
    ({"rounding": "nearest"}, "rounding"),
    ({"installment_multiple": "0.001"}, "installment_multiple"),
    ({"balloon": "30%"}, "balloon"),
    ({"currency": "XYZ"}, "currency"),
    ({"grace_periods": -1}, "grace_periods"),
    ({"method": "step", "step_weights": ["x"]}, "step_weights"),
    ({"subsidy_customer_rate": "13"}, "subsidy_customer_rate"),
    ({"vehicle_price": "100000"}, "vehicle_price"),
    ({"jurisdiction": "US"}, "jurisdiction"),  # US lends in USD, the body's currency is CNY
    ({"jurisdiction": "CN", "currency": "USD"}, "jurisdiction"),
    ({"jurisdiction": "XX"}, "jurisdiction"),
]


def test_each_bad_field_is_answered_422_naming_that_field(
    client: TestClient, borrower: dict[str, str]
) -> None:
    problems = []
    for change, field in BAD_FIELDS:
        response = client.post(URL, json={**EXAMPLE, **change}, headers=borrower)
        error = response.json().get("error", {})
        answer = (response.status_code, error.get("code"), error.get("field"))
        if answer != (422, "invalid_input", field) or not error.get("message", "").strip():
            problems.append(f"{change}: {answer} {error.get('message')!r}")
    assert not problems, "\n".join(problems)


def test_a_missing_required_field_is_answered_422_naming_it(
    client: TestClient, borrower: dict[str, str]
) -> None:
    body = {k: v for k, v in EXAMPLE.items() if k != "annual_rate"}
    response = client.post(URL, json=body, headers=borrower)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "annual_rate"


ODD_DAYS: dict[str, Any] = {
    "principal": "5000.00", "annual_rate": "20", "periods": 12, "start": "2026-02-03",
    "first_due": "2026-03-02",
}  # fmt: skip


def test_a_usd_schedule_discloses_the_regulation_z_apr_as_the_cli_prints_it(
    client: TestClient, borrower: dict[str, str], tmp_path: Path
) -> None:
    """20.21 %: Appendix J's APR with the 27 odd days over 30, worked independently in
    tests/unit/domain/test_regz_disclosures.py (``appendix_j_apr``) and checked against
    it in tests/e2e/test_cli_loanmath.py; the CN rule gives 20.00 %."""
    usd = {**ODD_DAYS, "currency": "USD"}
    response = client.post(URL, json=usd, headers=borrower)
    assert response.status_code == 200, response.text
    assert response.json()["apr"] == "20.21"
    stated = client.post(URL, json={**usd, "jurisdiction": "US"}, headers=borrower)
    assert stated.json() == response.json()
    printed = cli_json(
        "--principal", "5000.00", "--annual-rate", "20", "--periods", "12",
        "--start", "2026-02-03", "--first-due", "2026-03-02", "--currency", "USD",
        home=tmp_path,
    )  # fmt: skip
    assert response.json() == printed


def test_a_cny_schedule_keeps_the_cn_apr_with_or_without_jurisdiction_cn(
    client: TestClient, borrower: dict[str, str]
) -> None:
    plain = client.post(URL, json=ODD_DAYS, headers=borrower)
    assert plain.status_code == 200, plain.text
    assert (plain.json()["apr"], plain.json()["apr_effective"]) == ("20.00", "21.94")
    stated = client.post(URL, json={**ODD_DAYS, "jurisdiction": "CN"}, headers=borrower)
    assert stated.json() == plain.json()
