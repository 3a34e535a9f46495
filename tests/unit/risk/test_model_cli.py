"""``autolend model cv`` and ``model monitor`` as a lender reads them: notes on the columns
left out, one clear line for too few bads, and fairness error rates in the plain output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from autolend import cli_model
from autolend.risk.fairness import fairness_report
from tests.support.fairness import example_fairness


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("AUTOLEND_HOME", str(tmp_path / "cli-home"))
    monkeypatch.setattr(cli_model, "console", Console(width=200, record=True))
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a group, so "model" is a sub-command
    cli_model.register(app)
    return app


def _book(path: Path, bads: int) -> Path:
    rng = np.random.default_rng(3)
    rows = 300
    dsr = rng.uniform(0, 1, rows)
    order = np.argsort(-dsr)  # the riskiest rows are the bads
    bad = np.zeros(rows, dtype=int)
    bad[order[:bads]] = 1
    frame = pd.DataFrame({"dsr": dsr, "age": rng.integers(20, 70, rows), "empty": np.nan})
    frame.assign(bad=bad).to_parquet(path)
    return path


def _printed() -> str:
    """What the command printed so far (read once: reading empties the record)."""
    return str(cli_model.console.export_text())


def test_cv_names_the_column_it_left_out(cli: typer.Typer, tmp_path: Path) -> None:
    data = _book(tmp_path / "book.parquet", bads=60)
    args = ["model", "cv", "--data", str(data), "--target", "bad", "--folds", "3", "--repeats", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "note: empty: left out, it has no values" in _printed()


def test_cv_leaves_a_protected_attribute_out_unless_asked_to_study_it(
    cli: typer.Typer, tmp_path: Path
) -> None:
    """A ``gender`` column is left out with a note (it was cross-validated and trained on
    as a feature); ``--use-protected gender`` studies it, saying so; naming a column that
    is no protected attribute is one line naming the option."""
    data = tmp_path / "book.parquet"
    frame = pd.read_parquet(_book(data, bads=60))
    frame.assign(gender=np.where(frame["bad"] == 1, "F", "M")).to_parquet(data)
    args = ["model", "cv", "--data", str(data), "--target", "bad", "--folds", "3",
            "--repeats", "1", "--json"]  # fmt: skip
    plain = CliRunner().invoke(cli, args)
    assert plain.exit_code == 0, plain.output
    notes = {n["column"]: n for n in json.loads(plain.stdout)["columns"]}
    assert (notes["gender"]["code"], notes["gender"]["left_out"]) == ("protected_attribute", True)
    studied = CliRunner().invoke(cli, [*args, "--use-protected", "gender"])
    assert studied.exit_code == 0, studied.output
    report = json.loads(studied.stdout)
    assert {n["column"]: n["code"] for n in report["columns"]}["gender"] == (
        "protected_attribute_studied"
    )
    wrong = CliRunner().invoke(cli, [*args, "--use-protected", "dsr"])
    assert wrong.exit_code == 1
    assert "'dsr' is not a protected attribute" in wrong.output
    assert "(--use-protected)" in wrong.output


def test_cv_with_too_few_bads_fails_in_one_line(cli: typer.Typer, tmp_path: Path) -> None:
    data = _book(tmp_path / "book.parquet", bads=3)
    args = ["model", "cv", "--data", str(data), "--target", "bad", "--folds", "3", "--repeats", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert re.sub(r"\s+", " ", result.output).strip() == (
        "error: need at least 5 bads and 5 goods to cross-validate with 3 folds; "
        "the data has 3 bads and 297 goods (--data)"
    )


def _report() -> dict[str, Any]:
    return {
        "model": {"name": "default", "version": 2}, "status": "stable",
        "score_psi": {"psi": 0.01}, "window": {"rows": 10}, "feature_psi": [],
        "performance": [], "fairness": example_fairness(),
    }  # fmt: skip


def test_monitor_prints_each_groups_error_rates_and_the_largest_gaps(cli: typer.Typer) -> None:
    cli_model._print_monitoring(_report())
    text = _printed()
    lines = [re.sub(r"[│┃]", " ", line).split() for line in text.splitlines()]
    assert ["F", "4", "50.00%", "0.60", "flagged", "0.00%", "33.33%", "0.00%"] in lines
    assert ["M", "6", "83.33%", "1.00", "passes", "20.00%", "0.00%", "50.00%"] in lines
    assert "fairness by gender (reference M): flagged F" in text
    assert "largest FPR (goods declined) gap: F 33.33% against M 0.00% (+33.33 pp)" in text
    assert "largest approval rate gap: F 50.00% against M 83.33% (-33.33 pp)" in text


def test_a_group_without_a_four_fifths_ratio_is_printed_without_a_verdict(
    cli: typer.Typer,
) -> None:
    # The reference group (the largest, M) approved no one: no ratio, so neither verdict.
    frame = pd.DataFrame({"g": list("MMMMFF"), "ok": [0, 0, 0, 0, 1, 0], "bad": [0, 1, 0, 0, 0, 1]})
    fairness = fairness_report(frame, group_col="g", approved_col="ok", bad_col="bad")
    cli_model._print_monitoring({**_report(), "fairness": {**fairness.as_dict(), "group_col": "g"}})
    lines = [re.sub(r"[│┃]", " ", line).split() for line in _printed().splitlines()]
    assert next(row for row in lines if row[:1] == ["F"])[:5] == ["F", "2", "50.00%", "—", "—"]
    assert "passes" not in _printed()


def test_tables_put_numbers_on_the_right_and_text_on_the_left() -> None:
    rows = [
        ("default", "2", "2026-11-29T17:49:32+00:00", "0.7123", "ensemble", "4,000", "8.0%"),
        ("tiny", "1", "None", "0.6988", "champion", "1,500", "—"),
    ]
    columns = ("name", "version", "trained_at", "auc", "primary", "rows", "bad rate")
    table = cli_model.table_of("models", columns, rows)
    justify = {c.header: c.justify for c in table.columns}
    assert justify == {
        "name": "left", "version": "right", "trained_at": "left", "auc": "right",
        "primary": "left", "rows": "right", "bad rate": "right",
    }  # fmt: skip


def test_the_fairness_table_keeps_its_verdicts_and_groups_on_the_left(cli: typer.Typer) -> None:
    cli_model._print_monitoring(_report())
    lines = _printed().splitlines()
    [row] = [line for line in lines if "flagged" in line and line.lstrip("│┃ ").startswith("F")]
    cells = [cell for cell in re.split(r"[│┃]", row)[1:-1]]
    assert cells[0].startswith(" F ") and cells[4].startswith(" flagged")  # left-aligned
    assert cells[1].endswith(" 4 ") and cells[2].endswith(" 50.00% ")  # right-aligned


def _one_line(output: str) -> str:
    return re.sub(r"\s+", " ", output).strip()


def test_train_with_an_unknown_currency_fails_naming_the_option(
    cli: typer.Typer, tmp_path: Path
) -> None:
    data = _book(tmp_path / "book.parquet", bads=60)
    args = ["model", "train", "--data", str(data), "--target", "bad", "--name", "mine",
            "--currency", "XYZ"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert _one_line(result.output) == (
        "error: unknown currency 'XYZ'; supported ISO 4217 codes: CNY, EUR, GBP, HKD, JPY, USD "
        "(--currency)"
    )


def test_train_refuses_yuan_amounts_under_the_dollar_decision_models_name(
    cli: typer.Typer, tmp_path: Path
) -> None:
    """Without --currency a model is of yuan: under ``default-usd`` it would score dollars
    as yuan, so the name asks for --currency USD."""
    data = _book(tmp_path / "book.parquet", bads=60)
    args = ["model", "train", "--data", str(data), "--target", "bad", "--name", "default-usd"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert _one_line(result.output) == (
        "error: 'default-usd' is the decision model of USD amounts, not CNY: train it on USD "
        "amounts, or name a CNY model 'default' (--currency)"
    )


def test_synth_applicants_in_dollars_writes_the_same_people_with_amounts_divided_by_four(
    cli: typer.Typer, tmp_path: Path
) -> None:
    runner = CliRunner()
    paths = {code: tmp_path / f"{code}.csv" for code in ("CNY", "USD")}
    for code, path in paths.items():
        args = ["synth", "applicants", "--n", "50", "--seed", "3", "--out", str(path),
                "--currency", code]  # fmt: skip
        assert runner.invoke(cli, args).exit_code == 0
    yuan, dollars = (pd.read_csv(path) for path in paths.values())
    assert (dollars["monthly_income"] * 4).tolist() == yuan["monthly_income"].tolist()
    assert dollars["bad"].tolist() == yuan["bad"].tolist()


def test_synth_applicants_in_an_unsupported_currency_fails_naming_the_option(
    cli: typer.Typer, tmp_path: Path
) -> None:
    args = ["synth", "applicants", "--n", "5", "--out", str(tmp_path / "a.csv"),
            "--currency", "EUR"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert _one_line(result.output) == "error: --currency must be one of CNY, USD, not 'EUR'"
    assert not (tmp_path / "a.csv").exists()
