"""The OpenAPI document says what the loans API answers, and says it truly: each route's
success body is a documented model whose fields are exactly those a real answer has
(every model forbids other fields), checked here on real answers of both databases, a
loan with a contract late fee, monthly fees, a fee, a waiver, a reversal and a payoff.
The calculator, which needs no sign-in, documents no 401 or 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolend.api.schema_loan_responses import LoanDetail, LoanLedger, LoanPage, LoanTransactions
from autolend.api.schema_money_responses import (
    ApprovalRequest,
    FeeEvent,
    LoanDisbursement,
    MoneyEvent,
    PayoffQuote,
    PrepaymentEvent,
)
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.contract import Collateral
from autolend.services.loans import BookingRequest
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role
from tests.support.documented_models import answered, check_document

pytestmark = pytest.mark.integration
LOANS = "/api/v1/loans"
TODAY = "2026-11-28"  # the test clock's
DOCUMENTED: dict[tuple[str, str, str], type[BaseModel]] = {
    ("get", "/api/v1/loans", "200"): LoanPage,
    ("get", "/api/v1/loans/{loan_id}", "200"): LoanDetail,
    ("get", "/api/v1/loans/{loan_id}/transactions", "200"): LoanTransactions,
    ("get", "/api/v1/loans/{loan_id}/ledger", "200"): LoanLedger,
    ("get", "/api/v1/loans/{loan_id}/payoff-quote", "200"): PayoffQuote,
    ("post", "/api/v1/loans/{loan_id}/repayments", "201"): MoneyEvent,
    ("post", "/api/v1/loans/{loan_id}/repayments/{repayment_id}/reversal", "200"): MoneyEvent,
    ("post", "/api/v1/loans/{loan_id}/prepayments", "201"): PrepaymentEvent,
    ("post", "/api/v1/loans/{loan_id}/disbursements", "201"): LoanDisbursement,
    ("post", "/api/v1/loans/{loan_id}/write-off", "201"): ApprovalRequest,
    ("post", "/api/v1/loans/{loan_id}/fees", "201"): FeeEvent,
    ("post", "/api/v1/loans/{loan_id}/fee-waivers", "201"): ApprovalRequest,
}


@pytest.fixture
def servicing(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


@pytest.fixture
def booked(container: Container) -> int:
    """A loan of 12,000.00 over 12 months from 2026-01-05 with a monthly GPS fee, a late
    fee of 50.00 after 15 days and a car as collateral, booked and not yet paid out."""
    terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                      periods=12, start=START)  # fmt: skip
    request = BookingRequest(
        terms, Money.parse("12000", "CNY"), dealer_id=1, monthly_fees={"gps": "30.00"},
        late_fee={"amount": "50.00", "after_days": 15},
        collateral=Collateral(15_000_000, "nev_new"),
    )  # fmt: skip
    return container.services.loans.book(SERVICING, request)


def posted(client: TestClient, path: str, headers: dict[str, str], key: str, **body: Any) -> Any:
    return client.post(path, json=body, headers=headers | {"Idempotency-Key": key})


def test_each_loan_answer_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, servicing: dict[str, str], booked: int
) -> None:
    loan = f"{LOANS}/{booked}"
    paid_out = posted(client, f"{loan}/disbursements", servicing, "d1", amount="12000.00",
                      currency="CNY", value_date="2026-01-05", fees_deducted="500.00",
                      down_payment="30000.00")  # fmt: skip
    answered(paid_out, 201, LoanDisbursement)
    payment = {"amount": "1096.19", "currency": "CNY", "value_date": "2026-02-05",
               "channel": "bank_transfer", "reference": "BANK-1"}  # fmt: skip
    first = answered(posted(client, f"{loan}/repayments", servicing, "r1", **payment), 201,
                     MoneyEvent)  # fmt: skip
    replay = posted(client, f"{loan}/repayments", servicing, "r1", **payment)
    assert answered(replay, 201, MoneyEvent) == first
    undone = posted(client, f"{loan}/repayments/{first['id']}/reversal", servicing, "v1",
                    reason="bounced")  # fmt: skip
    assert answered(undone, 200, MoneyEvent)["status"] == "reversed"
    later = dict(payment, amount="3000.00", value_date=TODAY, reference="BANK-2")
    answered(posted(client, f"{loan}/repayments", servicing, "r2", **later), 201, MoneyEvent)
    fee = posted(client, f"{loan}/fees", servicing, "f1", kind="other", amount="20.00",
                 currency="CNY", n=12)  # fmt: skip
    answered(fee, 201, FeeEvent)
    waiver = client.post(f"{loan}/fee-waivers", headers=servicing,
                         json={"n": 12, "amount": "20.00", "currency": "CNY",
                               "reason": "goodwill"})  # fmt: skip
    answered(waiver, 201, ApprovalRequest)
    write_off = client.post(f"{loan}/write-off", headers=servicing,
                            json={"value_date": TODAY, "reason": "fraud"})  # fmt: skip
    answered(write_off, 201, ApprovalRequest)
    answered(client.get(f"{loan}", headers=servicing), 200, LoanDetail)
    quote = client.get(f"{loan}/payoff-quote", params={"date": TODAY}, headers=servicing)
    total = answered(quote, 200, PayoffQuote)["total"]
    payoff = posted(client, f"{loan}/prepayments", servicing, "p1",
                    **dict(payment, amount=total, value_date=TODAY, mode="payoff"))  # fmt: skip
    answered(payoff, 201, PrepaymentEvent)
    rows = answered(client.get(f"{loan}/transactions", headers=servicing), 200,
                    LoanTransactions)["items"]  # fmt: skip
    assert {row["source"] for row in rows} == {"event", "contract"}  # a late fee charged
    answered(client.get(f"{loan}/ledger", headers=servicing), 200, LoanLedger)
    answered(client.get(f"{loan}", headers=servicing), 200, LoanDetail)
    answered(client.get(LOANS, headers=servicing), 200, LoanPage)


def test_the_document_names_each_model_as_its_route_s_success_answer(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    check_document(document, DOCUMENTED, examples_required=False)


def test_only_operations_that_need_a_sign_in_list_a_401(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    quote = paths["/api/v1/quotes"]["post"]["responses"]
    assert "401" not in quote and "403" not in quote and "422" in quote
    assert "401" in paths["/api/v1/loans"]["get"]["responses"]
    assert "password" in paths["/api/v1/auth/token"]["post"]["responses"]["401"]["description"]
