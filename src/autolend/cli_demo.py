"""``autolend demo`` and ``autolend serve --demo``: the demo data, a synthetic book with
history, the demo models, the portfolio snapshots and the book's first end of day.

The demo is the lender's jurisdiction's (``AUTOLEND_JURISDICTION``): under US the US
catalogue, people, loans and applications in dollars (:func:`autolend.services.demo.demo_set`).
The synthetic book is a CN one (yuan, CN products), so the US demo leaves it out and keeps
its hand-made loans."""

from __future__ import annotations

from datetime import timedelta
from time import perf_counter
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
from rich.table import Table

from autolend.batch.allowance import is_month_end
from autolend.batch.demo_book import DEMO_HISTORY_MONTHS, book_present, seed_demo_book
from autolend.cli_eod import run_eod
from autolend.cli_progress import progress_bar
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.demo import DemoSeeder, demo_set
from autolend.services.demo_applications import seed_demo_applications
from autolend.services.demo_models import DemoModelSeeder
from autolend.services.demo_portfolio import seed_snapshots

if TYPE_CHECKING:
    from autolend.bootstrap import Container

console = Console()


def seed_demo(container: Container, loans: int = 0) -> list[tuple[str, str]]:
    """The demo data, then (once) a synthetic book of ``loans`` loans with history, the
    demo models and the portfolio snapshots (from the book's cut-over when it has one)."""
    s, jurisdiction = container.services, container.settings.jurisdiction
    today = s.clock.today()
    seeder = DemoSeeder(container.uow, s.users, s.customers, s.clock, jurisdiction)
    users = seeder.seed(as_of=today).users
    if loans > 0 and jurisdiction != "CN":
        console.print(f"demo book: CN only, left out under {jurisdiction}", style="dim")
        loans = 0
    written = _seed_demo_book(container, loans) if loans > 0 else 0
    DemoModelSeeder(s.models, s.model_monitoring).seed(jurisdiction)
    with console.status("demo applications / 演示贷款申请", spinner="dots"):
        seed_demo_applications(s, container.uow, jurisdiction)
    if not written:  # month-ends and today, once
        with console.status("portfolio snapshots / 组合快照", spinner="dots"):
            seed_snapshots(s.portfolio, today, demo_set(jurisdiction).book.months)
        return users
    # The book's history stops yesterday, so today's end of day is the demo's first run
    # (its page shows partitions and timings); a migrated book has no snapshots before its
    # cut-over; on a month-end the run takes today's snapshot, else it is taken after it.
    yesterday = today - timedelta(days=1)
    with console.status("portfolio snapshots / 组合快照", spinner="dots"):
        taken = seed_snapshots(s.portfolio, yesterday, DEMO_HISTORY_MONTHS)
        if not taken:  # snapshots from before the book: retake yesterday's with it
            s.portfolio.snapshot(SYSTEM_ACTOR, yesterday)
    run_eod(container, on=today)
    if not is_month_end(today):
        s.portfolio.snapshot(SYSTEM_ACTOR, today)
    console.print(
        f"portfolio snapshots: {(taken or 1) + 1} (month-ends since the cut-over, yesterday, today)"
    )
    return users


def print_sign_ins(users: list[tuple[str, str]]) -> None:
    """The demo users and their passwords as a table (``serve --demo``, ``demo``)."""
    table = Table(title="Demo sign-ins / 演示账号", show_lines=False)
    table.add_column("user name")
    table.add_column("password")
    for name, password in users:
        table.add_row(name, password)
    console.print(table)


def _seed_demo_book(container: Container, loans: int) -> int:
    """The synthetic demo book with a Rich progress bar; loans written (0: there already)."""
    s, started = container.services, perf_counter()
    if book_present(container.uow):
        console.print("demo book present, nothing seeded / 已有演示贷款组合", style="dim")
        return 0
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with progress_bar(*columns) as bar:  # on a terminal (standard error)
        task = bar.add_task("demo book / 演示贷款组合", total=loans)
        book = seed_demo_book(  # history through yesterday: today is the end of day's
            container.uow, s.clock, loans, as_of=s.clock.today() - timedelta(days=1),
            progress=lambda done, _total: bar.update(task, completed=done),
            cipher=container.cipher,
        )  # fmt: skip
    if book is None:
        return 0
    console.print(
        f"demo book: {len(book.loan_ids):,} loans, migrated {book.cut_over}, history through "
        f"{book.as_of} ({perf_counter() - started:.0f} s)"
    )
    return len(book.loan_ids)
