"""The OpenAPI document says what the rest of the servicing API answers, and says it
truly: an accrual, a refund of the advance, a fee waiver approved and one rejected, the
queue of approval requests, a write-off approved, a recovery and a car maker's subsidy
receipt; every answer, on both databases, validates against the model the document names
for its route (each forbids fields it does not name), and so does each model's example."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolend.api.schema_money_responses import (
    ApprovalDecision,
    ApprovalRequest,
    ApprovalRequests,
    FeeEvent,
    ListedApprovalRequest,
    LoanAccrual,
    MoneyEvent,
    RecoveryEvent,
    RefundEvent,
    SubsidyReceipt,
)
from autolend.domain.access import Role
from tests.integration import test_api_documented_responses as documented
from tests.integration import test_disbursement_promotions as promotions
from tests.integration.test_api_documented_responses import LOANS, TODAY, posted
from tests.integration.test_loans_api import as_role
from tests.support.documented_models import answered, check_document

pytestmark = pytest.mark.integration
# A signed-in servicing officer, and a 12,000.00 loan with a monthly GPS fee of 30.00.
servicing, booked = documented.servicing, documented.booked
APPROVALS = "/api/v1/approval-requests"
DOCUMENTED: dict[tuple[str, str, str], type[BaseModel]] = {
    ("post", LOANS + "/{loan_id}/accruals", "200"): LoanAccrual,
    ("post", LOANS + "/{loan_id}/refunds", "201"): RefundEvent,
    ("post", LOANS + "/{loan_id}/recoveries", "201"): RecoveryEvent,
    ("post", LOANS + "/{loan_id}/subsidy-receipts", "201"): SubsidyReceipt,
    ("post", APPROVALS + "/{request_id}/decision", "200"): ApprovalDecision,
    ("get", APPROVALS, "200"): ApprovalRequests,
}


def decided(client: TestClient, headers: dict[str, str], request_id: int, approve: bool) -> Any:
    return client.post(f"{APPROVALS}/{request_id}/decision", json={"approve": approve},
                       headers=headers)  # fmt: skip


def waiver(client: TestClient, loan: str, headers: dict[str, str], n: int) -> int:
    """Servicing asks to waive installment ``n``'s GPS fee of 30.00: the request's id."""
    body = {"n": n, "amount": "30.00", "currency": "CNY", "reason": "goodwill"}
    asked = client.post(f"{loan}/fee-waivers", json=body, headers=headers)
    return int(answered(asked, 201, ApprovalRequest)["id"])


def test_each_servicing_answer_has_exactly_the_fields_its_documented_model_names(
    client: TestClient, staff: dict[Role, str], servicing: dict[str, str], booked: int
) -> None:
    """Paid out on 2026-01-05, accrued to the 15th, installment 1 (1,096.19) overpaid by
    100.00 and the 100.00 refunded; installments 3 and 4 left unpaid: the GPS fee of the
    3rd waived, of the 4th refused; then written off today and 500.00 recovered."""
    loan = f"{LOANS}/{booked}"
    paid_out = posted(client, f"{loan}/disbursements", servicing, "d1", amount="12000.00",
                      currency="CNY", value_date="2026-01-05")  # fmt: skip
    assert paid_out.status_code == 201, paid_out.text
    accrual = client.post(f"{loan}/accruals", json={"through": "2026-01-15"}, headers=servicing)
    assert answered(accrual, 200, LoanAccrual)["entries_posted"] > 0
    payment = {"amount": "1196.19", "currency": "CNY", "value_date": "2026-02-05",
               "channel": "bank_transfer", "reference": "BANK-1"}  # fmt: skip
    assert posted(client, f"{loan}/repayments", servicing, "r1", **payment).status_code == 201
    refund = posted(client, f"{loan}/refunds", servicing, "rf1", amount="100.00",
                    currency="CNY", value_date="2026-02-06")  # fmt: skip
    assert answered(refund, 201, RefundEvent)["kind"] == "refund"
    admin = as_role(client, staff, Role.ADMIN)  # the checker: not the maker
    waived = answered(decided(client, admin, waiver(client, loan, servicing, 3), True), 200,
                      ApprovalDecision)  # fmt: skip
    FeeEvent.model_validate(waived["event"])  # the waiver posted, a fee event
    refused = decided(client, admin, waiver(client, loan, servicing, 4), False)
    assert "event" not in answered(refused, 200, ApprovalDecision)
    asked = client.post(f"{loan}/write-off", json={"value_date": TODAY, "reason": "fraud"},
                        headers=servicing)  # fmt: skip
    write_off = int(answered(asked, 201, ApprovalRequest)["id"])
    queue = answered(client.get(APPROVALS, headers=servicing), 200, ApprovalRequests)["items"]
    assert [(r["status"], r["checker"]) for r in queue] == [
        ("approved", "admin"), ("rejected", "admin"), ("pending", None)]  # fmt: skip
    risk = as_role(client, staff, Role.RISK)
    approved = answered(decided(client, risk, write_off, True), 200, ApprovalDecision)
    assert MoneyEvent.model_validate(approved["event"]).kind == "write_off"
    recovery = posted(client, f"{loan}/recoveries", servicing, "rc1", amount="500.00",
                      currency="CNY", value_date=TODAY, channel="bank_transfer",
                      reference="COLL-1")  # fmt: skip
    assert answered(recovery, 201, RecoveryEvent)["kind"] == "recovery"


def test_a_subsidy_receipt_and_its_replay_have_exactly_the_documented_fields(
    client: TestClient, servicing: dict[str, str]
) -> None:
    """A 0 % promotion with 6,000.00 owed by the car maker, 4,000.00 of it received."""
    loan_id = promotions.booked(client, servicing)
    payout = promotions.PAYOUT | {"subsidy_settlement": "receivable"}
    assert promotions.disburse(client, servicing, loan_id, payout).status_code == 201
    first = answered(promotions.receive(client, servicing, loan_id, "4000.00", "sr-1"), 201,
                     SubsidyReceipt)  # fmt: skip
    assert first["still_owed"] == "2000.00"
    replay = promotions.receive(client, servicing, loan_id, "4000.00", "sr-1")
    assert answered(replay, 201, SubsidyReceipt) == first


def test_the_document_names_each_model_as_its_route_s_success_answer(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    check_document(document, DOCUMENTED, (ListedApprovalRequest,))
