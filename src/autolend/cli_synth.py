"""Synthetic data on the command line: ``autolend synth applicants`` writes a synthetic
auto-loan applicant population with known default probabilities (see
``docs/synthetic-data.md``); ``autolend synth portfolio`` a synthetic loan book, into the
database with its history or as an end-of-day column book. Bad input prints one line
naming the option and exits 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

synth_app = typer.Typer(help="Synthetic data (applicants, loan books).", no_args_is_help=True)
console = Console()

__all__ = ["synth_app"]


@synth_app.command("applicants")
def synth_applicants(
    n: Annotated[int, typer.Option("--n", help="how many applicants", min=1)],
    out: Annotated[Path, typer.Option("--out", help="output file: .csv or .parquet")],
    seed: Annotated[int, typer.Option("--seed", help="random seed", min=0)] = 0,
    as_of_month: Annotated[
        str | None, typer.Option("--as-of-month", help="last application month, YYYY-MM")
    ] = None,
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="currency of the amounts: CNY, or USD (the same applicants, amounts / 4)",
        ),
    ] = "CNY",
) -> None:
    """A synthetic applicant population with known default probabilities (true_pd) and
    outcomes (bad), from the generating process in docs/synthetic-data.md; with
    --currency USD the same applicants and outcomes, amounts in dollars (4 yuan each)."""
    from autolend.cli import fail, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.cli_files import check_output, write_whole  # noqa: PLC0415
    from autolend.risk.synth import YUAN_PER_UNIT, synthetic_applicants, write_applicants  # noqa: PLC0415 - pandas loads only when used

    if currency not in YUAN_PER_UNIT:
        raise fail(f"--currency must be one of {', '.join(YUAN_PER_UNIT)}, not {currency!r}")
    if out.suffix.lower() not in {".csv", ".parquet"}:
        raise fail(f"--out must be a .csv or .parquet file, not {str(out)!r}")
    check_output(out, "--out")  # before the applicants are drawn

    def run() -> None:
        frame = synthetic_applicants(n, seed, as_of_month=as_of_month, currency=currency)
        write_whole(out, "--out", lambda partial: write_applicants(frame, partial))
        console.print(
            f"wrote {len(frame):,} applicants ({currency} amounts) to {out} "
            f"(bad rate {frame['bad'].mean():.2%}, mean true PD {frame['true_pd'].mean():.2%})"
        )

    guarded(run, {"as_of_month": "--as-of-month"})


@synth_app.command("portfolio")
def synth_portfolio(
    loans: Annotated[int, typer.Option("--loans", help="how many loans", min=1)],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="write the column book to this .parquet file instead"),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="random seed", min=0)] = 0,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="business date the book stands at, YYYY-MM-DD (default: 2026-11-28 for "
            "--out, today for the database)",
        ),
    ] = None,
) -> None:
    """A synthetic loan book. Without --out: loans with history written into the
    configured database (every demo product but the 0% promotion, vintages over five
    years, NEV share, the demo dealers, on-time, early, cured, 1-90 days late,
    defaulted and paid-off borrowers; migrated three month-ends back, real repayments
    and accruals since; see autolend.batch.synth_history). With --out FILE.parquet: the
    end-of-day column layout (five years of vintages; see autolend.batch.synth_book)."""
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module
    from autolend.cli_files import check_output  # noqa: PLC0415

    if out is None:
        _portfolio_into_database(loans, seed, as_of)
        return
    if out.suffix.lower() != ".parquet":
        raise fail(f"--out must be a .parquet file, not {str(out)!r}")
    check_output(out, "--out")  # before the book is drawn
    _portfolio_to_parquet(loans, out, seed, as_of or "2026-11-28")


def _day_of(text: str) -> date:
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--date {text!r} is not a date such as 2026-11-28") from None


def _portfolio_to_parquet(loans: int, out: Path, seed: int, as_of: str) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    from autolend.batch.synth_book import synthetic_book  # noqa: PLC0415
    from autolend.cli_files import write_whole  # noqa: PLC0415

    day = (_day_of(as_of) - date(1970, 1, 1)).days
    book = synthetic_book(loans, day=day, seed=seed)
    write_whole(out, "--out", lambda partial: pq.write_table(book.to_arrow(), partial))
    console.print(f"wrote {len(book):,} loans (book as of {as_of}) to {out}")


def _portfolio_into_database(loans: int, seed: int, as_of: str | None) -> None:
    """Write the book with history into the configured database (migrated first)."""
    from time import perf_counter  # noqa: PLC0415

    from rich.progress import BarColumn, MofNCompleteColumn  # noqa: PLC0415

    from autolend.batch.demo_book import booking_actor  # noqa: PLC0415
    from autolend.batch.synth_history_db import HistoryBook, insert_history_book  # noqa: PLC0415
    from autolend.cli import _container, fail, guarded  # noqa: PLC0415
    from autolend.cli_progress import progress_bar  # noqa: PLC0415

    container = guarded(lambda: _container(migrate=True))
    clock = container.services.clock
    day = _day_of(as_of) if as_of else clock.today()
    if day > clock.today():
        raise fail(f"--date {day} is in the future")
    actor, dealers = guarded(lambda: booking_actor(container.uow))
    started = perf_counter()
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn())

    def insert() -> HistoryBook:
        with progress_bar(*columns) as bar:  # on a terminal; an error erases it
            task = bar.add_task("synthetic book", total=loans)
            return insert_history_book(
                container.uow, clock, actor, loans, seed=seed, as_of=day, dealers=dealers,
                progress=lambda done, _total: bar.update(task, completed=done),
            )  # fmt: skip

    book = guarded(insert)  # the error line after the bar is gone
    console.print(
        f"wrote {len(book.loan_ids):,} loans with history (migrated {book.cut_over}, "
        f"serviced through {book.as_of}) in {perf_counter() - started:.1f} s"
    )
    if day < clock.today():  # behind the business day: verify's check 7 names each loan
        console.print(
            f"these loans are serviced through {day}, before today ({clock.today()}): "
            f"`autolend eod --through {clock.today()}` brings them up to date",
            highlight=False,
        )
