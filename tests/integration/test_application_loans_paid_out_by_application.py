"""A loan booked from an application is paid out only through its application, on both
databases: the loans API (``POST /api/v1/loans/{id}/disbursements``) pays out a loan
booked directly, even one of a borrower who also has an application, but answers 409 for
the loan an application booked when its offer was accepted, naming the application (in
English and in Chinese), before and after the contract is signed; the application pays it
out once signed. Before, servicing paid that loan out there before the contract was
signed, and whoever approved the application could pay it out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict
from autolend.domain.money import Money
from autolend.services.application_ports import NewApplication
from autolend.services.loans import DisbursementInput
from tests.integration.test_application_withdrawal import (
    _ok,
    accepted,
    paid_directly,
    paid_out,
    signed,
)
from tests.integration.test_contracts import sms  # noqa: F401 - the SMS sandbox fixture
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role
from tests.support.messaging import SmsSandbox
from tests.support.origination import referring_container  # noqa: F401 - the container

pytestmark = pytest.mark.integration
TERMS = {"principal": "12000.00", "annual_rate": "12", "periods": 12, "start": "2026-01-05"}


def loan_of(client: TestClient, servicing: dict[str, str], loan_id: int) -> dict[str, Any]:
    return _ok(client.get(f"/api/v1/loans/{loan_id}", headers=servicing))


def refused_naming(answer: Any, app: str) -> None:
    """``answer`` is the 409 that names application ``app`` (its API path)."""
    assert answer.status_code == 409, answer.text
    app_id = app.rsplit("/", 1)[-1]
    assert f"application {app_id}" in answer.json()["error"]["message"]


def test_the_loans_api_pays_out_a_loan_booked_directly_but_not_an_applications_loan(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """Application A's loan L is refused by the loans API while A is accepted and once it
    is signed, and posts nothing; A pays L out (201). A loan booked directly for the same
    borrower is paid out by the loans API (201)."""
    app, loan_id = accepted(client, staff)
    servicing = as_role(client, staff, Role.SERVICING)
    refused_naming(paid_directly(client, staff, loan_id), app)
    customer = loan_of(client, servicing, loan_id)["customer_id"]
    direct = _ok(client.post("/api/v1/loans", json=TERMS | {"customer_id": customer},
                             headers=servicing), 201)  # fmt: skip
    assert paid_directly(client, staff, direct["id"]).status_code == 201
    assert loan_of(client, servicing, direct["id"])["status"] == "active"
    paid = paid_out(client, staff, app, sms)  # signed, then paid out by the application
    assert paid["loan_id"] == loan_id
    loan = loan_of(client, servicing, loan_id)
    assert (loan["status"], loan["disbursed"]) == ("active", loan["principal"])
    ledger = _ok(client.get(f"/api/v1/loans/{loan_id}/ledger", headers=servicing))["items"]
    assert [entry["kind"] for entry in ledger] == ["disbursement"]


def test_the_loans_api_refuses_a_signed_applications_loan_and_posts_nothing(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """Once the contract is signed the loan is still paid out by its application alone."""
    app, loan_id, _ = signed(client, staff, sms)
    refused_naming(paid_directly(client, staff, loan_id), app)
    servicing = as_role(client, staff, Role.SERVICING)
    loan = loan_of(client, servicing, loan_id)
    assert (loan["status"], loan["disbursed"]) == ("booked", "0.00")
    assert _ok(client.get(f"/api/v1/loans/{loan_id}/ledger", headers=servicing))["items"] == []
    assert _ok(client.get(app, headers=servicing))["status"] == "signed"


def test_the_refusal_names_the_application_in_chinese_too(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    app, loan_id = accepted(client, staff)
    app_id = app.rsplit("/", 1)[-1]
    loan = container.services.loans.get(SERVICING, loan_id)
    payout = Money.parse(loan["principal"], "CNY")
    with pytest.raises(Conflict) as refused:
        container.services.loans.disburse(SERVICING, loan_id, DisbursementInput(payout))
    assert f"application {app_id}" in refused.value.message
    assert refused.value.message_zh is not None
    assert f"由申请 {app_id} 生成" in refused.value.message_zh
    assert "合同签署后" in refused.value.message_zh


def filed_again(container: Container, app: str, times: int) -> None:
    """``times`` newer applications of ``app``'s customer, as its copies (drafts)."""
    with container.uow(write=True) as uow:
        row = uow.applications.get(int(app.rsplit("/", 1)[-1]))
        assert row is not None
        first = NewApplication(
            "draft", row.channel, row.product_code, row.dealer_id, row.customer_id,
            row.currency, row.amount_minor, row.price_minor, row.term_months, "bidx", "bidx",
            row.sealed, row.created_by, row.created_at,
        )  # fmt: skip
        for n in range(1, times + 1):
            uow.applications.add(replace(first, created_at=row.created_at + timedelta(days=n)))
        uow.commit()


def test_a_loan_is_held_to_its_application_however_many_its_borrower_filed_since(
    client: TestClient, container: Container, staff: dict[Role, str],
) -> None:  # fmt: skip
    """The loan's application is found by the loan, not among the customer's newest
    applications: with 200 filed after it (the old search's reach), the loans API still
    refuses to pay the loan out and names the application."""
    app, loan_id = accepted(client, staff)
    filed_again(container, app, 200)
    refused_naming(paid_directly(client, staff, loan_id), app)
