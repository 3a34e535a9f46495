"""``autolend eod --book FILE.parquet``: the end-of-day kernels over a book file, no
database.

``autolend eod --book book.parquet --date D [--through D] --out result.parquet
[--engine local|spark] [--master URL] [--partitions P] [--processes N]`` reads a
book written by ``autolend synth portfolio`` (or any :meth:`Book.to_arrow` table),
runs days D to the ``--through`` day with the local runner (processes over
partitions) or on Spark (``mapInArrow``, same kernels), and writes the result
(:mod:`autolend.batch.runners`: the day's outputs and the next book, one row per loan
and day) to Parquet.  Without ``--date`` the first day is the one after the book's
latest ``accrued_through``, and ``--date`` may only name that day
(:func:`_check_first_day`). The summary has a row per day and currency (a loan's is its
pack's: CN loans in CNY, US loans in USD), never a sum of the two.

Example: ``autolend synth portfolio --loans 10000 --seed 1 --date 2026-03-03 --out
b.parquet`` then ``autolend eod --book b.parquet --date 2026-03-03 --through
2026-03-05 --out r.parquet --engine spark --master 'local[2]'`` writes 30,000 rows.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from rich.console import Console
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from autolend.batch.book import LOAN_SCHEMA, day_number, from_day_number
from autolend.batch.book_domain import PACK_CODES
from autolend.batch.eod import EodConfig
from autolend.batch.runners import DAY_COLUMN, DEFAULT_CONFIG, run_local
from autolend.cli_files import write_whole
from autolend.cli_format import minor_amount
from autolend.cli_progress import progress_bar
from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import pack_for

__all__ = ["ENGINES", "BookRun", "book_problem", "run_book"]

ENGINES = ("local", "spark")


@dataclass(frozen=True, kw_only=True)
class BookRun:
    """What ``eod --book`` was asked to do (validated by :meth:`check`); ``processes``
    None means one per partition, at most one per CPU; ``config``: the kernels' (the
    lender's ECL parameters)."""

    book: Path
    out: Path | None
    engine: str = "local"
    master: str = "local[2]"
    partitions: int = 2
    processes: int | None = None
    config: EodConfig = DEFAULT_CONFIG

    @property
    def workers(self) -> int:
        """Local worker processes."""
        return self.processes or min(self.partitions, os.cpu_count() or 1)

    def check(self) -> str | None:
        """The problem with the options, or None."""
        if self.engine not in ENGINES:
            return f"--engine must be one of {', '.join(ENGINES)}, not {self.engine!r}"
        if self.out is None:
            return "--out FILE.parquet is required with --book"
        if self.out.suffix.lower() != ".parquet":
            return f"--out {str(self.out)!r} must be a .parquet file"
        if self.out.is_dir():
            return f"--out {self.out} is a directory, not a file"
        if not self.book.is_file():
            return f"--book {str(self.book)!r} is not a file"
        return book_problem(self.book)


def book_problem(book: Path) -> str | None:
    """Why ``book`` is not an end-of-day book, or None: not Parquet, or a Parquet file
    without the loan columns (an applicant file, say). Only the footer is read.

    Example: an applicant file -> ``--book 'a.parquet' is not an end-of-day book: no
    column accrued_through, loan_id, ... (write one with autolend synth portfolio --out)``.
    """
    try:
        names = set(pq.read_schema(book).names)
    except (OSError, pa.ArrowException):
        return f"--book {str(book)!r} is not a readable Parquet file"
    missing = sorted(set(LOAN_SCHEMA) - names)
    if not missing:
        return None
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    return (
        f"--book {str(book)!r} is not an end-of-day book: no column {shown} "
        "(write one with autolend synth portfolio --out)"
    )


def _first_day(book: pa.Table) -> int:
    """The day after the book's latest ``accrued_through``."""
    accrued = book.column("accrued_through").to_numpy()
    return int(accrued.max()) + 1 if accrued.size else 0


_CURRENCIES = tuple(pack_for(code).currency for code in PACK_CODES)
"""The currency of each pack's loans, indexed like the ``pack`` column (a pack lends in
its own currency only: batch/eod.py)."""


def _summary(result: pa.Table, engine: str, seconds: float) -> Table:
    """One row per day and currency, the amounts of that currency's loans only (a book of
    CN and US loans never adds fen to cents): ``2026-03-03  CNY  364  4,324.38 ...``."""
    table = Table(
        title=f"end of day over a book ({engine}, {seconds:.1f} s)", box=None, pad_edge=False
    )
    for name in ("day", "currency", "loans", "interest", "penalty", "ECL", "stage 2", "stage 3"):
        table.add_column(name, justify="left" if name in {"day", "currency"} else "right",
                         no_wrap=True)  # fmt: skip
    days, packs = result.column(DAY_COLUMN).to_numpy(), result.column("pack").to_numpy()
    for day in np.unique(days):
        for pack in np.unique(packs[days == day]):
            chosen = (days == day) & (packs == pack)
            table.add_row(from_day_number(int(day)).isoformat(), *_cells(result, chosen, pack))
    return table


def _cells(result: pa.Table, chosen: npt.NDArray[np.bool_], pack: int) -> list[str]:
    """The currency and figures of the rows ``chosen`` (one day's loans of one pack):
    amounts in the pack's currency as :func:`~autolend.cli_format.minor_amount` writes
    them (``4,324.38``), counts with separators."""
    currency = _CURRENCIES[int(pack)]

    def total(*names: str) -> str:
        minor = sum(int(result.column(n).to_numpy()[chosen].astype(np.int64).sum()) for n in names)
        return minor_amount(minor, currency)

    stage = result.column("out_stage").to_numpy()[chosen]
    return [
        currency, f"{int(chosen.sum()):,}", total("out_interest"),
        total("out_penalty", "out_compound"), total("out_ecl"),
        f"{int((stage == 2).sum()):,}", f"{int((stage == 3).sum()):,}",
    ]  # fmt: skip


def _compute(run: BookRun, first: int, last: int) -> pa.Table:
    if run.engine == "spark":
        from autolend.batch.spark_runner import run_spark  # noqa: PLC0415 - Spark only if chosen

        return run_spark(run.book, first, last, master=run.master, partitions=run.partitions,
                         config=run.config)  # fmt: skip
    book = pq.read_table(run.book)
    return run_local(
        book, first, last, partitions=run.partitions, processes=run.workers, config=run.config
    )


def _check_first_day(on: date | None, next_day: int) -> None:
    """``--date`` must be the book's next day: the kernels run one day on loans accrued
    through the day before, so any other day reported 0.00 of interest for the whole book
    (and exited 0). A book accrued through 2026-11-27 and ``--date 2026-12-02`` -> "the
    book is accrued through 2026-11-27: its next day is 2026-11-28 ..." (on ``date``)."""
    if on is None or day_number(on) == next_day:
        return
    accrued, following = from_day_number(next_day - 1), from_day_number(next_day)
    if day_number(on) > next_day:
        instead = f"or --through {on} to run every day through it"
    else:
        instead = "a day already run posts nothing again"
    message = (f"the book is accrued through {accrued}: its next day is {following} "
               f"(give --date {following} or leave --date out; {instead})")  # fmt: skip
    raise InvalidInput(message, field="date")


def run_book(run: BookRun, on: date | None, through: date | None, console: Console) -> pa.Table:
    """Run the days over the book file with a progress display; write and summarise."""
    next_day = _first_day(pq.read_table(run.book, columns=["accrued_through"]))
    if next_day:  # an empty book has no day of its own
        _check_first_day(on, next_day)
    first = next_day or (day_number(on) if on else 0)
    last = day_number(through) if through else first
    label = f"{from_day_number(first).isoformat()} .. {from_day_number(last).isoformat()}"
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    start = time.perf_counter()
    with progress_bar(*columns, transient=True) as bar:
        bar.add_task(f"eod {label} on {run.engine} ({run.partitions} partitions)")
        result = _compute(run, first, last)
        seconds = time.perf_counter() - start
        assert run.out is not None  # checked by BookRun.check
        bar.add_task(f"writing {run.out}")
        write_whole(run.out, "--out", lambda partial: pq.write_table(result, partial))
    console.print(_summary(result, run.engine, seconds))
    console.print(f"wrote {result.num_rows:,} rows to {run.out}")
    return result
