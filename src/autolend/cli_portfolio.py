"""``autolend portfolio``: the portfolio risk snapshot and its overview.

``autolend portfolio snapshot --date D`` replays every loan open on D to the start of
the day, runs the end-of-day kernels for D and stores one row per loan (a rerun of D
replaces D); ``autolend portfolio show [--date D] [--json]`` prints the balances by
delinquency bucket, the five-tier distribution, ECL by stage, the roll rates between
month-ends and the early-warning list of the newest snapshot (or of D).

Amounts are never added across currencies: the snapshot prints balance and ECL per
currency, and ``show`` gives the main currency's figures (the most loans) with a line
per currency (JSON: ``currency`` and ``totals`` keyed by currency). Every amount names
its currency, a book all in CNY's too (``balance 20,000.00 CNY``, ``portfolio on
2026-02-28 (CNY)``), where it used to print bare numbers; amounts have thousands
separators (:func:`autolend.cli_format.amount`, as ``policy simulate`` prints them).

Example: ``autolend portfolio snapshot --date 2026-10-31`` then ``autolend portfolio
show --json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
from rich.table import Table

from autolend.cli_format import calendar_day, minor_amount
from autolend.cli_progress import progress_bar
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.portfolio import SnapshotSummary
from autolend.services.portfolio_views import (
    BUCKET_NAMES,
    CurrencyTotal,
    PortfolioOverview,
    RollPeriod,
)

if TYPE_CHECKING:
    from autolend.bootstrap import Container

__all__ = ["overview_json", "overview_tables", "portfolio_app", "take_snapshot"]

portfolio_app = typer.Typer(
    help="Portfolio risk: snapshots of bucket, class, stage and ECL per loan; the overview.",
    no_args_is_help=True,
)
console = Console()


def _amount(minor: int, currency: str) -> str:
    """An amount as ``policy simulate`` prints its own: ``2,843,884.50`` (was 2843884.50)."""
    return minor_amount(minor, currency)


def _money_lines(totals: Sequence[CurrencyTotal]) -> list[str]:
    """The line "balance ... CNY  ECL ... CNY" once per currency (an empty book: CNY 0)."""
    if not totals:
        return [f"balance {_amount(0, 'CNY')} CNY  ECL {_amount(0, 'CNY')} CNY"]
    return [
        f"balance {_amount(t.balance_minor, t.currency)} {t.currency}  "
        f"ECL {_amount(t.ecl_minor, t.currency)} {t.currency}"
        for t in totals
    ]


def take_snapshot(container: Container, day: date, out: Console | None = None) -> SnapshotSummary:
    """The snapshot of ``day`` with a progress bar on ``out``; prints a summary table."""
    out = out or console
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with progress_bar(*columns) as bar:  # on a terminal; an error erases it
        task = bar.add_task(f"snapshot {day.isoformat()}", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, 1))

        summary = container.services.portfolio.snapshot(SYSTEM_ACTOR, day, advance)
    table = Table(title=f"portfolio snapshot {day.isoformat()}")
    for name in ("bucket", "loans"):
        table.add_column(name, justify="left" if name == "bucket" else "right")
    for name, count in zip(BUCKET_NAMES, summary.by_bucket, strict=True):
        table.add_row(name, f"{count:,}")
    table.add_row("all", f"{summary.loans:,}")
    out.print(table)
    for line in _money_lines(summary.by_currency):
        out.print(line)
    if summary.skipped:
        out.print(f"[yellow]{len(summary.skipped)} loan(s) left out[/]: see the log")
    return summary


def _pct(value: Decimal) -> str:
    return str(value)


def overview_json(view: PortfolioOverview) -> dict[str, Any]:
    """The overview as JSON-ready data (amounts as minor-unit integers, shares as
    decimal strings: "0.0250" is 2.50%): the figures, lines and rolls are those of the
    main currency ``currency``; ``totals`` holds every currency's, keyed by its code."""
    return {
        "as_of": view.as_of.isoformat() if view.as_of else None,
        "currency": view.currency,
        "loans": view.loans, "balance_minor": view.balance_minor,
        "ecl_minor": view.ecl_minor, "coverage": _pct(view.coverage),
        "totals": {
            t.currency: {"loans": t.loans, "balance_minor": t.balance_minor,
                         "ecl_minor": t.ecl_minor, "coverage": _pct(t.coverage)}
            for t in view.totals
        },
        "buckets": [vars(line) for line in view.buckets],
        "classes": [vars(line) for line in view.classes],
        # Loans whose pack has no five-tier class (US), when there are any.
        **({"unclassified": vars(view.unclassified)} if view.unclassified.loans else {}),
        "stages": [{**vars(s), "coverage": _pct(s.coverage)} for s in view.stages],
        "rolls": [
            {"start": r.start.isoformat(), "end": r.end.isoformat(),
             "rows": [[_pct(x) for x in row] for row in r.matrix.rows],
             "gone": [_pct(x) for x in r.matrix.gone], "balance": list(r.matrix.balance)}
            for r in view.rolls
        ],
        "warnings": [
            {"loan_id": w.row.loan_id, "dpd": w.row.dpd, "bucket": w.row.bucket,
             "ecl_minor": w.row.ecl_minor, "flags": w.flags}
            for w in view.warnings
        ],
    }  # fmt: skip


def overview_tables(view: PortfolioOverview) -> list[Table]:
    """Buckets and classes, ECL by stage (the main currency's, named in the titles: "ECL
    by stage (CNY)"), then one row per currency when there is more than one."""
    code = view.currency
    named = f" ({code})"
    lines = Table(title=f"portfolio on {view.as_of}{named}")
    for name in ("group", "loans", "balance"):
        lines.add_column(name, justify="left" if name == "group" else "right")
    unclassified = [view.unclassified] if view.unclassified.loans else []  # no five-tier class
    # Days past due, then the five-tier classes in words ("special mention", not the
    # key), each group apart, then the whole: a bucket and a class never read as one list.
    for group in (view.buckets, [*view.classes, *unclassified]):
        for line in group:
            label = line.key.replace("_", " ")
            lines.add_row(label, f"{line.loans:,}", _amount(line.balance_minor, code))
        lines.add_section()
    lines.add_row("total", f"{view.loans:,}", _amount(view.balance_minor, code))
    stages = Table(title=f"ECL by stage{named}")
    for name in ("stage", "loans", "balance", "ECL", "coverage"):
        stages.add_column(name, justify="right")
    for s in view.stages:
        stages.add_row(str(s.stage), f"{s.loans:,}", _amount(s.balance_minor, code),
                       _amount(s.ecl_minor, code), f"{s.coverage * 100:.2f}%")  # fmt: skip
    stages.add_section()
    stages.add_row("total", f"{view.loans:,}", _amount(view.balance_minor, code),
                   _amount(view.ecl_minor, code), f"{view.coverage * 100:.2f}%")  # fmt: skip
    return [lines, stages] if len(view.totals) < 2 else [_totals_table(view), lines, stages]


def _totals_table(view: PortfolioOverview) -> Table:
    """Each currency's loans, balance, ECL and coverage, one row each."""
    table = Table(title=f"portfolio on {view.as_of} by currency")
    for name in ("currency", "loans", "balance", "ECL", "coverage"):
        table.add_column(name, justify="left" if name == "currency" else "right")
    for t in view.totals:
        table.add_row(t.currency, f"{t.loans:,}", _amount(t.balance_minor, t.currency),
                      _amount(t.ecl_minor, t.currency), f"{t.coverage * 100:.2f}%")  # fmt: skip
    return table


def _roll_table(roll: RollPeriod, named: str = "") -> Table:
    """The roll-rate matrix as percentages; a bucket with no balance at the start had
    nothing to roll, so its row reads "—" where "0.00%" would say nothing rolled (as the
    portfolio page's table does)."""
    table = Table(title=f"roll rates {roll.start} -> {roll.end} (share of balance{named})")
    table.add_column("from")
    for name in (*BUCKET_NAMES, "gone"):
        table.add_column(name, justify="right")
    matrix = roll.matrix
    for name, row, gone, balance in zip(
        BUCKET_NAMES, matrix.rows, matrix.gone, matrix.balance, strict=True
    ):
        table.add_row(name, *(f"{x * 100:.2f}%" if balance else "—" for x in (*row, gone)))
    return table


@portfolio_app.command("snapshot")
def snapshot(
    on: Annotated[
        datetime,
        typer.Option("--date", parser=calendar_day, metavar="YYYY-MM-DD", help="snapshot day D"),
    ],
) -> None:
    """Store the risk snapshot of day D (a rerun of D replaces it)."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module

    guarded(lambda: take_snapshot(_container(), on.date()), {"date": "--date"})


@portfolio_app.command("show")
def show(
    on: Annotated[
        datetime | None,
        typer.Option("--date", parser=calendar_day, metavar="YYYY-MM-DD", help="snapshot day"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The overview of the newest snapshot (or of --date D)."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module

    day = on.date() if on else None
    view = guarded(lambda: _container().services.portfolio.overview(SYSTEM_ACTOR, day))
    if as_json:
        typer.echo(json.dumps(overview_json(view), ensure_ascii=False, indent=2))
        return
    if view.as_of is None:
        console.print("no portfolio snapshot yet: run `autolend portfolio snapshot --date D`")
        return
    for table in overview_tables(view):
        console.print(table)
    named = f" in {view.currency}"
    for roll in view.rolls[-3:]:
        console.print(_roll_table(roll, named))
    console.print(f"early warnings: {len(view.warnings)}")
