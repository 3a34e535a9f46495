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


@pytest.fixture
def risk(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.RISK)


def ask_write_off(
    client: TestClient, svc: dict[str, str], loan_id: int, on: str = "2026-04-01"
) -> Response:
    """Servicing asks (the maker): a pending approval request."""
    body = {"value_date": on, "reason": "borrower untraceable, car not found"}
    answer: Response = client.post(f"/api/v1/loans/{loan_id}/write-off", json=body, headers=svc)
    return answer


def decide(client: TestClient, headers: dict[str, str], request_id: int, key: str) -> Response:
    answer: Response = client.post(
        f"/api/v1/approval-requests/{request_id}/decision",
        json={"approve": True},
        headers=headers | {"Idempotency-Key": key},
    )
    return answer


def write_off(
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int,
    on: str = "2026-04-01",
) -> Response:  # fmt: skip
    """Asked by servicing, approved by risk (maker-checker): the approval's answer."""
    asked = ask_write_off(client, svc, loan_id, on)
    assert asked.status_code == 201, asked.text
    return decide(client, risk, int(asked.json()["id"]), key=f"wo-{loan_id}")


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
def test_only_servicing_may_ask_for_a_write_off_recover_or_accrue(
    client: TestClient, staff: dict[Role, str], loan_id: int, role: Role
) -> None:
    headers = as_role(client, staff, role) | {"Idempotency-Key": "k"}
    url = f"/api/v1/loans/{loan_id}"
    asked = {"value_date": "2026-04-01", "reason": "untraceable"}
    assert client.post(f"{url}/write-off", json=asked, headers=headers).status_code == 403
    assert client.post(f"{url}/recoveries", json=RECOVERY, headers=headers).status_code == 403
    assert client.post(f"{url}/accruals", json={"through": "2026-02-01"},
                       headers=headers).status_code == 403  # fmt: skip


def test_a_write_off_needs_a_second_person_from_risk_and_a_replayed_key_answers_again(
    client: TestClient, svc: dict[str, str], risk: dict[str, str], staff: dict[Role, str],
    loan_id: int,
) -> None:  # fmt: skip
    """Maker-checker (DESIGN.md: write-off): servicing asks, with a reason; nothing is
    posted until risk approves; servicing cannot approve, and the maker never can."""
    url = f"/api/v1/loans/{loan_id}"
    no_reason = client.post(f"{url}/write-off", json={"value_date": "2026-04-01"}, headers=svc)
    assert no_reason.status_code == 422 and no_reason.json()["error"]["field"] == "reason"
    asked = ask_write_off(client, svc, loan_id)
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["kind"], request["status"]) == ("write_off", "pending")
    assert ask_write_off(client, svc, loan_id).status_code == 409  # one pending at a time
    assert client.get(url, headers=svc).json()["status"] == "active"
    other_servicing = as_role(client, staff, Role.SERVICING)
    assert decide(client, other_servicing, request["id"], key="d-0").status_code == 403
    listed = client.get("/api/v1/approval-requests?kind=write_off&status=pending", headers=risk)
    assert [r["id"] for r in listed.json()["items"]] == [request["id"]]
    first = decide(client, risk, request["id"], key="d-1")
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "approved" and first.json()["event"]["kind"] == "write_off"
    again = decide(client, risk, request["id"], key="d-1")
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert decide(client, risk, request["id"], key="d-2").status_code == 409
    shown = client.get(url, headers=svc).json()
    assert shown["status"] == "written_off"
    assert {shown["balances"][sub] for sub in ("principal", "interest", "penalty")} == {"0.00"}
    accrued = client.post(f"{url}/accruals", json={"through": "2026-05-01"}, headers=svc)
    assert accrued.json()["entries_posted"] == 0
    assert ask_write_off(client, svc, loan_id).status_code == 409


def test_a_rejected_write_off_posts_nothing_and_a_write_off_dated_ahead_is_refused(
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int
) -> None:
    ahead = ask_write_off(client, svc, loan_id, on="2099-01-01")
    assert ahead.status_code == 422 and ahead.json()["error"]["field"] == "value_date"
    asked = ask_write_off(client, svc, loan_id).json()
    rejected = client.post(f"/api/v1/approval-requests/{asked['id']}/decision",
                           json={"approve": False}, headers=risk)  # fmt: skip
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert client.get(f"/api/v1/loans/{loan_id}", headers=svc).json()["status"] == "active"
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=svc).json()["items"]
    assert not [e for e in ledger if e["kind"] == "write_off"]


def test_a_recovery_is_taken_only_on_a_written_off_loan_and_is_idempotent(
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int
) -> None:
    url = f"/api/v1/loans/{loan_id}/recoveries"
    early = client.post(url, json=RECOVERY, headers=svc | {"Idempotency-Key": "rc-0"})
    assert early.status_code == 409
    assert write_off(client, svc, risk, loan_id).status_code == 200
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
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int
) -> None:
    write_off(client, svc, risk, loan_id)  # written off on 2026-04-01
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
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int
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
    done = write_off(client, svc, risk, loan_id, on="2026-02-20")
    assert done.status_code == 200, done.text
    assert client.get(url, headers=svc).json()["balances"]["suspense"] == "0.00"
    ledger = client.get(f"{url}/ledger", headers=svc).json()["items"]
    (entry,) = [e for e in ledger if e["kind"] == "write_off"]
    debits = {p["account"]: p["amount"] for p in entry["postings"] if p["side"] == "debit"}
    owed = sum(Decimal(p["amount"]) for p in entry["postings"] if p["side"] == "credit")
    assert debits == {"2100": "1933.81", "5100": str(owed - Decimal("1933.81"))}


def loss_of(client: TestClient, svc: dict[str, str], loan_id: int) -> Decimal:
    """What the write-off charged to allowance and impairment, read from its entry."""
    ledger = client.get(f"/api/v1/loans/{loan_id}/ledger", headers=svc).json()["items"]
    (entry,) = [e for e in ledger if e["kind"] == "write_off"]
    return sum(
        (Decimal(p["amount"]) for p in entry["postings"] if p["side"] == "debit"), Decimal(0)
    )


def test_recoveries_stop_at_the_loss_the_write_off_booked(
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int
) -> None:
    """A typo of 99,999,999.00 was booked as recovery income and could never be undone."""
    write_off(client, svc, risk, loan_id)
    loss = loss_of(client, svc, loan_id)
    url = f"/api/v1/loans/{loan_id}/recoveries"
    part = RECOVERY | {"amount": str(loss - Decimal("100.00"))}
    assert client.post(url, json=part, headers=svc | {"Idempotency-Key": "rc-a"}).status_code == 201
    too_much = RECOVERY | {"amount": "100.01", "reference": "COLL-2"}
    refused = client.post(url, json=too_much, headers=svc | {"Idempotency-Key": "rc-b"})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "amount"
    assert "more than is left to recover: 100.00 CNY" in error["message"]
    assert f"written off {loss:.2f}" in error["message"]
    assert "尚可回收的 100.00 CNY" in error["message_zh"]
    rest = RECOVERY | {"amount": "100.00", "reference": "COLL-3"}
    assert client.post(url, json=rest, headers=svc | {"Idempotency-Key": "rc-c"}).status_code == 201


def test_a_bounced_recovery_is_reversed_by_the_opposite_entry_and_frees_its_room(
    client: TestClient, svc: dict[str, str], risk: dict[str, str], loan_id: int
) -> None:
    write_off(client, svc, risk, loan_id)
    loss = loss_of(client, svc, loan_id)
    url = f"/api/v1/loans/{loan_id}"
    whole = RECOVERY | {"amount": f"{loss:.2f}"}
    taken = client.post(f"{url}/recoveries", json=whole, headers=svc | {"Idempotency-Key": "r1"})
    assert taken.status_code == 201, taken.text
    reversal = f"{url}/repayments/{taken.json()['id']}/reversal"
    undo = client.post(reversal, json={"reason": "transfer bounced"},
                       headers=svc | {"Idempotency-Key": "r1-undo"})  # fmt: skip
    assert undo.status_code == 200, undo.text
    assert undo.json()["status"] == "reversed"
    again = client.post(reversal, json={"reason": "twice"},
                        headers=svc | {"Idempotency-Key": "r1-undo-2"})  # fmt: skip
    assert again.status_code == 409
    ledger = client.get(f"{url}/ledger", headers=svc).json()["items"]
    (back,) = [e for e in ledger if e["kind"] == "reversal"]
    assert {(p["account"], p["side"], p["amount"]) for p in back["postings"]} == {
        ("1000", "credit", f"{loss:.2f}"),
        ("4200", "debit", f"{loss:.2f}"),
    }
    retaken = client.post(f"{url}/recoveries", json=whole | {"reference": "COLL-9"},
                          headers=svc | {"Idempotency-Key": "r2"})  # fmt: skip
    assert retaken.status_code == 201, retaken.text
