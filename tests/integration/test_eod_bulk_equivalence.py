"""The bulk end of day (kernels + set-based writes) posts exactly what the per-loan
runner posts: a randomised book booked through the real services -- every synthetic
product shape (CN and US packs, monthly fees, balloon, principal-first waterfall, the
catalogue's late fee and penalty uplift), early
payers (an advance covering the first installment in full or in part), late payers
paying in part after end of day passed their due date -- run with the bulk runner in one
database and with the per-loan runner in another, compared line by line (entry facts,
keys, kinds, GL lines and amounts), accrual by accrual, installment by installment and
snapshot by snapshot -- through two month-ends (Jan 31, every loan current; Feb 28,
the late payers past due), so the month-end allowance entries are compared too: on the
bulk path from the portfolio snapshot read set-based, on the per-loan path from the
replayed one. Also: the bulk path's entries and snapshots equal the domain
builders' and the servicing snapshot's byte for byte.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from autolend.adapters.db import tables as t
from autolend.batch import eod_runner
from autolend.batch.allowance import allowance_fact, allowance_journal_entry, bulk_allowances
from autolend.batch.bulk_book import LoanBook
from autolend.batch.bulk_day import FACTS, BulkDay, bulk_day, bulk_entry, fast_entry
from autolend.batch.bulk_synth import PRODUCTS
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.domain.schedule.enums import Method
from autolend.domain.servicing import LoanState
from autolend.services.eod_ports import BulkLoans
from autolend.services.loan_books import state_snapshot
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.integration.test_eod_runner import SERVICING, assert_same, book_story, twin, verified

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

LOANS = 36
SEED = 20260201


def _book(container: Container, rng: random.Random) -> list[tuple[int, str, str]]:
    """LOANS loans over every product, booked and disbursed through the services;
    (loan id, currency, behaviour) each."""
    loans = container.services.loans
    booked = []
    for i in range(LOANS):
        spec = PRODUCTS[i % len(PRODUCTS)]
        principal = Money.of_minor(rng.randrange(50, 300) * 100_000, spec.currency)
        balloon = Money.of_minor(principal.minor * spec.balloon_pct // 100, spec.currency)
        terms = LoanTerms(
            principal=principal, annual_rate=Decimal(spec.rate), periods=spec.periods,
            start=date(2026, 1, 5) + timedelta(days=rng.randrange(8)), method=spec.method,
            balloon=balloon if spec.method is Method.BALLOON else None,
        )  # fmt: skip
        fees = {kind: f"{minor / 100:.2f}" for kind, minor in spec.monthly_fees} or None
        late = spec.late_fee
        request = BookingRequest(
            terms=terms, approved=principal, product_code=spec.code, pack_code=spec.pack,
            waterfall=spec.waterfall, monthly_fees=fees, penalty_uplift=spec.penalty_uplift,
            late_fee=late and {"amount": f"{late.amount / 100:.2f}",
                               "after_days": late.after_days},
        )  # fmt: skip
        loan_id = loans.book(SERVICING, request)
        loans.disburse(SERVICING, loan_id, DisbursementInput(principal, terms.start))
        behaviour = rng.choice(("current", "early", "early_part", "late_part", "late"))
        booked.append((loan_id, spec.currency, behaviour))
    return booked


def _pay(container: Container, loan_id: int, code: str, minor: int, day: date) -> None:
    data = MoneyIn(Money.of_minor(minor, code), day, "bank_transfer", f"r-{loan_id}-{day}")
    container.services.servicing.post_repayment(SERVICING, loan_id, data)


def _first_installment(container: Container, loan_id: int) -> tuple[date, int]:
    row = container.services.loans.get(SERVICING, loan_id)["schedule"][0]
    amount = sum(int(Decimal(row[k]) * 100) for k in ("principal", "interest", "fee"))
    return date.fromisoformat(row["due_date"]), amount


def story(container: Container, *, bulk: bool) -> None:
    """Book, pay early, run end of day to Feb 9, pay late and in part (backdated),
    run to Mar 1; the same seed in both worlds."""
    rng = random.Random(SEED)
    booked = _book(container, rng)
    runner = EodRunner(container.uow, container.services.clock, partition_size=8, bulk=bulk)
    runner.run_through(SYSTEM_ACTOR, date(2026, 1, 20))
    for loan_id, code, behaviour in booked:
        due, amount = _first_installment(container, loan_id)
        if behaviour == "early":
            _pay(container, loan_id, code, amount + 1_000, date(2026, 1, 20))
        elif behaviour == "early_part":
            _pay(container, loan_id, code, amount // 3, date(2026, 1, 20))
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 2, 9)).errors == 0
    for loan_id, code, behaviour in booked:
        due, amount = _first_installment(container, loan_id)
        if behaviour == "late_part":
            _pay(container, loan_id, code, amount // 2, due + timedelta(days=2))
        elif behaviour == "current":
            _pay(container, loan_id, code, amount, due)
    assert runner.run_through(SYSTEM_ACTOR, date(2026, 3, 1)).errors == 0


def test_the_bulk_runner_posts_what_the_per_loan_runner_posts_on_a_random_book(
    container: Container, twin: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = {"bulk": 0, "per_loan": 0, "settled": 0}
    per_loan: set[int] = set()

    def counting(loans: BulkLoans, loan_ids: list[int], held: LoanBook | None) -> BulkDay:
        out = bulk_day(loans, loan_ids, held)
        counts["bulk"] += len(out.updates)
        counts["per_loan"] += len(out.rest) - len(out.settle)
        counts["settled"] += len(out.settle)
        per_loan.update(set(out.rest) - set(out.settle))
        return out

    monkeypatch.setattr(eod_runner, "bulk_day", counting)
    story(container, bulk=True)
    story(twin, bulk=False)
    assert_same(container, twin)
    verified(container, date(2026, 3, 1))
    allowances = _allowances(container)
    assert len(allowances[date(2026, 1, 31)]) == LOANS  # every loan charged its ECL
    # Feb 28: each loan moves by the change only; the late payers' ECL grew most
    assert 0 < len(allowances[date(2026, 2, 28)]) <= LOANS
    # the kernels carried most loan-days; the advances applied on due dates (in full or
    # in part) were settled in memory on the bulk path: the only loan-days that went per
    # loan are those a used car's late fee may fall on (an installment unpaid 15 days)
    assert counts["bulk"] > 10 * counts["settled"] > 0
    assert counts["bulk"] > 10 * counts["per_loan"] > 0
    with container.uow() as uow:
        products = {i: uow.loans.get(i).product_code for i in per_loan}  # type: ignore[union-attr]
    assert set(products.values()) == {"USED_CAR"}


def _allowances(container: Container) -> dict[date, dict[int, int]]:
    """The allowance entries by month-end: loan -> signed change (charge > 0)."""
    je, p = t.journal_entries.c, t.postings.c
    query = (
        select(je.value_date, je.loan_id, p.side, p.amount_minor)
        .join_from(t.journal_entries, t.postings, p.entry_id == je.id)
        .where(je.kind == "allowance", p.gl_code == "1190")
    )
    found: dict[date, dict[int, int]] = {}
    with container.engine.connect() as conn:
        for day, loan_id, side, amount in conn.execute(query):
            found.setdefault(day, {})[loan_id] = amount if side == "C" else -amount
    return found


def test_a_bulk_entry_equals_the_domain_builders_entry_byte_for_byte() -> None:
    rng = random.Random(7)
    for _ in range(200):
        fact = rng.choice(FACTS)
        loan_id, minor = rng.randrange(1, 10**9), rng.randrange(1, 10**9)
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(4000))
        code = rng.choice(("CNY", "USD"))
        built = fact.build(loan_id, day, Money.of_minor(minor, code))
        expected = bulk_entry(built, f"{fact.prefix}:{day.isoformat()}", fact.accrual)
        assert fast_entry(fact, loan_id, day, minor, code) == expected


def test_a_bulk_allowance_entry_equals_the_domain_builders_entry_byte_for_byte() -> None:
    rng = random.Random(11)
    for _ in range(200):
        loan_id, change = rng.randrange(1, 10**9), rng.choice((1, -1)) * rng.randrange(1, 10**9)
        day = date(2020, 1, 31) + timedelta(days=rng.randrange(4000))
        code = rng.choice(("CNY", "USD"))
        built = allowance_journal_entry(loan_id, day, change, code)
        expected = bulk_entry(built, allowance_fact(day))
        assert bulk_allowances({loan_id: (change, code)}, day) == [expected]


def test_a_loan_state_snapshot_written_in_bulk_reads_as_the_servicing_snapshot() -> None:
    from autolend.batch.book_domain import ServicedLoan, book_from_states
    from autolend.batch.bulk_book import LoanBook
    from autolend.batch.bulk_day import _snapshot  # the writer under test
    from autolend.batch.bulk_synth import synthetic_loans
    from autolend.domain.penalty import policy_from_pack
    from autolend.domain.regulation import CN_PACK
    from autolend.domain.servicing import accrue
    from autolend.services.projection import initial_state
    from autolend.services.terms_codec import load_terms

    booked = synthetic_loans([1], [date(2026, 1, 5)], seed=3)[0]
    terms = load_terms(booked.terms_json)[0]
    state: LoanState = initial_state(1, terms)
    state = accrue(state, date(2026, 3, 9), policy_from_pack(CN_PACK, terms.start), CN_PACK).state
    book = book_from_states([ServicedLoan(state, policy_from_pack(CN_PACK, terms.start), CN_PACK)])
    held = LoanBook(book, book["needs_reference"], [state.penalty_paid], [state.compound_paid])
    written = _snapshot(held, 0, date(2026, 3, 9))
    assert written == json.dumps(state_snapshot(state))
    assert json.loads(written)["penalty"] > 0  # overdue since Feb 5: the case that matters


def test_a_loan_whose_stored_terms_cannot_be_read_fails_alone_and_the_rest_is_posted(
    container: Container,
) -> None:
    ids = book_story(container)
    with container.engine.begin() as conn:  # a damaged row: its terms lost their pack
        conn.execute(update(t.loans).where(t.loans.c.id == ids[3]).values(terms="{}"))
    runner = EodRunner(container.uow, container.services.clock, partition_size=7)
    result = runner.run_date(SYSTEM_ACTOR, date(2026, 2, 1))
    assert (result.loans, result.errors) == (len(ids), 1)
    with container.uow() as uow:
        served = {i: uow.loans.get(i).accrued_through for i in ids}  # type: ignore[union-attr]
    assert served.pop(ids[3]) == date(2026, 1, 31)
    assert set(served.values()) == {date(2026, 2, 1)}
