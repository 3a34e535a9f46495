"""Write-off, recoveries and single-loan accrual over HTTP on both databases: roles,
Idempotency-Key on the money-moving POSTs, and the ledger invariants afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration import test_loans_api
from tests.integration.test_loans_api import PAYMENT, as_role

pytestmark = pytest.mark.integration
loan_id = test_loans_api.loan_id  # the fixture: a disbursed 12,000.00 loan of a borrower
RECOVERY = {"amount": "500.00", "currency": "CNY", "value_date": "2026-04-10",
            "channel": "bank_transfer", "reference": "COLL-1"}  # fmt: skip


@pytest.fixture(autouse=True)
def invariants_hold(container: Container) -> Iterator[None]:
    yield
    report = container.services.verify.run()
    broken = [c for c in report.checks if c.invariant != 7 and not c.ok]
    assert not broken, broken


@pytest.fixture
def svc(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


def write_off(client: TestClient, svc: dict[str, str], loan_id: int, key: str = "wo-1") -> Response:
    answer: Response = client.post(
        f"/api/v1/loans/{loan_id}/write-off",
        json={"value_date": "2026-04-01"},
        headers=svc | {"Idempotency-Key": key},
    )
    return answer


def test_accruing_one_loan_posts_each_day_once_and_a_repeat_posts_nothing(
    client: TestClient, svc: dict[str, str], loan_id: int
) -> None:
    url = f"/api/v1/loans/{loan_id}/accruals"
    first = client.post(url, json={"through": "2026-01-15"}, headers=svc)
    assert first.status_code == 200, first.text
    assert first.json() == {"loan_id": loan_id, "through": "2026-01-15", "entries_posted": 10}
    again = client.post(url, json={"through": "2026-01-15"}, headers=svc)
    assert again.json()["entries_posted"] == 0
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()
    assert shown["accrued_through"] == "2026-01-15" and shown["balances"]["interest"] != "0.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"through": "2026-13-01"}, "through"), ({"through": "2026-02-01", "x": 1}, "x")],
)
def test_a_bad_accrual_request_is_a_clear_422(
    client: TestClient, svc: dict[str, str], loan_id: int, body: dict[str, object], field: str
) -> None:
    refused = client.post(f"/api/v1/loans/{loan_id}/accruals", json=body, headers=svc)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == field


@pytest.mark.parametrize("role", [Role.BORROWER, Role.DEALER, Role.AUDITOR, Role.COLLECTOR])
def test_only_servicing_may_write_off_recover_or_accrue(
    client: TestClient, staff: dict[Role, str], loan_id: int, role: Role
) -> None:
    headers = as_role(client, staff, role) | {"Idempotency-Key": "k"}
    url = f"/api/v1/loans/{loan_id}"
    assert client.post(f"{url}/write-off", json={"value_date": "2026-04-01"},
                       headers=headers).status_code == 403  # fmt: skip
    assert client.post(f"{url}/recoveries", json=RECOVERY, headers=headers).status_code == 403
    assert client.post(f"{url}/accruals", json={"through": "2026-02-01"},
                       headers=headers).status_code == 403  # fmt: skip


def test_a_write_off_closes_the_books_and_a_replayed_key_returns_the_first_response(
    client: TestClient, svc: dict[str, str], loan_id: int
) -> None:
    no_key = client.post(
        f"/api/v1/loans/{loan_id}/write-off", json={"value_date": "2026-04-01"}, headers=svc
    )
    assert no_key.status_code == 422 and no_key.json()["error"]["field"] == "Idempotency-Key"
    first = write_off(client, svc, loan_id)
    assert first.status_code == 201, first.text
    again = write_off(client, svc, loan_id)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    shown = client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()
    assert shown["status"] == "written_off"
    assert {shown["balances"][sub] for sub in ("principal", "interest", "penalty")} == {"0.00"}
    accrued = client.post(
        f"/api/v1/loans/{loan_id}/accruals", json={"through": "2026-05-01"}, headers=svc
    )
    assert accrued.json()["entries_posted"] == 0
    twice = write_off(client, svc, loan_id, key="wo-2")
    assert twice.status_code == 409


def test_a_recovery_is_taken_only_on_a_written_off_loan_and_is_idempotent(
    client: TestClient, svc: dict[str, str], loan_id: int
) -> None:
    url = f"/api/v1/loans/{loan_id}/recoveries"
    early = client.post(url, json=RECOVERY, headers=svc | {"Idempotency-Key": "rc-0"})
    assert early.status_code == 409
    write_off(client, svc, loan_id)
    headers = svc | {"Idempotency-Key": "rc-1"}
    first = client.post(url, json=RECOVERY, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["kind"] == "recovery" and first.json()["amount"] == "500.00"
    assert client.post(url, json=RECOVERY, headers=headers).json() == first.json()
    other = client.post(url, json=RECOVERY | {"amount": "600.00"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=svc).json()["items"]
    recoveries = [e for e in ledger if e["kind"] == "recovery"]
    assert len(recoveries) == 1
    assert {(p["account"], p["side"]) for p in recoveries[0]["postings"]} == {
        ("1000", "debit"),
        ("4200", "credit"),
    }


def test_a_recovery_dated_before_the_write_off_is_refused_and_posts_nothing(
    client: TestClient, svc: dict[str, str], loan_id: int
) -> None:
    write_off(client, svc, loan_id)  # written off on 2026-04-01
    url = f"/api/v1/loans/{loan_id}/recoveries"
    before = RECOVERY | {"value_date": "2026-03-31"}
    refused = client.post(url, json=before, headers=svc | {"Idempotency-Key": "rc-early"})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "value_date"
    dollars = RECOVERY | {"currency": "USD"}
    wrong = client.post(url, json=dollars, headers=svc | {"Idempotency-Key": "rc-usd"})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "currency"
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=svc).json()["items"]
    assert not [e for e in ledger if e["kind"] == "recovery"]
    on_the_day = RECOVERY | {"value_date": "2026-04-01"}
    taken = client.post(url, json=on_the_day, headers=svc | {"Idempotency-Key": "rc-day"})
    assert taken.status_code == 201, taken.text


def test_a_write_off_takes_the_borrowers_advance_off_the_loss(
    client: TestClient, svc: dict[str, str], loan_id: int
) -> None:
    """3,000.00 paid on the first due date pays its 1,066.19 and leaves 1,933.81 in the
    advance; written off before the next due date, that advance pays what it can (Dr 2100
    suspense) and only the rest is charged to impairment (5100, no allowance held). It
    was left in the suspense of a written-off loan, where nothing could refund or apply
    it, and the whole outstanding was charged as a loss."""
    paid = PAYMENT | {"amount": "3000.00", "value_date": "2026-02-05", "reference": "AHEAD"}
    url = f"/api/v1/loans/{loan_id}"
    made = client.post(f"{url}/repayments", json=paid, headers=svc | {"Idempotency-Key": "p-1"})
    assert made.status_code == 201, made.text
    assert client.get(url, headers=svc).json()["balances"]["suspense"] == "1933.81"
    done = client.post(f"{url}/write-off", json={"value_date": "2026-02-20"},
                       headers=svc | {"Idempotency-Key": "wo-adv"})  # fmt: skip
    assert done.status_code == 201, done.text
    assert client.get(url, headers=svc).json()["balances"]["suspense"] == "0.00"
    ledger = client.get(f"{url}/ledger", headers=svc).json()["items"]
    (entry,) = [e for e in ledger if e["kind"] == "write_off"]
    debits = {p["account"]: p["amount"] for p in entry["postings"] if p["side"] == "debit"}
    owed = sum(Decimal(p["amount"]) for p in entry["postings"] if p["side"] == "credit")
    assert debits == {"2100": "1933.81", "5100": str(owed - Decimal("1933.81"))}
