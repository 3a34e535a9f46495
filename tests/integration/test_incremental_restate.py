"""A money event on or after the serviced-through date resumes the replay from the stored
servicing state (:func:`autolend.services.loan_books.restate` with ``resume``); the result
must be the full replay's. On both databases, random sequences of on-time, late, partial
and over-repayments, same-day repayments and accruals (with a backdated repayment and a
reversal, which replay in full, in between) end in exactly the ledger facts, installments
and state that projecting the same events from booking gives."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.domain.ledger import entry_fingerprint
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services import loan_books
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 1, 5)
LAST_DAY = date(2026, 11, 28)  # the test clock's date


def cny(minor: int) -> Money:
    return Money.of_minor(minor, "CNY")


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(loan_books, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(loan_books, name, counted)
    return calls


def _assert_full_replay_matches(container: Container, loan_id: int) -> None:
    with container.uow() as uow:
        loan = uow.loans.get(loan_id)
        assert loan is not None
        through = loan_books.serviced_through(loan)
        full = loan_books.current_projection(uow, loan, through)
        stored = {
            fact: entry.fingerprint
            for fact, entry in uow.ledger.effective_facts(loan_id, START).items()
            if fact.startswith(loan_books.REPLAYED_FACTS)
        }
        installments = uow.loans.installments(loan_id)
    assert stored == {fact: entry_fingerprint(e) for fact, e in full.facts.items()}
    assert installments == loan_books.installment_rows(full.state)
    assert loan.state_json is not None
    assert json.loads(loan.state_json) == loan_books.state_snapshot(full.state)
    assert loan.status == full.state.status.value
    assert loan.closed_on == full.closed_on


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_incremental_restatement_equals_the_full_replay(
    container: Container, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    loans, servicing = container.services.loans, container.services.servicing
    principal = rng.choice([120_000, 1_200_000, 5_000_000])
    terms = LoanTerms(
        principal=cny(principal), annual_rate=Decimal("0.12"), periods=12, start=START
    )
    # seeds 3 and 4: monthly fees in the contract; seed 4: the principal-first waterfall
    booking = BookingRequest(
        terms=terms,
        approved=cny(principal),
        monthly_fees={"gps": cny(3000), "insurance": cny(5000)} if seed >= 3 else None,
        waterfall="principal_first" if seed == 4 else "standard",
    )
    loan_id = loans.book(SERVICING, booking)
    loans.disburse(SERVICING, loan_id, DisbursementInput(cny(principal), START))
    resumed = _counting(monkeypatch, "project_from")
    full = _counting(monkeypatch, "current_projection")

    today = START + timedelta(days=1)
    repayments: list[int] = []
    installment = principal // 11
    for step in range(40):
        action = rng.choice(["accrue", "on_time", "late", "over", "partial", "same_day"])
        if step in {18, 30}:
            action = "backdated" if step == 18 else "reversal"
        if action == "accrue":
            today = min(today + timedelta(days=rng.randint(1, 20)), LAST_DAY)
            servicing.accrue_loan(SERVICING, loan_id, today)
            continue
        if action == "reversal" and repayments:
            event_id = repayments.pop(rng.randrange(len(repayments)))
            servicing.reverse_repayment(SERVICING, loan_id, event_id, "bounced")
            continue
        if action in {"on_time", "late", "over", "partial"}:
            step_days = {"on_time": 0, "late": rng.randint(1, 15)}.get(action, 3)
            today = min(today + timedelta(days=rng.randint(5, 30) + step_days), LAST_DAY)
        day = today - timedelta(days=rng.randint(5, 20)) if action == "backdated" else today
        day = max(day, START + timedelta(days=1))
        amount = {
            "over": installment * 2 + rng.randint(0, 50_000),
            "partial": rng.randint(100, max(101, installment // 2)),
        }.get(action, installment + rng.randint(0, 2_000))
        data = MoneyIn(cny(amount), day, "bank_transfer", f"r-{seed}-{step}")
        if loans.get(SERVICING, loan_id)["status"] != "active":
            break
        body = servicing.post_repayment(SERVICING, loan_id, data).body
        repayments.append(int(body["id"]))

    assert len(resumed) > 10, "the common case should resume from the stored state"
    assert full, "the backdated repayment and the reversal replay in full"
    _assert_full_replay_matches(container, loan_id)
    report = container.services.verify.run()
    assert [c.name for c in report.checks if c.invariant != 7 and not c.ok] == []


def test_a_fee_and_a_same_day_repayment_resume_and_match(container: Container) -> None:
    loans, servicing = container.services.loans, container.services.servicing
    terms = LoanTerms(
        principal=cny(1_200_000), annual_rate=Decimal("0.12"), periods=12, start=START
    )
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=cny(1_200_000)))
    loans.disburse(SERVICING, loan_id, DisbursementInput(cny(1_200_000), START))
    servicing.accrue_loan(SERVICING, loan_id, date(2026, 2, 5))
    for amount in (50_000, 56_619, 200_000):  # on the serviced-through date itself
        servicing.post_repayment(SERVICING, loan_id, MoneyIn(cny(amount), date(2026, 2, 5)))
    servicing.accrue_loan(SERVICING, loan_id, date(2026, 4, 20))
    servicing.post_repayment(SERVICING, loan_id, MoneyIn(cny(300_000), date(2026, 4, 25)))
    _assert_full_replay_matches(container, loan_id)
