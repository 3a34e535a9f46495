"""The local end-of-day runner: the result shape, partitioning, chaining days, and
``autolend eod --book``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from autolend.batch.book import Book, day_number
from autolend.batch.eod import run_day
from autolend.batch.runners import (
    DAY_COLUMN,
    OUTPUT_COLUMNS,
    next_book_table,
    partition_bounds,
    result_schema,
    run_local,
)
from autolend.batch.synth_book import synthetic_book
from autolend.cli import app
from autolend.domain.errors import InvalidInput

DAY = day_number(date(2026, 3, 3))  # the synthetic book stands accrued through the day before


@pytest.fixture(scope="module")
def book() -> Book:
    return synthetic_book(600, day=DAY, seed=11)


@pytest.fixture(scope="module")
def table(book: Book) -> pa.Table:
    return book.to_arrow()


def test_partition_bounds_cut_the_book_into_contiguous_nearly_equal_slices() -> None:
    assert partition_bounds(10, 3) == [(0, 4), (4, 3), (7, 3)]
    assert partition_bounds(2, 4) == [(0, 1), (1, 1)]
    assert partition_bounds(0, 2) == []
    with pytest.raises(InvalidInput) as error:
        partition_bounds(5, 0)
    assert error.value.field == "partitions"


def test_the_result_holds_every_output_and_the_next_book_sorted_by_loan_id(
    book: Book, table: pa.Table
) -> None:
    result = run_local(table, DAY)
    assert result.schema.equals(result_schema())
    assert result.column("loan_id").to_pylist() == sorted(book["loan_id"].tolist())
    assert set(result.column(DAY_COLUMN).to_pylist()) == {DAY}
    next_book, outputs = run_day(book, DAY)
    assert np.array_equal(result.column("out_interest").to_numpy(), outputs.accrual.interest)
    assert np.array_equal(result.column("out_ecl").to_numpy(), outputs.ecl)
    assert np.array_equal(result.column("out_warnings").to_numpy(), outputs.warnings)
    assert np.array_equal(result.column("accrued_interest").to_numpy(),
                          next_book["accrued_interest"])  # fmt: skip
    assert {name[4:] for name in OUTPUT_COLUMNS} >= {"dpd", "bucket", "stage", "collection"}


def test_the_result_does_not_depend_on_the_partition_count_or_the_book_order(
    book: Book, table: pa.Table
) -> None:
    one = run_local(table, DAY, partitions=1)
    shuffled = book.take(np.random.default_rng(5).permutation(len(book))).to_arrow()
    for partitions in (2, 7, 97):
        assert run_local(shuffled, DAY, partitions=partitions).equals(one), partitions
    few = shuffled.slice(0, 20)  # more partitions than loans: one loan each, the rest empty
    assert run_local(few, DAY, partitions=30).equals(run_local(few, DAY))


def test_worker_processes_give_the_same_result_as_one_process(table: pa.Table) -> None:
    one = run_local(table, DAY, DAY + 1)
    assert run_local(table, DAY, DAY + 1, partitions=3, processes=2).equals(one)


def test_three_single_days_chained_through_the_next_book_equal_a_run_through_three_days(
    table: pa.Table,
) -> None:
    through = run_local(table, DAY, DAY + 2, partitions=3)
    days, current = [], table
    for day in (DAY, DAY + 1, DAY + 2):
        result = run_local(current, day, partitions=2)
        days.append(result)
        current = next_book_table(result)
    assert pa.concat_tables(days).combine_chunks().equals(through)
    assert through.num_rows == 3 * table.num_rows
    assert Book.from_arrow(next_book_table(through))["accrued_through"].max() == DAY + 2


def test_a_range_that_runs_backwards_or_no_worker_is_refused(table: pa.Table) -> None:
    with pytest.raises(InvalidInput) as error:
        run_local(table, DAY, DAY - 1)
    assert error.value.field == "through"
    with pytest.raises(InvalidInput) as error:
        run_local(table, DAY, processes=0)
    assert error.value.field == "processes"


def test_an_empty_book_gives_an_empty_result(table: pa.Table) -> None:
    result = run_local(table.slice(0, 0), DAY, partitions=2)
    assert result.num_rows == 0
    assert result.schema.equals(result_schema())


def test_eod_over_a_book_file_writes_the_result_of_each_day(
    tmp_path: Path, table: pa.Table
) -> None:
    source, out = tmp_path / "book.parquet", tmp_path / "out" / "result.parquet"
    pq.write_table(table, source)
    args = ["eod", "--book", str(source), "--date", "2026-03-03", "--through", "2026-03-04",
            "--out", str(out), "--partitions", "2", "--processes", "1"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = pq.read_table(out)
    assert written.equals(run_local(table, DAY, DAY + 1))
    assert "2026-03-04" in result.output


def test_eod_over_a_book_starts_the_day_after_the_book_was_accrued_through(
    tmp_path: Path, table: pa.Table
) -> None:
    source, out = tmp_path / "book.parquet", tmp_path / "result.parquet"
    pq.write_table(table, source)
    args = ["eod", "--book", str(source), "--out", str(out), "--processes", "1"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert set(pq.read_table(out).column(DAY_COLUMN).to_pylist()) == {DAY}


def test_the_spark_engine_without_a_book_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["eod", "--engine", "spark", "--date", "2026-03-03"])
    assert result.exit_code == 2
    assert "--book" in result.output


def test_eod_over_a_book_needs_a_parquet_output_and_a_known_engine(tmp_path: Path) -> None:
    source = tmp_path / "book.parquet"
    source.write_bytes(b"")
    runner = CliRunner()
    no_out = runner.invoke(app, ["eod", "--book", str(source), "--date", "2026-03-03"])
    assert no_out.exit_code == 2
    assert "--out" in no_out.output
    args = ["eod", "--book", str(source), "--out", str(tmp_path / "r.parquet"), "--engine", "x"]
    bad = runner.invoke(app, args)
    assert bad.exit_code == 2
    assert "--engine" in bad.output


def test_the_benchmark_refuses_an_unknown_engine() -> None:
    result = CliRunner().invoke(app, ["bench", "eod", "--loans", "10", "--engine", "x"])
    assert result.exit_code == 2
    assert "--engine" in result.output
