"""An underwriter's approval or counter-offer makes offers as the automated decision would
(SQLite and PostgreSQL, the bureau sandbox real, no credit model so that every case is
referred): the existing debt counted is the larger of declared and reported, the DSR limit
the policy's where tighter than the product's. (Found 2026-12: the review counted the
declared debt against the product's limit, so an approval offered installments the
automated decision had refused as unaffordable.) After a person's counter-offer its
structure is the one offer, and no other can be accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.decision_policy import DEFAULT_POLICY, policy_to_dict
from tests.integration.test_bureau_sandbox import (  # noqa: F401 - fixtures
    sandbox,
    sandbox_url,
)
from tests.integration.test_loans_api import as_role
from tests.support.origination import application_body, origination_container

pytestmark = pytest.mark.integration

# Its sandbox file: nothing late, 5,385.00 a month of other loans (1,000.00 declared).
IN_DEBT = "110105198506150057"
CLEAN = "110105198901010062"  # its sandbox file: no other loan
REPORTED = Decimal("5385.00")


@pytest.fixture
def max_dsr() -> str | None:
    """The policy's DSR limit (null: the product's, 50 % under STD_NEW)."""
    return None


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, sandbox: str,  # noqa: F811
              max_dsr: str | None) -> Iterator[Container]:  # fmt: skip
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(policy_to_dict(DEFAULT_POLICY) | {"max_dsr": max_dsr}))
    with origination_container(db_url, tmp_path, clock, None, bureau_url=sandbox,
                               bureau_retries=0, policy_file=policy) as built:  # fmt: skip
        yield built


def referred(client: TestClient, staff: dict[Role, str], id_number: str, income: str) -> int:
    """STD_NEW, a 200,000.00 car, 60,000.00 down over 36 months, 1,000.00 of debts declared."""
    body = application_body()
    body["applicants"][0] |= {"id_number": id_number, "monthly_income": income}
    dealer = as_role(client, staff, Role.DEALER)
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    assert made.status_code == 201, made.text
    decided = client.post(f"/api/v1/applications/{made.json()['id']}/submit", headers=dealer)
    assert decided.json()["status"] == "referred", decided.text
    return int(made.json()["id"])


def review(client: TestClient, staff: dict[Role, str], app_id: int, **body: Any) -> Any:
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    body = {"reason": "income and debts checked"} | body
    return client.post(f"/api/v1/applications/{app_id}/review", json=body, headers=underwriter)


def offers_of(client: TestClient, staff: dict[Role, str], app_id: int) -> list[dict[str, Any]]:
    dealer = as_role(client, staff, Role.DEALER)
    found = client.get(f"/api/v1/applications/{app_id}/offers", headers=dealer)
    return list(found.json()["items"])


def structures(offers: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(o["term_months"], o["down_payment"]) for o in offers]


def test_an_approval_offers_no_installment_the_reported_debt_makes_unaffordable(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """18,000.00 a month: 36 months at 8.99 % is about 4,500.00, 30 % of the income beside
    the 1,000.00 declared, 55 % beside the 5,385.00 the bureau reports (the cap is 50 %).
    The review offered it as option 1; now only the longer terms that fit."""
    app_id = referred(client, staff, IN_DEBT, "18000.00")
    approved = review(client, staff, app_id, action="approve")
    assert approved.status_code == 200, approved.text
    offers = offers_of(client, staff, app_id)
    assert offers and (36, "60000.00") not in structures(offers)
    for offer in offers:
        assert Decimal(offer["installment"]) + REPORTED <= Decimal("0.5") * 18000, offer


def test_a_counter_offer_the_reported_debt_makes_unaffordable_is_refused(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """70,000.00 down over 36 months is about 4,150.00 a month: beside the 5,385.00 the
    bureau reports, above the 50 % cap of 18,000.00 (the terms applied for, 60,000.00 down
    over 36 months, are no counter-offer: refused as changing nothing)."""
    app_id = referred(client, staff, IN_DEBT, "18000.00")
    refused = review(client, staff, app_id, action="counter_offer", down_payment="70000",
                     term_months=36)  # fmt: skip
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "term_months" and "DSR" in error["message"], error
    kept = review(client, staff, app_id, action="counter_offer", down_payment="60000",
                  term_months=60)  # fmt: skip
    assert kept.status_code == 200 and kept.json()["status"] == "counter_offered", kept.text


@pytest.mark.parametrize("max_dsr", ["0.30"])
def test_an_approval_keeps_the_policys_dsr_limit_tighter_than_the_products(
    client: TestClient, staff: dict[Role, str]
) -> None:
    """15,000.00 a month, nothing reported: 36 months (about 4,500.00 + 1,000.00) is 37 %
    of the income, within the product's 50 %, above the policy's 30 %."""
    app_id = referred(client, staff, CLEAN, "15000.00")
    assert review(client, staff, app_id, action="approve").status_code == 200
    offers = offers_of(client, staff, app_id)
    assert offers and (36, "60000.00") not in structures(offers)
    for offer in offers:
        assert Decimal(offer["installment"]) + 1000 <= Decimal("0.30") * 15000, offer


def test_after_a_counter_offer_its_structure_is_the_one_offer_and_no_other_is_accepted(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """80,000.00 down over 24 months counter-offered: that offer alone (the 36, 48 and 60
    month options beside it are gone); option 2 of one stored before, with other terms
    beside the counter-offer, is refused as well."""
    app_id = referred(client, staff, CLEAN, "30000.00")
    done = review(client, staff, app_id, action="counter_offer", down_payment="80000",
                  term_months=24)  # fmt: skip
    assert done.status_code == 200, done.text
    offers = offers_of(client, staff, app_id)
    assert structures(offers) == [(24, "80000.00")]
    dealer = as_role(client, staff, Role.DEALER)
    url = f"/api/v1/applications/{app_id}/accept"
    other = client.post(url, json={"option": 2}, headers=dealer)
    assert other.status_code == 422 and other.json()["error"]["field"] == "option", other.text
    # As one counter-offered before: another term listed beside the counter-offer.
    longer = offers[0] | {"option": 2, "term_months": 60}
    with container.engine.begin() as conn:
        conn.execute(update(at.applications).where(at.applications.c.id == app_id)
                     .values(offers=json.dumps([*offers, longer])))  # fmt: skip
    refused = client.post(url, json={"option": 2}, headers=dealer)
    assert refused.status_code == 422, refused.text
    assert "only the counter-offer can be accepted" in refused.json()["error"]["message"]
    taken = client.post(url, json={"option": 1}, headers=dealer)
    assert taken.status_code == 200 and taken.json()["offer"]["term_months"] == 24, taken.text
