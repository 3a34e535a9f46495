"""Migrating a loan from another system over HTTP, on both databases: the opening
balances against equity migration, servicing resumed from the cut-over (not from
booking), a repayment after the cut-over, and ``autolend verify`` afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration
LOAN = {"principal": "12000.00", "annual_rate": "12", "periods": 12, "start": "2026-01-05"}
# installment 1 (due 2026-02-05) fully paid in the old system, 2 (due 03-05) partly paid
MIGRATION = LOAN | {
    "cut_over": "2026-03-20",
    "installments_paid": 1,
    "paid": [{"n": 2, "principal": "0.00", "interest": "50.00"}],
}


@pytest.fixture(autouse=True)
def invariants_hold(container: Container) -> Iterator[None]:
    yield
    report = container.services.verify.run()
    broken = [c for c in report.checks if c.invariant != 7 and not c.ok]
    assert not broken, broken


@pytest.fixture
def svc(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


def migrate(client: TestClient, svc: dict[str, str], **extra: Any) -> dict[str, Any]:
    keyed = svc | {"Idempotency-Key": "migrate-1"}
    made = client.post("/api/v1/loans/migrations", json=MIGRATION | extra, headers=keyed)
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def test_a_migrated_loan_opens_with_its_balances_against_equity_migration(
    client: TestClient, svc: dict[str, str]
) -> None:
    loan = migrate(client, svc)
    assert loan["status"] == "active" and loan["accrued_through"] == "2026-03-20"
    assert loan["disbursed"] == "12000.00"
    statuses = [row["status"] for row in loan["schedule"][:4]]
    assert statuses == ["paid", "overdue", "future", "future"]
    ledger = client.get(f"/api/v1/loans/{loan['id']}/ledger", headers=svc).json()["items"]
    assert [e["kind"] for e in ledger] == ["migration"]
    lines = {p["account"]: (p["side"], p["amount"]) for p in ledger[0]["postings"]}
    principal = sum(float(r["principal"]) for r in loan["schedule"][1:])
    assert lines["1100"] == ("debit", loan["balances"]["principal"])
    assert float(loan["balances"]["principal"]) == pytest.approx(principal)
    assert lines["3000"][0] == "credit" and set(lines) == {"1100", "1110", "3000"}
    assert loan["balances"]["interest"] == lines["1110"][1]  # 2's rest and 3's accrued part


def test_servicing_resumes_from_the_cut_over_and_a_repayment_after_it_works(
    client: TestClient, svc: dict[str, str]
) -> None:
    loan = migrate(client, svc)
    url = f"/api/v1/loans/{loan['id']}"
    early = {"amount": "100.00", "currency": "CNY", "value_date": "2026-03-10"}
    refused = client.post(f"{url}/repayments", json=early, headers=svc | {"Idempotency-Key": "e"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "value_date"
    due = loan["schedule"][1]["outstanding"]  # installment 2's rest, overdue since 03-05
    body = {"amount": "2000.00", "currency": "CNY", "value_date": "2026-03-25"}
    paid = client.post(f"{url}/repayments", json=body, headers=svc | {"Idempotency-Key": "p"})
    assert paid.status_code == 201, paid.text
    allocation = paid.json()["allocation"]
    assert allocation["penalty"] != "0.00"  # penalty from the cut-over on the overdue rest
    assert [line["n"] for line in allocation["lines"]] == [2, 2]
    shown = client.get(url, headers=svc).json()
    assert shown["schedule"][1]["status"] == "paid" and float(due) < 2000
    ledger = client.get(f"{url}/ledger", headers=svc).json()["items"]
    accrued = sorted(e["value_date"] for e in ledger if e["kind"] == "accrual_interest")
    assert accrued[0] == "2026-03-21"  # nothing replayed before the cut-over
    # a reversal replays in full: from the cut-over again, and the ledger stays balanced
    event = paid.json()["id"]
    undo = client.post(f"{url}/repayments/{event}/reversal", json={"reason": "bounced"},
                       headers=svc | {"Idempotency-Key": "r"})  # fmt: skip
    assert undo.status_code == 200, undo.text
    again = client.get(url, headers=svc).json()
    assert again["schedule"][1]["status"] == "overdue"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cut_over": "2027-01-01"}, "cut_over"),
        ({"paid": [{"n": 5, "principal": "1.00", "interest": "0.00"}]}, "paid"),
        ({"installments_paid": 13}, "installments_paid"),
        ({"accrued_interest": "1.00"}, "accrued_interest"),
    ],
)
def test_a_bad_migration_is_a_clear_422_and_books_nothing(
    client: TestClient, svc: dict[str, str], change: dict[str, Any], field: str
) -> None:
    keyed = svc | {"Idempotency-Key": "bad-1"}
    refused = client.post("/api/v1/loans/migrations", json=MIGRATION | change, headers=keyed)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert client.get("/api/v1/loans", headers=svc).json()["items"] == []


def test_a_migration_replayed_with_its_key_books_the_loan_once(
    client: TestClient, svc: dict[str, str]
) -> None:
    """A retried cut-over request (the first answer lost on the way) must not book the
    book twice: the same key answers the first response and posts nothing."""
    url, keyed = "/api/v1/loans/migrations", svc | {"Idempotency-Key": "cut-over-7"}
    first = client.post(url, json=MIGRATION, headers=keyed)
    again = client.post(url, json=MIGRATION, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    other = client.post(url, json=MIGRATION | {"installments_paid": 2}, headers=keyed)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    unkeyed = client.post(url, json=MIGRATION, headers=svc)
    assert unkeyed.status_code == 422
    assert unkeyed.json()["error"]["field"] == "Idempotency-Key"
    items = client.get("/api/v1/loans", headers=svc).json()["items"]
    assert [item["id"] for item in items] == [first.json()["id"]]  # one loan, one entry


def test_a_migrated_loans_late_fee_from_before_the_cut_over_can_be_brought_in_by_hand(
    client: TestClient, svc: dict[str, str]
) -> None:
    """Installment 2 (due 2026-03-05) was 15 days late on the cut-over, 2026-03-20: the
    other system charged its late fee, and the replay, which starts after the cut-over,
    never will. It used to be refused as if the contract charged it itself (409);
    installment 3's is the contract's own (due 04-05, charged on 04-20)."""
    loan = migrate(client, svc, late_fee={"amount": "50.00", "after_days": 15})
    assert loan["late_fee"] == {"amount": "50.00", "after_days": 15}
    url = f"/api/v1/loans/{loan['id']}"

    def by_hand(n: int, key: str) -> Any:
        fee = {"kind": "late_fee", "amount": "50.00", "currency": "CNY", "n": n,
               "value_date": "2026-03-21"}  # fmt: skip
        return client.post(f"{url}/fees", json=fee, headers=svc | {"Idempotency-Key": key})

    carried = by_hand(2, "f2")
    assert carried.status_code == 201, carried.text
    refused = by_hand(3, "f3")
    assert refused.status_code == 409 and refused.json()["error"]["field"] == "kind"
    accrued = client.post(f"{url}/accruals", json={"through": "2026-04-25"}, headers=svc)
    assert accrued.status_code in (200, 201), accrued.text
    fees = [row["fee"] for row in client.get(url, headers=svc).json()["schedule"][1:3]]
    assert fees == ["50.00", "50.00"]  # 2's by hand, 3's by the contract, once each
