"""Disbursement with the purchase around it, over HTTP on both databases: the down
payment recorded (paid to the dealer, no lender account moves), a car maker's subsidy of
a 0 % promotion booked as deferred income, deducted from the dealer's proceeds or owed
by the maker; disbursed never exceeds approved, and ``autolend verify`` passes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration
PROMOTION = {"principal": "80000.00", "annual_rate": "0", "periods": 24, "start": "2026-01-05"}
PAYOUT = {"amount": "80000.00", "currency": "CNY", "down_payment": "20000.00",
          "subsidy": "6000.00"}  # fmt: skip


@pytest.fixture(autouse=True)
def invariants_hold(container: Container) -> Iterator[None]:
    yield
    report = container.services.verify.run()
    assert [c.name for c in report.checks if not c.ok] == []


@pytest.fixture
def svc(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


def booked(client: TestClient, svc: dict[str, str], **extra: Any) -> int:
    made = client.post("/api/v1/loans", json=PROMOTION | extra, headers=svc)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def disburse(client: TestClient, svc: dict[str, str], loan_id: int, body: dict[str, Any]) -> Any:
    key = {"Idempotency-Key": f"d-{loan_id}-{hash(tuple(sorted(body.items())))}"}
    return client.post(f"/api/v1/loans/{loan_id}/disbursements", json=body, headers=svc | key)


def postings(client: TestClient, svc: dict[str, str], loan_id: int) -> set[tuple[str, str, str]]:
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=svc).json()["items"]
    [entry] = [e for e in ledger if e["kind"] == "disbursement"]
    return {(p["account"], p["side"], p["amount"]) for p in entry["postings"]}


def test_a_subsidy_deducted_at_source_leaves_the_dealer_the_principal_less_the_subsidy(
    client: TestClient, svc: dict[str, str]
) -> None:
    """Price 100,000, down 20,000 to the dealer, loan 80,000 at 0 % with a 6,000 maker
    subsidy: the dealer receives 74,000; the subsidy is income deferred over the term."""
    loan_id = booked(client, svc)
    paid = disburse(client, svc, loan_id, PAYOUT)
    assert paid.status_code == 201, paid.text
    body = paid.json()
    assert (body["to_dealer"], body["down_payment"], body["subsidy"]) == (
        "74000.00", "20000.00", "6000.00",
    )  # fmt: skip
    assert body["subsidy_settlement"] == "deducted"
    assert postings(client, svc, loan_id) == {
        ("1100", "debit", "80000.00"),
        ("1000", "credit", "74000.00"),
        ("2400", "credit", "6000.00"),
    }
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()
    assert shown["disbursed"] == "80000.00" and shown["balances"]["principal"] == "80000.00"
    assert shown["balances"]["subsidy"] == "0.00"


def test_a_subsidy_owed_by_the_maker_is_a_receivable_and_the_dealer_gets_the_principal(
    client: TestClient, svc: dict[str, str]
) -> None:
    loan_id = booked(client, svc)
    paid = disburse(client, svc, loan_id, PAYOUT | {"subsidy_settlement": "receivable"})
    assert paid.status_code == 201, paid.text
    assert paid.json()["to_dealer"] == "80000.00"
    assert postings(client, svc, loan_id) == {
        ("1100", "debit", "80000.00"),
        ("1140", "debit", "6000.00"),
        ("1000", "credit", "80000.00"),
        ("2400", "credit", "6000.00"),
    }
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()
    assert shown["balances"]["subsidy"] == "6000.00"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"subsidy_settlement": "later"}, 422, "subsidy_settlement"),
        ({"subsidy": "80000.00"}, 422, "amount"),
        ({"down_payment": "-1.00"}, 422, "down_payment"),
        ({"down_payment": "abc"}, 422, "down_payment"),
        ({"amount": "80000.01"}, 409, "amount"),
    ],
)
def test_a_bad_disbursement_is_refused_and_posts_nothing(
    client: TestClient, svc: dict[str, str], change: dict[str, str], status: int, field: str
) -> None:
    loan_id = booked(client, svc)
    refused = disburse(client, svc, loan_id, PAYOUT | change)
    assert refused.status_code == status, refused.text
    assert refused.json()["error"]["field"] == field
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()
    assert shown["status"] == "booked" and shown["disbursed"] == "0.00"


def receive(client: TestClient, svc: dict[str, str], loan_id: int, amount: str, key: str) -> Any:
    body = {"amount": amount, "currency": "CNY", "value_date": "2026-03-01"}
    return client.post(f"/api/v1/loans/{loan_id}/subsidy-receipts", json=body,
                       headers=svc | {"Idempotency-Key": key})  # fmt: skip


def test_the_makers_payment_settles_the_subsidy_receivable_never_beyond_what_is_owed(
    client: TestClient, svc: dict[str, str]
) -> None:
    """6,000.00 owed by the maker; 4,000.00 arrives (Dr 1000 / Cr 1140): 2,000.00 still
    owed; 2,500.00 more is refused naming the amount; the same key replays the answer."""
    loan_id = booked(client, svc)
    disburse(client, svc, loan_id, PAYOUT | {"subsidy_settlement": "receivable"})
    first = receive(client, svc, loan_id, "4000.00", "sr-1")
    assert first.status_code == 201, first.text
    assert first.json()["still_owed"] == "2000.00"
    again = receive(client, svc, loan_id, "4000.00", "sr-1")
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    too_much = receive(client, svc, loan_id, "2500.00", "sr-2")
    assert too_much.status_code == 422 and too_much.json()["error"]["field"] == "amount"
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()
    assert shown["balances"]["subsidy"] == "2000.00"
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=svc).json()["items"]
    [entry] = [e for e in ledger if e["kind"] == "subsidy"]
    assert {(p["account"], p["side"], p["amount"]) for p in entry["postings"]} == {
        ("1000", "debit", "4000.00"), ("1140", "credit", "4000.00")}  # fmt: skip
