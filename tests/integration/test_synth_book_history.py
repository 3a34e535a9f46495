"""A synthetic book with history in the database (``autolend synth portfolio`` without
``--out``, ``autolend demo --loans N``), on both databases: loans in every behaviour
state, ``autolend verify`` green, every loan equal to the replay of its events, the same
records as the services leave for the same history, and the demo book seeded once."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from autolend.batch import eod_runner
from autolend.batch.demo_book import seed_demo_book
from autolend.batch.eod_runner import EodRunner
from autolend.batch.synth_history import (
    PRODUCTS,
    Behaviour,
    LoanPlan,
    cut_over_for,
    events_of,
    plan_book,
)
from autolend.batch.synth_history_db import (
    booking_request,
    insert_history_book,
    opening_of,
    quoted_events,
    servicing_terms,
    write_plans,
)
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.ledger import entry_fingerprint
from autolend.domain.money import Money
from autolend.services.demo import DEMO_DEALERS, DemoSeeder
from autolend.services.demo_loans import DEMO_LOANS
from autolend.services.demo_people import synthetic_person
from autolend.services.disbursement import DisbursementInput
from autolend.services.loan_books import (
    REPLAYED_FACTS,
    current_projection,
    installment_rows,
    state_snapshot,
)
from autolend.services.loan_ports import InstallmentRow
from autolend.services.migration import MigrationRequest, MigrationService
from autolend.services.projection import initial_state
from autolend.services.servicing import MoneyIn
from tests.conftest import TEST_NOW
from tests.integration.test_eod_page import web_sign_in
from tests.integration.test_eod_runner import assert_same, twin, verified

pytestmark = pytest.mark.integration
__all__ = ["twin"]  # the second-database fixture, used by name
AS_OF = TEST_NOW.date()  # 2026-11-28
CUT = cut_over_for(AS_OF, 3)  # 2026-08-31
OFFICER = Actor(user_id=0, username="officer", roles=(Role.SERVICING,))


def _state(status: str, rows: list[InstallmentRow]) -> str:
    """Paid off, current, or the days-past-due band of the earliest unpaid due date."""
    if status != "active":
        return status
    unpaid = [
        r.due_date for r in rows if r.due_date < AS_OF
        and r.principal_paid + r.interest_paid + r.fee_paid
        < r.principal_due + r.interest_due + r.fee_due
    ]  # fmt: skip
    dpd = (AS_OF - min(unpaid)).days if unpaid else 0
    return "current" if dpd == 0 else "1-30" if dpd <= 30 else "31-90" if dpd <= 90 else "90+"


def test_a_book_of_200_loans_has_every_behaviour_state_and_verify_passes(
    container: Container,
) -> None:
    book = insert_history_book(container.uow, container.services.clock, SYSTEM_ACTOR, 200,
                               seed=5, as_of=AS_OF)  # fmt: skip
    assert len(book.loan_ids) == 200 and book.cut_over == CUT
    with container.uow() as uow:
        loans = [uow.loans.get(i) for i in book.loan_ids]
        states = Counter(_state(x.status, uow.loans.installments(x.id)) for x in loans if x)
        events = [e for x in loans if x for e in uow.loans.events(x.id)]
    assert {"current", "paid_off", "1-30", "31-90", "90+"} <= set(states), states
    assert states["current"] > 120  # most pay on time
    assert len({x.product_code for x in loans if x}) == 7
    assert events and all(e.entry_id is not None and e.allocation_json for e in events)
    assert {e.kind for e in events} == {"repayment", "payoff"}
    report = container.services.verify.run(AS_OF)
    assert report.ok, [c for c in report.checks if not c.ok]


def test_every_loan_of_the_book_equals_the_replay_of_its_events(container: Container) -> None:
    book = insert_history_book(container.uow, container.services.clock, SYSTEM_ACTOR, 60,
                               seed=9, as_of=AS_OF)  # fmt: skip
    with container.uow() as uow:
        for loan_id in book.loan_ids:
            loan = uow.loans.get(loan_id)
            assert loan is not None and loan.accrued_through is not None
            replay = current_projection(uow, loan, loan.accrued_through)
            stored = {
                fact: held.fingerprint
                for fact, held in uow.ledger.effective_facts(loan_id, date.min).items()
                if fact.startswith(REPLAYED_FACTS)
            }
            assert stored == {f: entry_fingerprint(e) for f, e in replay.facts.items()}
            assert json.loads(loan.state_json or "{}") == state_snapshot(replay.state)
            assert uow.loans.installments(loan_id) == installment_rows(replay.state)
            assert loan.status == replay.state.status.value
            assert loan.closed_on == replay.closed_on


def _one_of_each(plans: list[LoanPlan]) -> list[LoanPlan]:
    """A migrated loan of every behaviour and of every product, and a loan booked after
    the cut-over."""
    migrated = [p for p in plans if p.start < CUT]
    by_behaviour = {p.behaviour: p for p in migrated}
    by_product = {p.product.code: p for p in migrated}
    late_starter = next(p for p in plans if p.start > CUT)
    chosen = {id(p): p for p in (*by_behaviour.values(), *by_product.values(), late_starter)}
    return list(chosen.values())


def _through_services(container: Container, plan: LoanPlan) -> int:
    """The same loan and history posted through the services, one request at a time."""
    s, actor = container.services, OFFICER
    request = booking_request(plan, None)
    rows = initial_state(0, request.terms, servicing_terms(request, None)).installments
    opening = opening_of(plan, rows, CUT, AS_OF)
    if opening is not None:
        penalty = Money.of_minor(opening.penalty, "CNY")
        migration = MigrationRequest(request, CUT, len(opening.paid), penalty=penalty)
        migrated = MigrationService(container.uow, s.clock).migrate(actor, migration)
        loan_id = int(migrated.body["id"])
    else:
        loan_id = s.loans.book(actor, request)
        s.loans.disburse(actor, loan_id, DisbursementInput(request.terms.principal, plan.start))
    servicing = servicing_terms(request, opening)
    for e in quoted_events(loan_id, request, servicing, events_of(plan, rows, CUT, AS_OF)):
        money = MoneyIn(Money.of_minor(e.amount, "CNY"), e.value_date, "bank_transfer",
                        e.reference, mode="payoff" if e.kind == "payoff" else None)  # fmt: skip
        if e.kind == "payoff":
            s.servicing.prepay(actor, loan_id, money)
        else:
            s.servicing.post_repayment(actor, loan_id, money)
    return loan_id


def _records(container: Container, loan_id: int) -> tuple[object, ...]:
    """What a loan's records say, event ids replaced by their order."""
    with container.uow() as uow:
        loan = uow.loans.get(loan_id)
        assert loan is not None
        events = uow.loans.events(loan_id)
        order = {f"ev:{e.id}": f"ev#{k}" for k, e in enumerate(events)}
        facts = {
            order.get(fact, fact): sorted(
                (p.account.gl.code, str(p.account.sub), p.side.value, p.amount.minor)
                for p in held.entry.postings
            )
            for fact, held in uow.ledger.effective_facts(loan_id, date.min).items()
        }
        return (
            loan.status, loan.accrued_through, loan.closed_on, loan.state_json,
            loan.disbursed_minor, uow.loans.installments(loan_id),
            uow.ledger.loan_balances(loan_id), facts,
            [(e.kind, e.value_date, e.amount_minor, e.allocation_json) for e in events],
        )  # fmt: skip


def test_the_writer_leaves_what_the_services_leave_for_the_same_history(
    container: Container,
) -> None:
    plans = _one_of_each(plan_book(300, seed=3, as_of=AS_OF, cut_over=CUT))
    assert {p.behaviour for p in plans} == set(Behaviour)
    assert {p.product.code for p in plans} == {spec.code for spec in PRODUCTS}
    clock = container.services.clock
    written = write_plans(container.uow, clock, SYSTEM_ACTOR, plans, (CUT, AS_OF))
    served = [_through_services(container, plan) for plan in plans]
    EodRunner(container.uow, clock).run_date(OFFICER, AS_OF)  # the services' night
    for mine, theirs in zip(written, served, strict=True):
        assert _records(container, mine) == _records(container, theirs)
    report = container.services.verify.run(AS_OF)
    assert report.ok, [c for c in report.checks if not c.ok]


def test_the_demo_book_is_seeded_once_across_the_demo_dealers_each_loan_with_its_borrower(
    container: Container,
) -> None:
    """Each loan of the book has its own borrower, a customer of the loan's dealer with a
    name a collector can read (the book's loans used to have none)."""
    s = container.services
    DemoSeeder(container.uow, s.users, s.customers, s.clock).seed(as_of=AS_OF)
    first = seed_demo_book(container.uow, s.clock, 30, as_of=AS_OF, cipher=container.cipher)
    again = seed_demo_book(container.uow, s.clock, 30, as_of=AS_OF, cipher=container.cipher)
    assert first is not None and len(first.loan_ids) == 30
    assert again is None
    with container.uow() as uow:
        every = uow.loans.find(status=None, owner_user_id=None, dealer_id=None,
                               all_rows=True, limit=1_000)  # fmt: skip
        demo_dealers = {uow.dealers.by_code(code) for code, _, _ in DEMO_DEALERS}
        book = [x for x in every if x.id in first.loan_ids]
        borrowers = {x.id: uow.customers.by_id(x.customer_id) for x in book if x.customer_id}
    assert len(every) == len(DEMO_LOANS) + 30
    assert {x.dealer_id for x in book} == demo_dealers
    assert len(borrowers) == 30 and len({c.id for c in borrowers.values() if c}) == 30
    assert all(c and c.dealer_id == x.dealer_id for x in book for c in [borrowers[x.id]])
    servicing = s.customers.get(OFFICER, book[0].customer_id or 0)
    assert servicing.name == synthetic_person(0).name
    report = s.verify.run(AS_OF)
    assert report.ok, [c for c in report.checks if not c.ok]


def test_the_loan_page_of_a_synthetic_loan_shows_its_repayments_and_overdue_installments(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book = insert_history_book(container.uow, container.services.clock, SYSTEM_ACTOR, 40,
                               seed=5, as_of=AS_OF)  # fmt: skip
    with container.uow() as uow:
        late = next(
            i for i in book.loan_ids
            if _state("active", uow.loans.installments(i)) in ("1-30", "31-90")
            and uow.loans.events(i)
        )  # fmt: skip
        reference = uow.loans.events(late)[-1].reference
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get(f"/loans/{late}")
    assert page.status_code == 200
    assert reference and reference in page.text
    assert "overdue" in page.text.lower() or "逾期" in page.text


def test_the_end_of_day_runs_over_the_book_the_next_day_without_errors(
    container: Container,
) -> None:
    clock = container.services.clock
    yesterday = AS_OF - timedelta(days=1)
    book = insert_history_book(container.uow, clock, SYSTEM_ACTOR, 60, seed=11, as_of=yesterday)
    result = EodRunner(container.uow, clock).run_date(OFFICER, AS_OF)
    with container.uow() as uow:
        active = [i for i in book.loan_ids if (x := uow.loans.get(i)) and x.status == "active"]
    assert result.errors == 0 and result.loans == len(active) > 50
    report = container.services.verify.run(AS_OF)
    assert report.ok, [c for c in report.checks if not c.ok]


def test_migrated_loans_take_the_bulk_path_and_leave_what_the_per_loan_runner_leaves(
    container: Container, twin: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same book, migrated at the cut-over and serviced to a week ago, in two worlds;
    # a week of end of day (crossing due dates and a month-end) in bulk in one, loan by
    # loan in the other.
    start = AS_OF - timedelta(days=7)
    for world in (container, twin):
        insert_history_book(world.uow, world.services.clock, SYSTEM_ACTOR, 80, seed=17,
                            as_of=start)  # fmt: skip
    per_loan = {"calls": 0}
    accrue_in = eod_runner.accrue_in  # type: ignore[attr-defined]  # its own import, patched

    def counted(*args: object, **kwargs: object) -> object:
        per_loan["calls"] += 1
        return accrue_in(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(eod_runner, "accrue_in", counted)
    bulk = EodRunner(container.uow, container.services.clock).run_through(OFFICER, AS_OF)
    taken_per_loan = per_loan["calls"]
    EodRunner(twin.uow, twin.services.clock, bulk=False).run_through(OFFICER, AS_OF)
    assert bulk.errors == 0
    assert taken_per_loan < bulk.loans // 4  # most loan-days went through the kernels
    assert_same(container, twin)
    verified(container, AS_OF)
