"""``autolend eod --book FILE.parquet``: the end-of-day kernels over a book file, no
database.

``autolend eod --book book.parquet --date D [--through D] --out result.parquet
[--engine local|spark] [--master URL] [--partitions P] [--processes N]`` reads a
book written by ``autolend synth portfolio`` (or any :meth:`Book.to_arrow` table),
runs days D to the ``--through`` day with the local runner (processes over
partitions) or on Spark (``mapInArrow``, same kernels), and writes the result
(:mod:`autolend.batch.runners`: the day's outputs and the next book, one row per loan
and day) to Parquet.  Without ``--date`` the first day is the one after the book's
latest ``accrued_through``.

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
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from autolend.batch.book import LOAN_SCHEMA, day_number, from_day_number
from autolend.batch.eod import EodConfig
from autolend.batch.runners import DAY_COLUMN, DEFAULT_CONFIG, run_local
from autolend.cli_files import write_whole

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
        if self.out is None or self.out.suffix.lower() != ".parquet":
            return "--out FILE.parquet is required with --book"
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


def _yuan(fen: int) -> str:
    """Fen shown as yuan with two decimals, exactly: 123456 -> '1,234.56'."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def _summary(result: pa.Table, engine: str, seconds: float) -> Table:
    table = Table(
        title=f"end of day over a book ({engine}, {seconds:.1f} s)", box=None, pad_edge=False
    )
    for name in ("day", "loans", "interest", "penalty", "ECL", "stage 2", "stage 3"):
        table.add_column(name, justify="left" if name == "day" else "right", no_wrap=True)
    days = result.column(DAY_COLUMN).to_numpy()
    for day in np.unique(days):
        rows = result.filter(pc.equal(result.column(DAY_COLUMN), day))

        def total(name: str, part: pa.Table = rows) -> int:
            return int(part.column(name).to_numpy().astype(np.int64).sum())

        stage = rows.column("out_stage").to_numpy()
        table.add_row(
            from_day_number(int(day)).isoformat(), f"{rows.num_rows:,}",
            _yuan(total("out_interest")), _yuan(total("out_penalty") + total("out_compound")),
            _yuan(total("out_ecl")), f"{int((stage == 2).sum()):,}",
            f"{int((stage == 3).sum()):,}",
        )  # fmt: skip
    return table


def _compute(run: BookRun, first: int, last: int) -> pa.Table:
    if run.engine == "spark":
        from autolend.batch.spark_runner import run_spark  # noqa: PLC0415 - Spark only if chosen

        return run_spark(run.book, first, last, master=run.master, partitions=run.partitions,
                         config=run.config)  # fmt: skip
    book = pq.read_table(run.book)
    return run_local(
        book, first, last, partitions=run.partitions, processes=run.workers, config=run.config
    )


def run_book(run: BookRun, on: date | None, through: date | None, console: Console) -> pa.Table:
    """Run the days over the book file with a progress display; write and summarise."""
    first = day_number(on) if on else _first_day(pq.read_table(run.book, columns=[
        "accrued_through"]))  # fmt: skip
    last = day_number(through) if through else first
    label = f"{from_day_number(first).isoformat()} .. {from_day_number(last).isoformat()}"
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    start = time.perf_counter()
    with Progress(*columns, console=console, transient=True) as bar:
        bar.add_task(f"eod {label} on {run.engine} ({run.partitions} partitions)")
        result = _compute(run, first, last)
        seconds = time.perf_counter() - start
        assert run.out is not None  # checked by BookRun.check
        bar.add_task(f"writing {run.out}")
        write_whole(run.out, "--out", lambda partial: pq.write_table(result, partial))
    console.print(_summary(result, run.engine, seconds))
    console.print(f"wrote {result.num_rows:,} rows to {run.out}")
    return result
