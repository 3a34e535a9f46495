"""The loan pages as servicing and a borrower use them: a refused form keeps what was typed,
the prepayment form offers the one kind of day a partial prepayment can take (a due date
whose installment and every one before it are paid), the schedule has totals, a loan paid
off or written off says when, and the next installment says what is left to pay when an
advance holds part of it (home, list, loan page). Both databases.

The loan is tests/integration/test_loans_api's (the borrower user's own): 12,000.00 at 12 %
over 12 months from 2026-01-05, due on the 5th; the test clock's day is 2026-11-28, so
installments 1 to 10 (2026-02-05 .. 2026-11-05) have fallen due.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_services import view
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.support.loan_pages import done_form, form_html, refused_form
from tests.support.repayments import paid_through, pay_off
from tests.support.write_off import written_off

__all__ = ["form_html", "paid_through"]  # once here: other modules import them from here
pytestmark = pytest.mark.integration
TODAY = "2026-11-28"


def inputs(form: str) -> dict[str, str]:
    """Each input's name and value, whatever the order of their attributes."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            found[name.group(1)] = value.group(1) if value else ""
    return found


def header(page: str) -> str:
    """The facts under the loan's heading, as text on one line."""
    found = re.search(r'class="page-header loan-head".*?<p class="muted">(.*?)</p>', page, re.S)
    assert found, page[:3000]
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_refused_repayment_shows_the_form_again_with_what_was_typed(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    typed = {"amount": "12,34x", "value_date": "2026-11-20", "channel": "cash",
             "reference": "BANK-REF-9"}  # fmt: skip
    url, data = f"/loans/{loan_id}/repayments", {"idempotency_key": "k-typed-1", **typed}
    page, form = refused_form(client, url, data, "repayment")
    assert re.search(r'id="repay-amount"[^>]*value="12,34x"[^>]*aria-invalid="true"', form)
    assert 'value="2026-11-20"' in form and 'value="BANK-REF-9"' in form
    assert re.search(r'<option value="cash" selected>', form)
    # the other forms are not filled with it
    assert "12,34x" not in form_html(page, "prepayment")


def test_a_refused_prepayment_keeps_its_amount_mode_and_date(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 10)
    web_sign_in(client, staff, Role.SERVICING)
    typed = {"amount": "500.00", "value_date": "2026-11-20", "mode": "lower_installment"}
    url, data = f"/loans/{loan_id}/prepayments", {"idempotency_key": "k-typed-2", **typed}
    _, form = refused_form(client, url, data, "prepayment")  # 2026-11-20 is no due date
    assert 'value="500.00"' in form and 'value="2026-11-20"' in form
    assert '<option value="lower_installment" selected>' in form
    assert re.search(r'id="prepay-date"[^>]*aria-invalid="true"', form)


def test_the_prepayment_form_offers_the_latest_paid_due_date_and_posting_it_works(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.SERVICING)
    unpaid = form_html(client.get(f"/loans/{loan_id}").text, "prepayment")
    assert 'data-prepay-day=""' in unpaid and 'name="amount"' not in unpaid  # ten are late
    paid_through(container, loan_id, 10)
    page = client.get(f"/loans/{loan_id}").text
    form = form_html(page, "prepayment")
    assert 'data-prepay-day="2026-11-05"' in form
    assert re.search(r'id="prepay-date"[^>]*value="2026-11-05"', form)
    fields = inputs(form)
    assert fields["value_date"] == "2026-11-05"
    posted = done_form(
        client,
        f"/loans/{loan_id}/prepayments",
        fields | {"amount": "1000.00", "mode": "shorten_term"},
    )
    assert 'data-notice="prepayment"' in posted.text


def test_the_schedule_totals_its_columns_and_its_principal_is_the_loans(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 3)
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get(f"/loans/{loan_id}").text
    rows = view(container, loan_id)["schedule"]
    assert isinstance(rows, list)
    for column in ("principal", "interest", "fee", "paid", "outstanding"):
        total = sum((Decimal(row[column]) for row in rows), Decimal(0))
        shown = re.search(rf'data-total="{column}">[^\d]*([\d,]+\.\d\d)<', page)
        assert shown and Decimal(shown.group(1).replace(",", "")) == total, column
    assert re.search(r'data-total="principal">[^\d]*12,000\.00<', page)


def test_an_advance_is_said_beside_the_next_installment_on_home_list_and_loan_page(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 10, extra="300.00")
    due = view(container, loan_id)["next_due"]
    assert isinstance(due, dict)
    assert Decimal(due["amount"]) - Decimal(due["to_pay"]) == Decimal("300.00")
    web_sign_in(client, staff, Role.BORROWER)
    for path in ("/", "/loans"):
        row = client.get(path).text.split(f'<tr data-loan-id="{loan_id}">')[1].split("</tr>")[0]
        assert f'data-next-to-pay="{due["to_pay"]}"' in row, path
        assert f"{Decimal(due['amount']):,}" in row, path  # of the installment's amount
    loan_page = client.get(f"/loans/{loan_id}").text
    assert f'data-next-to-pay="{due["to_pay"]}"' in loan_page


def test_a_borrower_list_has_no_customer_column_and_staff_keep_it(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    web_sign_in(client, staff, Role.BORROWER)
    assert ">客户</th>" not in client.get("/loans").text  # it is always themselves
    web_sign_in(client, staff, Role.SERVICING)
    assert ">客户</th>" in client.get("/loans").text


def test_a_paid_off_loan_says_when_it_was_paid_off(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    pay_off(container, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get(f"/loans/{loan_id}").text
    facts = header(page)
    assert f'data-closed-on="{TODAY}"' in page
    # "Paid off on ... · Product ...": it began with a bare "—" (no days past due to
    # show on a loan not in repayment); one separator between facts, none before
    assert facts.startswith("已于 2026-11-28 结清 ·"), facts
    assert "—" not in facts and "· ·" not in facts


def test_a_written_off_loan_says_when_and_that_a_payment_is_a_recovery(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    written_off(container, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{loan_id}").text
    facts = header(page)
    assert f'data-closed-on="{TODAY}"' in page and "· ·" not in facts
    assert not facts.startswith("·")
    assert 'data-payoff-none="written_off"' in page
    assert 'data-section="servicing"' not in page  # no forms on a loan not in repayment


@pytest.mark.parametrize(
    ("locale", "said"),
    [("zh_CN", "部分提前还款金额须大于 0 且小于剩余本金"),
     ("en", "a partial prepayment is above 0 and below the balance of")],
)  # fmt: skip
def test_a_prepayment_of_the_whole_balance_says_to_pay_the_loan_off_in_the_pages_language(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
    locale: str,
    said: str,
) -> None:
    # It read "amount must be above 0 and below the balance 137499.99 CNY; to repay it
    # all, use payoff_amount" on either page: English, the API's field name, no grouping.
    paid_through(container, loan_id, 10)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set("autolend_lang", locale)
    fields = inputs(form_html(client.get(f"/loans/{loan_id}").text, "prepayment"))
    typed = fields | {"amount": "99999999.00", "mode": "shorten_term"}
    page, form = refused_form(client, f"/loans/{loan_id}/prepayments", typed, "prepayment")
    assert said in page and "payoff_amount" not in page
    assert re.search(r'id="prepay-amount"[^>]*aria-invalid="true"', form)
