"""Credit models and synthetic data on the command line: ``autolend model ...`` and
``autolend synth ...``.

``synth applicants`` writes a synthetic auto-loan applicant population (see
``docs/synthetic-data.md``); ``model cv`` cross-validates the champion and the challenger
on any CSV or Parquet file with a binary target; ``model train`` registers a new version;
``model card`` writes its HTML model card; ``model list`` shows the registry.
Bad input prints one line naming the option and exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

synth_app = typer.Typer(help="Synthetic data (applicants, loan books).", no_args_is_help=True)
model_app = typer.Typer(
    help="Credit models: validate, train, register, model cards.", no_args_is_help=True
)
console = Console()

__all__ = ["model_app", "register", "synth_app"]


def register(app: typer.Typer) -> None:
    app.add_typer(synth_app, name="synth")
    app.add_typer(model_app, name="model")


@synth_app.command("applicants")
def synth_applicants(
    n: Annotated[int, typer.Option("--n", help="how many applicants", min=1)],
    out: Annotated[Path, typer.Option("--out", help="output file: .csv or .parquet")],
    seed: Annotated[int, typer.Option("--seed", help="random seed", min=0)] = 0,
    as_of_month: Annotated[
        str | None, typer.Option("--as-of-month", help="last application month, YYYY-MM")
    ] = None,
) -> None:
    """A synthetic applicant population with known default probabilities (true_pd) and
    outcomes (bad), from the generating process in docs/synthetic-data.md."""
    from autolend.cli import guarded  # noqa: PLC0415 - cli imports this module
    from autolend.risk.synth import synthetic_applicants, write_applicants  # noqa: PLC0415 - pandas loads only when used

    def run() -> None:
        frame = synthetic_applicants(n, seed, as_of_month=as_of_month)
        path = write_applicants(frame, out)
        console.print(
            f"wrote {len(frame):,} applicants to {path} "
            f"(bad rate {frame['bad'].mean():.2%}, mean true PD {frame['true_pd'].mean():.2%})"
        )

    guarded(run)


def print_json(payload: object) -> None:
    console.print_json(json.dumps(payload))


def metrics_table(title: str, rows: dict[str, dict[str, float]]) -> Table:
    table = Table(title=title)
    for column in ("model", "AUC mean", "AUC std", "Gini", "KS"):
        table.add_column(column, justify="right" if column != "model" else "left")
    for model, m in rows.items():
        table.add_row(
            model,
            f"{m['auc_mean']:.4f}",
            f"{m['auc_std']:.4f}",
            f"{m['gini']:.4f}",
            f"{m['ks']:.4f}",
        )
    return table
