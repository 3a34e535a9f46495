"""Credit models on the command line: ``autolend model ...`` (and, registered with it,
``autolend synth ...`` from :mod:`autolend.cli_synth`).

``model cv`` cross-validates the champion and the challenger
on any CSV or Parquet file with a binary target; ``model train`` registers a new version
(``--currency``: of its amount columns, CNY by default; decisioning scores a USD
application only with ``default-usd`` trained with ``--currency USD``);
``model card`` writes its HTML model card; ``model list`` shows the registry; ``model
monitor`` scores a window and stores a monitoring report (PSI, AUC / KS by month, fairness).
Bad input prints one line naming the option and exits 1, found before the modelling
libraries load (seconds; :mod:`autolend.cli_model_checks`), so a typo is refused at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from autolend.cli_format import utc_minute
from autolend.cli_model_print import print_monitoring
from autolend.cli_synth import synth_app
from autolend.risk.table_path import check_table_path

model_app = typer.Typer(
    help="Credit models: validate, train, register, model cards.", no_args_is_help=True
)
console = Console()

__all__ = ["model_app", "register"]


def register(app: typer.Typer) -> None:
    app.add_typer(synth_app, name="synth")
    app.add_typer(model_app, name="model")


def print_json(payload: object) -> None:
    console.print_json(json.dumps(payload))


# A cell that reads as a number: "1,234", "-0.60", "50.00%", "+33.30 pp"; "—" is none.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%| pp)?")
_NO_VALUE = frozenset({"", "—", "-"})


def table_of(title: str, columns: tuple[str, ...], rows: Sequence[Sequence[str]]) -> Table:
    """A table of text cells: a column of numbers ("0.7123", "1,500", "8.0%") right-aligned,
    any other (names, statuses, months, instants) left-aligned."""
    table = Table(title=title)
    for number, column in enumerate(columns):
        table.add_column(column, justify="right" if _numbers(rows, number) else "left")
    for row in rows:
        table.add_row(*row)
    return table


def _numbers(rows: Sequence[Sequence[str]], column: int) -> bool:
    """Whether column ``column`` holds numbers: at least one, and nothing else but "—"."""
    cells = [row[column].strip() for row in rows if row[column].strip() not in _NO_VALUE]
    return bool(cells) and all(_NUMBER.fullmatch(cell) for cell in cells)


def metrics_table(title: str, rows: dict[str, dict[str, float]]) -> Table:
    keys = ("auc_mean", "auc_std", "gini", "ks")
    cells = [(model, *(f"{m[k]:.4f}" for k in keys)) for model, m in rows.items()]
    return table_of(title, ("model", "AUC mean", "AUC std", "Gini", "KS"), cells)


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
SeedOption = Annotated[int, typer.Option("--seed", help="random seed", min=0, max=2**32 - 1)]
# The option behind each field a model error names (risk/dataset.py, services/models.py,
# risk/monitoring_report.py): "a.csv: file not found (--data)", not "(data)".
OPTIONS = {
    "data": "--data", "target": "--target", "bad": "--bad", "exclude": "--exclude",
    "name": "--name", "base_points": "--base-points",
    "base_odds": "--base-odds", "pdo": "--pdo", "currency": "--currency",
    "month": "--month-col", "group": "--group", "approve_grades": "--approve-grades",
    "use_protected": "--use-protected",
}  # fmt: skip
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]
StudiedOption = Annotated[
    list[str] | None,
    typer.Option(
        "--use-protected",
        help="a protected "
        "attribute (gender...) to study as a feature, as published figures do; never in train",
    ),
]


@model_app.command("cv")
def model_cv(  # noqa: PLR0917 - one option per knob of the command line
    data: DataOption,
    target: TargetOption,
    bad: BadOption = None,
    folds: Annotated[
        int, typer.Option("--folds", min=2, help="folds k: each fold is held out once")
    ] = 5,
    repeats: Annotated[
        int, typer.Option("--repeats", min=1, help="times the k folds are redrawn")
    ] = 3,
    seed: SeedOption = 0,
    exclude: ExcludeOption = None,
    protected: ProtectedOption = None,
    use_protected: StudiedOption = None,
    as_json: JsonOption = False,
) -> None:
    """Repeated stratified k-fold AUC (mean and spread), Gini and KS of the champion
    scorecard, the LightGBM challenger, the size-bounded forest and the ensemble (rank
    average of the champion and the forest), all fitted inside each fold."""
    from autolend.cli import guarded  # noqa: PLC0415 - cli imports this module
    from autolend.cli_model_checks import (  # noqa: PLC0415
        check_left_out,  # fmt: skip
        cv_data,
        quiet_fitting,
        warn,
    )
    from autolend.cli_progress import fit_progress  # noqa: PLC0415

    def run() -> dict[str, object]:
        left = (exclude or [], protected or [])
        check_left_out(target, *left)
        prepared = cv_data(data, target, bad, left, (tuple(use_protected or ()), folds))
        # The modelling libraries (seconds to load) only now that the input is sound.
        from autolend.risk.cv import cross_validate  # noqa: PLC0415

        with fit_progress("cross-validation: folds fitted") as tick, quiet_fitting() as notes:
            done = cross_validate(prepared, folds=folds, repeats=repeats, seed=seed, progress=tick)
        return {**done.as_dict(), "warnings": [*done.warnings, *notes]}

    report = guarded(run, OPTIONS)
    if as_json:
        print_json(report)
        return
    warn(report["warnings"])  # type: ignore[arg-type]
    models = {k: v for k, v in report.items() if isinstance(v, dict)}
    console.print(metrics_table(f"{folds}-fold x {repeats} repeats, seed {seed}", models))
    console.print(f"rows {report['rows']:,} · bad rate {float(report['bad_rate']):.2%}")  # type: ignore[arg-type]
    print_column_notes(report["columns"])  # type: ignore[arg-type]


def print_column_notes(notes: list[dict[str, Any]]) -> None:
    """One line per column left out or read otherwise than as-is (risk/columns.py)."""
    for note in notes:
        # Not markup: a column's name or value may hold "[...]".
        console.print(f"note: {note['text']}", markup=False, highlight=False)


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
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="ISO 4217 currency of the amount columns (income, debts, price); "
            "decisioning scores an application only with a model of its currency",
        ),
    ] = "CNY",
    as_json: JsonOption = False,
) -> None:
    """Train the champion and the challenger, calibrate, and register a new version."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.cli_model_checks import (  # noqa: PLC0415
        check_train_request,  # fmt: skip
        left_out_checked,
        quiet_fitting,
        warn,
    )
    from autolend.cli_progress import fit_progress  # noqa: PLC0415
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.services.models import RegisteredModel, TrainRequest  # noqa: PLC0415

    notes: list[str] = []

    def run() -> RegisteredModel:
        left = (tuple(exclude or ()), tuple(protected or ()))
        scale = (base_points, base_odds, pdo)
        checked = check_train_request(data, target, name, scale=scale, left=left, code=currency)
        # The modelling libraries (seconds to load) only now that the arguments are sound.
        from autolend.risk.scorecard import ScorecardScaling  # noqa: PLC0415

        request = TrainRequest(data, target, bad, name, seed, *left)
        scaling = ScorecardScaling(base_points, base_odds, pdo)
        request = replace(request, scaling=scaling, currency=checked)
        models = _container(migrate=True).services.models
        with (
            fit_progress("training: fits done (folds, then all rows)") as tick,
            quiet_fitting() as caught,
        ):
            entry = left_out_checked(
                lambda: models.train(SYSTEM_ACTOR, request, progress=tick), *left
            )
        notes.extend(caught)
        return entry

    entry = guarded(run, OPTIONS)
    from autolend.risk.metrics import chance_warnings  # noqa: PLC0415 - loaded by training

    card = entry.metadata["card"]
    warnings = [*chance_warnings({card["primary"]: card["metrics"]["auc"]}), *notes]
    if as_json:
        columns = card.get("columns", [])
        print_json({"name": entry.name, "version": entry.version, "metrics": card["metrics"],
                    "currency": entry.metadata["currency"], "columns": columns,
                    "warnings": warnings})  # fmt: skip
        return
    warn(warnings)
    m = card["metrics"]
    console.print(
        f"registered [bold]{entry.name}[/] version {entry.version} "
        f"({entry.metadata['currency']} amounts): primary {card['primary']}, "
        f"out-of-fold AUC {m['auc']:.4f}, KS {m['ks']:.4f}, Brier {m['brier']:.4f} "
        f"({card['calibration_method']}), {entry.metadata['training_seconds']} s"
    )
    print_column_notes(card.get("columns", []))


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
    from autolend.cli_files import check_output, write_whole  # noqa: PLC0415
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.web.i18n import LOCALES  # noqa: PLC0415
    from autolend.web.model_card import standalone_card  # noqa: PLC0415

    if lang not in LOCALES:
        raise fail(f"--lang must be one of {', '.join(LOCALES)}")
    if out is not None:
        check_output(out, "--out")  # before the database is opened
    if out is not None and out.suffix.lower() not in {".html", ".htm"}:  # c.pdf held HTML
        raise fail(f"--out {str(out)!r} must be an .html file: the card is a web page")
    entry = guarded(lambda: _container().services.models.describe(SYSTEM_ACTOR, name, version))
    target = out or Path(f"model-card-{entry.name}-v{entry.version}.html")
    html = standalone_card(entry.metadata, lang)
    write_whole(target, "--out", lambda partial: partial.write_text(html, encoding="utf-8"))
    console.print(f"wrote the model card of {entry.name} version {entry.version} to {target}")


@model_app.command("list")
def model_list(as_json: JsonOption = False) -> None:
    """The registered models by name, each name's newest version first."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415

    entries = guarded(lambda: _container().services.models.versions(SYSTEM_ACTOR))
    rows = [
        {
            "name": e.name,
            "version": e.version,
            "currency": e.metadata["currency"],
            "trained_at": e.metadata.get("trained_at"),
            "auc": e.metadata["card"]["metrics"]["auc"],
            "primary": e.metadata["card"]["primary"],
            "rows": e.metadata["data"]["rows"],
        }
        for e in entries
    ]
    if as_json:
        print_json(rows)
    elif not rows:  # none trained yet: an answer, not an error (exit 0)
        console.print("No models registered yet: run `autolend model train`.", highlight=False)
    else:  # the instant to the minute: it was cut to "2026-12-01T08:16:…" (--json: whole)
        columns = ("name", "version", "currency", "trained (UTC)", "auc", "primary", "rows")
        cells = [(r["name"], str(r["version"]), r["currency"], utc_minute(r["trained_at"]),
                  str(r["auc"]), r["primary"], str(r["rows"])) for r in rows]  # fmt: skip
        console.print(table_of("models", columns, cells))


@model_app.command("monitor")
def model_monitor(  # noqa: PLR0917 - one option per knob of the command line
    name: Annotated[str, typer.Argument(help="registry name")],
    data: Annotated[Path, typer.Option("--data", help="the window: .csv or .parquet")],
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="baseline file for feature PSI (default: score only)"),
    ] = None,
    month_col: Annotated[
        str, typer.Option("--month-col", help="column of the application month, YYYY-MM")
    ] = "application_month",
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            help="outcome column (default: the model's, if the window "
            "has it; else PSI only); missing = not observed yet",
        ),
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="protected attribute for the fairness report")
    ] = None,
    version: Annotated[int | None, typer.Option("--version", help="default: latest")] = None,
    approve_grades: Annotated[
        str,
        typer.Option("--approve-grades", help="grades counted as approved (fairness), e.g. A,B"),
    ] = "A,B,C",
    as_json: JsonOption = False,
) -> None:
    """Score a window with the model and store a monitoring report: PSI of the score (and of
    each feature against --baseline), AUC/KS and bad rate by month, fairness by --group
    (approved: a grade in --approve-grades, the lender's own cut-off)."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.cli_files import check_table  # noqa: PLC0415
    from autolend.cli_model_checks import window_target  # noqa: PLC0415
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415
    from autolend.services.model_monitoring import MonitorRequest  # noqa: PLC0415

    if baseline is not None:  # checked here: the service would name its faults as --data's
        check_table(baseline, "--baseline")
    guarded(lambda: check_table_path(data), OPTIONS)  # before the model (and its libraries)
    container = guarded(lambda: _container(migrate=True))
    models = container.services.models
    if target is None:
        target = guarded(lambda: window_target(models, name, version, data), OPTIONS)
    else:  # an unknown name or version, before the service loads the modelling libraries
        guarded(lambda: models.describe(SYSTEM_ACTOR, name, version), OPTIONS)
    request = MonitorRequest(
        name,
        data,
        baseline=baseline if baseline is not None else "training",
        month_col=month_col,
        target_col=target,
        group_col=group,
        version=version,
        approve_grades=tuple(g.strip().upper() for g in approve_grades.split(",") if g.strip()),
    )
    made = guarded(lambda: container.services.model_monitoring.run(SYSTEM_ACTOR, request), OPTIONS)
    if as_json:
        print_json({"id": made.id, **made.report})
        return
    _print_monitoring(made.report)


def _print_monitoring(report: dict[str, object]) -> None:
    print_monitoring(console, report)
