"""The loan page asks before posting a repayment above everything the loan owes on its
value date (its payoff quote): 99,999,999.00 typed on a loan of 12,000.00 was posted
silently, the excess held as the advance. Confirmed, it is posted once; the API posts it
unasked (the money was received). Both databases.

The CN loan is tests/integration/test_loans_api's (12,000.00 at 12 % over 12 months from
2026-01-05, installments 1 to 10 fallen due and unpaid); the test clock's day is
2026-11-28, the value date of every repayment here.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from autolend.web.i18n import format_money
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_loan_page_forms_and_states import inputs
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture
from tests.support.loan_pages import done_form, form_html

pytestmark = pytest.mark.integration
TODAY = "2026-11-28"
TYPO = "99999999.00"


def payoff(container: Container, loan: int) -> Decimal:
    """What settles the loan today, as the payoff panel quotes it."""
    quote = container.services.loans.payoff_quote(SERVICING, loan, date.fromisoformat(TODAY))
    return Decimal(quote["total"])


def books(container: Container, loan: int) -> tuple[int, int]:
    """How many money events and journal entries the loan has."""
    events = container.services.loans.transactions(SERVICING, loan)
    return len(events), len(container.services.loans.ledger(SERVICING, loan))


def repay(client: TestClient, loan: int, amount: str, *, lang: str = "en", **more: str) -> Response:
    """Post the loan page's repayment form as servicing staff fill it in ``lang``."""
    client.cookies.set("autolend_lang", lang)
    token = csrf(client.get(f"/loans/{loan}").text)
    fields = {"csrf_token": token, "idempotency_key": f"k-{amount}-{lang}", "amount": amount,
              "value_date": TODAY, "channel": "bank_transfer", "reference": "BANK-7"}  # fmt: skip
    answer: Response = client.post(f"/loans/{loan}/repayments", data=fields | more)
    return answer


def warning(page: str) -> str:
    """The text of the box that asks about the amount, on one line ("" when none)."""
    found = re.search(r'<div[^>]*id="repay-amount-over".*?</div>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


def confirmation(page: str) -> dict[str, str]:
    """What the box's "Post ... anyway" button sends."""
    return inputs(form_html(page, "repayment-confirm"))


def test_an_amount_above_the_payoff_is_asked_about_in_either_language_and_not_posted(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    owed, before = payoff(container, loan_id), books(container, loan_id)
    excess = str(Decimal(TYPO) - owed)
    asked = repay(client, loan_id, TYPO, lang="en")
    assert asked.status_code == 200, asked.text[:2000]
    said = warning(asked.text)
    assert said == (
        f"This is {format_money(excess, 'CNY', 'en')} more than everything the loan owes on "
        f"{TODAY} ({format_money(owed, 'CNY', 'en')}). The excess would be held as "
        f"paid ahead. Post it anyway? Post {format_money(TYPO, 'CNY', 'en')} anyway"
    )
    box = re.search(r'<div[^>]*id="repay-amount-over"[^>]*>', asked.text)
    assert box and 'role="alert"' in box.group(0)  # said to a screen reader as it shows
    form = form_html(asked.text, "repayment")
    assert 'id="repay-amount-over"' in form  # beside the amount, in the form that corrects it
    assert inputs(form)["amount"] == TYPO and inputs(form)["reference"] == "BANK-7"
    assert "data-notice" not in asked.text
    chinese = warning(repay(client, loan_id, TYPO, lang="zh_CN").text)
    assert format_money(excess, "CNY", "zh_CN") in chinese and "多出" in chinese
    assert format_money(owed, "CNY", "zh_CN") in chinese and TODAY in chinese
    assert f"仍然登记 {format_money(TYPO, 'CNY', 'zh_CN')}" in chinese
    assert books(container, loan_id) == before  # no event, no journal entry


def test_the_confirmed_amount_is_posted_once_with_the_excess_held_as_the_advance(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    owed, (events, _) = payoff(container, loan_id), books(container, loan_id)
    sent = confirmation(repay(client, loan_id, TYPO).text)
    assert sent["confirm_over"] == TYPO and sent["idempotency_key"] == f"k-{TYPO}-en"
    posted = done_form(client, f"/loans/{loan_id}/repayments", sent)
    assert 'data-notice="repayment"' in posted.text and "data-replayed" not in posted.text
    again = done_form(client, f"/loans/{loan_id}/repayments", sent)  # sent twice: replayed
    assert 'data-replayed="true"' in again.text and warning(again.text) == ""
    rows = container.services.loans.transactions(SERVICING, loan_id)
    assert len(rows) == events + 1 and rows[-1]["amount"] == TYPO
    held = Decimal(container.services.loans.get(SERVICING, loan_id)["balances"]["suspense"])
    assert held >= Decimal(TYPO) - owed  # the excess over the payoff, and what falls due later
    assert payoff(container, loan_id) <= 0


def test_a_confirmation_of_another_amount_asks_again(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    before = books(container, loan_id)
    asked = repay(client, loan_id, "88888888.00", confirm_over=TYPO)
    assert asked.status_code == 200
    assert confirmation(asked.text)["confirm_over"] == "88888888.00"
    assert "88,888,888.00 anyway" in warning(asked.text)
    assert books(container, loan_id) == before


def test_an_amount_at_or_below_the_payoff_is_posted_without_asking(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    owed = payoff(container, loan_id)
    below = repay(client, loan_id, "1000.00")
    assert 'data-notice="repayment"' in below.text and warning(below.text) == ""
    exact = str(payoff(container, loan_id))
    assert Decimal(exact) < owed
    posted = repay(client, loan_id, exact)
    assert 'data-notice="repayment"' in posted.text and warning(posted.text) == ""
    kinds = [t["kind"] for t in container.services.loans.transactions(SERVICING, loan_id)]
    assert kinds.count("repayment") == 2


def test_a_paid_off_loan_takes_a_repayment_unasked_as_before(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    owed = payoff(container, loan_id)
    data = MoneyIn(Money.parse(str(owed), "CNY"), date.fromisoformat(TODAY), "cash", None, "payoff")
    container.services.servicing.prepay(SERVICING, loan_id, data)
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "paid_off"
    web_sign_in(client, staff, Role.SERVICING)
    posted = repay(client, loan_id, "50.00")  # no payoff to quote: held as the advance
    assert 'data-notice="repayment"' in posted.text and warning(posted.text) == ""


def test_a_us_loan_is_asked_about_in_dollars(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    person = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
              "pack_code": "US"}  # fmt: skip
    made = client.post("/api/v1/customers", json=person,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    amount = Money.parse("12000", "USD")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.073"), periods=12, start=START)
    request = BookingRequest(terms, amount, customer_id=made.json()["id"], pack_code="US")
    loan = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(SERVICING, loan, DisbursementInput(amount, START))
    web_sign_in(client, staff, Role.SERVICING)
    owed = payoff(container, loan)
    said = warning(repay(client, loan, "50000.00", channel="ach").text)
    assert format_money(str(Decimal("50000.00") - owed), "USD", "en") in said
    assert f"({format_money(owed, 'USD', 'en')})" in said and "Post $50,000.00 anyway" in said


def test_a_repayment_is_compared_with_what_is_owed_not_with_the_payoff_and_its_fee(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    """A loan with a 2 % prepayment fee quotes its payoff with the fee, which a repayment
    does not charge: 1.00 above what is owed is asked about, and the page says 1.00 (not
    1.00 less the fee) would be held as paid ahead."""
    amount = Money.parse("12000", "CNY")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.12"), periods=12, start=START)
    request = BookingRequest(terms, amount, prepayment_fee_rule="percent_of_prepaid",
                             prepayment_fee_rate=Decimal("0.02"))  # fmt: skip
    loan = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(SERVICING, loan, DisbursementInput(amount, START))
    quote = container.services.loans.payoff_quote(SERVICING, loan, date.fromisoformat(TODAY))
    fee = Decimal(quote["prepayment_fee"])
    owed = Decimal(quote["total"]) - fee
    assert fee > 1
    web_sign_in(client, staff, Role.SERVICING)
    said = warning(repay(client, loan, str(owed + 1)).text)
    assert said.startswith(f"This is {format_money('1.00', 'CNY', 'en')} more than")
    assert f"({format_money(owed, 'CNY', 'en')})" in said


def test_the_api_posts_an_amount_above_the_payoff_unasked(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    headers = as_role(client, staff, Role.SERVICING) | {"Idempotency-Key": "k-api-typo"}
    body = {"amount": TYPO, "currency": "CNY", "value_date": TODAY, "channel": "bank_transfer"}
    posted = client.post(f"/api/v1/loans/{loan_id}/repayments", json=body, headers=headers)
    assert posted.status_code == 201, posted.text
