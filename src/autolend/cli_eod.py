"""``autolend eod``: end of day for every active loan, with a progress bar.

``autolend eod --date D`` runs business day D; ``autolend eod --through D`` catches up
every missed day through D one day at a time (three missed days equal three daily
runs); ``autolend eod runs`` lists the latest job runs; ``autolend eod --book
FILE.parquet --date D --out FILE.parquet [--engine local|spark --master URL]`` runs the
kernels over a book file instead (:mod:`autolend.cli_eod_book`); both compute ECL with
the lender's parameters (``AUTOLEND_ECL_PARAMETERS``, :mod:`autolend.batch.ecl_parameters`).
Each partition of loans is one transaction with a checkpoint, so rerunning after a crash
finishes the job without posting anything twice (see :mod:`autolend.batch.eod_runner`).

Example: ``autolend eod --through 2026-11-27`` after the job last ran on 2026-11-24
runs 2026-11-25, 2026-11-26 and 2026-11-27.

With no loan booked yet, or a day before every loan's start, there is nothing to run:
the command says so (``nothing to run: no loan is booked yet; no end-of-day run
recorded``), records no run and exits 0, so a nightly job on a fresh install is not a
failure (:func:`nothing_to_run`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from autolend.adapters.db.run_lock import DatabaseRunLock
from autolend.batch.eod import EodConfig
from autolend.batch.eod_runner import PARTITION_SIZE, EodResult, EodRunner
from autolend.cli_eod_book import BookRun, run_book
from autolend.cli_format import calendar_day, utc_minute
from autolend.cli_progress import progress_bar
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.eod import EodService

if TYPE_CHECKING:
    from autolend.bootstrap import Container
    from autolend.services.eod_ports import EodRunRecord

__all__ = ["eod_app", "nothing_to_run", "run_eod", "runs_table"]

eod_app = typer.Typer(
    help="End of day: accrual of every active loan, by partitions with checkpoints.",
    no_args_is_help=True,
)
console = Console()

# The option behind a day an error names: "the business date is in the future (--date)".
_DAY_OPTIONS = {"date": "--date", "through": "--through"}
_SIZE_DEFAULT = f"\\[default: {PARTITION_SIZE}]"  # None in the signature: given or not


def _progress_sink(bar: Progress) -> Callable[[date, int, int], None]:
    """A progress callback with one bar per business day."""
    tasks: dict[date, TaskID] = {}

    def advance(day: date, done: int, total: int) -> None:
        if day not in tasks:
            tasks[day] = bar.add_task(f"eod {day.isoformat()}", total=max(total, 1))
        bar.update(tasks[day], completed=done if total else 1, total=max(total, 1))

    return advance


def run_eod(
    container: Container,
    *,
    on: date | None = None,
    through: date | None = None,
    partition_size: int = PARTITION_SIZE,
    workers: int = 1,
    out: Console | None = None,
) -> EodResult:
    """Run day ``on`` or catch up ``through`` (exactly one of them), ``workers``
    partitions at a time, with a progress bar on ``out``; prints the outcome per day
    and returns it."""
    if (on is None) == (through is None):
        raise typer.BadParameter("give --date D or --through D (exactly one)")
    out = out or console
    runner = EodRunner(
        container.uow, container.services.clock, partition_size=partition_size,
        workers=workers, lock=DatabaseRunLock(container.engine), assessor=container.risk,
    )  # fmt: skip
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with progress_bar(*columns) as bar:  # on a terminal; an error erases it
        sink = _progress_sink(bar)
        if on is not None:
            result = runner.run_date(SYSTEM_ACTOR, on, sink)
        else:
            assert through is not None
            result = runner.run_through(SYSTEM_ACTOR, through, sink)
    out.print(_summary(result))
    return result


def nothing_to_run(container: Container, day: date, out: Console | None = None) -> bool:
    """Whether end of day through ``day`` has nothing to run (no loan booked yet, or
    ``day`` before every loan's start: :meth:`EodService.nothing_to_run`); if so, says
    why on ``out``, e.g. ``nothing to run: no loan is booked yet; no end-of-day run
    recorded``."""
    idle = EodService(container.uow).nothing_to_run(SYSTEM_ACTOR, day)
    if idle is not None:
        (out or console).print(f"nothing to run: {idle}; no end-of-day run recorded",
                               highlight=False)  # fmt: skip
    return idle is not None


def _summary(result: EodResult) -> Group:
    """One row per day; a day with no loan due says why under the table (a repayment,
    a payoff or an earlier run had already serviced every active loan through it), so
    "0 loans" does not read as a run that missed the book."""
    table = Table(title=f"end-of-day run {result.run_id}")
    for name in ("day", "partitions", "loans", "entries", "errors", "ms"):
        table.add_column(name, justify="left" if name == "day" else "right")
    idle = []
    for day in result.days:
        parts = [p for p in result.partitions if p.day == day]
        cells = (len(parts), sum(p.loans for p in parts),
                 sum(p.entries for p in parts), sum(p.errors for p in parts),
                 sum(p.millis for p in parts))  # fmt: skip
        table.add_row(day.isoformat(), *(f"{c:,}" for c in cells))
        idle += [day.isoformat()] if cells[1] == 0 else []
    why = (f"no loan was due on {', '.join(idle)}: every active loan was already "
           "serviced through it") if idle else ""  # fmt: skip
    return Group(table, Text(why)) if why else Group(table)


def misplaced_option(with_book: bool, **given: int | None) -> str | None:
    """The option given that the run would ignore, or None: ``--partition-size`` and
    ``--workers`` size a run on the database, ``--partitions`` and ``--processes`` one
    over a book file, e.g. ``--processes is for --book FILE.parquet (a run on the
    database runs --workers partitions at a time)``."""
    database_only, book_only = ("partition_size", "workers"), ("partitions", "processes")
    for name in book_only if not with_book else database_only:
        if given.get(name) is not None:
            flag = "--" + name.replace("_", "-")
            return (f"{flag} is for a run on the database, not with --book (over a book "
                    "use --partitions and --processes)" if with_book else
                    f"{flag} is for --book FILE.parquet (a run on the database runs "
                    "--workers partitions of --partition-size loans at a time)")  # fmt: skip
    return None


@eod_app.callback(invoke_without_command=True)
def eod(  # noqa: PLR0917 - one option per knob of the command line
    ctx: typer.Context,
    on: Annotated[
        datetime | None,
        typer.Option("--date", parser=calendar_day, metavar="YYYY-MM-DD", help="business day D"),
    ] = None,
    through: Annotated[
        datetime | None,
        typer.Option(
            "--through",
            parser=calendar_day,
            metavar="YYYY-MM-DD",
            help="catch up every day through D",
        ),
    ] = None,
    partition_size: Annotated[
        int | None,
        typer.Option("--partition-size", min=1, help=f"loans per partition {_SIZE_DEFAULT}"),
    ] = None,
    book: Annotated[
        Path | None, typer.Option("--book", help="a book .parquet: kernels only, no database")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="result .parquet (with --book)")] = None,
    engine: Annotated[str, typer.Option("--engine", help="with --book: local or spark")] = "local",
    master: Annotated[str, typer.Option("--master", help="Spark master URL")] = "local[2]",
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="book partitions (with --book) \\[default: 2]"),
    ] = None,
    processes: Annotated[
        int | None,
        typer.Option("--processes", min=1, help="local worker processes (with --book)"),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="database partitions run at a time, each in its own transaction "
            "(2 suits a 2-core PostgreSQL host) \\[default: 1]",
        ),
    ] = None,
) -> None:
    """Run end of day for one business day, or catch up through a day; with --book, over
    a book file (local processes or Spark) instead of the database."""
    if ctx.invoked_subcommand is not None:
        return
    from autolend.cli import (  # noqa: PLC0415 - cli imports this module
        _container,
        ecl_parameters_in_force,
        fail,
        guarded,
    )

    sizes = {"partition_size": partition_size, "workers": workers}
    misplaced = misplaced_option(book is not None, partitions=partitions, processes=processes,
                                 **sizes)  # fmt: skip
    if misplaced:
        raise fail(misplaced, code=2)
    if book is not None:
        ecl = guarded(ecl_parameters_in_force).ecl_config()  # the lender's, as on the database
        run = BookRun(book=book, out=out, engine=engine, master=master,
                      partitions=partitions or 2, processes=processes,
                      config=EodConfig(ecl=ecl))  # fmt: skip
        problem = run.check()
        if problem:
            raise fail(problem, code=2)
        first, last = (on.date() if on else None), (through.date() if through else None)
        guarded(lambda: run_book(run, first, last, console), _DAY_OPTIONS)
        return
    if engine != "local":
        raise fail(f"--engine {engine} needs --book FILE.parquet (the database runs locally)", 2)
    if out is not None:  # it wrote nothing: the database run keeps its results in place
        raise fail("--out is for --book FILE.parquet (a run on the database writes no file)", 2)
    if (on is None) == (through is None):
        raise typer.BadParameter("give --date D or --through D (exactly one)")
    day, last = (on.date() if on else None), (through.date() if through else None)
    wanted = last or day
    assert wanted is not None  # exactly one of them, checked above
    container = guarded(_container)
    if guarded(lambda: nothing_to_run(container, wanted)):
        return  # exit 0: a nightly run on a fresh install is not a failure
    result = guarded(
        lambda: run_eod(
            container,
            on=day,
            through=last,
            partition_size=partition_size or PARTITION_SIZE,
            workers=workers or 1,
        ),
        _DAY_OPTIONS,
    )
    if result.errors:
        console.print(f"[bold red]{result.errors} loan(s) failed[/]: see `autolend eod runs`")
        raise typer.Exit(1)


@eod_app.command("runs")
def runs(
    limit: Annotated[int, typer.Option("--limit", min=1, help="how many runs")] = 20,
) -> None:
    """The latest end-of-day job runs."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module

    found = guarded(lambda: EodService(_container().uow).runs(SYSTEM_ACTOR, limit))
    if not found:  # a fresh install: an answer, not an error (exit 0)
        console.print("No end-of-day runs recorded yet.", highlight=False)
        return
    console.print(runs_table(found))


def runs_table(found: Sequence[EodRunRecord]) -> Table:
    """The runs in 80 columns: a run's first and last day in one cell (one day once, a
    catch-up ``2026-11-25 ->`` over ``2026-11-27``), counts right-aligned, no day or time
    broken."""
    table = Table(title="end-of-day runs")
    for name in ("id", "mode", "days", "status", "loans", "errors", "started (UTC)"):
        number = name in {"id", "loans", "errors"}
        table.add_column(name, justify="right" if number else "left", no_wrap=name != "days",
                         max_width=13 if name == "days" else None)  # fmt: skip
    for r in found:
        first, last = r.first_day.isoformat(), r.through_day.isoformat()
        table.add_row(str(r.id), r.mode, first if first == last else f"{first} -> {last}",
                      r.status, f"{r.loans:,}", f"{r.errors:,}",
                      utc_minute(r.started_at))  # fmt: skip
    if any(r.first_day != r.through_day for r in found):  # 57 loans over 5 days read 285
        table.caption = "a catch-up's loans are counted once per day it ran"
    return table
