"""R5, R6 and R7 of RELIABILITY.md at 10,000 loans, on the bulk end of day.

The book: 10,000 synthetic loans (every product shape of :mod:`autolend.batch.bulk_synth`)
inserted set-based, starting Jan 26 - Feb 1 with a first installment due 7 days later
(so due dates fall on Feb 2 - Feb 8 and unpaid loans run into penalty interest), 150 of
them paying ahead through the services (100 in full, 50 in part), all serviced through
Feb 1 by the bulk runner. It is built once per backend and copied for every world.

* R5: a crash (a ``BaseException`` out of a ``Faults`` hook, so nothing catches it) at
  20 seeded points -- 14 inside a loan's step, 6 after a partition's bulk and per-loan
  writes just before its checkpoint commits -- each followed by a rerun, equals a run
  without crash; invariants 1-5 hold after every crash.
* R6 (PostgreSQL): the server stopped with ``pg_ctl stop -m immediate`` in the middle
  of a partition, restarted, rerun: equals a run without crash.
* R7: Feb 2 - Feb 4 caught up in one run (two partitions at a time) equal three
  daily runs.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import tests.conftest as shared
from autolend.adapters.clock import FixedClock
from autolend.batch.bulk_synth import insert_synthetic_loans
from autolend.batch.eod_runner import EodRunner, Faults
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.money import Money
from autolend.services.servicing import MoneyIn
from tests.integration.test_eod_runner import SERVICING, assert_same, verified
from tests.support.postgres import ThrowawayPostgres

pytestmark = pytest.mark.integration

LOANS = 10_000
STARTS = [date(2026, 1, 26) + timedelta(days=d) for d in range(7)]
SET_UP = date(2026, 2, 1)
THROUGH = date(2026, 2, 9)
SEEDS = 20
_names = itertools.count()

World = Callable[[], Container]


class CrashError(BaseException):
    """The injected crash: like kill -9, nothing in the runner may catch it."""


def _pay_ahead(container: Container, loan_ids: list[int]) -> None:
    """100 loans pay their first installment ahead in full, 50 a third of it."""
    rng = random.Random(5)
    loans, servicing = container.services.loans, container.services.servicing
    for n, loan_id in enumerate(rng.sample(loan_ids, 150)):
        loan = loans.get(SERVICING, loan_id)
        row = loan["schedule"][0]
        code = loan["currency"]
        amount = sum(Money.parse(row[k], code).minor for k in ("principal", "interest", "fee"))
        amount = amount + 500 if n < 100 else amount // 3
        data = MoneyIn(Money.of_minor(amount, code), SET_UP, "bank_transfer", f"ahead-{loan_id}")
        servicing.post_repayment(SERVICING, loan_id, data)


def _build(container: Container) -> None:
    clock = container.services.clock
    ids = insert_synthetic_loans(
        container.uow, clock, LOANS, seed=11, starts=STARTS, first_due_after=7
    )
    EodRunner(container.uow, clock).run_through(SYSTEM_ACTOR, SET_UP)
    _pay_ahead(container, ids)


def _container(url: str, home: Path) -> Container:
    return build_container(shared.test_settings(url, home), clock=FixedClock(shared.TEST_NOW))


@pytest.fixture(scope="session")
def book_10k(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """The 10,000-loan book per backend, built once: a SQLite file or a PostgreSQL
    template database name."""
    built: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend in built:
            return built[backend]
        home = tmp_path_factory.mktemp("book10k")
        if backend == "sqlite":
            path = home / "book.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            url, name = f"sqlite:///{path}", str(path)
        else:
            cluster: ThrowawayPostgres = request.getfixturevalue("pg_cluster")
            name = "book10k"
            cluster.create_database(name, template=request.getfixturevalue("pg_template"))
            url = cluster.url(name)
        container = _container(url, home)
        _build(container)
        container.engine.dispose()
        built[backend] = name
        return name

    return get


@pytest.fixture
def worlds(
    db_backend: str, book_10k: Callable[[str], str], request: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[World]:  # fmt: skip
    """A factory of fresh copies of the 10,000-loan book."""
    template = book_10k(db_backend)
    made: list[tuple[Container, str | None]] = []

    def make() -> Container:
        n = next(_names)
        if db_backend == "sqlite":
            target = tmp_path / f"world{n}.db"
            shutil.copyfile(template, target)
            url, name = f"sqlite:///{target}", None
        else:
            cluster = request.getfixturevalue("pg_cluster")
            name = f"w_{os.getpid()}_{n}"
            cluster.create_database(name, template=template)
            url = cluster.url(name)
        container = _container(url, tmp_path / f"home{n}")
        made.append((container, name))
        return container

    yield make
    for container, name in made:
        container.engine.dispose()
        if name is not None:
            request.getfixturevalue("pg_cluster").drop_database(name)


def _invariants_hold(container: Container) -> None:
    """Invariants 1-5 (balanced, trial balance, sub-ledger = GL, no duplicates,
    bounds); 7 (accrued through) cannot hold in the middle of a run."""
    with container.uow() as uow:
        checks = uow.checks
        found = [
            *checks.entry_shape(), *checks.trial_balance(), *checks.subledger_vs_gl(),
            *checks.duplicates(), *checks.bounds(),
        ]  # fmt: skip
    assert not found, found[:5]


_RELOG_SEQUENCES = """
DO $$ DECLARE s record; BEGIN
  FOR s IN SELECT c.oid::regclass::text AS name FROM pg_class c WHERE c.relkind = 'S' LOOP
    EXECUTE 'SELECT setval(' || quote_literal(s.name) || ', last_value, is_called) FROM '
      || s.name;
  END LOOP;
END $$"""


def _log_sequences(container: Container) -> None:
    """WAL-log every sequence of a database copied from a template. The copy carries
    the template's pages, sequence counters included, but not the WAL records that
    pre-log a sequence's next 32 values; after ``-m immediate`` the recovery would hand
    out ids already committed (seen: ``duplicate key ... pk_eod_runs``). ``setval``
    logs each sequence afresh, as one in a database that was never copied is."""
    with container.engine.begin() as conn:
        conn.exec_driver_sql(_RELOG_SEQUENCES)


def _uninterrupted(worlds: World) -> Container:
    world = worlds()
    result = EodRunner(world.uow, world.services.clock).run_through(SYSTEM_ACTOR, THROUGH)
    assert result.errors == 0
    return world


def test_r5_crashes_at_twenty_seeded_points_then_reruns_equal_a_run_without_crash(
    worlds: World,
) -> None:
    rng = random.Random(55)
    days = [SET_UP + timedelta(days=d) for d in range(1, (THROUGH - SET_UP).days + 1)]
    at_loan = {(rng.choice(days), rng.randrange(1, LOANS + 1)) for _ in range(SEEDS - 6)}
    at_partition = {(rng.choice(days), rng.randrange(10)) for _ in range(6)}
    assert len(at_loan) + len(at_partition) == SEEDS

    def crash(points: set[tuple[date, int]]) -> Callable[[date, int], None]:
        """Crash once at each point: inside a loan's step (before the partition's
        writes) or after the partition's writes, before its checkpoint commits."""

        def hook(day: date, number: int) -> None:
            if (day, number) in points:
                points.remove((day, number))
                raise CrashError(f"killed at {day} {number}")

        return hook

    world = worlds()
    clock = world.services.clock
    faults = Faults(loan=crash(at_loan), partition=crash(at_partition))
    faulty = EodRunner(world.uow, clock, faults=faults)
    crashes = 0
    while True:
        try:
            faulty.run_through(SYSTEM_ACTOR, THROUGH)
            break
        except CrashError:
            crashes += 1
            _invariants_hold(world)
    assert (crashes, at_loan, at_partition) == (SEEDS, set(), set())
    assert_same(world, _uninterrupted(worlds))
    verified(world, THROUGH)


def test_r7_three_missed_days_caught_up_equal_three_daily_runs(worlds: World) -> None:
    daily, caught_up = worlds(), worlds()
    runner = EodRunner(daily.uow, daily.services.clock)
    for day in (date(2026, 2, 2), date(2026, 2, 3), date(2026, 2, 4)):
        runner.run_date(SYSTEM_ACTOR, day)
    # two partitions at a time here (on SQLite the second waits for the write lock)
    parallel = EodRunner(caught_up.uow, caught_up.services.clock, workers=2)
    result = parallel.run_through(SYSTEM_ACTOR, date(2026, 2, 4))
    assert result.days == [date(2026, 2, 2), date(2026, 2, 3), date(2026, 2, 4)]
    assert_same(daily, caught_up)
    verified(caught_up, date(2026, 2, 4))


def test_r6_postgres_stopped_immediately_mid_run_then_restarted_and_rerun_converges(
    db_backend: str, worlds: World, request: pytest.FixtureRequest
) -> None:
    if db_backend != "postgresql":
        pytest.skip("R6 stops the PostgreSQL server")
    cluster: ThrowawayPostgres = request.getfixturevalue("pg_cluster")
    world = worlds()
    _log_sequences(world)
    stops = [(date(2026, 2, 4), 4), (date(2026, 2, 7), 8)]

    def stop_server(day: date, partition_no: int) -> None:
        if stops and (day, partition_no) == stops[0]:
            stops.pop(0)
            cluster.stop_immediate()  # the partition's postings are written, not committed

    clock = world.services.clock
    faulty = EodRunner(world.uow, clock, faults=Faults(partition=stop_server))
    for _ in range(2):
        with pytest.raises(Exception) as raised:
            faulty.run_through(SYSTEM_ACTOR, THROUGH)
        assert "stop" not in repr(raised.value)  # it was the server going away
        cluster.start()
        world.engine.dispose()  # the pool's connections died with the server
        _invariants_hold(world)
    result = EodRunner(world.uow, clock).run_through(SYSTEM_ACTOR, THROUGH)
    assert result.days[0] == date(2026, 2, 7)  # partitions before the stop stood
    assert_same(world, _uninterrupted(worlds))
    verified(world, THROUGH)
