"""The Spark runner: the same end-of-day kernels on a Spark cluster through
``mapInArrow``.

The book (an Arrow table or a Parquet file of :meth:`Book.to_arrow`) becomes a
DataFrame of ``partitions`` partitions; each Arrow record batch Spark hands a Python
worker is turned into a :class:`~autolend.batch.book.Book` and run through
:func:`~autolend.batch.runners.run_partition` (the very function of the local runner),
and the result comes back as Arrow, :func:`~autolend.batch.runners.normalise` d: sorted
by day then loan id, so it equals the local runner's table column for column.

pyspark is imported here only, inside the functions, so the rest of the platform does
not pay for a JVM it does not use.  Python workers run this interpreter
(``sys.executable``), which has autolend installed.

Example: ``run_spark(table, 20514, master="local[2]", partitions=2)`` equals
``run_local(table, 20514, partitions=2, processes=2)``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import pyarrow as pa  # type: ignore[import-untyped]

from autolend.batch.eod import EodConfig
from autolend.batch.runners import (
    DEFAULT_CONFIG,
    check_days,
    normalise,
    result_schema,
    run_partition,
)
from autolend.domain.errors import InvalidInput

__all__ = ["DRIVER_MEMORY", "SPARK_BATCH_LOANS", "bench_spark", "run_spark", "spark_session"]

SPARK_BATCH_LOANS: Final = 50_000
"""Loans per Arrow batch handed to a worker (fewer, larger kernel calls)."""
DRIVER_MEMORY: Final = "8g"
"""The driver collects the whole result: about 1 GB of Arrow a day per million loans,
held more than once while it is fetched (4 GB ran out of heap at 1 M loans).  The JVM
takes the memory only as it needs it."""


def _quiet() -> None:
    # pyspark warns that it does not yet support pandas 3; the runner uses Arrow only
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


_LOG4J2: Final = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""
"""The driver's log configuration: errors only (Spark's default logs INFO / WARN)."""


@contextmanager
def spark_session(master: str, partitions: int = 2) -> Iterator[Any]:
    """A SparkSession on ``master`` (``local[2]``, ``spark://host:7077``): shuffle
    partitions = ``partitions``, UI and console progress off, logs at ERROR.  Stops it
    on exit only if this call created it."""
    _quiet()
    from pyspark.sql import SparkSession  # noqa: PLC0415 - Spark loads only when chosen

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    active = SparkSession.getActiveSession()
    with tempfile.TemporaryDirectory(prefix="autolend-spark-") as folder:
        logs = Path(folder) / "log4j2.properties"
        logs.write_text(_LOG4J2, encoding="utf-8")
        builder = (
            SparkSession.builder.master(master)
            .appName("autolend-eod")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={logs.as_uri()}")
            .config("spark.driver.memory", DRIVER_MEMORY)
            .config("spark.driver.maxResultSize", "6g")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.pyspark.python", sys.executable)
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(SPARK_BATCH_LOANS))
        )
        spark = builder.getOrCreate()  # the JVM has read the log file once started
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        if active is None:
            spark.stop()


def _spark_input(table: pa.Table) -> pa.Table:
    """Spark moves ``list`` (int32 offsets), not ``large_list``."""
    fields = [
        pa.field(f.name, pa.list_(f.type.value_type)) if pa.types.is_large_list(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _day_mapper(first: int, through: int, config: EodConfig) -> Any:
    spark_schema = result_schema(large_lists=False)

    def run_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _quiet()
        for batch in batches:
            if batch.num_rows == 0:
                continue
            result = run_partition(pa.Table.from_batches([batch]), first, through, config)
            yield from result.cast(spark_schema).to_batches()

    return run_batches


def _frame(spark: Any, book: pa.Table | Path | str, partitions: int) -> Any:
    if isinstance(book, pa.Table):
        frame = spark.createDataFrame(_spark_input(book))
    else:
        frame = spark.read.parquet(str(book))
    if frame.rdd.getNumPartitions() != partitions:
        frame = frame.repartition(partitions)
    return frame


def run_spark(
    book: pa.Table | Path | str, first: int, through: int | None = None, *,
    master: str = "local[2]", partitions: int = 2, spark: Any = None,
    config: EodConfig = DEFAULT_CONFIG,
) -> pa.Table:  # fmt: skip
    """Days ``first`` to ``through`` (default: ``first`` only) over ``book`` on Spark
    (a session on ``master``, or the given ``spark`` session) with ``config`` (the
    lender's ECL parameters travel with the mapper to the workers); the result in
    :func:`~autolend.batch.runners.result_schema`, sorted by day then loan id."""
    last = first if through is None else through
    check_days(first, last)
    if partitions < 1:
        raise InvalidInput("partitions must be at least 1", field="partitions")
    if spark is None:
        with spark_session(master, partitions) as session:
            return run_spark(book, first, last, partitions=partitions, spark=session, config=config)
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    with warnings.catch_warnings():
        _quiet()
        frame = _frame(spark, book, partitions)
        schema = from_arrow_schema(result_schema(large_lists=False))
        done = frame.mapInArrow(_day_mapper(first, last, config), schema).toArrow()
    return normalise(done)


def bench_spark(
    loans: int, *, day: int, seed: int = 1, master: str = "local[2]", partitions: int = 2
) -> dict[str, Any]:
    """Seconds to start a session and to run one day over an in-memory synthetic book
    of ``loans`` on Spark (generating the book is not timed; the run is timed twice,
    cold then warm, since the first job also starts the Python workers).

    Example (shape only): ``{"engine": "spark", "loans": 10000, "seconds": 2.1, ...}``.
    """
    from autolend.batch.synth_book import synthetic_book  # noqa: PLC0415 - bench only

    book = synthetic_book(loans, day=day, seed=seed).to_arrow()
    start = time.perf_counter()
    with spark_session(master, partitions) as spark:
        session = time.perf_counter() - start
        times = []
        for _ in range(2):
            start = time.perf_counter()
            run_spark(book, day, partitions=partitions, spark=spark)
            times.append(time.perf_counter() - start)
    warm = times[-1]
    return {
        "engine": "spark", "master": master, "partitions": partitions, "loans": loans,
        "seconds": round(warm, 3), "loans_per_second": round(loans / warm) if warm else None,
        "cold_seconds": round(times[0], 3), "session_seconds": round(session, 3),
    }  # fmt: skip
