"""The month-end allowance of the end of day, on both databases: a late loan holds its
ECL as allowance (Dr 5100 / Cr 1190), the next month-end moves it by the change only, a
cure releases, a write-off uses the allowance first, a rerun posts nothing, a crash in a
month-end partition followed by a rerun converges to the uninterrupted run; the
portfolio snapshot computed from the stored state read set-based equals the replayed
one row by row on a randomised book; and an advance that pays a loan off, settled in
memory on the bulk path, leaves what the per-loan runner leaves.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from autolend.adapters.db import tables as t
from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.batch.bulk_synth import insert_synthetic_loans
from autolend.batch.eod_runner import EodRunner, Faults
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.domain.schedule.enums import Method
from autolend.services.contract import Collateral
from autolend.services.eod_ports import BulkLoans
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.portfolio import PortfolioService
from autolend.services.portfolio_ports import LoanRisk
from autolend.services.servicing import MoneyIn
from tests.integration.test_eod_runner import SERVICING, assert_same, twin, verified
from tests.support.write_off import written_off as write_off_now

__all__ = ["twin"]  # the second-database fixture, used by name

pytestmark = pytest.mark.integration

START = date(2026, 1, 24)  # due on the 24th: the Feb 24 installment is 35 days late on Mar 31
JAN_END, FEB_END, MAR_END, APR_END = (
    date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
)  # fmt: skip


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def book(
    container: Container, start: date = START, price: str | None = None,
    collateral: Collateral | None = None,
) -> int:  # fmt: skip
    """A 12,000.00 loan at 12 % over 12 months; with a car ``price`` (which only a
    balloon loan records) a balloon of 10 % of the price; with ``collateral`` the car
    recorded as origination records it."""
    principal = cny("12000.00")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=start)
    if price:
        terms = replace(
            terms, method=Method.BALLOON, balloon_ratio_of_price=Decimal("0.1"),
            vehicle_price=cny(price),
        )  # fmt: skip
    loans = container.services.loans
    request = BookingRequest(terms=terms, approved=principal, collateral=collateral)
    loan_id = loans.book(SERVICING, request)
    loans.disburse(SERVICING, loan_id, DisbursementInput(principal, start))
    return loan_id


def pay(container: Container, loan_id: int, amount: str, day: date, code: str = "CNY") -> None:
    money = Money.parse(amount, code)
    data = MoneyIn(money, day, "bank_transfer", f"ref-{loan_id}-{amount}-{day}")
    container.services.servicing.post_repayment(SERVICING, loan_id, data)


def runner(container: Container, *, bulk: bool = True, faults: Faults | None = None) -> EodRunner:
    clock = container.services.clock
    return EodRunner(container.uow, clock, partition_size=2, bulk=bulk, faults=faults)


def allowance_lines(container: Container, loan_id: int) -> dict[date, list[tuple[str, str]]]:
    """The loan's allowance entries by value date: (side, GL) of each line."""
    je, p = t.journal_entries.c, t.postings.c
    query = (
        select(je.value_date, p.side, p.gl_code)
        .join_from(t.journal_entries, t.postings, p.entry_id == je.id)
        .where(je.kind == "allowance", je.loan_id == loan_id)
        .order_by(je.id, p.side)
    )
    found: dict[date, list[tuple[str, str]]] = {}
    with container.engine.connect() as conn:
        for day, side, gl in conn.execute(query):
            found.setdefault(day, []).append((side, gl))
    return found


def held(container: Container, loan_id: int, through: date | None = None) -> int:
    """The loan's allowance (credit balance of its 1190 sub-ledger), through a date."""
    p = t.postings.c
    query = select(p.side, p.amount_minor).where(p.loan_id == loan_id, p.gl_code == "1190")
    if through is not None:
        query = query.where(p.value_date <= through)
    with container.engine.connect() as conn:
        return sum(a if s == "C" else -a for s, a in conn.execute(query))


def risk(container: Container, day: date, loan_id: int) -> tuple[int, int, int, int]:
    """(dpd, bucket, stage, ECL) of the loan in the snapshot of ``day``."""
    c = portfolio_risk.c
    query = select(c.dpd, c.bucket, c.stage, c.ecl_minor).where(
        c.as_of == day, c.loan_id == loan_id
    )
    with container.engine.connect() as conn:
        row = conn.execute(query).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


CHARGE, RELEASE = [("C", "1190"), ("D", "5100")], [("C", "5100"), ("D", "1190")]


def test_a_late_loan_holds_its_ecl_as_allowance_and_a_cure_releases_the_difference(
    container: Container,
) -> None:
    late, good = book(container, price="15000.00"), book(container)
    pay(container, good, "5000.00", date(2026, 1, 30))  # covers the first four installments
    runner(container).run_through(SYSTEM_ACTOR, MAR_END)

    dpd, bucket, stage, ecl = risk(container, MAR_END, late)
    assert (dpd, bucket, stage) == (35, 2, 2)  # 31-60, stage 2 from 31 days past due
    assert held(container, late) == ecl > risk(container, FEB_END, late)[3] > 0
    lines = allowance_lines(container, late)
    assert sorted(lines) == [JAN_END, FEB_END, MAR_END]  # once a month-end, never daily
    assert lines[MAR_END] == CHARGE  # Dr 5100 impairment / Cr 1190 allowance (loan)
    assert held(container, late, FEB_END) == risk(container, FEB_END, late)[3]
    assert held(container, good) == risk(container, MAR_END, good)[3] > 0  # 12-month ECL

    pay(container, late, "4000.00", date(2026, 4, 2))  # the arrears and penalty, and more
    runner(container).run_through(SYSTEM_ACTOR, APR_END)

    cured = risk(container, APR_END, late)
    assert cured[:3] == (0, 0, 1) and cured[3] < ecl  # current: back to a 12-month ECL
    assert allowance_lines(container, late)[APR_END] == RELEASE
    assert held(container, late) == cured[3]
    verified(container, APR_END)


def test_a_car_held_as_collateral_lowers_the_loss_given_default_and_so_the_ecl(
    container: Container,
) -> None:
    bare = book(container)
    secured = book(container, collateral=Collateral.of(2_000_000, nev=True, used=False))
    runner(container).run_through(SYSTEM_ACTOR, MAR_END)

    bare_risk, secured_risk = risk(container, MAR_END, bare), risk(container, MAR_END, secured)
    assert bare_risk[:3] == secured_risk[:3] == (35, 2, 2)  # equally late, stage 2
    # A 20,000.00 NEV (depreciated, less the haircut and the repossession cost) covers
    # most of the 12,000.00 loan: a far smaller loss given default.
    assert 0 < secured_risk[3] < bare_risk[3] // 2
    assert held(container, secured) == secured_risk[3]


def test_a_single_date_run_over_a_gap_runs_the_month_end_in_it_first(
    container: Container, twin: Container
) -> None:
    for world in (container, twin):
        book(world)
        runner(world).run_through(SYSTEM_ACTOR, date(2026, 2, 20))
    gap = runner(container).run_date(SYSTEM_ACTOR, date(2026, 3, 10))  # Feb 28 in the gap
    runner(twin).run_through(SYSTEM_ACTOR, date(2026, 3, 10))  # day by day
    assert sorted({p.day for p in gap.partitions}) == [FEB_END, date(2026, 3, 10)]
    assert_same(container, twin)  # the Feb 28 allowance is there, as daily runs post it
    verified(container, date(2026, 3, 10))


def test_rerunning_a_month_end_posts_nothing_new(container: Container) -> None:
    loans = [book(container) for _ in range(3)]
    runner(container).run_through(SYSTEM_ACTOR, FEB_END)
    before = {loan_id: held(container, loan_id) for loan_id in loans}

    again = runner(container).run_date(SYSTEM_ACTOR, FEB_END)

    assert (again.entries, again.partitions) == (0, [])
    assert {loan_id: held(container, loan_id) for loan_id in loans} == before


def test_the_month_end_snapshot_holds_a_loan_paid_off_that_day_and_releases_its_allowance(
    container: Container,
) -> None:
    loan_id = book(container)
    runner(container).run_through(SYSTEM_ACTOR, date(2026, 3, 30))
    provided = held(container, loan_id)
    assert provided > 0  # from Jan 31 and Feb 28
    quote = container.services.loans.payoff_quote(SERVICING, loan_id, MAR_END)
    data = MoneyIn(cny(quote["total"]), MAR_END, "bank_transfer", "payoff", mode="payoff")
    container.services.servicing.prepay(SERVICING, loan_id, data)

    runner(container).run_through(SYSTEM_ACTOR, MAR_END)

    assert risk(container, MAR_END, loan_id)[3] > 0  # open at the start of the day
    assert held(container, loan_id) == 0
    assert allowance_lines(container, loan_id)[MAR_END] == RELEASE


def test_a_write_off_is_charged_against_the_allowance_first_and_leaves_none_to_release(
    container: Container,
) -> None:
    loan_id = book(container)
    runner(container).run_through(SYSTEM_ACTOR, MAR_END)
    provided = held(container, loan_id)
    assert provided > 0
    write_off_now(container, loan_id, date(2026, 4, 10))

    je, p = t.journal_entries.c, t.postings.c
    query = (
        select(p.side, p.gl_code, p.amount_minor)
        .join_from(t.journal_entries, t.postings, p.entry_id == je.id)
        .where(je.kind == "write_off", je.loan_id == loan_id)
    )
    with container.engine.connect() as conn:
        lines = conn.execute(query).all()
    debits = {gl: amount for side, gl, amount in lines if side == "D"}
    written_off = sum(amount for side, _, amount in lines if side == "C")
    # Dr 1190 what was provided, Dr 5100 only the loss beyond it (IFRS 9 5.4.4).
    assert debits == {"1190": provided, "5100": written_off - provided}
    assert held(container, loan_id) == 0

    runner(container).run_through(SYSTEM_ACTOR, APR_END)

    assert held(container, loan_id) == 0
    assert APR_END not in allowance_lines(container, loan_id)  # nothing left to release
    verified(container, APR_END)


class CrashError(BaseException):
    """The injected crash (nothing in the runner catches it)."""


def _crash_in_mar_31_partition_1(day: date, partition_no: int) -> None:
    if (day, partition_no) == (MAR_END, 1):
        raise CrashError("power cut")


def _month_end_story(container: Container, faults: Faults | None = None) -> None:
    for i in range(5):
        loan_id = book(container, START + timedelta(days=i))
        if i % 2:
            pay(container, loan_id, "1100.00", date(2026, 2, 25))
    runner(container).run_through(SYSTEM_ACTOR, date(2026, 3, 30))
    runner(container, faults=faults).run_through(SYSTEM_ACTOR, date(2026, 4, 1))


def test_a_crash_in_a_month_end_partition_then_a_rerun_converges(
    container: Container, twin: Container
) -> None:
    with pytest.raises(CrashError):
        _month_end_story(container, Faults(partition=_crash_in_mar_31_partition_1))
    with container.uow() as uow:  # partition 0 of Mar 31 committed its allowances
        assert uow.eod.checkpoint(MAR_END, 0) is not None
        assert uow.eod.checkpoint(MAR_END, 1) is None
    runner(container).run_through(SYSTEM_ACTOR, date(2026, 4, 1))
    _month_end_story(twin)
    assert_same(container, twin)
    assert all(allowance_lines(container, i).get(MAR_END) for i in range(1, 6))
    verified(container, date(2026, 4, 1))


def _tamper(container: Container, loan_id: int, ecl: int) -> None:
    """Give the loan's row of the Mar 31 snapshot an ECL no run computes."""
    c = portfolio_risk.c
    with container.engine.begin() as conn:
        conn.execute(
            update(portfolio_risk).where(c.as_of == MAR_END, c.loan_id == loan_id)
            .values(ecl_minor=ecl)
        )  # fmt: skip


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "per_loan"])
def test_the_month_end_run_takes_its_own_snapshot_over_one_taken_before_it(
    container: Container, bulk: bool
) -> None:
    loan_id = book(container)
    runner(container, bulk=bulk).run_through(SYSTEM_ACTOR, date(2026, 3, 30))
    container.services.portfolio.snapshot(SYSTEM_ACTOR, MAR_END)
    _tamper(container, loan_id, 123_456)  # as if a backdated event came after it
    result = runner(container, bulk=bulk).run_through(SYSTEM_ACTOR, MAR_END)
    assert result.errors == 0
    assert held(container, loan_id) == risk(container, MAR_END, loan_id)[3] != 123_456


def test_a_rerun_after_a_crash_keeps_the_snapshot_rows_of_the_partitions_done(
    container: Container,
) -> None:
    with pytest.raises(CrashError):
        _month_end_story(container, Faults(partition=_crash_in_mar_31_partition_1))
    _tamper(container, 1, 123_456)  # loan 1: partition 0, committed with its allowance
    runner(container).run_through(SYSTEM_ACTOR, date(2026, 4, 1))
    assert risk(container, MAR_END, 1)[3] == 123_456  # kept, not taken again
    assert all(risk(container, MAR_END, i)[3] > 0 for i in range(2, 6))


# --- The snapshot from the stored state equals the replayed one ---------------------


def _random_book(container: Container, rng: random.Random) -> list[int]:
    """Synthetic loans of every product shape starting over two months, and loans
    booked through the services with a car price; paying early, on time, late, in
    part or never."""
    clock = container.services.clock
    starts = [date(2026, 1, 5) + timedelta(days=d) for d in range(0, 60, 3)]
    ids = insert_synthetic_loans(container.uow, clock, 40, seed=rng.randrange(1000), starts=starts)
    ids += [book(container, date(2026, 1, 5) + timedelta(days=i), f"{13 + i}000.00")
            for i in range(8)]  # fmt: skip
    ids += [book(container, date(2026, 1, 6) + timedelta(days=i),
                 collateral=Collateral.of((14 + i) * 100_000, nev=i % 2 == 0, used=i % 3 == 0))
            for i in range(6)]  # fmt: skip
    for loan_id in ids:
        loan = container.services.loans.get(SERVICING, loan_id)
        first = loan["schedule"][0]
        due = date.fromisoformat(first["due_date"])
        amount = sum(Decimal(first[k]) for k in ("principal", "interest", "fee"))
        behaviour = rng.choice(("never", "early", "on_time", "part", "late"))
        if behaviour == "early":  # an advance covering one to three installments, or part
            share = Decimal(rng.choice(("0.4", "1.01", "2.02", "3.03")))
            when = date.fromisoformat(loan["start_date"]) + timedelta(days=2)
            pay(container, loan_id, f"{amount * share:.2f}", when, loan["currency"])
        elif behaviour != "never":
            late = {"on_time": 0, "part": rng.randrange(1, 20), "late": rng.randrange(1, 40)}
            share = Decimal("0.5") if behaviour == "part" else Decimal("1.1")
            when = due + timedelta(days=late[behaviour])
            pay(container, loan_id, f"{amount * share:.2f}", when, loan["currency"])
    return ids


def test_the_snapshot_from_the_stored_state_equals_the_replayed_snapshot(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _random_book(container, random.Random(20260331))
    runner(container).run_through(SYSTEM_ACTOR, date(2026, 3, 30))
    taken = {"stored": 0}
    assess_stored = ColumnRiskAssessor.assess_stored

    def counting(
        self: ColumnRiskAssessor, loans: BulkLoans, as_of: date, previous: dict[int, int]
    ) -> dict[int, LoanRisk]:
        found = assess_stored(self, loans, as_of, previous)
        taken["stored"] += len(found)
        return found

    monkeypatch.setattr(ColumnRiskAssessor, "assess_stored", counting)
    clock = container.services.clock

    def rows(*, bulk: bool) -> list[tuple[object, ...]]:
        service = PortfolioService(container.uow, clock, ColumnRiskAssessor(), 16, bulk=bulk)
        service.snapshot(SYSTEM_ACTOR, MAR_END)
        with container.engine.connect() as conn:
            query = select(portfolio_risk).where(portfolio_risk.c.as_of == MAR_END)
            return sorted(tuple(r) for r in conn.execute(query))

    stored, replayed = rows(bulk=True), rows(bulk=False)

    assert stored == replayed
    assert len(stored) == len(ids)
    assert taken["stored"] >= len(ids) * 3 // 4  # most loans came from the stored state
    assert len({r[3] for r in stored}) >= 3  # several buckets: the book is mixed


def _paid_ahead_story(container: Container, *, bulk: bool) -> int:
    """A two-installment loan paid in full ahead on Jan 20: the advance pays Feb 5 and,
    on Mar 5, the last installment, which pays the loan off (settled in memory on the
    bulk path); run to Apr 1."""
    principal = cny("6000.00")
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=2,
                      start=date(2026, 1, 5))  # fmt: skip
    loans = container.services.loans
    loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=principal))
    loans.disburse(SERVICING, loan_id, DisbursementInput(principal, terms.start))
    pay(container, loan_id, "6200.00", date(2026, 1, 20))
    runner(container, bulk=bulk).run_through(SYSTEM_ACTOR, date(2026, 4, 1))
    return loan_id


def test_an_advance_paying_the_last_installment_closes_the_loan_in_bulk_as_per_loan(
    container: Container, twin: Container
) -> None:
    loan_id = _paid_ahead_story(container, bulk=True)
    _paid_ahead_story(twin, bulk=False)
    assert_same(container, twin)
    with container.uow() as uow:
        loan = uow.loans.get(loan_id)
    assert loan is not None and loan.status == "paid_off"
    assert loan.closed_on == date(2026, 3, 5)  # the due date the advance paid it off
    lines = allowance_lines(container, loan_id)
    assert lines[JAN_END] == CHARGE and FEB_END in lines  # moved with the ECL
    assert lines[MAR_END] == RELEASE and held(container, loan_id) == 0  # paid off: released
    verified(container, date(2026, 4, 1))
