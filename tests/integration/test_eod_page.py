"""The end-of-day runs page: the runs with loans, errors and seconds, a run's partitions
and per-loan errors, a polling progress bar while a run goes on, and who may see it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from autolend.batch.eod_runner import EodRunner, Faults
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.eod_ports import EodCheckpoint, NewEodRun
from autolend.services.loans import BookingRequest, DisbursementInput
from autolend.web import routes_eod

pytestmark = pytest.mark.integration

SERVICING = Actor(user_id=1, username="svc", roles=(Role.SERVICING,))
START = date(2026, 10, 5)
DAY = date(2026, 10, 20)
POLLING = 'hx-trigger="every 2s"'


def web_sign_in(client: TestClient, staff: dict[Role, str], role: Role) -> None:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    form = {"username": role.value, "password": staff[role], "csrf_token": match.group(1)}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def book_three(container: Container) -> None:
    """Three disbursed loans (ids 1..3) starting on START."""
    for i in range(3):
        principal = Money.parse(str(30_000 + 1_000 * i), "CNY")
        terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
        loan_id = container.services.loans.book(
            SERVICING, BookingRequest(terms=terms, approved=principal)
        )
        container.services.loans.disburse(SERVICING, loan_id, DisbursementInput(principal, START))


def run_with_a_failing_loan(container: Container) -> int:
    """End of day for DAY, partitions of 2 loans, loan 3 failing; the run id."""

    def broken(_day: date, loan_id: int) -> None:
        if loan_id == 3:
            raise ValueError("broken state for the page")

    clock = container.services.clock
    runner = EodRunner(container.uow, clock, partition_size=2, faults=Faults(loan=broken))
    result = runner.run_date(SYSTEM_ACTOR, DAY)
    assert (result.loans, result.errors) == (3, 1)
    return result.run_id


def test_the_page_lists_a_finished_run_with_its_partitions_and_the_loan_that_failed(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)
    run_id = run_with_a_failing_loan(container)
    web_sign_in(client, staff, Role.SERVICING)

    listing = client.get("/eod")
    assert listing.status_code == 200
    row = re.search(rf'<tr data-run="{run_id}">(.*?)</tr>', listing.text, re.S)
    assert row, listing.text
    assert DAY.isoformat() in row.group(1)
    numbers = re.findall(r'class="num"><span class="cell-label">[^<]*</span>([^<]*)<', row.group(1))
    assert [c.strip() for c in numbers][:2] == ["3", "1"]
    assert POLLING not in listing.text  # nothing runs, nothing polls
    assert 'data-nav="eod"' in listing.text

    detail = client.get(f"/eod/runs/{run_id}")
    assert detail.status_code == 200
    partitions = re.search(r'data-table="eod-partitions">(.*?)</table>', detail.text, re.S)
    assert partitions and partitions.group(1).count("<tr>") == 3  # header + partitions 0, 1
    assert '<tr data-loan="3">' in detail.text
    assert "broken state for the page" in detail.text
    assert client.get("/eod/runs/999").status_code == 404


def test_a_running_run_shows_a_progress_bar_that_polls_until_the_run_ends(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    now = container.services.clock.now()
    with container.uow(write=True) as uow:
        run_id = uow.eod.start_run(NewEodRun("through", DAY, date(2026, 10, 23), 2, now, 0))
        for day, partition in ((DAY, 0), (DAY, 1), (date(2026, 10, 21), 0)):
            uow.eod.save_checkpoint(EodCheckpoint(run_id, day, partition, 2, 0, 5, now))
        uow.commit()
    web_sign_in(client, staff, Role.ADMIN)

    listing = client.get("/eod")
    assert POLLING in listing.text
    bar = client.get(f"/eod/runs/{run_id}/progress")
    assert bar.status_code == 200
    assert POLLING in bar.text
    assert 'value="37"' in bar.text  # (1 day + 1 of 2 partitions) of 4 days
    with container.uow(write=True) as uow:
        uow.eod.finish_run(run_id, "done", 6, 0, now)
        uow.commit()
    finished = client.get(f"/eod/runs/{run_id}/progress")
    assert POLLING not in finished.text
    assert 'value="100"' in finished.text
    # The page's last poll reloads it, so the status and counts show as the run ended.
    assert "HX-Refresh" not in bar.headers
    last_poll = client.get(f"/eod/runs/{run_id}/progress", headers={"HX-Request": "true"})
    assert last_poll.headers["HX-Refresh"] == "true"


@pytest.mark.parametrize("role", [Role.BORROWER, Role.DEALER, Role.RISK])
def test_a_role_without_end_of_day_access_is_refused(
    container: Container, client: TestClient, staff: dict[Role, str], role: Role
) -> None:
    book_three(container)
    run_id = run_with_a_failing_loan(container)
    web_sign_in(client, staff, role)
    for path in ("/eod", f"/eod/runs/{run_id}", f"/eod/runs/{run_id}/progress"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "broken state for the page" not in response.text
    assert 'data-nav="eod"' not in client.get("/").text


def test_an_auditor_reads_the_runs_without_running_anything(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)
    run_id = run_with_a_failing_loan(container)
    web_sign_in(client, staff, Role.AUDITOR)
    assert client.get("/eod").status_code == 200
    assert "broken state for the page" in client.get(f"/eod/runs/{run_id}").text


def test_older_runs_are_a_page_away_newest_first(
    container: Container,
    client: TestClient,
    staff: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run a business day: the page showed the newest 50 and nothing older. Three runs,
    two to a page: the newest two, then the first."""
    book_three(container)
    runner = EodRunner(container.uow, container.services.clock)
    ids = [runner.run_date(SYSTEM_ACTOR, date(2026, 10, d)).run_id for d in (20, 21, 22)]
    monkeypatch.setattr(routes_eod, "RUNS_SHOWN", 2)
    web_sign_in(client, staff, Role.SERVICING)
    first = client.get("/eod").text
    assert re.findall(r'<tr data-run="(\d+)">', first) == [str(ids[2]), str(ids[1])]
    assert 'href="/eod?page=2" rel="next"' in first
    second = client.get("/eod?page=2").text
    assert re.findall(r'<tr data-run="(\d+)">', second) == [str(ids[0])]
    assert 'rel="next"' not in second and 'href="/eod" rel="prev"' in second


def test_running_through_a_day_before_any_loan_started_records_no_run_and_says_so(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    """As on the command line: before the first loan's start (START) there is nothing
    to run, so the page starts no run and says why in its language."""
    book_three(container)
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get("/eod").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    before = START.replace(day=START.day - 1).isoformat()
    answer = client.post("/eod/runs", data={"through": before, "csrf_token": token[1]},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 200
    assert 'data-notice="nothing-to-run"' in answer.text
    assert f"截至 {before} 无需运行" in answer.text
    assert container.services.eod.runs(SYSTEM_ACTOR, 10, 0) == []
