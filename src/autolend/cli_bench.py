"""``autolend bench``: measurements on this machine.

``autolend bench eod --loans N [--json] [--seed S] [--partition-size P]`` runs the
end-of-day kernels over an in-memory synthetic book of N loans (streamed by
partitions) and prints ``{"loans": N, "seconds": ..., "loans_per_second": ...,
"bandwidth_ratio": ...}`` with the per-loan Python loop over 10,000 loans beside it.
``--engine spark [--master local[2]] [--partitions P]`` runs one day of the same
kernels on Spark instead and prints ``{"engine": "spark", "loans": N, "seconds": ...}``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from autolend.batch.bench_eod import DEFAULT_DAY, bench_eod

__all__ = ["bench_app"]

bench_app = typer.Typer(help="Benchmarks on this machine.", no_args_is_help=True)


@bench_app.callback()
def _group() -> None:
    """Benchmarks on this machine."""


@bench_app.command("eod")
def eod(  # noqa: PLR0917 - one option per knob of the command line
    loans: Annotated[int, typer.Option("--loans", min=1, help="loans in the book")] = 1_000_000,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON only")] = False,
    seed: Annotated[int, typer.Option("--seed", min=0, help="seed of the synthetic book")] = 1,
    partition_size: Annotated[
        int, typer.Option("--partition-size", min=1, help="loans per partition")
    ] = 1_000_000,
    per_loan: Annotated[
        int,
        typer.Option("--per-loan", min=0, help="loans in the per-loan Python loop (0: skip it)"),
    ] = 10_000,
    engine: Annotated[
        str, typer.Option("--engine", help="local (kernels in this process) or spark")
    ] = "local",
    master: Annotated[str, typer.Option("--master", help="Spark master URL")] = "local[2]",
    partitions: Annotated[int, typer.Option("--partitions", min=1, help="Spark partitions")] = 2,
) -> None:
    """End-of-day kernels on an in-memory book of N loans, and the bandwidth ratio;
    with --engine spark, one day of the same kernels on Spark (mapInArrow)."""
    from autolend.cli import guarded  # noqa: PLC0415 - cli imports this module

    if engine == "spark":
        _bench_spark(loans, seed, master, partitions, as_json=as_json)
        return
    if engine != "local":
        raise typer.BadParameter(f"--engine must be local or spark, not {engine!r}")
    result = guarded(
        lambda: bench_eod(loans, seed=seed, partition_size=partition_size, per_loan_sample=per_loan)
    )
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"{result['loans']:,} loans in {result['seconds']} s "
               f"({result['loans_per_second']:,} loans/s), bandwidth ratio "
               f"{result['bandwidth_ratio']}, peak RSS {result['peak_rss_mb']} MB")  # fmt: skip
    typer.echo(_per_loan_line(result["per_loan"]))


def _per_loan_line(loop: dict[str, Any]) -> str:
    """The per-loan loop beside the kernels; ``per-loan loop: skipped`` when it timed no
    loan (``--per-loan 0``), rather than "kernels Nonex faster"."""
    if not loop["ratio"]:
        return "per-loan loop: skipped (--per-loan 0)"
    return (f"per-loan loop: {loop['loans']:,} loans in {loop['seconds']} s "
            f"({loop['loans_per_second']:,} loans/s); kernels {loop['ratio']}x faster")  # fmt: skip


def _bench_spark(loans: int, seed: int, master: str, partitions: int, *, as_json: bool) -> None:
    from autolend.batch.spark_runner import bench_spark  # noqa: PLC0415 - Spark only if chosen
    from autolend.cli import guarded  # noqa: PLC0415 - cli imports this module

    result = guarded(
        lambda: bench_spark(loans, day=DEFAULT_DAY, seed=seed, master=master, partitions=partitions)
    )
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"spark {master}, {partitions} partitions: {result['loans']:,} loans in "
        f"{result['seconds']} s ({result['loans_per_second']:,} loans/s; first run "
        f"{result['cold_seconds']} s, session start {result['session_seconds']} s)"
    )
