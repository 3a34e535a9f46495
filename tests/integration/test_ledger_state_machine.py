"""R1: a hypothesis state machine over the loan services, on SQLite and PostgreSQL.

Each example originates a fresh loan (book + disburse, 12 monthly installments from
2026-01-05) and then runs random steps: repayments (partial, exact and over-repayments),
accrual to a later business date, backdated repayments, reversals, replays of an
idempotency key (same body: the first answer, nothing posted; other body: refused, nothing
posted), partial prepayments, payoff at the quote, write-off and recoveries.

The model is the money the borrower has handed over: every posted event (kind, amount,
status) and the cash that should therefore stand on the loan. After every step: the verify
checks (invariants 1-5) find nothing; the system's events equal the model's; the loan's
cash postings net to (received - reversed + recovered - disbursed); principal outstanding is
never negative and, on an active loan, equals the installments' unpaid principal;
refusals post nothing. ``AUTOLEND_R1_EXAMPLES`` and ``AUTOLEND_R1_STEPS`` scale the run.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import Actor, Role
from autolend.domain.errors import Conflict, InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.idempotency import (
    IdempotencyKeyReused,
    IdempotencyRequest,
    MoneyResult,
    request_hash,
)
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.support.write_off import approved_write_off

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 1, 5)
LAST_DAY = date(2026, 11, 28)  # the clock's date: no value date may be later
EXAMPLES = int(os.environ.get("AUTOLEND_R1_EXAMPLES", "20"))
STEPS = int(os.environ.get("AUTOLEND_R1_STEPS", "30"))
CASH = "cash_settlement"
# Shrinking replays steps on the same database, where an earlier example's loans remain;
# set AUTOLEND_R1_SHRINK=1 to try it anyway.
PHASES = (
    tuple(Phase)
    if os.environ.get("AUTOLEND_R1_SHRINK")
    else (Phase.explicit, Phase.reuse, Phase.generate)
)
MONEY_KINDS = ("repayment", "prepayment", "payoff")


def cny_minor(minor: int) -> Money:
    return Money.of_minor(minor, "CNY")


def minor(text: str) -> int:
    return int(Decimal(text) * 100)


@dataclass
class Sent:
    """A money-moving request as sent: replaying it must answer ``result`` again."""

    key: str
    route: str
    body: dict[str, Any]
    result: MoneyResult


@dataclass
class Tally:
    """What the whole run did, for the one-line summary."""

    examples: int = 0
    steps: int = 0
    checks: int = 0
    refusals: int = 0
    rules: dict[str, int] = field(default_factory=dict)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, container: Container, tally: Tally) -> None:
        super().__init__()
        self.container = container
        self.servicing = container.services.servicing
        self.loans = container.services.loans
        self.tally = tally
        self.tally.examples += 1
        self.sent: list[Sent] = []
        self.write_off_requests: dict[str, int] = {}  # key -> approval request id
        self.events: dict[int, tuple[str, int, str]] = {}  # id -> kind, minor, status
        self.recovered = 0
        self.today = START + timedelta(days=1)  # see the start-date test below
        self.loan_id = 0
        self.principal = 0
        self.counter = 0
        self.status = "booked"  # refreshed after every step
        self._value_dates: dict[int, date] = {}

    # -- helpers -----------------------------------------------------------------------------

    def _count(self, name: str) -> None:
        self.tally.steps += 1
        self.tally.rules[name] = self.tally.rules.get(name, 0) + 1

    def _postings(self) -> int:
        with self.container.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.postings)).scalar_one())

    def _status(self) -> str:
        return str(self.loans.get(SERVICING, self.loan_id)["status"])

    def _idem(self, route: str, body: dict[str, Any]) -> IdempotencyRequest:
        self.counter += 1
        key = f"r1-{self.loan_id}-{self.counter}"
        return IdempotencyRequest(key, SERVICING.user_id, route, request_hash(body))

    def _send(
        self, route: str, body: dict[str, Any], idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """Issue one money-moving request; a refusal must post nothing."""
        idem = idem or self._idem(route, body)
        before = self._postings()
        try:
            result = self._dispatch(route, body, idem)
        except (Conflict, InvalidInput):
            assert self._postings() == before, f"a refused {route} {body} posted something"
            self.tally.refusals += 1
            raise
        if not result.replayed:
            self.sent.append(Sent(idem.key, route, body, result))
        return result

    def _dispatch(self, route: str, body: dict[str, Any], idem: IdempotencyRequest) -> MoneyResult:
        day = date.fromisoformat(body["value_date"])
        if route == "repayment":
            data = MoneyIn(cny_minor(body["amount"]), day, "bank_transfer", idem.key)
            return self.servicing.post_repayment(SERVICING, self.loan_id, data, idem)
        if route == "prepayment":
            data = MoneyIn(cny_minor(body["amount"]), day, "bank_transfer", idem.key, body["mode"])
            return self.servicing.prepay(SERVICING, self.loan_id, data, idem)
        if route == "reversal":
            return self.servicing.reverse_repayment(
                SERVICING, self.loan_id, body["event_id"], "bounced", idem
            )
        if route == "write_off":
            return self._write_off(day, idem)
        assert route == "recovery"
        data = MoneyIn(cny_minor(body["amount"]), day, "bank_transfer", idem.key)
        return self.servicing.recover(SERVICING, self.loan_id, data, idem)

    def _write_off(self, day: date, idem: IdempotencyRequest) -> MoneyResult:
        """Asked by servicing, approved by risk (maker-checker) under the request's key;
        a replay of the key answers the approval again (the request is not asked twice)."""
        asked = self.write_off_requests.get(idem.key)
        request_id, decided = approved_write_off(
            self.container, self.loan_id, day, request_id=asked, idem=idem
        )
        self.write_off_requests[idem.key] = request_id
        return replace(decided, body=decided.body["event"])

    def _payoff_after(self, day: date) -> bool:
        """Is there a posted payoff dated on or after ``day``?"""
        return any(
            kind == "payoff" and status == "posted" and self._value_dates[i] >= day
            for i, (kind, _, status) in self.events.items()
        )

    def _received(self, result: MoneyResult) -> None:
        body = result.body
        self._value_dates[int(body["id"])] = date.fromisoformat(body["value_date"])
        self.events[int(body["id"])] = (body["kind"], minor(body["amount"]), body["status"])

    # -- rules -------------------------------------------------------------------------------

    @initialize(principal=st.sampled_from([120_000, 1_200_000, 5_000_000]))
    def originate(self, principal: int) -> None:
        terms = LoanTerms(
            principal=cny_minor(principal),
            annual_rate=Decimal("0.12"),
            periods=12,
            start=START,
        )
        booking = BookingRequest(terms=terms, approved=cny_minor(principal))
        self.loan_id = self.loans.book(SERVICING, booking)
        self.loans.disburse(SERVICING, self.loan_id, DisbursementInput(cny_minor(principal), START))
        self.principal = principal
        self._count("originate")

    @rule(days=st.integers(1, 45))
    def accrue_to_a_later_business_date(self, days: int) -> None:
        self._count("accrue")
        status = self._status()
        self.today = min(self.today + timedelta(days=days), LAST_DAY)
        before = self._postings()
        posted = self.servicing.accrue_loan(SERVICING, self.loan_id, self.today)
        if status != "active":
            assert posted == 0 and self._postings() == before, f"accrued on a {status} loan"

    @rule(amount=st.integers(1, 400_000), back=st.sampled_from([0, 0, 0, 1, 5, 20, 60]))
    def repay(self, amount: int, back: int) -> None:
        """Partial, exact and over-repayments; ``back`` days backdated."""
        self._count("repay" if back == 0 else "backdated repayment")
        day = max(START + timedelta(days=1), self.today - timedelta(days=back))
        status = self._status()
        body = {"amount": amount, "value_date": day.isoformat()}
        try:
            result = self._send("repayment", body)
        except Conflict as error:
            # A repayment dated before a posted payoff changes what the payoff had to be:
            # refused, naming the payoff ("... reverse the payoff first").
            if "reverse the payoff first" in str(error):
                assert self._payoff_after(day), f"repayment refused: {error}"
                return
            assert status in ("written_off", "booked"), f"repayment refused on a {status} loan"
            return
        assert status != "written_off", "a repayment was posted on a written-off loan"
        assert result.status_code == 201 and result.body["status"] == "posted"
        self._received(result)

    @rule(data=st.data())
    def reverse_a_repayment(self, data: st.DataObject) -> None:
        posted = sorted(
            i for i, (k, _, s) in self.events.items() if k in MONEY_KINDS and s == "posted"
        )
        if not posted:
            return
        self._count("reverse")
        event_id = data.draw(st.sampled_from(posted), label="event")
        status = self._status()
        try:
            result = self._send(
                "reversal", {"event_id": event_id, "value_date": self.today.isoformat()}
            )
        except Conflict as error:
            if "reverse the payoff first" in str(error):  # as for repayments
                assert self._payoff_after(self._value_dates[event_id]), f"refused: {error}"
                return
            assert status == "written_off", f"reversal refused on a {status} loan"
            return
        assert result.body["status"] == "reversed" and result.body["reversal_entry_id"]
        kind, amount, _ = self.events[event_id]
        self.events[event_id] = (kind, amount, "reversed")

    @precondition(lambda self: bool(self.sent))
    @rule(data=st.data())
    def replay_a_key_with_the_same_body(self, data: st.DataObject) -> None:
        self._count("replay same body")
        sent = data.draw(st.sampled_from(self.sent), label="request")
        before = self._postings()
        idem = IdempotencyRequest(sent.key, SERVICING.user_id, sent.route, request_hash(sent.body))
        again = self._dispatch(sent.route, sent.body, idem)
        assert again.replayed, f"{sent.key} was not answered as a replay"
        assert (again.status_code, again.body) == (sent.result.status_code, sent.result.body)
        assert self._postings() == before, f"replaying {sent.key} posted something"

    @precondition(lambda self: bool(self.sent))
    @rule(data=st.data())
    def replay_a_key_with_another_body(self, data: st.DataObject) -> None:
        self._count("replay other body")
        sent = data.draw(st.sampled_from(self.sent), label="request")
        other = dict(sent.body, amount=int(sent.body.get("amount", 0)) + 1, event_id=-1)
        before = self._postings()
        idem = IdempotencyRequest(sent.key, SERVICING.user_id, sent.route, request_hash(other))
        with pytest.raises(IdempotencyKeyReused):
            self._dispatch(sent.route, sent.body, idem)
        assert self._postings() == before, f"a reused key {sent.key} posted something"

    @rule(
        amount=st.integers(1, 600_000), mode=st.sampled_from(["lower_installment", "shorten_term"])
    )
    def prepay_part(self, amount: int, mode: str) -> None:
        """A partial prepayment; refused unless the business date is a due date."""
        self._count("prepay")
        body = {"amount": amount, "value_date": self.today.isoformat(), "mode": mode}
        try:
            result = self._send("prepayment", body)
        except (Conflict, InvalidInput):
            return
        assert result.status_code == 201
        self._received(result)

    @precondition(lambda self: self.status == "active")
    @rule()
    def pay_off_at_the_quote(self) -> None:
        if self._status() != "active":
            return
        self._count("payoff")
        quote = self.loans.payoff_quote(SERVICING, self.loan_id, self.today)
        total = minor(quote["total"])
        if total <= 0:
            return
        body = {"amount": total, "value_date": self.today.isoformat(), "mode": "payoff"}
        result = self._send("prepayment", body)
        self._received(result)
        shown = self.loans.get(SERVICING, self.loan_id)
        assert shown["status"] == "paid_off", shown["status"]
        assert shown["balances"]["principal"] == "0.00", shown["balances"]

    @precondition(lambda self: self.status == "active")
    @rule()
    def write_off(self) -> None:
        if self._status() != "active":
            return
        self._count("write off")
        result = self._send("write_off", {"value_date": self.today.isoformat()})
        self._received(result)
        shown = self.loans.get(SERVICING, self.loan_id)
        assert shown["status"] == "written_off"
        assert shown["balances"]["principal"] == "0.00", shown["balances"]

    @precondition(lambda self: self.status == "written_off")
    @rule(amount=st.integers(1, 200_000))
    def recover(self, amount: int) -> None:
        self._count("recover")
        status = self._status()
        try:
            self._send("recovery", {"amount": amount, "value_date": self.today.isoformat()})
        except Conflict:
            assert status != "written_off", "a recovery was refused on a written-off loan"
            return
        except InvalidInput as error:  # recoveries stop at the loss the write-off booked
            assert "more than is left to recover" in str(error), error
            assert status == "written_off" and amount > 0
            return
        assert status == "written_off", f"a recovery was taken on a {status} loan"
        self.recovered += amount

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def the_ledger_invariants_hold(self) -> None:
        if not self.loan_id:
            return
        self.tally.checks += 1
        report = self.container.services.verify.run()
        broken = [
            (c.invariant, c.name, c.violations[:3])
            for c in report.checks
            if c.invariant != 7 and not c.ok
        ]
        if broken and os.environ.get("AUTOLEND_R1_DEBUG"):
            print("VIOLATION", self.loan_id, broken, self.tally.rules, file=sys.__stderr__)
        assert not broken, f"loan {self.loan_id}: {broken}"

    @invariant()
    def the_model_equals_the_system(self) -> None:
        if not self.loan_id:
            return
        events = self.loans.transactions(SERVICING, self.loan_id)
        system = {
            e["id"]: (e["kind"], minor(e["amount"]), e["status"])
            for e in events
            if e["kind"] != "recovery"
        }
        assert system == self.events, f"events differ: system {system} model {self.events}"
        received = sum(a for k, a, s in self.events.values() if k in MONEY_KINDS and s == "posted")
        cash = 0
        for entry in self.loans.ledger(SERVICING, self.loan_id):
            for p in entry["postings"]:
                if p["name"] == CASH:
                    cash += minor(p["amount"]) * (1 if p["side"] == "debit" else -1)
        expected = received + self.recovered - self.principal
        assert cash == expected, (
            f"cash on loan {self.loan_id} nets to {cash}, expected received {received} "
            f"+ recovered {self.recovered} - disbursed {self.principal}"
        )
        shown = self.loans.get(SERVICING, self.loan_id)
        self.status = str(shown["status"])
        outstanding = minor(shown["balances"]["principal"])
        assert outstanding >= 0, f"principal outstanding {outstanding} < 0"
        if shown["status"] == "active":
            with self.container.uow() as uow:
                rows = uow.loans.installments(self.loan_id)
            scheduled = sum(r.principal_due - r.principal_paid for r in rows)
            assert outstanding == scheduled, (
                f"ledger principal {outstanding} != installments' unpaid principal {scheduled}"
            )


def test_the_ledger_keeps_its_invariants_under_random_servicing_r1(
    container: Container, clock: FixedClock, db_backend: str
) -> None:
    assert clock.now().date() == LAST_DAY
    tally = Tally()
    began = time.perf_counter()
    run_state_machine_as_test(
        lambda: LedgerMachine(container, tally),  # type: ignore[arg-type]  # a factory works too
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=os.environ.get("AUTOLEND_R1_RANDOM") is None,
            suppress_health_check=list(HealthCheck),
            database=None,
            phases=PHASES,
        ),
    )
    rules = ", ".join(f"{name} {n}" for name, n in sorted(tally.rules.items()))
    print(
        f"\nR1 {db_backend}: {tally.examples} examples, {tally.steps} steps "
        f"({tally.refusals} refusals), {tally.checks} invariant checks, 0 violations, "
        f"{time.perf_counter() - began:.1f} s [{rules}]"
    )


def test_a_payoff_on_the_start_date_keeps_the_disbursement(container: Container) -> None:
    terms = LoanTerms(
        principal=cny_minor(120_000), annual_rate=Decimal("0.12"), periods=12, start=START
    )
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=cny_minor(120_000)))
    loans.disburse(SERVICING, loan_id, DisbursementInput(cny_minor(120_000), START))
    quote = loans.payoff_quote(SERVICING, loan_id, START)
    data = MoneyIn(cny_minor(minor(quote["total"])), START, mode="payoff")
    container.services.servicing.prepay(SERVICING, loan_id, data)
    kinds = [e["kind"] for e in loans.ledger(SERVICING, loan_id)]
    assert "reversal" not in kinds, kinds
    assert loans.get(SERVICING, loan_id)["balances"]["principal"] == "0.00"
    assert container.services.verify.run().ok
