"""A partial prepayment on the due date of an installment that was paid late stands: the
installment is settled, so the prepayment's money overtakes no arrears. (Found
2026-11-28: the replay judged the rule on the due date itself, before the late repayment
dated after it, so the prepayment was refused although the form had proposed that very
day.) It is still refused while the installment is unpaid, and a reversal that unpays it
again is refused. Both databases; the ledger invariants (``autolend verify``) after each
test.

The loan is tests/integration/test_loan_services': 12,000.00 at 12 % over 12 months from
2026-01-05, installments of 1,066.19 due on the 5th (1: 946.19 of principal).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.errors import Conflict
from autolend.services.servicing import MoneyIn
from tests.integration.test_application_pages import web_sign_in
from tests.integration.test_loan_page_forms_and_states import form_html, inputs, paid_through
from tests.integration.test_loan_services import (
    SERVICING,
    book,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
    pay,
    view,
)
from tests.integration.test_loans_api import loan_id  # noqa: F401 - fixture
from tests.support.loan_pages import done_form

pytestmark = pytest.mark.integration

FIRST_DUE = date(2026, 2, 5)
LATE = date(2026, 2, 15)  # ten days late: 1,100.00 pays the installment and its penalty


def prepay(container: Container, loan: int, amount: str, day: date) -> dict[str, object]:
    data = MoneyIn(cny(amount), day, "bank_transfer", f"pre-{amount}", "lower_installment")
    return container.services.servicing.prepay(SERVICING, loan, data).body


def schedule(container: Container, loan: int) -> list[dict[str, str]]:
    rows = view(container, loan)["schedule"]
    assert isinstance(rows, list)
    return rows


def test_a_prepayment_on_the_due_date_of_an_installment_paid_late_is_accepted(
    container: Container,
) -> None:
    loan = book(container)
    repaid = pay(container, loan, "1100.00", LATE)
    split = repaid["allocation"]
    assert isinstance(split, dict) and split["penalty"] != "0.00"  # it was late
    assert schedule(container, loan)[0]["status"] == "paid"

    posted = prepay(container, loan, "3000.00", FIRST_DUE)

    assert posted["allocation"]["principal"] == "3000.00"  # type: ignore[index]
    shown = view(container, loan)
    balances = shown["balances"]
    assert isinstance(balances, dict)
    assert balances["principal"] == "8053.81"  # 12,000.00 - 946.19 - 3,000.00: as on time
    assert balances["penalty"] == "0.00"
    rows = schedule(container, loan)
    assert len(rows) == 12 and rows[0]["status"] == "paid"
    assert Decimal(rows[1]["principal"]) + Decimal(rows[1]["interest"]) < Decimal("1066.19")


def test_installments_paid_late_together_let_a_prepayment_take_the_later_due_date(
    container: Container,
) -> None:
    loan = book(container)
    pay(container, loan, "2200.00", date(2026, 3, 20))  # installments 1 and 2, both late

    prepay(container, loan, "1000.00", date(2026, 3, 5))

    assert [r["status"] for r in schedule(container, loan)[:2]] == ["paid", "paid"]
    balances = view(container, loan)["balances"]
    assert isinstance(balances, dict)
    assert balances["principal"] == "9098.16"  # 12,000.00 less 946.19, 955.65 and 1,000.00


def test_a_prepayment_on_the_due_date_of_an_installment_still_unpaid_is_refused(
    container: Container,
) -> None:
    loan = book(container)
    pay(container, loan, "500.00", LATE)  # part of installment 1 only
    before = view(container, loan)

    with pytest.raises(Conflict, match="once that installment and everything before it"):
        prepay(container, loan, "3000.00", FIRST_DUE)

    assert view(container, loan) == before


def test_reversing_the_late_repayment_a_prepayment_relied_on_is_refused(
    container: Container,
) -> None:
    loan = book(container)
    repaid = pay(container, loan, "1100.00", LATE)
    prepay(container, loan, "3000.00", FIRST_DUE)
    before = view(container, loan)

    with pytest.raises(Conflict, match="once that installment and everything before it"):
        container.services.servicing.reverse_repayment(
            SERVICING,
            loan,
            int(repaid["id"]),  # type: ignore[call-overload]
            "bounced",
        )

    assert view(container, loan) == before


def test_the_form_proposes_the_due_date_of_an_installment_paid_late_and_posting_it_works(
    client: TestClient,
    container: Container,
    staff: dict[Role, str],
    loan_id: int,  # noqa: F811 - fixture
) -> None:
    paid_through(container, loan_id, 9)  # 1..9 on their due dates; today is 2026-11-28
    pay(container, loan_id, "1100.00", date(2026, 11, 20))  # the 10th, fifteen days late
    web_sign_in(client, staff, Role.SERVICING)
    form = form_html(client.get(f"/loans/{loan_id}").text, "prepayment")
    assert 'data-prepay-day="2026-11-05"' in form

    posted = done_form(
        client,
        f"/loans/{loan_id}/prepayments",
        inputs(form) | {"amount": "1000.00", "mode": "shorten_term"},
    )
    assert 'data-notice="prepayment"' in posted.text
    assert not re.search(r'id="prepay-date"[^>]*aria-invalid="true"', posted.text)
