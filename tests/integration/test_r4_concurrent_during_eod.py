"""R4: distinct concurrent repayments and disbursements on the same loans, over real HTTP,
while an end-of-day run catches up missed days, end in the serial replay's state.

World A: a real ``autolend serve --workers 2`` on a fresh database; ``EodRunner.run_through``
(one loan per partition, so many short transactions, each lingering LINGER_S with its loan
locked) runs in a thread while client threads post distinct repayments (amounts, value
dates, keys) and competing disbursements (three full-principal requests per undisbursed
loan and one above the approved amount). One server serves every seed of a backend: each
seed books its own loans, in A and in B alike, and compares only those.
Every answer must be 2xx or a clean 409/422: no 5xx. A last ``run_through`` afterwards
catches up the loans that were disbursed after the run had planned its days (tomorrow's
end of day would).

World B, the serial replay: a second fresh database with the same loans, where the events
A accepted are applied one by one in (value date, order A accepted them) order, then the
same end of day. The final ledgers must agree: every loan's effective facts with their
postings, its balance per account, its servicing row, installments, accrual records and
events (event ids are compared by their position in the loan's (value date, id) order).
Disbursed <= approved on every loan and ``autolend verify`` passes in both worlds.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

import tests.conftest as shared
from autolend.adapters.clock import FixedClock
from autolend.batch.eod_runner import EodRunner, Faults
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.services.servicing import MoneyIn
from tests.support.ledger_state import assert_same_state, final_state
from tests.support.processes import AUTOLEND, free_port, group_is_alive, stop_group

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 9, 1)
SET_UP = date(2026, 11, 18)  # the disbursed loans are accrued through here
THROUGH = date(2026, 11, 27)  # the missed business days: Nov 19 .. Nov 27
LOANS = 5  # per seed: the first three disbursed at set-up, the last two booked only
DISBURSED = 3
CLIENTS = 8
REQUESTS = 32
STARTUP_TIMEOUT_S = 120.0
CLEAN_REFUSALS = (409, 422)
LINGER_S = 0.05  # world A's run pauses this long in each partition, locks held
_databases = iter(range(10**6))


@dataclass(frozen=True)
class Request:
    """One client request: a repayment or a disbursement of ``loan_id``."""

    kind: str
    loan_id: int
    body: dict[str, str]
    key: str


@dataclass(frozen=True)
class World:
    container: Container
    url: str
    settings_env: dict[str, str]


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def terms_of(i: int) -> LoanTerms:
    principal = cny(str(20_000 + 5_000 * i))
    start = START + timedelta(days=7 * i)
    return LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=24, start=start)


@dataclass(frozen=True)
class Stage:
    """World A served over HTTP (signed in as servicing) and world B for the replays."""

    served: World
    replayed: World
    url: str
    headers: dict[str, str]
    log: Path


def _world(request: pytest.FixtureRequest, folder: Path, side: str) -> tuple[World, str | None]:
    url, name = _fresh_database(request, folder / f"{side}.db", side)
    settings = shared.test_settings(url, folder / f"home-{side}")
    container = build_container(settings, clock=FixedClock(shared.TEST_NOW))
    env = {
        "AUTOLEND_DATABASE_URL": url,
        "AUTOLEND_HOME": str(folder / f"home-{side}"),
        "AUTOLEND_TOKEN_SECRET": str(settings.token_secret),
        "AUTOLEND_MASTER_KEYS": str(settings.master_keys),
        "AUTOLEND_BLIND_INDEX_KEY": str(settings.blind_index_key),
        "AUTOLEND_METRICS_TOKEN": "test-metrics-token",
        "AUTOLEND_SESSION_COOKIE_SECURE": "false",
    }
    return World(container, url, env), name


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def stage(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stage]:
    """Two fresh databases on one backend and one server on A for every seed (starting
    ``autolend serve`` costs more than a seed's whole story); each seed books its own loans
    in both, in the same order, so a loan has the same id in A and in B."""
    folder = tmp_path_factory.mktemp(f"r4-{request.param}")
    made = [_world(request, folder, side) for side in ("a", "b")]
    served, replayed = made[0][0], made[1][0]
    process, url = serve(served, folder / "server.log")
    try:
        yield Stage(served, replayed, url, sign_in(url, served.container), folder / "server.log")
    finally:
        stop_group(process, process.pid)
        assert not group_is_alive(process.pid), "worker processes were left running"
        for world, name in made:
            world.container.engine.dispose()
            if name is not None:
                request.getfixturevalue("pg_cluster").drop_database(name)


def _fresh_database(
    request: pytest.FixtureRequest, target: Path, side: str
) -> tuple[str, str | None]:
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}", None
    cluster = request.getfixturevalue("pg_cluster")
    name = f"r4_{side}_{os.getpid()}_{next(_databases)}"
    cluster.create_database(name, template=request.getfixturevalue("pg_template"))
    return cluster.url(name), name


def book_loans(container: Container) -> list[int]:
    """LOANS loans (``terms_of(0..LOANS-1)``); the first DISBURSED disbursed and accrued
    through SET_UP, the others booked only; their ids."""
    loans, servicing = container.services.loans, container.services.servicing
    ids = []
    for i in range(LOANS):
        terms = terms_of(i)
        loan_id = loans.book(SERVICING, BookingRequest(terms=terms, approved=terms.principal))
        if i < DISBURSED:
            loans.disburse(SERVICING, loan_id, DisbursementInput(terms.principal, terms.start))
            servicing.accrue_loan(SERVICING, loan_id, SET_UP)
        ids.append(loan_id)
    return ids


def plan_requests(seed: int, ids: list[int]) -> list[Request]:
    """REQUESTS distinct repayments and competing disbursements, shuffled by ``seed``."""
    rng = random.Random(seed)
    planned = []
    for n in range(REQUESTS):
        i = rng.randrange(LOANS)
        loan_id, start = ids[i], terms_of(i).start
        day = start + timedelta(days=rng.randint(0, (THROUGH - start).days))
        amount = f"{rng.randint(50, 3_000)}.{rng.randint(0, 99):02d}"
        body = {"amount": amount, "currency": "CNY", "value_date": day.isoformat(),
                "channel": "bank_transfer", "reference": f"r4-{seed}-{n}"}  # fmt: skip
        planned.append(Request("repayment", loan_id, body, f"r4-{seed}-rp-{n}"))
    for i, loan_id in enumerate(ids):
        if i < DISBURSED:
            continue
        terms = terms_of(i)
        for n, extra in enumerate((0, 0, 0, 1)):  # three full payouts, one above approved
            payout = Money(terms.principal.minor + extra * 100, terms.principal.currency)
            body = {"amount": payout.to_api(), "currency": "CNY",
                    "value_date": terms.start.isoformat()}  # fmt: skip
            planned.append(Request("disbursement", loan_id, body, f"r4-{seed}-d{loan_id}-{n}"))
    rng.shuffle(planned)
    return planned


@dataclass(frozen=True)
class Answer:
    request: Request
    status: int
    body: Any
    during_run: bool  # answered while the end-of-day run was still going


def serve(world: World, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``autolend serve --workers 2`` on world A's database; its process and base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEND_")}
    env |= world.settings_env
    with log.open("wb") as out:
        process = subprocess.Popen(
            [AUTOLEND, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_group(process, process.pid)
            pytest.fail(f"no /healthz within {STARTUP_TIMEOUT_S:.0f} s:\n{log.read_text()}")
        time.sleep(0.2)


def sign_in(url: str, container: Container) -> dict[str, str]:
    password = "pw-servicing-long"
    container.services.users.create(
        SYSTEM_ACTOR, username="servicing", password=password, roles=["servicing"]
    )
    response = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": "servicing", "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def send_all(
    url: str, headers: dict[str, str], planned: list[Request], running: Callable[[], bool]
) -> list[Answer]:
    """Every planned request from CLIENTS threads at once, each with its own client;
    ``running()`` tells whether the end-of-day run is still going."""
    per_thread = threading.local()
    clients: list[httpx.Client] = []
    gate = threading.Barrier(CLIENTS)

    def send(request: Request) -> Answer:
        if not hasattr(per_thread, "client"):
            per_thread.client = httpx.Client(base_url=url, headers=headers, timeout=120)
            clients.append(per_thread.client)
            gate.wait(timeout=60)
        path = f"/api/v1/loans/{request.loan_id}/{request.kind}s"
        response = per_thread.client.post(
            path, json=request.body, headers={"Idempotency-Key": request.key}
        )
        try:
            body = response.json()
        except ValueError:
            body = response.text
        return Answer(request, response.status_code, body, running())

    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            return list(pool.map(send, planned))
    finally:
        for made in clients:
            made.close()


def during_end_of_day(
    world: World, send: Callable[[Callable[[], bool]], list[Answer]]
) -> list[Answer]:
    """Start the catch-up run; once it has planned its first day, ``send(running)`` the requests
    while it goes on; then wait for it and run the catch-up once more."""
    container = world.container
    # Each partition holds its loan's lock a moment longer, so requests meet the run.
    linger = Faults(partition=lambda _day, _k: time.sleep(LINGER_S))
    runner = EodRunner(container.uow, container.services.clock, partition_size=1, faults=linger)
    first_partition, failures = threading.Event(), []

    def run() -> None:
        try:
            runner.run_through(SYSTEM_ACTOR, THROUGH, lambda *_: first_partition.set())
        except BaseException as error:  # reported by the test
            failures.append(error)
            first_partition.set()

    thread = threading.Thread(target=run, name="eod")
    thread.start()
    first_partition.wait(timeout=120)
    try:
        answers = send(thread.is_alive)
    finally:
        thread.join(timeout=300)
    assert not failures, failures
    result = runner.run_through(SYSTEM_ACTOR, THROUGH)  # the loans disbursed meanwhile
    assert result.errors == 0
    return answers


def replay(container: Container, accepted: list[Answer]) -> None:
    """World B: book the same loans, apply A's accepted events one by one in (value date,
    disbursement first, A's event id) order, then the same end of day."""

    def order(answer: Answer) -> tuple[str, int, int]:
        event_id = int(answer.body.get("id", 0))
        return answer.body["value_date"], answer.request.kind != "disbursement", event_id

    for answer in sorted(accepted, key=order):
        body, loan_id = answer.request.body, answer.request.loan_id
        day = date.fromisoformat(body["value_date"])
        if answer.request.kind == "disbursement":
            data = DisbursementInput(cny(body["amount"]), day)
            container.services.loans.disburse(SERVICING, loan_id, data)
        else:
            money = MoneyIn(cny(body["amount"]), day, body["channel"], body["reference"])
            container.services.servicing.post_repayment(SERVICING, loan_id, money)
    runner = EodRunner(container.uow, container.services.clock, partition_size=1)
    assert runner.run_through(SYSTEM_ACTOR, THROUGH).errors == 0


def verified(container: Container) -> None:
    report = container.services.verify.run(THROUGH)
    broken = [check for check in report.checks if not check.ok]
    assert not broken, broken


@pytest.mark.parametrize("seed", [11, 22])
def test_distinct_concurrent_repayments_and_disbursements_during_end_of_day_equal_the_serial_replay(
    stage: Stage, seed: int
) -> None:
    ids = book_loans(stage.served.container)
    planned = plan_requests(seed, ids)
    answers = during_end_of_day(
        stage.served, lambda running: send_all(stage.url, stage.headers, planned, running)
    )

    server_errors = [a for a in answers if a.status >= 500]
    assert not server_errors, (server_errors, stage.log.read_text()[-3000:])
    odd = [a for a in answers if a.status != 201 and a.status not in CLEAN_REFUSALS]
    assert not odd, odd
    accepted = [a for a in answers if a.status == 201]
    payouts = [a for a in accepted if a.request.kind == "disbursement"]
    assert sorted(a.request.loan_id for a in payouts) == ids[DISBURSED:]  # once each
    assert all(a.request.key.endswith(("-0", "-1", "-2")) for a in payouts)  # never above

    assert book_loans(stage.replayed.container) == ids
    replay(stage.replayed.container, accepted)
    world = final_state(stage.served.container, ids)
    assert_same_state(world, final_state(stage.replayed.container, ids))
    assert all(row[4] <= row[2] for row in world["loans"])  # disbursed <= approved
    assert all(row[5] == THROUGH for row in world["loans"])  # every loan accrued through
    verified(stage.served.container)
    verified(stage.replayed.container)
    refused, during = len(answers) - len(accepted), sum(a.during_run for a in answers)
    print(
        f"R4 seed {seed}: {len(answers)} requests ({during} answered while the run went on), "
        f"{len(accepted)} accepted, {refused} refused cleanly, 0 x 5xx; final = serial replay"
    )
