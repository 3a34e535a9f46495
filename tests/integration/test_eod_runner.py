"""End of day on both databases: the batch job equals the single-loan accrual, catches
up missed days like daily runs (R7), reruns post nothing, a crash followed by a rerun
converges (R5 at small scale), a failing loan does not stop the run, and the ledger
invariants hold afterwards.

Each comparison runs the same story in two fresh databases ("worlds") and compares
every journal line, accrual record, installment and servicing snapshot by loan id.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import select
from typer.testing import CliRunner

import tests.conftest as shared
from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.batch.eod_runner import EodRunner, Faults, partitions_of
from autolend.bootstrap import Container, build_container
from autolend.cli_eod import eod_app, run_eod
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.eod import EodService
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 1, 5)
SET_UP = date(2026, 1, 31)  # every loan is accrued through here before the story
LOANS = 24
PARTITION = 7  # loans 1..24 -> partitions 0..3
_twins = itertools.count()
_ENTRY_ID = re.compile(r"(reversal:|:r)\d+")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


class CrashError(RuntimeError):
    """The injected crash."""


@pytest.fixture
def twin(
    db_backend: str, request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock
) -> Iterator[Container]:
    """A second fresh database on the same backend, for the other world."""
    cluster = None
    if db_backend == "sqlite":
        target = tmp_path / "twin.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite:///{target}"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = f"twin_{os.getpid()}_{next(_twins)}"
        cluster.create_database(name, template=request.getfixturevalue("pg_template"))
        url = cluster.url(name)
    built = build_container(shared.test_settings(url, tmp_path / "twin-home"), clock=clock)
    yield built
    built.engine.dispose()
    if cluster is not None:
        cluster.drop_database(name)


def _terms(i: int) -> tuple[LoanTerms, object]:
    principal = cny(str(10_000 + 1_000 * (i % 7)))
    rate = Decimal("0.12") + Decimal(i % 4) / 100
    start = START + timedelta(days=i % 5)
    terms = LoanTerms(principal=principal, annual_rate=rate, periods=12 + 12 * (i % 2), start=start)
    return terms, ({"gps": "30.00"} if i % 6 == 0 else None)


def book_story(container: Container) -> list[int]:
    """LOANS loans, some paying ahead (an advance applied on the due date), all accrued
    through SET_UP by the single-loan path."""
    loans, servicing = container.services.loans, container.services.servicing
    ids = []
    for i in range(LOANS):
        terms, fees = _terms(i)
        request = BookingRequest(terms=terms, approved=terms.principal, monthly_fees=fees)
        loan_id = loans.book(SERVICING, request)
        loans.disburse(SERVICING, loan_id, DisbursementInput(terms.principal, terms.start))
        if i % 4 == 3:
            pay(container, loan_id, "3000.00", date(2026, 1, 25))
        ids.append(loan_id)
    for loan_id in ids:
        servicing.accrue_loan(SERVICING, loan_id, SET_UP)
    return ids


def pay(container: Container, loan_id: int, amount: str, day: date) -> None:
    data = MoneyIn(cny(amount), day, "bank_transfer", f"ref-{loan_id}-{amount}-{day}")
    container.services.servicing.post_repayment(SERVICING, loan_id, data)


def pay_late(container: Container, ids: list[int]) -> None:
    """Installments fall due on Feb 5..9: some paid on time, some late and in part."""
    for i, loan_id in enumerate(ids):
        due = date(2026, 2, 5) + timedelta(days=i % 5)
        if i % 4 == 0:
            pay(container, loan_id, "1200.00", due)
        elif i % 4 == 1:
            pay(container, loan_id, "500.00", due + timedelta(days=3))


Accrue = Callable[[Container, date], None]


def by_batch(container: Container, through: date) -> None:
    runner = EodRunner(container.uow, container.services.clock, partition_size=PARTITION)
    assert runner.run_through(SYSTEM_ACTOR, through).errors == 0


def by_loan(container: Container, through: date) -> None:
    for loan_id in range(1, LOANS + 1):
        container.services.servicing.accrue_loan(SERVICING, loan_id, through)


def story(container: Container, accrue: Accrue) -> None:
    """Accrue to Feb 7, take the repayments (late ones restate), accrue to Feb 14."""
    ids = book_story(container)
    accrue(container, date(2026, 2, 7))
    pay_late(container, ids)
    accrue(container, date(2026, 2, 14))


def snapshot(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    """Every journal line with its fact and key, accrual, installment, loan state and
    portfolio snapshot row."""
    je, p, lo = t.journal_entries.c, t.postings.c, t.loans.c
    lines = select(je.loan_id, je.fact, je.idempotency_key, je.kind, je.value_date,
                   p.gl_code, p.sub_ledger, p.side, p.amount_minor
                   ).join_from(t.journal_entries, t.postings, p.entry_id == je.id)  # fmt: skip
    queries = {
        "lines": lines,
        "accruals": select(*(c for c in t.accruals.c if c.name != "entry_id")),
        "installments": select(t.installments),
        "loans": select(lo.id, lo.status, lo.accrued_through, lo.state, lo.closed_on),
        "risk": select(portfolio_risk),  # the month-ends' snapshots the allowance moved to
    }
    with container.engine.connect() as conn:
        found = {name: [tuple(r) for r in conn.execute(q)] for name, q in queries.items()}
    # Keys that name an entry id ("reversal:<id>", "...:r<id>") depend on posting order.
    found["lines"] = [(*r[:2], _ENTRY_ID.sub(r"\1#", r[2] or ""), *r[3:]) for r in found["lines"]]
    return {name: sorted(rows, key=repr) for name, rows in found.items()}


def assert_same(world: Container, other: Container) -> None:
    """The two worlds' snapshots are equal; on failure, only what differs is shown."""
    mine, theirs = snapshot(world), snapshot(other)
    for name in mine:
        extra = Counter(mine[name]) - Counter(theirs[name])
        missing = Counter(theirs[name]) - Counter(mine[name])
        assert (name, sorted(extra, key=repr)) == (name, sorted(missing, key=repr))


def verified(container: Container, business_date: date) -> None:
    report = container.services.verify.run(business_date)
    broken = [c for c in report.checks if not c.ok]
    assert not broken, broken


def entry_count(container: Container) -> int:
    with container.engine.connect() as conn:
        return len(conn.execute(select(t.journal_entries.c.id)).all())


def test_the_batch_posts_exactly_what_single_loan_accrual_posts(
    container: Container, twin: Container
) -> None:
    story(container, by_batch)
    story(twin, by_loan)
    assert_same(container, twin)
    batch = snapshot(container)
    assert any(line[1].startswith("ap:") for line in batch["lines"])  # penalty accrued
    assert any(line[1].startswith("aa:") for line in batch["lines"])  # advance applied
    assert any(line[1].startswith("mf:") for line in batch["lines"])  # monthly fee billed
    verified(container, date(2026, 2, 14))


def test_three_missed_days_caught_up_equal_three_daily_runs(
    container: Container, twin: Container
) -> None:
    book_story(container)
    book_story(twin)
    daily = EodRunner(container.uow, container.services.clock, partition_size=PARTITION)
    for day in (date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 3)):
        daily.run_date(SYSTEM_ACTOR, day)
    caught_up = EodRunner(twin.uow, twin.services.clock, partition_size=PARTITION)
    result = caught_up.run_through(SYSTEM_ACTOR, date(2026, 2, 3))
    assert result.days == [date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 3)]
    assert_same(container, twin)
    verified(twin, date(2026, 2, 3))


def test_rerunning_a_finished_day_posts_nothing_new(container: Container) -> None:
    book_story(container)
    runner = EodRunner(container.uow, container.services.clock, partition_size=PARTITION)
    first = runner.run_date(SYSTEM_ACTOR, date(2026, 2, 1))
    assert (first.loans, first.errors, len(first.partitions)) == (LOANS, 0, 4)
    assert first.entries >= LOANS  # at least the day's interest of every loan
    before = snapshot(container)
    again = runner.run_date(SYSTEM_ACTOR, date(2026, 2, 1))
    assert (again.entries, again.loans, again.partitions) == (0, 0, [])
    assert snapshot(container) == before


def test_a_crash_inside_a_partition_then_a_rerun_converges_to_the_uninterrupted_run(
    container: Container, twin: Container
) -> None:
    book_story(container)
    book_story(twin)
    through = date(2026, 2, 8)

    def crash(day: date, partition_no: int) -> None:
        if (day, partition_no) == (date(2026, 2, 5), 2):
            raise CrashError("power cut")

    clock = container.services.clock
    faulty = EodRunner(
        container.uow, clock, partition_size=PARTITION, faults=Faults(partition=crash)
    )
    with pytest.raises(CrashError):
        faulty.run_through(SYSTEM_ACTOR, through)
    runs = EodService(container.uow).runs(SYSTEM_ACTOR)
    assert runs[0].status == "failed"
    with container.uow() as uow:  # partitions 0 and 1 of Feb 5 committed, 2 rolled back
        assert uow.eod.checkpoint(date(2026, 2, 5), 1) is not None
        assert uow.eod.checkpoint(date(2026, 2, 5), 2) is None
    rerun = EodRunner(container.uow, clock, partition_size=PARTITION).run_through(
        SYSTEM_ACTOR, through
    )
    assert rerun.days[0] == date(2026, 2, 5)  # the oldest loan stood at Feb 4
    redone = [p.partition_no for p in rerun.partitions if p.day == date(2026, 2, 5)]
    assert redone == [2, 3]  # the loans of partitions 0 and 1 stand at Feb 5 already
    by_batch(twin, through)
    assert_same(container, twin)
    verified(container, through)


def test_a_failing_loan_is_recorded_and_the_run_goes_on_then_a_rerun_finishes_it(
    container: Container, twin: Container
) -> None:
    book_story(container)
    book_story(twin)
    day = date(2026, 2, 1)

    def broken(_day: date, loan_id: int) -> None:
        if loan_id == 9:
            raise ValueError("bad state")

    clock = container.services.clock
    runner = EodRunner(container.uow, clock, partition_size=PARTITION, faults=Faults(loan=broken))
    result = runner.run_date(SYSTEM_ACTOR, day)
    assert (result.loans, result.errors) == (LOANS, 1)
    detail = EodService(container.uow).run(SYSTEM_ACTOR, result.run_id)
    assert [(e.loan_id, e.partition_no) for e in detail.errors] == [(9, 1)]
    assert "bad state" in detail.errors[0].error
    assert [p.errors for p in detail.partitions] == [0, 1, 0, 0]
    with container.uow() as uow:  # the loan's postings were rolled back with its savepoint
        loan = uow.loans.get(9)
        assert loan is not None and loan.accrued_through == SET_UP
        assert not uow.ledger.effective_facts(9, day)
    again = EodRunner(container.uow, clock, partition_size=PARTITION).run_date(SYSTEM_ACTOR, day)
    assert [(p.partition_no, p.loans, p.errors) for p in again.partitions] == [(1, 1, 0)]
    by_batch(twin, day)
    assert_same(container, twin)


def test_the_command_runs_a_day_and_prints_the_partitions(container: Container) -> None:
    book_story(container)
    console = Console(record=True, width=120)
    result = run_eod(container, on=date(2026, 2, 1), partition_size=PARTITION, out=console)
    assert result.loans == LOANS
    text = console.export_text()
    assert "2026-02-01" in text
    assert "end-of-day run" in text
    assert EodService(container.uow).runs(SYSTEM_ACTOR)[0].status == "done"


def test_the_command_runs_two_partitions_at_a_time_with_workers(container: Container) -> None:
    book_story(container)
    console = Console(record=True, width=120)
    result = run_eod(
        container, on=date(2026, 2, 1), partition_size=PARTITION, workers=2, out=console
    )
    assert (result.loans, result.errors) == (LOANS, 0)
    assert len(result.partitions) > 1
    assert "--workers" in CliRunner().invoke(eod_app, ["--help"]).output


def test_the_command_wants_exactly_one_of_date_and_through() -> None:
    outcome = CliRunner().invoke(eod_app, ["--partition-size", "5"])
    assert outcome.exit_code != 0
    assert "exactly one" in outcome.output
    assert "--through" in CliRunner().invoke(eod_app, ["--help"]).output


def test_loans_fall_into_partitions_by_blocks_of_ids() -> None:
    assert partitions_of([1, 2, 1000, 1001, 2500], 1000) == [
        (0, [1, 2, 1000]),
        (1, [1001]),
        (2, [2500]),
    ]


def test_a_business_date_in_the_future_is_refused(container: Container) -> None:
    """Naming the option it came from and the lender's today (a US lender's day begins
    hours after UTC's: the operator read a bare refusal, and "--date" for --through)."""
    runner = EodRunner(container.uow, container.services.clock)
    with pytest.raises(InvalidInput, match="future") as refused:
        runner.run_date(SYSTEM_ACTOR, date(2026, 11, 29))
    assert refused.value.field == "date"
    assert "(the lender's today is 2026-11-28)" in refused.value.message
    with pytest.raises(InvalidInput, match="future") as caught_up:
        runner.run_through(SYSTEM_ACTOR, date(2026, 12, 9))
    assert caught_up.value.field == "through"
