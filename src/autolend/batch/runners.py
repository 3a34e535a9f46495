"""End-of-day runners over a book table: the result shape both engines share, and the
local runner (processes over partitions).

A book table is :meth:`Book.to_arrow` (one row per loan).  The **result** of days
``first`` to ``through`` is one Arrow table (:func:`result_schema`), one row per loan
and day, sorted by ``out_day`` then ``loan_id``: the day's outputs
(:data:`OUTPUT_COLUMNS`, every field of :class:`~autolend.batch.eod.DayOutputs` and of
its accrual, prefixed ``out_``) beside the book as of the start of the next day (the
book's own column names).  So the rows of the last day *are* the next book
(:func:`next_book_table`), and three single days chained equal ``--through`` three
days.

Every loan's day depends on that loan's columns only, so the result does not depend
on how the book is cut: one partition or eight give the same table.

Example: a 3-loan book run for days 20514-20515 gives 6 rows, ``out_day`` 20514,
20514, 20514, 20515, 20515, 20515, and in each day the loan ids ascending.
"""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from autolend.batch.book import INSTALLMENT_SCHEMA, LOAN_SCHEMA, Book, Column
from autolend.batch.eod import DayOutputs, EodConfig, run_day
from autolend.domain.errors import InvalidInput

__all__ = [
    "DAY_COLUMN", "DEFAULT_CONFIG", "OUTPUT_COLUMNS", "check_days", "next_book_table", "normalise",
    "outputs_table", "partition_bounds", "result_schema", "run_local", "run_partition",
]  # fmt: skip

DAY_COLUMN: Final = "out_day"
DEFAULT_CONFIG: Final = EodConfig()
_PREFIX: Final = "out_"
_ACCRUAL_FIELDS: Final[Mapping[str, type[np.generic]]] = {
    "accrued": np.bool_, "interest": np.int64, "fee": np.int64, "penalty": np.int64,
    "compound": np.int64, "ceiling_reached": np.bool_, "due_principal": np.int64,
    "due_interest": np.int64, "due_fee": np.int64, "advance_applied": np.int64,
    "dpd": np.int64, "referred": np.bool_,
}  # fmt: skip
# warnings are bit flags in a uint8; int16 holds them exactly and Spark has no unsigned type
_CLASS_FIELDS: Final[Mapping[str, type[np.generic]]] = {
    "bucket": np.int8, "risk_class": np.int8, "class_source": np.int8, "stage": np.int8,
    "ecl": np.int64, "warnings": np.int16, "collection": np.int8,
}  # fmt: skip
OUTPUT_COLUMNS: Final[Mapping[str, type[np.generic]]] = {
    _PREFIX + name: dtype for name, dtype in (*_ACCRUAL_FIELDS.items(), *_CLASS_FIELDS.items())
}
"""The day's output columns and their dtypes (besides ``loan_id`` and ``out_day``)."""


def result_schema(*, large_lists: bool = True) -> pa.Schema:
    """``loan_id``, ``out_day``, the outputs, then the next book's other columns;
    installments as ``large_list`` (or ``list``, what Spark moves)."""
    listed = pa.large_list if large_lists else pa.list_
    fields = [pa.field("loan_id", pa.int64()), pa.field(DAY_COLUMN, pa.int32())]
    fields += [pa.field(n, pa.from_numpy_dtype(t)) for n, t in OUTPUT_COLUMNS.items()]
    fields += [pa.field(n, pa.from_numpy_dtype(t)) for n, t in LOAN_SCHEMA.items()
               if n != "loan_id"]  # fmt: skip
    fields += [pa.field("inst_" + n, listed(pa.from_numpy_dtype(t)))
               for n, t in INSTALLMENT_SCHEMA.items()]  # fmt: skip
    return pa.schema(fields)


def outputs_table(next_book: Book, outputs: DayOutputs) -> pa.Table:
    """One day's result rows (in the book's order) in :func:`result_schema`."""
    columns: dict[str, Column] = {}
    for name, dtype in _ACCRUAL_FIELDS.items():
        columns[_PREFIX + name] = np.asarray(getattr(outputs.accrual, name), dtype=dtype)
    for name, dtype in _CLASS_FIELDS.items():
        columns[_PREFIX + name] = np.asarray(getattr(outputs, name), dtype=dtype)
    book = next_book.to_arrow()
    day = np.full(len(next_book), outputs.accrual.day, dtype=np.int32)
    arrays = {"loan_id": book.column("loan_id"), DAY_COLUMN: pa.array(day)}
    arrays |= {name: pa.array(values) for name, values in columns.items()}
    arrays |= {name: book.column(name) for name in book.column_names if name != "loan_id"}
    return pa.table(arrays).select(result_schema().names)


def check_days(first: int, through: int) -> None:
    """Refuse a range that runs backwards (``through`` before ``first``)."""
    if through < first:
        raise InvalidInput("the last day must not come before the first", field="through")


def run_partition(
    book_table: pa.Table, first: int, through: int, config: EodConfig = DEFAULT_CONFIG
) -> pa.Table:
    """Days ``first`` to ``through`` over one partition of a book table, unsorted
    (day by day, each in the partition's order)."""
    check_days(first, through)
    book = Book.from_arrow(book_table)
    days: list[pa.Table] = []
    for day in range(first, through + 1):
        book, outputs = run_day(book, day, config)
        days.append(outputs_table(book, outputs))
    return pa.concat_tables(days)


def normalise(result: pa.Table) -> pa.Table:
    """A result from either engine in :func:`result_schema` (``large_list``, this
    column order) sorted by ``out_day`` then ``loan_id``."""
    schema = result_schema()
    table = result.select(schema.names).cast(schema).combine_chunks()
    day = table.column(DAY_COLUMN).to_numpy()
    loan = table.column("loan_id").to_numpy()
    order = np.lexsort((loan, day))
    if np.array_equal(order, np.arange(len(order))):
        return table  # already in order (the local runner on a sorted book): no copy
    return table.take(pa.array(order)).combine_chunks()


def next_book_table(result: pa.Table) -> pa.Table:
    """The book as of the start of the day after the result's last day."""
    last = pc.max(result.column(DAY_COLUMN)).as_py()
    rows = result.filter(pc.equal(result.column(DAY_COLUMN), last))
    names = [*LOAN_SCHEMA, *("inst_" + n for n in INSTALLMENT_SCHEMA)]
    return rows.select(names)


def partition_bounds(loans: int, partitions: int) -> list[tuple[int, int]]:
    """``partitions`` contiguous (offset, length) slices, the first ones one loan
    longer when the loans do not divide evenly: 10 loans in 3 gives
    ``[(0, 4), (4, 3), (7, 3)]``; empty slices are dropped."""
    if partitions < 1:
        raise InvalidInput("partitions must be at least 1", field="partitions")
    size, extra = divmod(loans, partitions)
    bounds, offset = [], 0
    for index in range(partitions):
        length = size + (1 if index < extra else 0)
        if length:
            bounds.append((offset, length))
        offset += length
    return bounds


def _write_ipc(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read_ipc(path: Path) -> pa.Table:
    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()


def _run_file_partition(
    folder: Path, offset: int, length: int, days: tuple[int, int], config: EodConfig
) -> Path:
    """A worker's part: its slice of the memory-mapped book in, its result file out (a
    file, not a pipe: a sliced table pickles with its whole buffers, and a pipe copies)."""
    part = _read_ipc(folder / "book.arrow").slice(offset, length)
    out = folder / f"result-{offset}.arrow"
    _write_ipc(run_partition(part, *days, config), out)
    return out


def _run_processes(
    book_table: pa.Table, bounds: list[tuple[int, int]], days: tuple[int, int],
    processes: int, config: EodConfig,
) -> pa.Table:  # fmt: skip
    # forkserver: workers start from a clean process, never a fork of one that may hold
    # threads (a Spark gateway, a web server) and their locks
    context = multiprocessing.get_context("forkserver")
    with tempfile.TemporaryDirectory(prefix="autolend-eod-") as name:
        folder = Path(name)
        _write_ipc(book_table.combine_chunks(), folder / "book.arrow")
        with ProcessPoolExecutor(min(processes, len(bounds)), mp_context=context) as pool:
            futures = [pool.submit(_run_file_partition, folder, offset, length, days, config)
                       for offset, length in bounds]  # fmt: skip
            paths = [future.result() for future in futures]
        # normalise copies into memory before the folder goes
        return normalise(pa.concat_tables([_read_ipc(path) for path in paths]))


def run_local(
    book_table: pa.Table, first: int, through: int | None = None, *,
    partitions: int = 1, processes: int = 1, config: EodConfig = DEFAULT_CONFIG,
) -> pa.Table:  # fmt: skip
    """Days ``first`` to ``through`` (default: ``first`` only) over the book, cut into
    ``partitions`` slices run by ``processes`` worker processes (1: in this process);
    the result is :func:`normalise` d, so it is the same for any cut."""
    last = first if through is None else through
    check_days(first, last)
    if processes < 1:
        raise InvalidInput("processes must be at least 1", field="processes")
    bounds = partition_bounds(book_table.num_rows, partitions)
    if not bounds:
        return result_schema().empty_table()
    if processes == 1 or len(bounds) == 1:
        parts = (book_table.slice(offset, length) for offset, length in bounds)
        return normalise(pa.concat_tables([run_partition(p, first, last, config) for p in parts]))
    return _run_processes(book_table, bounds, (first, last), processes, config)
