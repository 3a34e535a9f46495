"""The end-of-day kernel benchmark: an in-memory synthetic book, streamed by partitions.

For each partition (default 1,000,000 loans, so a 10,000,000-loan run holds one
partition at a time) the book is generated (not timed), :func:`~autolend.batch.eod.
run_day` runs once (timed), and every column is read once with NumPy (``sum``, timed):
``bandwidth_ratio`` is kernel time / read time, how many passes over the book's bytes
the whole end of day costs.  Beside it, the per-loan way: ``per_loan_sample`` loans of
the first partition rebuilt as domain states, each accrued for the day with
:func:`autolend.domain.servicing.accrue` and classified (DPD bucket and five-tier class)
in a Python loop; ``per_loan.ratio`` is its time per loan over the kernels'.

Example (shape only): ``{"loans": 1000, "seconds": 0.004, "loans_per_second": 2.5e5,
"bandwidth_ratio": 9.1, ...}``.
"""

from __future__ import annotations

import resource
import time
from typing import Any

import numpy as np

from autolend.batch.book import Book, from_day_number
from autolend.batch.book_domain import state_of
from autolend.batch.eod import run_day
from autolend.batch.synth_book import synthetic_book
from autolend.domain.servicing import CN_FIVE_TIER, accrue, bucket_of

__all__ = ["DEFAULT_DAY", "bench_eod", "per_loan_seconds", "read_seconds"]

DEFAULT_DAY = 20_514  # 2026-03-02 (days since 1970-01-01)


def read_seconds(book: Book) -> float:
    """Seconds to read every column of ``book`` once (a NumPy sum of each)."""
    columns = (*book.loans.values(), *book.rows.values(), book.offsets)
    start = time.perf_counter()
    for column in columns:
        np.add.reduce(column, dtype=np.int64)
    return time.perf_counter() - start


def per_loan_seconds(book: Book, day: int, sample: int) -> tuple[int, float]:
    """(loans, seconds) of the per-loan Python loop over the first ``sample`` loans."""
    count = min(sample, len(book))
    loans = [state_of(book, i) for i in range(count)]
    as_of = from_day_number(day)
    start = time.perf_counter()
    for loan in loans:
        state = accrue(loan.state, as_of, loan.policy, loan.pack).state
        dpd = state.days_past_due(as_of)
        bucket_of(dpd)
        bucket_of(dpd, CN_FIVE_TIER)
    return count, time.perf_counter() - start


def bench_eod(
    loans: int, *, seed: int = 1, partition_size: int = 1_000_000, day: int = DEFAULT_DAY,
    per_loan_sample: int = 10_000,
) -> dict[str, Any]:  # fmt: skip
    """Run the benchmark and return its figures (see the module docstring)."""
    kernel = read = 0.0
    nbytes = partitions = 0
    sample: tuple[int, float] = (0, 0.0)
    for first in range(0, loans, partition_size):
        book = synthetic_book(min(partition_size, loans - first), day=day, seed=seed + partitions,
                              first_id=first)  # fmt: skip
        start = time.perf_counter()
        run_day(book, day)
        kernel += time.perf_counter() - start
        read += read_seconds(book)
        nbytes += book.nbytes
        if partitions == 0 and per_loan_sample > 0:
            sample = per_loan_seconds(book, day, per_loan_sample)
        partitions += 1
        del book
    per_loan_rate = sample[0] / sample[1] if sample[1] else 0.0
    rate = loans / kernel if kernel else 0.0
    return {
        "loans": loans, "seconds": round(kernel, 4), "loans_per_second": round(rate),
        "bandwidth_ratio": round(kernel / read, 2) if read else None,
        "read_seconds": round(read, 4), "bytes": nbytes, "partitions": partitions,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "per_loan": {"loans": sample[0], "seconds": round(sample[1], 4),
                     "loans_per_second": round(per_loan_rate),
                     "ratio": round(rate / per_loan_rate, 1) if per_loan_rate else None},
    }  # fmt: skip
