"""``autolend ecl parameters`` prints the set in force and its digest; ``eod --book``
computes with the lender's set; and every command that computes ECL refuses to start on
a bad file, naming the field, with a non-zero exit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from autolend.batch.book import day_number
from autolend.batch.ecl_parameters import EclParameters, load_ecl_parameters
from autolend.batch.eod import EodConfig
from autolend.batch.runners import run_local
from autolend.batch.synth_book import synthetic_book
from autolend.cli import app

DAY = day_number(date(2026, 3, 3))
VARIABLE = "AUTOLEND_ECL_PARAMETERS"


def parameters_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ecl.toml"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(args: list[str], tmp_path: Path, file: Path | None = None) -> tuple[int, str]:
    env = {"AUTOLEND_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    env[VARIABLE] = "" if file is None else str(file)  # empty: no file
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.output


def test_without_a_file_the_command_prints_the_built_in_set_and_its_digest(
    tmp_path: Path,
) -> None:
    code, output = invoke(["ecl", "parameters", "--json"], tmp_path)
    assert code == 0, output
    data = json.loads(output)
    assert data == {
        "source": None, "sha256": EclParameters().sha256(),
        "parameters": EclParameters().effective(),
    }  # fmt: skip


def test_with_a_file_the_command_prints_its_effective_set_and_digest(tmp_path: Path) -> None:
    path = parameters_file(tmp_path, 'overlay = 1.5\nrepossession_cost = {USD = "1500.00"}\n')
    code, output = invoke(["ecl", "parameters", "--json"], tmp_path, path)
    assert code == 0, output
    data = json.loads(output)
    given = load_ecl_parameters(path)
    assert (data["source"], data["sha256"]) == (str(path), given.sha256())
    assert data["parameters"]["overlay"] == 1.5
    assert data["parameters"]["repossession_cost"] == {"CNY": "3000.00", "USD": "1500.00"}
    code, table = invoke(["ecl", "parameters"], tmp_path, path)
    assert code == 0 and f"sha256 {given.sha256()}" in table
    assert "repossession_cost.USD" in table and "1500.00" in table


@pytest.mark.parametrize(
    "args",
    [
        ["ecl", "parameters"],
        ["eod", "--date", "2026-03-03"],
        ["portfolio", "snapshot", "--date", "2026-03-03"],
        ["portfolio", "show"],
        ["serve"],
    ],
)
def test_a_bad_file_stops_every_command_naming_the_field(tmp_path: Path, args: list[str]) -> None:
    path = parameters_file(tmp_path, "monthly_prepayment = 1.5\n")
    code, output = invoke(args, tmp_path, path)
    assert code == 1
    assert f"{VARIABLE}: monthly_prepayment: " in output


def test_eod_over_a_book_file_computes_with_the_lenders_parameters(tmp_path: Path) -> None:
    table = synthetic_book(300, day=DAY, seed=3).to_arrow()
    source, out = tmp_path / "book.parquet", tmp_path / "result.parquet"
    pq.write_table(table, source)
    path = parameters_file(tmp_path, "overlay = 1.5\n")
    args = ["eod", "--book", str(source), "--date", "2026-03-03", "--out", str(out),
            "--partitions", "1", "--processes", "1"]  # fmt: skip
    code, output = invoke(args, tmp_path, path)
    assert code == 0, output
    ecl = pq.read_table(out).column("out_ecl").to_numpy()
    config = EodConfig(ecl=load_ecl_parameters(path).ecl_config())
    assert np.array_equal(ecl, run_local(table, DAY, config=config).column("out_ecl").to_numpy())
    default = run_local(table, DAY).column("out_ecl").to_numpy()
    assert (ecl >= default).all() and (ecl > default).any()


def test_eod_over_a_book_file_refuses_a_bad_file_before_it_runs(tmp_path: Path) -> None:
    source, out = tmp_path / "book.parquet", tmp_path / "result.parquet"
    pq.write_table(synthetic_book(10, day=DAY, seed=3).to_arrow(), source)
    path = parameters_file(tmp_path, "overley = 1.5\n")
    args = ["eod", "--book", str(source), "--date", "2026-03-03", "--out", str(out)]
    code, output = invoke(args, tmp_path, path)
    assert code == 1 and f"{VARIABLE}: overley: unknown key" in output
    assert not out.exists()
