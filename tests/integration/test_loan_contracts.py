"""Booking over HTTP with the product's servicing terms, on both databases: the
allocation waterfall per product and the monthly fees (GPS, insurance) carried in the
contract, due with each installment; the ledger invariants hold after every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_loans_api import as_role
from tests.integration.test_model_risk import web_sign_in

pytestmark = pytest.mark.integration
TERMS = {"principal": "12000.00", "annual_rate": "12", "periods": 12, "start": "2026-01-05"}


@pytest.fixture(autouse=True)
def invariants_hold(container: Container) -> Iterator[None]:
    yield
    report = container.services.verify.run()
    broken = [c for c in report.checks if c.invariant != 7 and not c.ok]
    assert not broken, broken


@pytest.fixture
def svc(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return as_role(client, staff, Role.SERVICING)


def book(client: TestClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    booked = client.post("/api/v1/loans", json=TERMS | extra, headers=headers)
    assert booked.status_code == 201, booked.text
    loan: dict[str, Any] = booked.json()
    paid_out = {"amount": "12000.00", "currency": "CNY"}
    key = {"Idempotency-Key": f"disburse-{loan['id']}"}
    sent = client.post(
        f"/api/v1/loans/{loan['id']}/disbursements", json=paid_out, headers=headers | key
    )
    assert sent.status_code == 201, sent.text
    return loan


def pay(
    client: TestClient, headers: dict[str, str], loan_id: int, amount: str, day: str
) -> dict[str, Any]:
    body = {"amount": amount, "currency": "CNY", "value_date": day}
    key = {"Idempotency-Key": f"pay-{loan_id}-{amount}-{day}"}
    paid = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=headers | key)
    assert paid.status_code == 201, paid.text
    allocated: dict[str, Any] = paid.json()
    return allocated


def test_booking_over_http_answers_the_loan_with_its_schedule_and_terms(
    client: TestClient, svc: dict[str, str]
) -> None:
    loan = client.post("/api/v1/loans", json=TERMS, headers=svc).json()
    assert loan["status"] == "booked" and loan["approved"] == "12000.00"
    assert loan["waterfall"] == "standard" and loan["monthly_fees"] == {}
    assert len(loan["schedule"]) == 12 and loan["schedule"][0]["fee"] == "0.00"


def test_a_borrower_may_not_book_a_loan(client: TestClient, staff: dict[Role, str]) -> None:
    refused = client.post(
        "/api/v1/loans", json=TERMS, headers=as_role(client, staff, Role.BORROWER)
    )
    assert refused.status_code == 403


def test_two_loans_with_the_same_repayment_and_different_waterfalls_allocate_differently(
    client: TestClient, svc: dict[str, str]
) -> None:
    standard = book(client, svc)
    first = book(client, svc, waterfall="principal_first")
    assert first["waterfall"] == "principal_first"
    # installment 1 (interest 120.00, principal 946.19) is 10 days overdue on 2026-02-15
    by_standard = pay(client, svc, standard["id"], "500.00", "2026-02-15")["allocation"]
    by_principal = pay(client, svc, first["id"], "500.00", "2026-02-15")["allocation"]
    assert by_standard["waterfall"] == "default" and by_principal["waterfall"] == "principal_first"
    assert by_standard["interest"] == "120.00" and by_standard["penalty"] != "0.00"
    assert by_principal["principal"] == "500.00"
    assert by_principal["interest"] == by_principal["penalty"] == "0.00"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"waterfall": "interest_last"}, "waterfall"),
        ({"monthly_fees": {"coffee": "5.00"}}, "monthly_fees"),
        ({"monthly_fees": {"gps": "-5.00"}}, "monthly_fees.gps"),
        ({"monthly_fees": [{"kind": "gps", "amount": "1"}, {"kind": "gps", "amount": "2"}]},
         "monthly_fees"),
    ],
)  # fmt: skip
def test_an_unknown_waterfall_or_a_bad_monthly_fee_is_a_clear_422_and_books_nothing(
    client: TestClient, svc: dict[str, str], extra: dict[str, Any], field: str
) -> None:
    refused = client.post("/api/v1/loans", json=TERMS | extra, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert client.get("/api/v1/loans", headers=svc).json()["items"] == []


def test_monthly_fees_are_due_with_each_installment_billed_on_its_due_date_and_allocated(
    client: TestClient, svc: dict[str, str]
) -> None:
    loan = book(client, svc, monthly_fees={"gps": "30.00", "insurance": "50.00"})
    assert loan["monthly_fees"] == {"gps": "30.00", "insurance": "50.00"}
    assert {row["fee"] for row in loan["schedule"]} == {"80.00"}
    paid = pay(client, svc, loan["id"], "1146.19", "2026-02-05")["allocation"]
    assert (paid["fees"], paid["interest"], paid["principal"]) == ("80.00", "120.00", "946.19")
    shown = client.get(f"/api/v1/loans/{loan['id']}", headers=svc).json()
    assert shown["schedule"][0]["status"] == "paid" and shown["balances"]["fees"] == "0.00"
    ledger = client.get(f"/api/v1/loans/{loan['id']}/ledger", headers=svc).json()["items"]
    billed = [e for e in ledger if e["fact"] and e["fact"].startswith("mf:")]
    assert [(e["value_date"], e["postings"][0]["amount"]) for e in billed] == [
        ("2026-02-05", "80.00")
    ]


def test_a_payoff_settles_the_billed_fees_and_drops_the_ones_not_yet_billed(
    client: TestClient, svc: dict[str, str]
) -> None:
    fees = [{"kind": "gps", "amount": "30.00"}, {"kind": "insurance", "amount": "50.00"}]
    loan = book(client, svc, monthly_fees=fees)
    url = f"/api/v1/loans/{loan['id']}"
    before_due = client.get(f"{url}/payoff-quote?date=2026-02-04", headers=svc).json()
    assert before_due["fees"] == "0.00"
    quote = client.get(f"{url}/payoff-quote?date=2026-02-10", headers=svc).json()
    assert quote["fees"] == "80.00"  # installment 1's, billed on 2026-02-05
    body = {"amount": quote["total"], "currency": "CNY", "value_date": "2026-02-10",
            "mode": "payoff"}  # fmt: skip
    done = client.post(f"{url}/prepayments", json=body, headers=svc | {"Idempotency-Key": "po"})
    assert done.status_code == 201, done.text
    shown = client.get(url, headers=svc).json()
    assert shown["status"] == "paid_off" and shown["balances"]["fees"] == "0.00"
    assert [row["fee"] for row in shown["schedule"][:3]] == ["80.00", "0.00", "0.00"]


def test_a_loan_booked_with_its_car_shows_the_collateral_the_ecl_values(
    client: TestClient, svc: dict[str, str], staff: dict[Role, str]
) -> None:
    car = {"price": "18000.00", "energy": "nev", "condition": "used"}
    loan = book(client, svc, collateral=car)
    assert loan["collateral"] == {"price": "18000.00", "vehicle_type": "nev_used"}
    plain = book(client, svc)
    assert plain["collateral"] is None
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get(f"/loans/{loan['id']}").text
    assert 'data-collateral="nev_used"' in page and "新能源 · 二手车" in page
    assert "data-collateral" not in client.get(f"/loans/{plain['id']}").text


@pytest.mark.parametrize(
    ("car", "field"),
    [
        ({"price": "0.00", "energy": "ice", "condition": "new"}, "collateral.price"),
        ({"price": "18000.00", "energy": "diesel", "condition": "new"}, "collateral.energy"),
        ({"price": "18000.00", "energy": "ice", "condition": "old"}, "collateral.condition"),
    ],
)
def test_a_bad_car_is_a_422_naming_its_field_and_books_nothing(
    client: TestClient, svc: dict[str, str], car: dict[str, str], field: str
) -> None:
    refused = client.post("/api/v1/loans", json=TERMS | {"collateral": car}, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert client.get("/api/v1/loans", headers=svc).json()["items"] == []


def test_a_loan_booked_with_a_late_fee_carries_it_and_shows_it(
    client: TestClient, svc: dict[str, str], staff: dict[Role, str]
) -> None:
    loan = book(client, svc, late_fee={"amount": "50.00", "after_days": 10})
    assert loan["late_fee"] == {"amount": "50.00", "after_days": 10}
    assert book(client, svc)["late_fee"] is None
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "zh_CN")
    page = client.get(f"/loans/{loan['id']}").text
    assert 'data-late-fee="50.00"' in page and "逾期满 10 日未还收取 ¥50.00" in page


@pytest.mark.parametrize(
    ("late_fee", "field"),
    [
        ({"amount": "0.00", "after_days": 15}, "late_fee.amount"),
        ({"amount": "50.00", "after_days": 0}, "late_fee.after_days"),
        ({"amount": "50.00", "after_days": 91}, "late_fee.after_days"),
        ({"amount": "lots", "after_days": 15}, "late_fee.amount"),
    ],
)
def test_a_bad_late_fee_is_a_422_naming_its_field_and_books_nothing(
    client: TestClient, svc: dict[str, str], late_fee: dict[str, Any], field: str
) -> None:
    refused = client.post("/api/v1/loans", json=TERMS | {"late_fee": late_fee}, headers=svc)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert client.get("/api/v1/loans", headers=svc).json()["items"] == []
