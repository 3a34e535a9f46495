"""The Spark runner (``mapInArrow``, ``local[2]``) against the local runner (2 worker
processes) on the same 10,000-loan synthetic book: every output column and every
column of the next book equal, for one day and for three days caught up at once.

Needs Java (Spark's JVM): skipped only when ``java`` is not on the PATH
(``scripts/ensure-system-packages.sh`` installs ``default-jre-headless``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from autolend.batch.book import day_number
from autolend.batch.ecl_parameters import EclParameters
from autolend.batch.eod import EodConfig
from autolend.batch.runners import DAY_COLUMN, next_book_table, result_schema, run_local
from autolend.batch.synth_book import synthetic_book
from autolend.cli import app

if shutil.which("java") is None:
    pytest.skip(
        "Spark needs a Java runtime and `java` is not on the PATH "
        "(run scripts/ensure-system-packages.sh as root)",
        allow_module_level=True,
    )

from autolend.batch.spark_runner import run_spark, spark_session

DAY = day_number(date(2026, 3, 3))
LOANS = 10_000


@pytest.fixture(scope="module")
def book() -> pa.Table:
    return synthetic_book(LOANS, day=DAY, seed=2026).to_arrow()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with spark_session("local[2]", partitions=2) as session:
        yield session


def _assert_every_column_equal(spark_result: pa.Table, local_result: pa.Table) -> None:
    assert spark_result.schema.equals(result_schema())
    assert spark_result.num_rows == local_result.num_rows
    for name in result_schema().names:
        left, right = spark_result.column(name), local_result.column(name)
        if pa.types.is_large_list(left.type):
            assert left.equals(right), name
        else:
            assert np.array_equal(left.to_numpy(), right.to_numpy()), name
    assert spark_result.equals(local_result)


def test_spark_and_local_processes_give_the_same_day_for_every_loan(
    book: pa.Table, spark: Any
) -> None:
    local = run_local(book, DAY, partitions=2, processes=2)
    on_spark = run_spark(book, DAY, partitions=2, spark=spark)
    _assert_every_column_equal(on_spark, local)
    assert local.num_rows == LOANS
    assert int(local.column("out_interest").to_numpy().sum()) > 0
    assert set(local.column("out_stage").to_pylist()) == {1, 2, 3}


def test_three_days_through_on_spark_equal_three_single_days_and_the_local_runner(
    book: pa.Table, spark: Any
) -> None:
    through = run_spark(book, DAY, DAY + 2, partitions=2, spark=spark)
    days, current = [], book
    for day in (DAY, DAY + 1, DAY + 2):
        result = run_spark(current, day, partitions=2, spark=spark)
        days.append(result)
        current = next_book_table(result)
    _assert_every_column_equal(pa.concat_tables(days).combine_chunks(), through)
    _assert_every_column_equal(through, run_local(book, DAY, DAY + 2, partitions=2, processes=2))
    assert through.column(DAY_COLUMN).to_pylist()[::LOANS] == [DAY, DAY + 1, DAY + 2]


def test_spark_reads_the_book_from_parquet_with_the_same_result(
    book: pa.Table, spark: Any, tmp_path: Path
) -> None:
    path = tmp_path / "book.parquet"
    pq.write_table(book, path)
    from_file = run_spark(path, DAY, partitions=3, spark=spark)
    _assert_every_column_equal(from_file, run_local(book, DAY))


def test_the_spark_benchmark_reports_its_figures(spark: Any) -> None:
    args = ["bench", "eod", "--engine", "spark", "--loans", "500", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["engine"] == "spark"
    assert figures["loans"] == 500
    assert figures["seconds"] > 0


def test_spark_computes_with_the_lenders_ecl_parameters_as_the_local_runner_does(
    spark: Any, book: pa.Table
) -> None:
    given = EclParameters(overlay=1.5, repossession_cost={"USD": "1500.00"})
    config = EodConfig(ecl=given.ecl_config())
    part = book.slice(0, 2_000)
    on_spark = run_spark(part, DAY, partitions=2, spark=spark, config=config)
    local = run_local(part, DAY, config=config)
    _assert_every_column_equal(on_spark, local)
    default = run_local(part, DAY).column("out_ecl").to_numpy()
    assert (on_spark.column("out_ecl").to_numpy() > default).any()
