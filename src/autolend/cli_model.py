"""Credit models and synthetic data on the command line: ``autolend model ...`` and
``autolend synth ...``.

``synth applicants`` writes a synthetic auto-loan applicant population (see
``docs/synthetic-data.md``); ``model cv`` cross-validates the champion and the challenger
on any CSV or Parquet file with a binary target; ``model train`` registers a new version;
``model card`` writes its HTML model card; ``model list`` shows the registry; ``model
monitor`` scores a window and stores a monitoring report (PSI, AUC / KS by month, fairness).
Bad input prints one line naming the option and exits 1.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

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


DataOption = Annotated[Path, typer.Option("--data", help="training data: .csv or .parquet")]
TargetOption = Annotated[str, typer.Option("--target", help="the outcome column")]
BadOption = Annotated[
    str | None, typer.Option("--bad", help="the target value meaning bad (default: guessed)")
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="a column that is not a feature (repeat the option)"),
]
ProtectedOption = Annotated[
    list[str] | None,
    typer.Option(
        "--protected", help="a protected attribute, kept out of the model (repeat the option)"
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="random seed", min=0)]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]


def _training_frame(data: Path, excluded: list[str]) -> object:
    from autolend.domain.errors import InvalidInput  # noqa: PLC0415
    from autolend.risk.dataset import load_table  # noqa: PLC0415 - pandas loads only when used

    frame = load_table(data)
    unknown = [c for c in excluded if c not in frame.columns]
    if unknown:
        raise InvalidInput(f"no column {unknown[0]!r} to leave out", field="--exclude")
    return frame.drop(columns=excluded)


@model_app.command("cv")
def model_cv(  # noqa: PLR0917 - one option per knob of the command line
    data: DataOption,
    target: TargetOption,
    bad: BadOption = None,
    folds: Annotated[int, typer.Option("--folds", min=2)] = 5,
    repeats: Annotated[int, typer.Option("--repeats", min=1)] = 3,
    seed: SeedOption = 0,
    exclude: ExcludeOption = None,
    protected: ProtectedOption = None,
    as_json: JsonOption = False,
) -> None:
    """Repeated stratified k-fold AUC (mean and spread), Gini and KS of the champion
    scorecard, the LightGBM challenger, the size-bounded forest and the ensemble (rank
    average of the champion and the forest), all fitted inside each fold."""
    from autolend.cli import guarded  # noqa: PLC0415 - cli imports this module
    from autolend.cli_progress import fit_progress  # noqa: PLC0415
    from autolend.risk.cv import cross_validate  # noqa: PLC0415
    from autolend.risk.dataset import training_data  # noqa: PLC0415

    def run() -> dict[str, object]:
        frame = _training_frame(data, [*(exclude or []), *(protected or [])])
        prepared = training_data(frame, target, bad)
        with fit_progress("cross-validation: folds fitted") as tick:
            done = cross_validate(prepared, folds=folds, repeats=repeats, seed=seed, progress=tick)
        return done.as_dict()

    report = guarded(run)
    if as_json:
        print_json(report)
        return
    models = {k: v for k, v in report.items() if isinstance(v, dict)}
    console.print(metrics_table(f"{folds}-fold x {repeats} repeats, seed {seed}", models))
    console.print(f"rows {report['rows']:,} · bad rate {float(report['bad_rate']):.2%}")  # type: ignore[arg-type]


@model_app.command("train")
def model_train(  # noqa: PLR0917 - one option per knob of the command line
    data: DataOption,
    target: TargetOption,
    name: Annotated[str, typer.Option("--name", help="registry name, e.g. default")],
    bad: BadOption = None,
    seed: SeedOption = 0,
    exclude: ExcludeOption = None,
    protected: ProtectedOption = None,
    base_points: Annotated[
        float, typer.Option("--base-points", help="score at the base odds")
    ] = 600.0,
    base_odds: Annotated[
        float, typer.Option("--base-odds", help="good:bad odds at the base points")
    ] = 50.0,
    pdo: Annotated[float, typer.Option("--pdo", help="points to double the odds")] = 20.0,
    as_json: JsonOption = False,
) -> None:
    """Train the champion and the challenger, calibrate, and register a new version."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.cli_progress import fit_progress  # noqa: PLC0415
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.services.models import RegisteredModel, TrainRequest  # noqa: PLC0415

    def run() -> RegisteredModel:
        from autolend.risk.scorecard import ScorecardScaling  # noqa: PLC0415

        scaling = ScorecardScaling(base_points, base_odds, pdo)  # checked: InvalidInput
        request = TrainRequest(
            data, target, bad, name, seed, tuple(exclude or ()), tuple(protected or ())
        )
        request = replace(request, scaling=scaling)
        models = _container(migrate=True).services.models
        with fit_progress("training: fits done (folds, then all rows)") as tick:
            return models.train(SYSTEM_ACTOR, request, progress=tick)

    entry = guarded(run)
    card = entry.metadata["card"]
    if as_json:
        print_json({"name": entry.name, "version": entry.version, "metrics": card["metrics"]})
        return
    m = card["metrics"]
    console.print(
        f"registered [bold]{entry.name}[/] version {entry.version}: primary {card['primary']}, "
        f"out-of-fold AUC {m['auc']:.4f}, KS {m['ks']:.4f}, Brier {m['brier']:.4f} "
        f"({card['calibration_method']}), {entry.metadata['training_seconds']} s"
    )


@model_app.command("card")
def model_card(
    name: Annotated[str, typer.Argument(help="registry name")],
    version: Annotated[int | None, typer.Option("--version", help="default: latest")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file to write")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh_CN or en")] = "zh_CN",
) -> None:
    """Write the model card (ROC, KS, calibration, score distribution, bins, top
    features, PSI baseline) as one self-contained HTML file."""
    from autolend.cli import _container, fail, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.web.i18n import LOCALES  # noqa: PLC0415
    from autolend.web.model_card import standalone_card  # noqa: PLC0415

    if lang not in LOCALES:
        raise fail(f"--lang must be one of {', '.join(LOCALES)}")
    entry = guarded(lambda: _container().services.models.describe(SYSTEM_ACTOR, name, version))
    target = out or Path(f"model-card-{entry.name}-v{entry.version}.html")
    target.write_text(standalone_card(entry.metadata, lang), encoding="utf-8")
    console.print(f"wrote the model card of {entry.name} version {entry.version} to {target}")


@model_app.command("list")
def model_list(as_json: JsonOption = False) -> None:
    """The registered models, newest version first."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415

    entries = guarded(lambda: _container().services.models.versions(SYSTEM_ACTOR))
    rows = [
        {
            "name": e.name,
            "version": e.version,
            "trained_at": e.metadata.get("trained_at"),
            "auc": e.metadata["card"]["metrics"]["auc"],
            "primary": e.metadata["card"]["primary"],
            "rows": e.metadata["data"]["rows"],
        }
        for e in entries
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="models")
    for column in ("name", "version", "trained_at", "auc", "primary", "rows"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    console.print(table)


@model_app.command("monitor")
def model_monitor(  # noqa: PLR0917 - one option per knob of the command line
    name: Annotated[str, typer.Argument(help="registry name")],
    data: Annotated[Path, typer.Option("--data", help="the window: .csv or .parquet")],
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="baseline file for feature PSI (default: score only)"),
    ] = None,
    month_col: Annotated[str, typer.Option("--month-col")] = "application_month",
    target: Annotated[
        str | None, typer.Option("--target", help="outcome column; missing = not observed yet")
    ] = "bad",
    group: Annotated[
        str | None, typer.Option("--group", help="protected attribute for the fairness report")
    ] = None,
    version: Annotated[int | None, typer.Option("--version", help="default: latest")] = None,
    as_json: JsonOption = False,
) -> None:
    """Score a window with the model and store a monitoring report: PSI of the score (and of
    each feature against --baseline), AUC/KS and bad rate by month, fairness by --group."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.services.model_monitoring import MonitorRequest  # noqa: PLC0415

    request = MonitorRequest(
        name,
        data,
        baseline=baseline if baseline is not None else "training",
        month_col=month_col,
        target_col=target,
        group_col=group,
        version=version,
    )
    container = guarded(lambda: _container(migrate=True))
    made = guarded(lambda: container.services.model_monitoring.run(SYSTEM_ACTOR, request))
    if as_json:
        print_json({"id": made.id, **made.report})
        return
    _print_monitoring(made.report)


def _print_monitoring(report: dict[str, object]) -> None:
    body: dict[str, Any] = dict(report)
    score = body["score_psi"]
    console.print(
        f"{body['model']['name']} v{body['model']['version']}: status [bold]{body['status']}[/], "
        f"score PSI {score['psi']:.4f} over {body['window']['rows']:,} applications"
    )
    table = Table(title="PSI")
    for column in ("feature", "PSI", "status"):
        table.add_column(column)
    for row in body["feature_psi"]:
        table.add_row(row["feature"], f"{row['psi']:.4f}", row["status"])
    if body["feature_psi"]:
        console.print(table)
    months = Table(title="by month")
    for column in ("month", "count", "bad rate", "AUC", "KS"):
        months.add_column(column)
    for row in body["performance"]:
        auc = "—" if row["auc"] is None else f"{row['auc']:.3f}"
        ks = "—" if row["ks"] is None else f"{row['ks']:.3f}"
        months.add_row(row["month"], str(row["count"]), f"{row['bad_rate']:.2%}", auc, ks)
    if body["performance"]:
        console.print(months)
    if body["fairness"]:
        flagged = body["fairness"]["flagged_groups"]
        console.print(f"fairness by {body['fairness']['group_col']}: flagged {flagged or 'none'}")


@synth_app.command("portfolio")
def synth_portfolio(
    loans: Annotated[int, typer.Option("--loans", help="how many loans", min=1)],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="write the column book to this .parquet file instead"),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="random seed", min=0)] = 0,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="business date the book stands at, YYYY-MM-DD (default: 2026-11-28 for "
            "--out, today for the database)",
        ),
    ] = None,
) -> None:
    """A synthetic loan book. Without --out: loans with history written into the
    configured database (every demo product but the 0 % promotion, vintages over five
    years, NEV share, the demo dealers, on-time, early, cured, 1-90 days late,
    defaulted and paid-off borrowers; migrated three month-ends back, real repayments
    and accruals since; see autolend.batch.synth_history). With --out FILE.parquet: the
    end-of-day column layout (five years of vintages; see autolend.batch.synth_book)."""
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    if out is None:
        _portfolio_into_database(loans, seed, as_of)
        return
    if out.suffix.lower() != ".parquet":
        raise fail(f"--out must be a .parquet file, not {str(out)!r}")
    _portfolio_to_parquet(loans, out, seed, as_of or "2026-11-28")


def _day_of(text: str) -> date:
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--date {text!r} is not a date such as 2026-11-28") from None


def _portfolio_to_parquet(loans: int, out: Path, seed: int, as_of: str) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    from autolend.batch.synth_book import synthetic_book  # noqa: PLC0415

    day = (_day_of(as_of) - date(1970, 1, 1)).days
    book = synthetic_book(loans, day=day, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(book.to_arrow(), out)
    console.print(f"wrote {len(book):,} loans (book as of {as_of}) to {out}")


def _portfolio_into_database(loans: int, seed: int, as_of: str | None) -> None:
    """Write the book with history into the configured database (migrated first)."""
    from time import perf_counter  # noqa: PLC0415

    from rich.progress import BarColumn, MofNCompleteColumn, Progress  # noqa: PLC0415

    from autolend.batch.demo_book import booking_actor  # noqa: PLC0415
    from autolend.batch.synth_history_db import insert_history_book  # noqa: PLC0415
    from autolend.cli import _container, fail, guarded  # noqa: PLC0415

    container = guarded(lambda: _container(migrate=True))
    clock = container.services.clock
    day = _day_of(as_of) if as_of else clock.today()
    if day > clock.today():
        raise fail(f"--date {day} is in the future")
    actor, dealers = guarded(lambda: booking_actor(container.uow))
    started = perf_counter()
    with Progress("{task.description}", BarColumn(), MofNCompleteColumn(), console=console) as bar:
        task = bar.add_task("synthetic book", total=loans)
        book = guarded(
            lambda: insert_history_book(
                container.uow, clock, actor, loans, seed=seed, as_of=day, dealers=dealers,
                progress=lambda done, _total: bar.update(task, completed=done),
            )
        )  # fmt: skip
    console.print(
        f"wrote {len(book.loan_ids):,} loans with history (migrated {book.cut_over}, "
        f"serviced through {book.as_of}) in {perf_counter() - started:.1f} s"
    )
