"""Origination records the decision's PD on the loan it books, on both databases: a
case the model scored at 12 % (a referral), approved by a person, is booked with that PD
and its model version in the loan's terms, and the portfolio snapshot provisions it at
the grade of 12 % (grade 7, 15 %), not at grade 0 as every loan once was."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.adapters.db import tables as t
from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.services.portfolio import replayed_rows
from tests.integration.test_application_withdrawal import paid_out
from tests.integration.test_contracts import sms  # noqa: F401 - the SMS sandbox fixture
from tests.integration.test_loans_api import as_role
from tests.support.direct_sql import writing
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    application_body,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration


def _ok(answer: Any, status: int = 200) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    return dict(answer.json())


def _scored(container: Container, application_id: int, pd: str) -> None:
    """The referral's stored decision as a model that scored the case at ``pd`` leaves it
    (the test container has no model: every case is referred unscored)."""
    c = at.applications.c
    with writing(container.engine) as conn:
        stored = conn.execute(select(c.decision).where(c.id == application_id)).scalar_one()
        decision = json.loads(stored) | {"pd": pd, "score": 600, "model_version": "stub@1"}
        change = update(at.applications).where(c.id == application_id)
        conn.execute(change.values(decision=json.dumps(decision)))


def _booked(
    client: TestClient, container: Container, staff: dict[Role, str], inbox: SmsSandbox
) -> int:
    """A standard new-car application referred with a PD of 12 %, approved by an
    underwriter, its offer 1 accepted, signed and paid out through it: the loan."""
    dealer = as_role(client, staff, Role.DEALER)
    filed = _ok(client.post("/api/v1/applications", json=application_body(), headers=dealer), 201)
    app = f"/api/v1/applications/{filed['id']}"
    assert _ok(client.post(f"{app}/submit", headers=dealer))["status"] == "referred"
    _scored(container, filed["id"], "0.12")
    approve = {"action": "approve", "reason": "income and car checked"}
    underwriter = as_role(client, staff, Role.UNDERWRITER)
    assert _ok(client.post(f"{app}/review", json=approve, headers=underwriter))["status"] == (
        "approved"
    )
    loan_id = int(_ok(client.post(f"{app}/accept", json={"option": 1}, headers=dealer))["loan_id"])
    paid_out(client, staff, app, inbox)
    return loan_id


def _flat_ecl(container: Container, loan_id: int, annual_pd: float) -> int:
    """The ECL kernel's figure for the loan with every grade at ``annual_pd``: the figure
    of that 12-month PD whatever grade the loan is given."""
    assessor = ColumnRiskAssessor(EclParameters(annual_pd=[annual_pd] * 10))
    today = container.services.clock.today()
    with container.uow() as uow:
        (row,), failed = replayed_rows(uow, assessor, [loan_id], today, {})
    assert failed == []
    return row.ecl_minor


def test_a_loan_booked_from_a_scored_referral_carries_its_pd_and_is_provisioned_at_its_grade(
    client: TestClient, container: Container, staff: dict[Role, str], clock: FixedClock,
    sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    loan_id = _booked(client, container, staff, sms)
    with container.engine.connect() as conn:
        stored = conn.execute(select(t.loans.c.terms).where(t.loans.c.id == loan_id)).scalar_one()
    terms = json.loads(stored)
    assert (terms["pd_orig"], terms["model_version"]) == ("0.12", "stub@1")  # the model's
    clock.advance(timedelta(days=3))  # a snapshot counts loans started before its day
    today = container.services.clock.today()
    container.services.portfolio.snapshot(SYSTEM_ACTOR, today)
    c = portfolio_risk.c
    query = select(c.stage, c.ecl_minor).where(c.as_of == today, c.loan_id == loan_id)
    with container.engine.connect() as conn:
        stage, ecl = conn.execute(query).one()
    # 12 % -> grade 7 (15 %): the kernel's figure at 15 %, far above grade 0's (0.4 %).
    assert stage == 1
    assert ecl == _flat_ecl(container, loan_id, 0.15)
    assert ecl > 10 * _flat_ecl(container, loan_id, 0.004)
