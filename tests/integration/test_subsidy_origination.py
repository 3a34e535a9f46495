"""The 0 % car-maker promotion (OEM_ZERO) from application to maturity over HTTP, on both
databases: the payout stores the down payment and the maker's subsidy spread over the
installments as the offer's list-rate interest runs (highest first, summing to the
subsidy deducted from the dealer); end of day's subsidy step earns it due date by due
date until 2400 deferred subsidy income is 0 and ``autolend verify`` passes."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.services.terms_codec import load_servicing
from tests.integration.test_bureau_sandbox import sandbox, sandbox_url  # noqa: F401 - fixtures
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.integration.test_origination_api import (  # noqa: F401 - fixtures
    bureau,
    container,
    dealer,
    filed,
    model,
    sms,
)
from tests.integration.test_subsidy_amortisation import earned, gl_balance, run_days
from tests.support.messaging import SmsSandbox

pytestmark = pytest.mark.integration


def test_a_zero_percent_promotion_from_application_to_maturity_earns_its_whole_subsidy(
    client: TestClient,
    staff: dict[Role, str],
    container: Container,  # noqa: F811 - the fixtures of the origination tests
    dealer: dict[str, str],  # noqa: F811
    sms: SmsSandbox,  # noqa: F811
) -> None:
    app_id = filed(client, dealer, product_code="OEM_ZERO", term_months=12)["id"]
    decided = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer).json()
    assert decided["status"] == "approved", decided["decision"]
    accepted = client.post(f"/api/v1/applications/{app_id}/accept", json={"option": 1},
                           headers=dealer)  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    loan_id = accepted.json()["loan_id"]
    client.post(f"/api/v1/applications/{app_id}/sign", json={}, headers=dealer)
    code = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert code is not None
    signed = client.post(f"/api/v1/applications/{app_id}/sign", json={"code": code[1]},
                         headers=dealer)  # fmt: skip
    assert signed.status_code == 200, signed.text
    servicing = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": f"pay-{app_id}"}
    paid = client.post(f"/api/v1/applications/{app_id}/disburse", headers=servicing).json()
    subsidy = int(Decimal(paid["subsidy"]) * 100)
    assert subsidy > 0 and paid["subsidy_settlement"] == "deducted"

    loan = client.get(f"/api/v1/loans/{loan_id}", headers=servicing).json()
    assert loan["down_payment"] == paid["down_payment"] == "60000.00"
    with container.engine.connect() as conn:
        text = conn.execute(select(t.loans.c.terms).where(t.loans.c.id == loan_id)).scalar_one()
    amounts = load_servicing(text).subsidy_schedule
    assert len(amounts) == 12 and sum(amounts) == subsidy
    assert all(a > b for a, b in pairwise(amounts))  # the balance, so the interest, falls
    assert gl_balance(container, loan_id, "2400") == subsidy

    due = [row["due_date"] for row in loan["schedule"]]
    first_day, last_day = date.fromisoformat(loan["start_date"]), date.fromisoformat(due[-1])
    assert run_days(container, first_day, last_day) == 12
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == subsidy
    assert [day for _, day, _ in earned(container, loan_id)] == due
    assert container.services.subsidies.amortise(SERVICING, last_day) == 0
    report = container.services.verify.run()
    assert [c.name for c in report.checks if not c.ok and c.invariant != 7] == []
