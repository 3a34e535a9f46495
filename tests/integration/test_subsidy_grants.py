"""What the 2025 state subsidy plan has granted a borrower at this lender, read from the
stored loans on both databases: the subsidy each of the customer's other loans under the
plan deferred at disbursement (its Cr 2400). A maker's subsidy on another product, another
customer's loan and the loan being paid out do not count. With 1,450.00 granted, the
plan's 3,000.00 cap per borrower leaves the next loan 3,000.00 - 1,450.00 = 1,550.00
(``subsidy_total``, tested in ``tests/unit/domain/test_subsidy_caps.py``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.domain.money import Money, parse_money
from autolend.domain.product_catalogue import NEV_GREEN_2025, STANDARD_NEW
from autolend.domain.schedule import LoanTerms
from autolend.services.customers import CustomerInput
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.subsidy_grants import granted_before, granted_under_plan
from tests.integration.test_borrower_numbers_agree import approved
from tests.integration.test_contracts import sms  # noqa: F401 - fixture
from tests.integration.test_customer_pack import underwriter
from tests.integration.test_loan_services import SERVICING, START
from tests.integration.test_loans_api import as_role
from tests.support.messaging import SmsSandbox
from tests.support.origination import (
    BORROWER_ID,
    referring_container,  # noqa: F401 - the container
)

pytestmark = pytest.mark.integration

OTHER_ID = "11010519491231002X"


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def customer(container: Container, staff: Actor, id_number: str, phone: str) -> int:
    income = parse_money("30000.00", "CNY", field="monthly_income")
    data = CustomerInput("王芳", id_number, phone, None, income)
    return container.services.customers.register(staff, data, as_of=START).id


def paid_out(container: Container, customer_id: int, code: str, subsidy: str | None) -> int:
    """A loan of 200,000.00 under product ``code`` for the customer, paid out with
    ``subsidy`` booked as owed by the subsidiser (Cr 2400)."""
    terms = LoanTerms(principal=cny("200000"), annual_rate=Decimal("0.0474"), periods=36,
                      start=START)  # fmt: skip
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms, cny("200000"), product_code=code,
                                                   customer_id=customer_id))  # fmt: skip
    payout = DisbursementInput(cny("200000"), subsidy=cny(subsidy) if subsidy else None,
                               subsidy_settlement="receivable")  # fmt: skip
    loans.disburse(SERVICING, loan_id, payout)
    return loan_id


def test_a_borrowers_earlier_subsidy_under_the_plan_counts_and_nothing_else_does(
    container: Container,
) -> None:
    staff = underwriter(container)
    borrower = customer(container, staff, BORROWER_ID, "13800138000")
    other = customer(container, staff, OTHER_ID, "13900139000")
    paid_out(container, borrower, "NEV_GREEN", "1450.00")  # the plan: counts
    paid_out(container, borrower, "OEM_ZERO", "2000.00")  # a maker's promotion: not the plan
    paid_out(container, other, "NEV_GREEN", "900.00")  # someone else's
    new = paid_out(container, borrower, "NEV_GREEN", None)  # the loan being paid out
    plan = NEV_GREEN_2025.subsidy
    assert plan is not None
    with container.uow() as uow:
        assert granted_under_plan(uow, borrower, plan, excluding=new) == 145_000
        assert granted_before(uow, NEV_GREEN_2025, borrower, new) == 145_000
        assert granted_before(uow, STANDARD_NEW, borrower, new) == 0  # no subsidy
        assert granted_under_plan(uow, None, plan, excluding=new) == 0  # no customer


@pytest.fixture
def clock() -> FixedClock:
    """A day under the 2025 plan (NEV_GREEN version 1, the state's subsidy)."""
    return FixedClock(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))


def test_paying_out_a_second_loan_under_the_plan_books_only_what_the_cap_leaves(
    client: TestClient, container: Container, staff: dict[Role, str], sms: SmsSandbox,  # noqa: F811
) -> None:  # fmt: skip
    """The borrower already had 2,800.00 of the state's subsidy on an earlier NEV_GREEN
    loan; this one (140,000.00 over 36 months, its own share several hundred yuan) is
    paid out with 3,000.00 - 2,800.00 = 200.00 owed by the state, not its whole share."""
    app = approved(client, staff, "NEV_GREEN")
    dealer, servicing = as_role(client, staff, Role.DEALER), as_role(client, staff, Role.SERVICING)
    customer_id = client.get(app, headers=servicing).json()["customer_id"]
    paid_out(container, customer_id, "NEV_GREEN", "2800.00")
    offer = client.get(f"{app}/offers", headers=dealer).json()["items"][0]
    assert offer["subsidiser"] == "state"
    accepted = client.post(f"{app}/accept", json={"option": 1}, headers=dealer)
    assert accepted.status_code == 200, accepted.text
    client.post(f"{app}/sign", json={}, headers=dealer)
    sent = re.search(r"验证码为 (\d{6})", sms.received[-1]["text"])
    assert sent is not None, sms.received
    client.post(f"{app}/sign", json={"code": sent[1]}, headers=dealer)
    paid = client.post(f"{app}/disburse", headers=servicing | {"Idempotency-Key": app})
    assert paid.status_code == 201, paid.text
    assert (paid.json()["subsidy"], paid.json()["subsidy_settlement"]) == ("200.00", "receivable")
