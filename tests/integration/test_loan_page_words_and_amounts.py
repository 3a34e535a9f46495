"""The loan pages in the words of who reads them, and their amounts as one types them. Both
databases.

A borrower read staff words on their own loan: "Advance" (预收款) for the money they paid
ahead, "Serviced through" for how fresh the figures are, and the product's code beside
its name; staff keep their terms. The repayment form's amount had "5669.29" as its
placeholder (it read as a value already typed) and no amount input named its currency.
A posted prepayment did not say the fee it charged, and a "Fee charged" transaction did
not say which fee. A US loan's car read "NEV, new", a Chinese category.

The loans are tests/integration/test_loans_api's (the borrower user's own, 12,000.00 at
12 % over 12 months from 2026-01-05, due on the 5th) and
tests/integration/test_prepayment_fees_and_refunds's (the same with a 2 % prepayment
fee); the test clock's day is 2026-11-28, so installments 1 to 10 have fallen due.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.money import Money
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.schedule import LoanTerms
from autolend.services.contract import Collateral
from autolend.services.loans import BookingRequest, DisbursementInput
from tests.integration.test_application_pages import csrf, web_sign_in
from tests.integration.test_loan_page_forms_and_states import form_html, header, paid_through
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role, loan_id  # noqa: F401 - fixture
from tests.integration.test_prepayment_fees_and_refunds import book
from tests.support.loan_pages import done_form

pytestmark = pytest.mark.integration

NOV_5 = "2026-11-05"  # installment 10's due date, the latest a prepayment can take


def english(client: TestClient, staff: dict[Role, str], role: Role, loan: int) -> str:
    web_sign_in(client, staff, role)
    client.cookies.set("autolend_lang", "en")
    answer = client.get(f"/loans/{loan}")
    assert answer.status_code == 200, answer.text[:2000]
    return str(answer.text)


def section(page: str, name: str) -> str:
    return page.split(f'data-section="{name}"')[1].split("</section>", maxsplit=1)[0]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_borrower_reads_paid_ahead_and_updated_to_where_staff_read_advance_and_serviced_through(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 10, extra="300.00")  # 300.00 held for installment 11
    own = english(client, staff, Role.BORROWER, loan_id)
    said = text_of(section(own, "balances")) + " " + header(own)
    said += " " + text_of(section(own, "payoff")) + " " + text_of(section(own, "transactions"))
    assert "Paid ahead ¥300.00" in said and "The ¥300.00 you paid ahead is not deducted." in said
    assert "what you paid ahead pays part of it" in said and "Updated to 2026-11-05" in said
    assert "Advance" not in said and "advance" not in said and "Serviced through" not in said
    listed = client.get("/loans").text
    assert "what you paid ahead pays the rest" in listed and "advance" not in text_of(listed)

    staff_page = english(client, staff, Role.SERVICING, loan_id)
    words = text_of(section(staff_page, "balances")) + " " + header(staff_page)
    assert "Advance ¥300.00" in words and "The advance of ¥300.00 is not deducted." in words
    assert "Serviced through 2026-11-05" in words and "Paid ahead" not in words


def test_a_borrower_reads_the_products_name_without_its_code(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    today = container.services.clock.today()
    container.services.products.publish(SYSTEM_ACTOR, replace(STANDARD_NEW, effective_from=today))
    person = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13800138000"}
    made = client.post("/api/v1/customers", json=person,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    amount = Money.parse("12000", "CNY")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.12"), periods=12, start=START)
    request = BookingRequest(terms, amount, customer_id=made.json()["id"], product_code="STD_NEW")
    loan = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(SERVICING, loan, DisbursementInput(amount, START))
    own = english(client, staff, Role.BORROWER, loan)
    assert "Standard new car loan" in header(own) and "STD_NEW" not in header(own)
    row = client.get("/loans").text.split(f'<tr data-loan-id="{loan}">')[1].split("</tr>")[0]
    assert "Standard new car loan" in row and "STD_NEW" not in text_of(row)
    assert "STD_NEW" in header(english(client, staff, Role.SERVICING, loan))


def test_the_repayment_amount_names_its_currency_and_says_what_is_due_grouped(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    # Nothing paid: ten installments overdue, the amount shown grouped with its currency;
    # the placeholder only says how to type it ("5,669.29" is refused: no comma there).
    container.services.servicing.accrue_loan(SERVICING, loan_id, container.services.clock.today())
    page = english(client, staff, Role.SERVICING, loan_id)
    form = form_html(page, "repayment")
    # (what brings the loan up to date: the overdue installments and the penalty)
    shown = container.services.loans.get(SERVICING, loan_id)
    owed = Decimal(shown["overdue"]["amount"]) + Decimal(shown["balances"]["penalty"])
    due = re.search(r"<p[^>]*data-amount-due>(.*?)</p>", form, re.S)
    assert due and f"¥{owed:,}" in text_of(due.group(1)), form
    placeholder = re.search(r'id="repay-amount"[^>]*placeholder="([^"]*)"', form)
    assert placeholder and placeholder.group(1) == f"e.g. {owed}"
    assert "," not in placeholder.group(1)
    assert re.search(r'data-currency-unit="CNY">¥<', form)
    amount = re.search(r'<input id="repay-amount"[^>]*>', form)
    assert amount and 'aria-labelledby="repay-amount-label repay-amount-unit"' in amount.group(0)


def test_a_us_loans_amount_inputs_say_dollars_and_its_car_is_gas_or_electric(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    person = {"name": "John Smith", "id_number": "123-45-6788", "phone": "6145550100",
              "pack_code": "US"}  # fmt: skip
    made = client.post("/api/v1/customers", json=person,
                       headers=as_role(client, staff, Role.BORROWER))  # fmt: skip
    assert made.status_code == 201, made.text
    amount = Money.parse("12000", "USD")
    terms = LoanTerms(principal=amount, annual_rate=Decimal("0.073"), periods=12, start=START)
    car = Collateral.of(1_500_000, nev=True, used=False)
    request = BookingRequest(terms, amount, customer_id=made.json()["id"], pack_code="US",
                             collateral=car)  # fmt: skip
    loan = container.services.loans.book(SERVICING, request)
    container.services.loans.disburse(SERVICING, loan, DisbursementInput(amount, START))
    page = english(client, staff, Role.SERVICING, loan)
    assert 'data-currency-unit="USD">$<' in form_html(page, "repayment")
    assert "Electric, new $15,000.00" in header(page) and "NEV" not in header(page)


def test_a_posted_prepayment_says_its_fee_and_the_fee_is_named_in_the_transactions(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)  # a 2 % prepayment fee
    paid_through(container, loan, 10)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    page = client.get(f"/loans/{loan}").text
    assert re.search(r'data-currency-unit="CNY">¥<', form_html(page, "prepayment"))
    done = done_form(
        client, f"/loans/{loan}/prepayments",
        {"csrf_token": csrf(page), "idempotency_key": "k-fee-1", "amount": "1000.00",
         "value_date": NOV_5, "mode": "lower_installment", "reference": "pre-1"},
    )  # fmt: skip
    notice = done.text.split('data-notice="prepayment"')[1].split("</div>")[0]
    assert 'data-prepayment-fee="20.00"' in notice
    assert "A prepayment fee of ¥20.00 was charged; it is due with the next installment." in (
        text_of(notice)
    )
    fee = re.search(r'<tr data-transaction="\d+" data-kind="fee".*?</tr>', done.text, re.S)
    assert fee and 'data-fee-kind="prepayment"' in fee.group(0)
    assert "Fee charged Prepayment fee" in text_of(fee.group(0))
    rows = container.services.loans.transactions(SERVICING, loan)
    assert [t["fee_kind"] for t in rows if t["kind"] == "fee"] == ["prepayment"]
    assert {t["fee_kind"] for t in rows if t["kind"] != "fee"} == {None}


def test_a_payoff_says_the_prepayment_fee_it_includes(
    client: TestClient, container: Container, staff: dict[Role, str]
) -> None:
    loan = book(container)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", "en")
    quote = container.services.loans.payoff_quote(SERVICING, loan, container.services.clock.today())
    form = form_html(client.get(f"/loans/{loan}").text, "payoff-post")
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
    done = done_form(client, f"/loans/{loan}/prepayments", fields | {"reference": "bank"})
    notice = text_of(done.text.split('data-notice="prepayment"')[1].split("</div>")[0])
    fee = Decimal(quote["prepayment_fee"])
    assert fee > 0 and f"It includes a prepayment fee of ¥{fee:,}." in notice


def test_an_advance_that_covers_the_next_installment_says_nothing_is_left_to_pay(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    """It said the advance "pays part of it: ¥0.00 left to pay". Installment 11 of the
    12,000.00 loan is 1,066.19 (12 % a year, 12 months: any annuity calculator)."""
    paid_through(container, loan_id, 10, extra="1066.19")
    said_to = {Role.BORROWER: "what you paid ahead covers all of it: nothing left",
               Role.SERVICING: "the advance held covers all of it: nothing left"}  # fmt: skip
    for role, said in said_to.items():
        shown = header(english(client, staff, role, loan_id))
        assert said in shown and "part of it" not in shown, shown
