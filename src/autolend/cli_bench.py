"""``autolend bench``: measurements on this machine.

``autolend bench eod --loans N [--json] [--seed S] [--partition-size P]`` runs the
end-of-day kernels over an in-memory synthetic book of N loans (streamed by
partitions) and prints ``{"loans": N, "seconds": ..., "loans_per_second": ...,
"bandwidth_ratio": ...}`` with the per-loan Python loop over 10,000 loans beside it.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from autolend.batch.bench_eod import bench_eod

__all__ = ["bench_app"]

bench_app = typer.Typer(help="Benchmarks on this machine.", no_args_is_help=True)


@bench_app.callback()
def _group() -> None:
    """Benchmarks on this machine."""


@bench_app.command("eod")
def eod(
    loans: Annotated[int, typer.Option("--loans", min=1, help="loans in the book")] = 1_000_000,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON only")] = False,
    seed: Annotated[int, typer.Option("--seed", help="seed of the synthetic book")] = 1,
    partition_size: Annotated[
        int, typer.Option("--partition-size", min=1, help="loans per partition")
    ] = 1_000_000,
    per_loan: Annotated[
        int, typer.Option("--per-loan", min=0, help="loans in the per-loan Python loop")
    ] = 10_000,
) -> None:
    """End-of-day kernels on an in-memory book of N loans, and the bandwidth ratio."""
    result = bench_eod(loans, seed=seed, partition_size=partition_size, per_loan_sample=per_loan)
    if as_json:
        typer.echo(json.dumps(result))
        return
    loop = result["per_loan"]
    typer.echo(f"{result['loans']:,} loans in {result['seconds']} s "
               f"({result['loans_per_second']:,} loans/s), bandwidth ratio "
               f"{result['bandwidth_ratio']}, peak RSS {result['peak_rss_mb']} MB")  # fmt: skip
    typer.echo(f"per-loan loop: {loop['loans']:,} loans in {loop['seconds']} s "
               f"({loop['loans_per_second']:,} loans/s); "
               f"kernels {loop['ratio']}x faster")  # fmt: skip
