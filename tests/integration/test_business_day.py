"""The lender's business day is Beijing's date, not UTC's: from 16:00 UTC it is already
tomorrow in Beijing, and a loan disbursed then starts tomorrow (UTC). Servicing staff at
work before 08:00 Beijing time could not post a repayment dated today ("in the future"),
and a loan disbursed that morning opened its page with an error in the payoff panel (its
default date, UTC's, was before the loan's start)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock, SystemClock
from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.calendar import add_months
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import as_role

pytestmark = pytest.mark.integration
BEIJING_MORNING = datetime(2026, 11, 28, 20, 30, tzinfo=UTC)  # 04:30 on the 29th in Beijing


def test_the_clock_tells_the_business_day_in_the_lenders_zone() -> None:
    assert FixedClock(BEIJING_MORNING).today() == date(2026, 11, 29)
    assert FixedClock(BEIJING_MORNING, zone="UTC").today() == date(2026, 11, 28)
    assert FixedClock(datetime(2026, 11, 28, 15, 59, tzinfo=UTC)).today() == date(2026, 11, 28)
    assert abs((SystemClock().today() - datetime.now(UTC).date()).days) <= 1


def test_a_repayment_dated_today_in_beijing_is_taken_before_eight_in_the_morning(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    clock.advance(BEIJING_MORNING - clock.now())
    today = clock.today()
    terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                      periods=12, start=today)  # fmt: skip
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms, Money.parse("12000", "CNY")))
    loans.disburse(SERVICING, loan_id, DisbursementInput(Money.parse("12000", "CNY")))
    headers = as_role(client, staff, Role.SERVICING)
    payment = {"amount": "100.00", "currency": "CNY", "channel": "bank_transfer",
               "reference": "EARLY-1"}  # fmt: skip
    path = f"/api/v1/loans/{loan_id}/repayments"
    taken = client.post(path, json=payment | {"value_date": today.isoformat()},
                        headers=headers | {"Idempotency-Key": "early-1"})  # fmt: skip
    assert taken.status_code == 201, taken.text
    tomorrow = (today + timedelta(days=1)).isoformat()
    ahead = client.post(path, json=payment | {"value_date": tomorrow, "reference": "EARLY-2"},
                        headers=headers | {"Idempotency-Key": "early-2"})  # fmt: skip
    assert ahead.status_code == 422 and "future" in ahead.json()["error"]["message"]
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    assert f'name="payoff_date" type="date" value="{today.isoformat()}"' in page
    assert 'data-error-field="date"' not in page and "must be on or after" not in page


def _active_loan(container: Container, start: date) -> int:
    terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                      periods=12, start=start)  # fmt: skip
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms, Money.parse("12000", "CNY")))
    loans.disburse(SERVICING, loan_id, DisbursementInput(Money.parse("12000", "CNY")))
    return loan_id


def test_a_loan_is_accrued_through_today_at_the_latest(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    """Accrued through next month (the API took any date), a loan refused a payoff quote
    for today: "date must be on or after" the last day accrued."""
    today = clock.today()
    loan_id = _active_loan(container, today - timedelta(days=40))
    headers = as_role(client, staff, Role.SERVICING)
    url = f"/api/v1/loans/{loan_id}/accruals"
    ahead = client.post(url, json={"through": (today + timedelta(days=1)).isoformat()},
                        headers=headers)  # fmt: skip
    assert ahead.status_code == 422, ahead.text
    assert ahead.json()["error"]["field"] == "through" and str(today) in ahead.text
    assert container.services.loans.ledger(SERVICING, loan_id)[-1]["kind"] == "disbursement"
    done = client.post(url, json={"through": today.isoformat()}, headers=headers)
    assert done.status_code == 200 and done.json()["entries_posted"] > 0, done.text
    quote = client.get(f"/api/v1/loans/{loan_id}/payoff-quote?date={today}", headers=headers)
    assert quote.status_code == 200, quote.text


def test_a_payoff_quote_is_dated_at_most_a_year_ahead(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    """Each day up to the quote's date is projected: 9999-12-31 held a server thread for
    minutes and then answered 500 (a date past the calendar)."""
    today = clock.today()
    loan_id = _active_loan(container, today)
    headers = as_role(client, staff, Role.SERVICING)
    url = f"/api/v1/loans/{loan_id}/payoff-quote?date="
    latest = add_months(today, 12)  # a year to the day: 366 days reached a day further
    assert client.get(url + latest.isoformat(), headers=headers).status_code == 200
    for far in (latest + timedelta(days=1), date(9999, 12, 31)):
        refused = client.get(url + far.isoformat(), headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == {
            "code": "invalid_input", "field": "date",
            "message": f"date must be on or before {latest}",
            "message_zh": f"结清报价的日期最晚为 {latest}（今天起一年内）",
        }  # fmt: skip
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}?payoff_date=9999-12-31").text
    assert f"结清报价的日期最晚为 {latest}（今天起一年内）" in page


def test_a_loan_is_paid_out_on_a_business_day_already_here(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    """A loan booked to start in 2090 was paid out at once, its cash leaving on a date
    64 years ahead (the API posts what it is told; repayments already refused it)."""
    tomorrow = clock.today() + timedelta(days=1)
    terms = LoanTerms(principal=Money.parse("12000", "CNY"), annual_rate=Decimal("0.12"),
                      periods=12, start=tomorrow)  # fmt: skip
    loan_id = container.services.loans.book(
        SERVICING, BookingRequest(terms, Money.parse("12000", "CNY"))
    )
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "pay-out-1"}
    url = f"/api/v1/loans/{loan_id}/disbursements"
    early = client.post(url, json={"amount": "12000.00", "currency": "CNY"}, headers=headers)
    assert early.status_code == 422, early.text
    assert early.json()["error"]["field"] == "value_date"
    assert f"pay out on or before {clock.today()}" in early.json()["error"]["message"]
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "booked"
    assert container.services.loans.ledger(SERVICING, loan_id) == []  # nothing posted
    clock.advance(timedelta(days=1))  # the start day comes: the same request pays out
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "pay-out-2"}
    later = client.post(url, json={"amount": "12000.00", "currency": "CNY"}, headers=headers)
    assert later.status_code == 201, later.text


def test_a_loan_starting_more_than_ten_years_back_is_refused_naming_the_start(
    client: TestClient, container: Container, clock: FixedClock, staff: dict[Role, str]
) -> None:
    """Booked with a start of 0002-01-01 (a year typed short), a loan made the next end of
    day catch up every day since then: it runs from the oldest loan's day."""
    headers = as_role(client, staff, Role.SERVICING)
    body = {"principal": "5000.00", "annual_rate": "12", "periods": 12, "currency": "CNY"}
    typo = client.post("/api/v1/loans", json=body | {"start": "0026-01-01"}, headers=headers)
    assert typo.status_code == 422, typo.text
    assert typo.json()["error"]["field"] == "start"
    ten_years = clock.today().replace(year=clock.today().year - 10)
    kept = client.post("/api/v1/loans", json=body | {"start": str(ten_years)}, headers=headers)
    assert kept.status_code == 201, kept.text
