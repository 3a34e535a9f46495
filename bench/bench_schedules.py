"""Loan-mathematics benchmark: the Decimal schedule path, the vectorised int64 kernels and
numpy-financial's ``ipmt`` / ``ppmt`` on the same book of car loans.

Run: ``.venv/bin/python bench/bench_schedules.py [--loans 20000] [--periods 60] [--seed N]``.
The book: 10,000..1,000,000 CNY, 0..24 % a year (up to 4 decimals of a percent), monthly,
half-up to the fen, all ``--periods`` long.  Every vectorised row is checked against the
Decimal path before a figure is printed.  Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy_financial as npf

from autolend.batch.schedules import (
    RATE_SCALE,
    VectorSchedule,
    equal_installment_rows,
    equal_principal_rows,
)
from autolend.domain.money import Money, currency
from autolend.domain.schedule import LoanTerms, Method, Schedule, build_schedule

CNY = currency("CNY")


def book(loans: int, periods: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "principal": rng.integers(1_000_000, 100_000_001, loans),
        "rate": rng.integers(0, 240_001, loans) * 10**4,  # 10^-10 units: 0..24 %, 4 dp of %
        "periods": np.full(loans, periods, dtype=np.int64),
        "start_offset": rng.integers(0, 365, loans),  # disbursed on any day of 2026
    }


def all_terms(columns: dict[str, np.ndarray], method: Method) -> list[LoanTerms]:
    first = date(2026, 1, 1)
    return [
        LoanTerms(
            principal=Money(int(p), CNY),
            annual_rate=Decimal(int(r)).scaleb(-10),
            periods=int(n),
            start=first + timedelta(int(d)),
            method=method,
        )
        for p, r, n, d in zip(
            columns["principal"], columns["rate"], columns["periods"], columns["start_offset"],
            strict=True,
        )
    ]  # fmt: skip


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """Fastest wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def build_each(terms: list[LoanTerms]) -> None:
    """build_schedule for every loan, each schedule dropped as a batch would stream it."""
    for t in terms:
        build_schedule(t)


def terms_and_build_each(terms: list[LoanTerms]) -> None:
    """As :func:`build_each`, constructing (validating) each loan's terms first."""
    for t in terms:
        build_schedule(LoanTerms(principal=t.principal, annual_rate=t.annual_rate,
                                 periods=t.periods, start=t.start, method=t.method))  # fmt: skip


def same_rows(vector: VectorSchedule, schedules: list[Schedule]) -> bool:
    for i, schedule in enumerate(schedules):
        expected = [(r.principal, r.interest, r.payment, r.closing_balance) for r in schedule.rows]
        if vector.loan_rows(i) != expected:
            return False
    return True


def numpy_financial(columns: dict[str, np.ndarray]) -> float:
    """Seconds for ipmt + ppmt over the (loans x periods) grid, broadcast."""
    rate = (columns["rate"] / RATE_SCALE / 12)[:, None]
    nper = columns["periods"][:, None].astype(np.float64)
    pv = columns["principal"][:, None].astype(np.float64)
    per = np.arange(1, int(columns["periods"].max()) + 1)[None, :]
    return best_of(3, lambda: (npf.ipmt(rate, per, nper, pv), npf.ppmt(rate, per, nper, pv)))


KERNELS: dict[Method, Callable[..., VectorSchedule]] = {
    Method.EQUAL_INSTALLMENT: equal_installment_rows,
    Method.EQUAL_PRINCIPAL: equal_principal_rows,
}


def method_lines(
    method: Method, kernel: Callable[..., VectorSchedule], columns: dict[str, np.ndarray]
) -> list[str]:
    """Decimal and vectorised figures of one method (best of 3 and of 5 runs), after
    checking that every vectorised row equals the Decimal path's."""
    loans, rows = len(columns["principal"]), int(columns["periods"].sum())
    inputs = (columns["principal"], columns["rate"], columns["periods"])
    terms = all_terms(columns, method)
    schedules = [build_schedule(t) for t in terms]  # also warms the due-date caches
    assert same_rows(kernel(*inputs), schedules), f"{method}: vectorised rows differ"
    del schedules
    built = best_of(3, lambda: build_each(terms))
    with_terms = best_of(3, lambda: terms_and_build_each(terms))
    seconds = best_of(5, lambda: kernel(*inputs))
    return [
        f"| {method.value}: Decimal `build_schedule`, one process | "
        f"{loans / built:,.0f} schedules/s ({rows / built:,.0f} rows/s) |",
        f"| {method.value}: Decimal `LoanTerms(...)` + `build_schedule` | "
        f"{loans / with_terms:,.0f} schedules/s |",
        f"| {method.value}: vectorised int64 kernel (installments included) | "
        f"{rows / seconds:,.0f} rows/s ({loans / seconds:,.0f} schedules/s) |",
    ]


def machine() -> str:
    return (
        f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"numpy-financial {npf.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--loans", type=int, default=20_000)
    parser.add_argument("--periods", type=int, default=60)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    columns = book(args.loans, args.periods, args.seed)
    rows = args.loans * args.periods
    lines = []
    for method, kernel in KERNELS.items():
        lines += method_lines(method, kernel, columns)
    npf_seconds = numpy_financial(columns)
    lines.append(f"| numpy-financial `ipmt` + `ppmt`, broadcast (float64) | "
                 f"{rows / npf_seconds:,.0f} rows/s |")  # fmt: skip
    command = " ".join([os.path.relpath(sys.executable), *sys.argv])
    print(f"Command: `{command}`  ")
    print(f"Machine: {machine()}  ")
    print(f"Book: {args.loans:,} loans x {args.periods} months = {rows:,} rows; "
          "every vectorised row equals the Decimal path's.\n")  # fmt: skip
    print("| what | figure |\n| --- | --- |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
