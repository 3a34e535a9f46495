"""Loan services on both databases: booking, disbursement, repayments, reversal, accrual,
payoff, write-off and recovery, with the ledger invariants checked after every test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 1, 5)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def book(container: Container, *, disburse: bool = True) -> int:
    terms = LoanTerms(principal=cny("12000"), annual_rate=Decimal("0.12"), periods=12, start=START)
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=cny("12000")))
    if disburse:
        loans.disburse(SERVICING, loan_id, DisbursementInput(cny("12000"), START, cny("300")))
    return loan_id


def pay(container: Container, loan_id: int, amount: str, day: date) -> dict[str, object]:
    data = MoneyIn(cny(amount), day, "bank_transfer", f"ref-{amount}-{day}")
    return container.services.servicing.post_repayment(SERVICING, loan_id, data).body


def view(container: Container, loan_id: int) -> dict[str, object]:
    return container.services.loans.get(SERVICING, loan_id)


@pytest.fixture(autouse=True)
def invariants_hold(container: Container) -> Iterator[None]:
    yield
    report = container.services.verify.run()
    broken = [c for c in report.checks if c.invariant != 7 and not c.ok]
    assert not broken, broken


def test_booking_stores_installments_that_sum_to_the_principal(container: Container) -> None:
    loan_id = book(container, disburse=False)
    with container.engine.connect() as conn:
        total = conn.execute(
            select(func.sum(t.installments.c.principal_due)).where(
                t.installments.c.loan_id == loan_id
            )
        ).scalar_one()
    assert total == 1_200_000
    assert view(container, loan_id)["status"] == "booked"


def test_disbursement_posts_a_balanced_entry_and_refuses_more_than_approved(
    container: Container,
) -> None:
    loan_id = book(container)
    shown = view(container, loan_id)
    assert shown["status"] == "active"
    assert shown["balances"]["principal"] == "12000.00"  # type: ignore[index]
    with pytest.raises(Conflict, match="exceed the approved"):
        container.services.loans.disburse(SERVICING, loan_id, DisbursementInput(cny("1.00")))


def test_a_repayment_on_the_due_date_pays_the_installment_by_the_waterfall(
    container: Container,
) -> None:
    loan_id = book(container)
    body = pay(container, loan_id, "1066.19", date(2026, 2, 5))
    allocation = body["allocation"]
    assert allocation["interest"] == "120.00"  # type: ignore[index]
    assert allocation["principal"] == "946.19"  # type: ignore[index]
    assert allocation["advance"] == "0.00"  # type: ignore[index]
    shown = view(container, loan_id)
    assert shown["schedule"][0]["status"] == "paid"  # type: ignore[index]
    assert shown["balances"]["interest"] == "0.00"  # type: ignore[index]


def test_an_overpayment_goes_to_suspense(container: Container) -> None:
    loan_id = book(container)
    body = pay(container, loan_id, "1500.00", date(2026, 2, 5))
    assert body["allocation"]["advance"] == "433.81"  # type: ignore[index]
    assert view(container, loan_id)["balances"]["suspense"] == "433.81"  # type: ignore[index]


def test_a_late_payment_pays_penalty_first(container: Container) -> None:
    loan_id = book(container)
    body = pay(container, loan_id, "200.00", date(2026, 2, 15))
    assert body["allocation"]["penalty"] != "0.00"  # type: ignore[index]


def test_a_backdated_repayment_replays_the_penalty_from_its_value_date(
    container: Container,
) -> None:
    loan_id = book(container)
    container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 2, 20))
    assert view(container, loan_id)["balances"]["penalty"] != "0.00"  # type: ignore[index]
    pay(container, loan_id, "1066.19", date(2026, 2, 5))
    shown = view(container, loan_id)
    assert shown["balances"]["penalty"] == "0.00"  # type: ignore[index]
    assert shown["days_past_due"] == 0
    assert shown["overdue"] == {"installments": 0, "amount": "0.00"}


def test_a_reversal_nets_to_zero_and_restores_the_state(container: Container) -> None:
    loan_id = book(container)
    container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 2, 10))
    before = view(container, loan_id)
    body = pay(container, loan_id, "1066.19", date(2026, 2, 5))
    result = container.services.servicing.reverse_repayment(
        SERVICING,
        loan_id,
        int(body["id"]),  # type: ignore[call-overload]
        "bounced",
    )
    assert result.body["status"] == "reversed"
    assert result.body["reversal_entry_id"] is not None
    after = view(container, loan_id)
    assert after["balances"] == before["balances"]
    assert after["schedule"] == before["schedule"]


def test_accrual_posts_one_entry_per_day_and_component_and_reruns_post_nothing(
    container: Container,
) -> None:
    loan_id = book(container)
    servicing = container.services.servicing
    assert servicing.accrue_loan(SERVICING, loan_id, date(2026, 1, 15)) == 10
    assert servicing.accrue_loan(SERVICING, loan_id, date(2026, 1, 15)) == 0
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(func.count()).select_from(t.accruals).where(t.accruals.c.loan_id == loan_id)
        ).scalar_one()
    assert rows == 10


def test_payoff_closes_the_loan(container: Container) -> None:
    loan_id = book(container)
    pay(container, loan_id, "1066.19", date(2026, 2, 5))
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, date(2026, 2, 20))
    data = MoneyIn(cny(quote["total"]), date(2026, 2, 20), "bank_transfer", "payoff", "payoff")
    posted = container.services.servicing.prepay(SERVICING, loan_id, data)
    split = posted.body["allocation"]  # the payoff's split by component, not a waterfall's
    assert split["waterfall"] == "payoff" and split["from_advance"] == "0.00"
    parts = [Decimal(split[k]) for k in ("penalty", "interest", "fees", "principal")]
    assert sum(parts) == Decimal(quote["total"]) and Decimal(split["interest"]) > 0
    shown = view(container, loan_id)
    assert shown["status"] == "paid_off"
    assert set(shown["balances"].values()) == {"0.00"}  # type: ignore[attr-defined]
    assert container.services.servicing.accrue_loan(SERVICING, loan_id, date(2026, 3, 1)) == 0


def test_a_payoff_of_the_wrong_amount_is_refused(container: Container) -> None:
    loan_id = book(container)
    data = MoneyIn(cny("1.00"), date(2026, 2, 20), mode="payoff")
    with pytest.raises(InvalidInput, match="payoff"):
        container.services.servicing.prepay(SERVICING, loan_id, data)


def test_a_partial_prepayment_lowers_the_installment(container: Container) -> None:
    loan_id = book(container)
    pay(container, loan_id, "1066.19", date(2026, 2, 5))
    data = MoneyIn(cny("3000.00"), date(2026, 2, 5), mode="lower_installment")
    posted = container.services.servicing.prepay(SERVICING, loan_id, data)
    split = posted.body["allocation"]
    assert (split["waterfall"], split["principal"], split["interest"]) == (
        "prepayment", "3000.00", "0.00",
    )  # fmt: skip
    shown = view(container, loan_id)
    assert shown["balances"]["principal"] == "8053.81"  # type: ignore[index]
    assert len(shown["schedule"]) == 12  # type: ignore[arg-type]


def test_the_user_who_asked_for_a_write_off_cannot_approve_it_even_holding_risk(
    container: Container,
) -> None:
    loan_id = book(container)
    both = Actor(user_id=9, username="svc.risk", roles=(Role.SERVICING, Role.RISK))
    approvals = container.services.approvals
    asked = approvals.request_write_off(both, loan_id, date(2026, 6, 1), "fraud")
    with pytest.raises(PermissionDenied, match="maker-checker"):
        approvals.decide(both, asked["id"], approve=True)
    assert view(container, loan_id)["status"] == "active"


def test_nothing_accrues_on_a_written_off_loan_and_recoveries_post(container: Container) -> None:
    loan_id = book(container)
    servicing = container.services.servicing
    servicing.accrue_loan(SERVICING, loan_id, date(2026, 6, 1))
    written_off(container, loan_id, date(2026, 6, 1))
    assert servicing.accrue_loan(SERVICING, loan_id, date(2026, 6, 30)) == 0
    shown = view(container, loan_id)
    assert shown["status"] == "written_off"
    assert shown["balances"]["principal"] == "0.00"  # type: ignore[index]
    assert shown["next_due"] is None  # collected now, not scheduled
    servicing.recover(SERVICING, loan_id, MoneyIn(cny("500.00"), date(2026, 6, 10)))
