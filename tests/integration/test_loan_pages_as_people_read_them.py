"""The loan pages as servicing staff and a borrower read them: a refused form's banner leads
to the field at fault and gives the service's words on a line of their own (not in ASCII
brackets, which read wrong in Chinese); the list counts a loan's overdue installments under
the amount and says a written-off loan's days past due were counted at the write-off; a
paid-off loan's payoff card says nothing is left to pay; the outstanding card says when
the advance is not taken off (the payoff quote takes it off). Both databases.

The loan is tests/integration/test_loans_api's (the borrower user's own): 12,000.00 at 12 %
over 12 months from 2026-01-05, due on the 5th; the test clock's day is 2026-11-28.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_page_forms_and_states import TODAY, header
from tests.integration.test_loan_services import SERVICING
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.support.loan_pages import refused_form
from tests.support.repayments import paid_through, pay_off
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration


def list_row(page: str, loan: int) -> str:
    return page.split(f'<tr data-loan-id="{loan}">')[1].split("</tr>", maxsplit=1)[0]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_refused_repayment_banner_leads_to_its_field_and_says_why_on_its_own_line(
    client: TestClient,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    # On a phone the repayment form is a screen or two under the banner, which named the
    # field but had no way to it; its detail was "(请填写金额，例如 1500.00)" in ASCII brackets.
    web_sign_in(client, staff, Role.SERVICING)
    typed = {"idempotency_key": "k-banner-1", "amount": "abc", "value_date": "2026-11-20",
             "channel": "cash"}  # fmt: skip
    page, _ = refused_form(client, f"/loans/{loan_id}/repayments", typed, "repayment")
    banner = page.split('data-form-error="amount"')[1].split("</div>")[0]
    assert 'href="#repay-amount" data-action="go-to-field"' in banner
    detail = re.search(r"<span[^>]*data-problem-detail>(.*?)</span>", banner, re.S)
    assert detail and detail.group(1).strip()
    assert "(" not in text_of(banner)


def test_the_list_counts_the_overdue_installments_under_the_amount_without_brackets(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    # nothing paid: installments 1 to 10 are past due once the loan is serviced to today
    container.services.servicing.accrue_loan(SERVICING, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.SERVICING)
    cell = re.search(
        r'<td class="num" data-overdue=.*?</td>', list_row(client.get("/loans").text, loan_id), re.S
    )
    assert cell
    assert 'data-overdue-installments="10"' in cell.group(0)
    assert "(" not in text_of(cell.group(0)) and "（" not in text_of(cell.group(0))


def test_the_list_says_a_written_off_loans_days_past_due_were_counted_at_the_write_off(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    # The loan page said "97 days past due when written off", the list only "97 days past due".
    written_off(container, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.SERVICING)
    row = text_of(list_row(client.get("/loans").text, loan_id))
    page = header(client.get(f"/loans/{loan_id}").text)
    said = re.search(r"核销时逾期 \d+ 天", page)
    assert said and said.group(0) in row


def test_a_paid_off_loans_payoff_card_says_nothing_is_left_to_pay(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    # It said "This loan is not active, so there is nothing to pay off": staff words.
    pay_off(container, loan_id, date.fromisoformat(TODAY))
    web_sign_in(client, staff, Role.BORROWER)
    page = client.get(f"/loans/{loan_id}").text
    card = page.split('data-section="payoff"')[1].split("</section>")[0]
    assert 'data-payoff-none="paid_off"' in card
    assert "This loan is paid off: there is nothing left to pay." in card or "已结清" in card


def test_the_outstanding_card_says_the_advance_is_not_taken_off_when_one_is_held(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    # The payoff quote takes the advance off, the outstanding does not: they disagreed
    # by the advance with nothing to say why.
    web_sign_in(client, staff, Role.BORROWER)
    assert "data-advance-not-deducted" not in client.get(f"/loans/{loan_id}").text
    paid_through(container, loan_id, 10, extra="300.00")
    page = client.get(f"/loans/{loan_id}").text
    card = page.split('data-balance="outstanding"')[1].split("</div>")[0]
    assert "data-advance-not-deducted" in card and "¥300.00" in card
