"""Prepayment fees and overpayment refunds on both databases: a booked fee rule charges a
fee event on a partial prepayment (collected by the waterfall) and on a payoff (in the
quote, settled by it), a trade-in waives it, an advance can be refunded but never above
what it holds; the ledger invariants hold after every test (autouse fixture)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_loan_services import (
    SERVICING,
    START,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)
from tests.integration.test_loans_api import as_role, postings

pytestmark = pytest.mark.integration
DUE_1, DUE_2 = date(2026, 2, 5), date(2026, 3, 5)


def book(container: Container, rule: str = "percent_of_prepaid", rate: str = "0.02") -> int:
    terms = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12, start=START)
    request = BookingRequest(
        terms, cny("12000"), prepayment_fee_rule=rule, prepayment_fee_rate=Decimal(rate)
    )
    loans = container.services.loans
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(cny("12000"), START))
    return loan_id


def prepay(
    container: Container, loan: int, amount: str, day: date, *, mode: str, trade_in: bool = False
) -> dict[str, object]:
    data = MoneyIn(cny(amount), day, "bank_transfer", None, mode, trade_in)
    return container.services.servicing.prepay(SERVICING, loan, data).body


def balances(container: Container, loan: int) -> dict[str, str]:
    shown = view(container, loan)["balances"]
    assert isinstance(shown, dict)
    return shown


def kinds(container: Container, loan: int) -> list[str]:
    return [t["kind"] for t in container.services.loans.transactions(SERVICING, loan)]


def test_a_bad_fee_rule_is_refused_at_booking(container: Container) -> None:
    with pytest.raises(InvalidInput, match="prepayment_fee_rule"):
        book(container, rule="sometimes")
    with pytest.raises(InvalidInput, match="prepayment_fee_rate"):
        book(container, rate="1.5")


def test_a_two_percent_fee_is_charged_on_a_partial_prepayment_and_collected(
    container: Container,
) -> None:
    loan = book(container)
    pay(container, loan, "1066.19", DUE_1)
    body = prepay(container, loan, "3000.00", DUE_1, mode="lower_installment")
    assert body["prepayment_fee"] == "60.00"
    assert kinds(container, loan) == ["repayment", "prepayment", "fee"]
    shown = view(container, loan)
    assert shown["schedule"][1]["fee"] == "60.00"  # type: ignore[index]
    assert balances(container, loan)["principal"] == "8053.81"
    assert balances(container, loan)["fees"] == "60.00"
    due = shown["next_due"]["amount"]  # type: ignore[index]
    pay(container, loan, due, DUE_2)
    assert balances(container, loan)["fees"] == "0.00"
    assert view(container, loan)["schedule"][1]["status"] == "paid"  # type: ignore[index]


def test_a_trade_in_waives_the_fee(container: Container) -> None:
    loan = book(container, rule="waived_trade_in")
    pay(container, loan, "1066.19", DUE_1)
    body = prepay(container, loan, "3000.00", DUE_1, mode="shorten_term", trade_in=True)
    assert body["prepayment_fee"] == "0.00"
    assert "fee" not in kinds(container, loan)
    assert balances(container, loan)["fees"] == "0.00"


def test_reversing_a_prepayment_reverses_its_fee(container: Container) -> None:
    loan = book(container)
    pay(container, loan, "1066.19", DUE_1)
    body = prepay(container, loan, "3000.00", DUE_1, mode="lower_installment")
    container.services.servicing.reverse_repayment(SERVICING, loan, int(body["id"]), "bounced")  # type: ignore[call-overload]
    rows = container.services.loans.transactions(SERVICING, loan)
    assert [(r["kind"], r["status"]) for r in rows][1:] == [
        ("prepayment", "reversed"),
        ("fee", "reversed"),
    ]
    assert balances(container, loan)["fees"] == "0.00"
    assert balances(container, loan)["principal"] == "11053.81"


def test_the_payoff_quote_includes_the_fee_and_paying_it_closes_the_loan(
    container: Container,
) -> None:
    loan = book(container)
    pay(container, loan, "1066.19", DUE_1)
    day = date(2026, 2, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    assert quote["prepayment_fee"] == "221.08"  # 2 % of 11,053.81
    parts = ("principal", "interest", "penalty", "fees")
    owed = sum(Decimal(quote[p]) for p in parts) - Decimal(quote["advance"])
    assert Decimal(quote["total"]) == owed + Decimal("221.08")
    body = prepay(container, loan, quote["total"], day, mode="payoff")
    assert body["prepayment_fee"] == "221.08"
    shown = view(container, loan)
    assert shown["status"] == "paid_off"
    assert set(balances(container, loan).values()) == {"0.00"}


def test_a_payoff_without_the_fee_is_refused(container: Container) -> None:
    loan = book(container)
    day = date(2026, 1, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    short = str(Decimal(quote["total"]) - Decimal(quote["prepayment_fee"]))
    with pytest.raises(InvalidInput, match="payoff"):
        prepay(container, loan, short, day, mode="payoff")
    assert kinds(container, loan) == []


def test_a_trade_in_payoff_quote_has_no_fee(container: Container) -> None:
    loan = book(container, rule="waived_trade_in")
    day = date(2026, 1, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day, trade_in=True)
    assert quote["prepayment_fee"] == "0.00"
    prepay(container, loan, quote["total"], day, mode="payoff", trade_in=True)
    assert set(balances(container, loan).values()) == {"0.00"}


def test_an_overpayment_is_refunded_and_never_more_than_the_advance(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    pay(container, loan, "1500.00", DUE_1)
    servicing = container.services.servicing
    before = postings(container)
    with pytest.raises(Conflict, match=r"exceeds the advance 433\.81") as refused:
        servicing.refund_advance(SERVICING, loan, cny("433.82"), date(2026, 2, 10))
    assert refused.value.message_zh == "退款金额超过 2026-02-10 的预收款余额 433.81"
    assert postings(container) == before
    assert "refund" not in kinds(container, loan)
    done = servicing.refund_advance(SERVICING, loan, cny("400.00"), date(2026, 2, 10))
    assert done.body["kind"] == "refund" and done.body["status"] == "posted"
    assert balances(container, loan)["suspense"] == "33.81"
    entries = container.services.loans.ledger(SERVICING, loan)
    refund = [e for e in entries if e["kind"] == "refund"]
    assert len(refund) == 1
    sides = {(p["account"], p["sub_ledger"], p["side"]) for p in refund[0]["postings"]}
    assert ("2100", "suspense", "debit") in sides
    assert ("2300", None, "credit") in sides


def test_a_reversal_that_would_leave_a_refund_uncovered_is_refused(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    paid = pay(container, loan, "1500.00", DUE_1)
    servicing = container.services.servicing
    servicing.refund_advance(SERVICING, loan, cny("400.00"), date(2026, 2, 10))
    with pytest.raises(Conflict, match="exceeds the advance"):
        servicing.reverse_repayment(SERVICING, loan, int(paid["id"]), "bounced")  # type: ignore[call-overload]
    assert balances(container, loan)["suspense"] == "33.81"


REFUND = {"amount": "100.00", "currency": "CNY", "value_date": "2026-02-10"}


def test_the_refund_api_replays_a_key_and_names_bad_fields(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container, rule="none")
    pay(container, loan, "1500.00", DUE_1)
    url = f"/api/v1/loans/{loan}/refunds"
    signed = as_role(client, staff, Role.SERVICING)
    missing = client.post(url, json=REFUND, headers=signed)
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "Idempotency-Key"
    headers = signed | {"Idempotency-Key": "r-1"}
    first = client.post(url, json=REFUND, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post(url, json=REFUND, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert balances(container, loan)["suspense"] == "333.81"
    bad = client.post(
        url, json=REFUND | {"amount": "abc"}, headers=signed | {"Idempotency-Key": "r-2"}
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "amount"
    too_much = REFUND | {"amount": "400.00"}
    refused = client.post(url, json=too_much, headers=signed | {"Idempotency-Key": "r-3"})
    assert refused.status_code == 409, refused.text
    borrower = as_role(client, staff, Role.BORROWER) | {"Idempotency-Key": "r-4"}
    assert client.post(url, json=REFUND, headers=borrower).status_code == 403


def test_the_prepayment_api_takes_trade_in_and_the_quote_shows_the_fee(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container, rule="waived_trade_in")
    pay(container, loan, "1066.19", DUE_1)
    headers = as_role(client, staff, Role.SERVICING)
    quote_url = f"/api/v1/loans/{loan}/payoff-quote?date=2026-02-20"
    assert client.get(quote_url, headers=headers).json()["prepayment_fee"] == "221.08"
    waived = client.get(quote_url + "&trade_in=true", headers=headers).json()
    assert waived["prepayment_fee"] == "0.00"
    body = {"amount": "3000.00", "currency": "CNY", "value_date": "2026-02-05"}
    url = f"/api/v1/loans/{loan}/prepayments"
    bad = client.post(
        url, json=body | {"trade_in": "maybe"}, headers=headers | {"Idempotency-Key": "p-0"}
    )
    assert bad.status_code == 422
    assert "trade_in" in (bad.json()["error"].get("field") or bad.text)
    made = client.post(
        url, json=body | {"trade_in": True}, headers=headers | {"Idempotency-Key": "p-1"}
    )
    assert made.status_code == 201, made.text
    assert made.json()["prepayment_fee"] == "0.00"
    assert "fee" not in kinds(container, loan)


def test_money_received_after_a_payoff_is_refunded_and_the_loan_stays_paid_off(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    day = date(2026, 1, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    prepay(container, loan, quote["total"], day, mode="payoff")
    pay(container, loan, "100.00", date(2026, 1, 25))  # a late transfer: to the advance
    assert balances(container, loan)["suspense"] == "100.00"
    servicing = container.services.servicing
    with pytest.raises(Conflict, match=r"exceeds the advance 100\.00"):
        servicing.refund_advance(SERVICING, loan, cny("100.01"), date(2026, 1, 26))
    done = servicing.refund_advance(SERVICING, loan, cny("100.00"), date(2026, 1, 26))
    assert done.body["kind"] == "refund" and done.body["status"] == "posted"
    shown = view(container, loan)
    assert shown["status"] == "paid_off"
    assert set(balances(container, loan).values()) == {"0.00"}


def test_an_advance_above_the_payoff_settles_the_loan_with_a_payoff_of_zero(
    container: Container,
) -> None:
    """The quote read a negative total and a payoff of 0.00 was refused ("amount must be
    positive"): a loan whose advance held more than it owed could never close. 13,000.00
    paid on the first due date pays installment 1 (1,066.19) and leaves 11,933.81; on
    2026-02-20 the loan owes 11,053.81 principal, 15 days' interest and the 2 % fee
    (221.08): the advance pays that, the payoff is 0.00 and the rest stays held."""
    loan = book(container)
    pay(container, loan, "13000.00", DUE_1)
    day = date(2026, 2, 20)
    quote = container.services.loans.payoff_quote(SERVICING, loan, day)
    parts = ("principal", "interest", "penalty", "fees", "prepayment_fee")
    due = sum(Decimal(quote[p]) for p in parts)
    assert quote["advance"] == "11933.81" and quote["total"] == "0.00"
    assert Decimal(quote["advance_left"]) == Decimal("11933.81") - due > 0
    with pytest.raises(InvalidInput, match="must not be negative"):
        prepay(container, loan, "-1.00", day, mode="payoff")
    prepay(container, loan, "0.00", day, mode="payoff")
    assert view(container, loan)["status"] == "paid_off"
    left = balances(container, loan)
    assert left.pop("suspense") == quote["advance_left"]
    assert set(left.values()) == {"0.00"}
    container.services.servicing.refund_advance(SERVICING, loan, cny(quote["advance_left"]), day)
    assert set(balances(container, loan).values()) == {"0.00"}


def test_a_payoff_of_zero_is_refused_while_the_advance_does_not_cover_the_loan(
    container: Container,
) -> None:
    loan = book(container, rule="none")
    pay(container, loan, "1500.00", DUE_1)
    quote = container.services.loans.payoff_quote(SERVICING, loan, date(2026, 2, 20))
    assert quote["advance_left"] == "0.00" and Decimal(quote["total"]) > 0
    with pytest.raises(InvalidInput, match=rf"exactly {quote['total']}"):
        prepay(container, loan, "0.00", date(2026, 2, 20), mode="payoff")
    assert "payoff" not in kinds(container, loan)
