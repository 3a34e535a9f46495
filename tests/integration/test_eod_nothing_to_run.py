"""End of day with nothing to run, on both databases: before any loan is booked, or
through a day before every loan's start, ``autolend eod`` says so, records no run and
exits 0; from the first loan's start on it runs as before.

It used to record a "done" run of no loans for the day (on a month-end, the audit of an
empty portfolio snapshot too): the runs list said the day was run when nothing was there
to run. Later runs were not misled -- they plan from the loans' serviced-through dates,
not from the runs -- but the operator was."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from autolend import cli_eod
from autolend.bootstrap import Container
from autolend.cli_eod import eod_app, nothing_to_run, run_eod
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.eod import EodService
from tests.integration.test_eod_runner import SERVICING
from tests.integration.test_late_fees import paid_out
from tests.integration.test_loan_services import book
from tests.support.cli_env import point_cli_at

pytestmark = pytest.mark.integration

FIRST_START = date(2026, 3, 5)


@pytest.fixture
def cli(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """``autolend eod`` on the test database (the command line builds its own container)."""
    point_cli_at(container, tmp_path / "cli-home", monkeypatch)
    monkeypatch.setattr(cli_eod, "console", Console(width=200))
    return eod_app


def runs(container: Container) -> list[tuple[date, date, int]]:
    """The recorded runs, newest first: (first day, through day, loans)."""
    found = EodService(container.uow).runs(SYSTEM_ACTOR)
    return [(r.first_day, r.through_day, r.loans) for r in found]


def said(container: Container, day: date) -> str | None:
    """What the command says instead of running through ``day``; ``None``: it runs."""
    console = Console(record=True, width=200)
    return console.export_text() if nothing_to_run(container, day, console) else None


def test_before_any_loan_is_booked_the_command_runs_nothing_records_no_run_and_exits_0(
    container: Container, cli: typer.Typer
) -> None:
    """A nightly ``autolend eod --through`` on a fresh install is not a failure."""
    for args in (["--through", "2026-01-31"], ["--date", "2026-02-01"]):  # 01-31: month-end
        outcome = CliRunner().invoke(cli, args)
        assert outcome.exit_code == 0, outcome.output
        message = "nothing to run: no loan is booked yet; no end-of-day run recorded"
        assert message in outcome.output
    assert runs(container) == []
    actions = {r.event.action for r in container.services.audit.recent(20)}
    assert not actions & {"eod.run", "portfolio.snapshot"}


def test_a_day_before_every_loans_start_is_not_run_and_the_first_start_is_named(
    container: Container, cli: typer.Typer
) -> None:
    loan_id = paid_out(container, FIRST_START)
    outcome = CliRunner().invoke(cli, ["--through", "2026-02-28"])
    assert outcome.exit_code == 0, outcome.output
    assert "no loan starts on or before 2026-02-28 (the first starts on 2026-03-05)" in (
        outcome.output
    )
    assert runs(container) == []
    assert said(container, FIRST_START) is None  # the start day itself runs
    caught_up = run_eod(container, through=date(2026, 3, 7), out=Console(width=200))
    assert caught_up.errors == 0
    assert runs(container) == [(date(2026, 3, 6), date(2026, 3, 7), 2)]
    assert container.services.loans.get(SERVICING, loan_id)["accrued_through"] == "2026-03-07"


def test_a_loan_booked_and_not_yet_paid_out_counts_by_its_start_too(
    container: Container,
) -> None:
    assert said(container, date(2026, 1, 4)) == (
        "nothing to run: no loan is booked yet; no end-of-day run recorded\n"
    )
    book(container, disburse=False)  # starts 2026-01-05
    assert "(the first starts on 2026-01-05)" in (said(container, date(2026, 1, 4)) or "")
    assert said(container, date(2026, 1, 5)) is None


def test_a_day_every_loan_is_already_serviced_through_runs_and_says_why_none_was_due(
    container: Container,
) -> None:
    """The demo's loans are serviced through today: an operator's ``eod --date`` today
    records a run of no loans, and the table says why instead of a bare 0."""
    paid_out(container, FIRST_START)
    run_eod(container, through=date(2026, 3, 7), out=Console(width=200))
    console = Console(record=True, width=200)
    again = run_eod(container, on=date(2026, 3, 7), out=console)
    assert sum(p.loans for p in again.partitions) == 0
    text = console.export_text()
    assert "no loan was due on 2026-03-07: every active loan was already serviced" in text
    next_day = Console(record=True, width=200)
    run_eod(container, on=date(2026, 3, 8), out=next_day)
    assert "no loan was due" not in next_day.export_text()
