"""A 0 % promotion's deferred subsidy earned over the term, on both databases.

The loan: 120,000.00 at 0 % over 12 months from 2025-06-05 (the borrower repays
10,000.00 a month), a car maker's subsidy of 3,900.00 deducted from the dealer's payout
(Cr 2400 deferred subsidy income). Spread as the interest at a 6 % list rate runs on the
borrower's balance (600.00, 550.00, ..., 50.00: exactly the 3,900.00, so each installment
earns its own list-rate interest), the end-of-day step moves it from 2400 to 4130
subsidy income on each due date; at maturity 2400 is 0 and the income is 3,900.00. A
payoff or a write-off earns the rest on its date. The down payment is stored with the
loan and shown by ``GET /api/v1/loans/{id}`` and the loan page.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import case, func, select

from autolend.adapters.db import tables as t
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.schedule import LoanTerms, Subsidy, build_schedule
from autolend.domain.subsidy_schedule import list_rate_weights
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from autolend.services.terms_codec import load_servicing, with_subsidy_schedule
from tests.integration.test_loan_services import (
    SERVICING,
    cny,
    invariants_hold,  # noqa: F401 - autouse: verify after every test
)
from tests.integration.test_loans_api import as_role
from tests.support.direct_sql import writing
from tests.support.write_off import written_off

pytestmark = pytest.mark.integration
START = date(2025, 6, 5)
DUE = [date(2025 + (6 + k) // 12, (6 + k) % 12 + 1, 5) for k in range(12)]  # 07-05 .. 06-05
LIST_RATE_INTEREST = [60_000 - 5_000 * k for k in range(12)]  # 600.00, 550.00, ..., 50.00


def promotion(container: Container, *, weights: bool = True, down: str | None = "30000") -> int:
    """Book and pay out the 0 % loan with its 3,900.00 subsidy; with ``weights`` the list
    rate's interest per installment comes with the payout, as origination sends it."""
    terms = LoanTerms(principal=cny("120000"), annual_rate=Decimal(0), periods=12, start=START)
    listed = LoanTerms(principal=cny("120000"), annual_rate=Decimal("0.06"), periods=12,
                       start=START, subsidy=Subsidy(Decimal(0), "oem"))  # fmt: skip
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=cny("120000")))
    data = DisbursementInput(
        cny("120000"), START, down_payment=cny(down) if down else None, subsidy=cny("3900"),
        subsidy_weights=list_rate_weights(build_schedule(listed)) if weights else None,
    )  # fmt: skip
    loans.disburse(SERVICING, loan_id, data)
    return loan_id


def run_days(container: Container, first: date, last: date) -> int:
    """The end-of-day step once per business date, as end of day calls it."""
    posted, day = 0, first
    while day <= last:
        posted += container.services.subsidies.amortise(SERVICING, day)
        day += timedelta(days=1)
    return posted


def gl_balance(container: Container, loan_id: int, code: str) -> int:
    """Credit-positive balance of GL ``code`` over the loan's entries, minor units."""
    p, je = t.postings.c, t.journal_entries.c
    signed = func.sum(case((p.side == "C", p.amount_minor), else_=-p.amount_minor))
    query = (
        select(func.coalesce(signed, 0))
        .select_from(t.postings.join(t.journal_entries, je.id == p.entry_id))
        .where(p.gl_code == code, je.loan_id == loan_id)
    )
    with container.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def earned(container: Container, loan_id: int) -> list[tuple[str, str, str]]:
    """The loan's subsidy earnings: (fact, value date, amount)."""
    ledger = container.services.loans.ledger(SERVICING, loan_id)
    return [
        (e["fact"], e["value_date"], e["postings"][0]["amount"])
        for e in ledger
        if e["fact"] and e["fact"].startswith("sa:")
    ]


def test_the_subsidy_is_earned_installment_by_installment_and_2400_is_zero_at_maturity(
    container: Container,
) -> None:
    loan_id = promotion(container)
    stored = container.services.loans.get(SERVICING, loan_id)
    with container.engine.connect() as conn:
        text = conn.execute(select(t.loans.c.terms).where(t.loans.c.id == loan_id)).scalar_one()
    assert load_servicing(text).subsidy_schedule == tuple(LIST_RATE_INTEREST)
    assert stored["down_payment"] == "30000.00"
    assert gl_balance(container, loan_id, "2400") == 390_000

    assert run_days(container, START, DUE[2] - timedelta(days=1)) == 2
    assert gl_balance(container, loan_id, "2400") == 390_000 - 60_000 - 55_000
    assert run_days(container, DUE[2], DUE[-1]) == 10
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000
    assert earned(container, loan_id)[:2] == [
        ("sa:2025-07-05", "2025-07-05", "600.00"),
        ("sa:2025-08-05", "2025-08-05", "550.00"),
    ]
    assert [day for _, day, _ in earned(container, loan_id)] == [d.isoformat() for d in DUE]
    # Rerunning any day posts nothing: each line has its key.
    assert run_days(container, START, DUE[-1] + timedelta(days=3)) == 0
    assert len(earned(container, loan_id)) == 12


def test_a_missed_business_date_is_caught_up_on_the_next_due_date(container: Container) -> None:
    loan_id = promotion(container)
    assert container.services.subsidies.amortise(SERVICING, DUE[2]) == 3
    assert [day for _, day, _ in earned(container, loan_id)] == [d.isoformat() for d in DUE[:3]]
    assert container.services.subsidies.amortise(SERVICING, DUE[2]) == 0


def test_skipped_business_dates_caught_up_at_once_post_what_daily_runs_would(
    container: Container,
) -> None:
    loan_id = promotion(container)
    late = DUE[1] + timedelta(days=3)
    assert container.services.subsidies.amortise(SERVICING, late) == 0  # nothing due that day
    assert container.services.subsidies.amortise(SERVICING, late, since=START) == 2
    assert earned(container, loan_id) == [
        ("sa:2025-07-05", "2025-07-05", "600.00"),
        ("sa:2025-08-05", "2025-08-05", "550.00"),
    ]  # as the daily runs of 07-05 and 08-05 would have posted them
    assert container.services.subsidies.amortise(SERVICING, late, since=START) == 0


def test_a_payoff_earns_the_rest_of_the_subsidy_on_the_payoff_date(container: Container) -> None:
    loan_id = promotion(container)
    run_days(container, START, DUE[2])  # 600.00 + 550.00 + 500.00 earned
    payoff_day = DUE[2] + timedelta(days=10)
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, payoff_day)
    data = MoneyIn(cny(quote["total"]), payoff_day, "bank_transfer", "payoff", "payoff")
    container.services.servicing.prepay(SERVICING, loan_id, data)
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "paid_off"
    assert run_days(container, DUE[2] + timedelta(days=1), payoff_day + timedelta(days=1)) == 1
    assert earned(container, loan_id)[-1] == ("sa:end", payoff_day.isoformat(), "2250.00")
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000
    assert run_days(container, payoff_day, DUE[-1]) == 0  # nothing after the end


def test_a_bounced_payoff_takes_the_rest_back_and_the_installments_earn_again(
    container: Container,
) -> None:
    loan_id = promotion(container)
    run_days(container, START, DUE[2])
    payoff_day = DUE[2] + timedelta(days=10)
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, payoff_day)
    data = MoneyIn(cny(quote["total"]), payoff_day, "bank_transfer", "payoff", "payoff")
    event_id = container.services.servicing.prepay(SERVICING, loan_id, data).body["id"]
    assert run_days(container, payoff_day, payoff_day) == 1  # the rest, 2,250.00
    container.services.servicing.reverse_repayment(SERVICING, loan_id, event_id, "bounced")
    assert container.services.loans.get(SERVICING, loan_id)["status"] == "active"
    # The next run reverses the rest at its own date and catches up installment 4.
    assert run_days(container, payoff_day + timedelta(days=1), DUE[3]) == 2
    assert gl_balance(container, loan_id, "2400") == 390_000 - 60_000 - 55_000 - 50_000 - 45_000
    assert [fact for fact, _, _ in earned(container, loan_id)][-2:] == ["sa:end", "sa:2025-10-05"]
    assert run_days(container, DUE[3], DUE[-1]) == 8
    assert gl_balance(container, loan_id, "2400") == 0
    assert gl_balance(container, loan_id, "4130") == 390_000


def test_a_write_off_earns_the_rest_of_the_subsidy_on_its_date(container: Container) -> None:
    loan_id = promotion(container)
    off = DUE[0] + timedelta(days=20)
    container.services.servicing.accrue_loan(SERVICING, loan_id, off)
    written_off(container, loan_id, off)
    # The first run after the write-off earns installment 1 and then the rest.
    assert run_days(container, off, off) == 2
    assert earned(container, loan_id) == [
        ("sa:2025-07-05", "2025-07-05", "600.00"),
        ("sa:end", off.isoformat(), "3300.00"),
    ]
    assert gl_balance(container, loan_id, "2400") == 0


def test_a_loan_paid_out_without_a_stored_schedule_still_earns_exactly_its_subsidy(
    container: Container,
) -> None:
    loan_id = promotion(container, down=None)
    with writing(container.engine) as conn:  # as a loan paid out before schedules were stored
        text = conn.execute(select(t.loans.c.terms).where(t.loans.c.id == loan_id)).scalar_one()
        conn.execute(
            t.loans.update()
            .where(t.loans.c.id == loan_id)
            .values(terms=with_subsidy_schedule(text, ()))
        )
    assert container.services.loans.get(SERVICING, loan_id)["down_payment"] is None
    assert run_days(container, START, DUE[-1]) == 12
    amounts = [Decimal(amount) for _, _, amount in earned(container, loan_id)]
    assert sum(amounts) == Decimal("3900.00")
    assert all(a > b for a, b in pairwise(amounts))  # as the balance falls
    assert gl_balance(container, loan_id, "2400") == 0


def web_sign_in(client: TestClient, username: str, password: str) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    form = {"username": username, "password": password, "csrf_token": token[1]}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def test_the_down_payment_is_stored_and_shown_by_the_api_and_the_loan_page(
    client: TestClient, staff: dict[Role, str]
) -> None:
    svc = as_role(client, staff, Role.SERVICING)
    booking = {"principal": "80000.00", "annual_rate": "0", "periods": 24, "start": "2026-01-05"}
    ids = [client.post("/api/v1/loans", json=booking, headers=svc).json()["id"] for _ in "ab"]
    payout: dict[str, Any] = {"amount": "80000.00", "currency": "CNY", "subsidy": "6000.00"}
    for loan_id, extra in zip(ids, ({"down_payment": "20000.00"}, {}), strict=True):
        key = {"Idempotency-Key": f"dp-{loan_id}"}
        paid = client.post(f"/api/v1/loans/{loan_id}/disbursements", json=payout | extra,
                           headers=svc | key)  # fmt: skip
        assert paid.status_code == 201, paid.text
    shown = [client.get(f"/api/v1/loans/{i}", headers=svc).json()["down_payment"] for i in ids]
    assert shown == ["20000.00", None]
    web_sign_in(client, Role.SERVICING.value, staff[Role.SERVICING])
    with_down, without = (client.get(f"/loans/{i}").text for i in ids)
    assert 'data-down-payment="20000.00"' in with_down
    assert "data-down-payment" not in without


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "per_loan"])
def test_end_of_day_earns_the_subsidy_on_each_due_date_after_the_days_accrual(
    container: Container, bulk: bool
) -> None:
    loan_id = promotion(container)
    runner = EodRunner(container.uow, container.services.clock, bulk=bulk)
    result = runner.run_through(SYSTEM_ACTOR, DUE[2])
    assert result.errors == 0
    subsidy = [step.day for step in result.steps if step.step == "subsidy"]
    assert subsidy == result.days  # one subsidy step per business date
    snapshots = [step.day for step in result.steps if step.step == "snapshot"]
    assert snapshots == [day for day in result.days if (day + timedelta(days=1)).day == 1]
    assert sum(step.entries for step in result.steps) == 3
    assert gl_balance(container, loan_id, "2400") == 390_000 - 60_000 - 55_000 - 50_000
    assert [day for _, day, _ in earned(container, loan_id)] == [d.isoformat() for d in DUE[:3]]
    again = runner.run_date(SYSTEM_ACTOR, DUE[2])  # a rerun of the day posts nothing
    assert again.entries == 0 and gl_balance(container, loan_id, "4130") == 165_000
