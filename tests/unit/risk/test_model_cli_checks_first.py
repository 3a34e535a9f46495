"""``autolend model ...`` refuses a bad argument before it loads the modelling libraries:
one ``error:`` line naming the option, a non-zero exit, and LightGBM, optbinning and
scikit-learn never imported (they take seconds), checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("lightgbm", "optbinning", "sklearn")

# Runs every case in one interpreter: a case that loaded a library would show in its own
# row (and in every row after it).
_SCRIPT = """
import json, sys
from typer.testing import CliRunner
from autolend.cli import app
heavy = {heavy!r}
out = {{}}
for name, args in json.loads(sys.argv[1]).items():
    done = CliRunner().invoke(app, args)
    out[name] = {{"code": done.exit_code, "stderr": done.stderr,
                 "loaded": [m for m in heavy if m in sys.modules]}}
print(json.dumps(out))
"""


def _cases(tmp: Path) -> dict[str, list[str]]:
    table = tmp / "book.csv"
    rows = "".join(f"{(i * 7) % 40},{i % 2}\n" for i in range(40))  # 20 bads, 20 goods
    table.write_text("income,bad\n" + rows)
    book, missing = ["--data", str(table)], ["--data", str(tmp / "missing.csv")]
    cv = ["model", "cv", "--target", "bad"]
    train = ["model", "train", "--target", "bad", "--name", "default"]
    return {
        "cv_missing_file": [*cv, *missing],
        "cv_bad_folds": [*cv, *book, "--folds", "1"],
        "cv_unknown_target": ["model", "cv", *book, "--target", "nope"],
        "cv_too_many_folds": [*cv, *book, "--folds", "30"],
        "train_missing_file": [*train, *missing],
        "train_bad_name": [*train, *book, "--name", "Bad Name!"],  # the last --name counts
        "train_bad_pdo": [*train, *book, "--pdo", "0"],
        "train_bad_currency": [*train, *book, "--currency", "XYZ"],
        "monitor_missing_file": ["model", "monitor", "default", *missing, "--target", "bad"],
        # the first to open the database: it sets the tables up (card does not)
        "monitor_unknown_model": ["model", "monitor", "nosuch", *book, "--target", "bad"],
        "card_unknown_model": ["model", "card", "nosuch", "--out", str(tmp / "card.html")],
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("cli-checks")
    env = {**os.environ, "AUTOLEND_HOME": str(tmp / "home"), "AUTOLEND_DEMO": "true"}
    script = _SCRIPT.format(heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(_cases(tmp))],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("cv_missing_file", "error: missing.csv: file not found (--data)"),
        ("cv_bad_folds", "Invalid value for '--folds'"),
        ("cv_unknown_target", "error: target column 'nope' not found"),
        ("cv_too_many_folds", "need at least 30 bads and 30 goods to cross-validate"),
        ("train_missing_file", "error: missing.csv: file not found (--data)"),
        ("train_bad_name", "name must be 1-64 lower-case letters"),
        ("train_bad_pdo", "error: pdo must be a finite number above 0, not 0.0 (--pdo)"),
        ("train_bad_currency", "unknown currency 'XYZ'"),
        ("monitor_missing_file", "error: missing.csv: file not found (--data)"),
        ("monitor_unknown_model", "error: no model 'nosuch'"),
        ("card_unknown_model", "error: no model 'nosuch'"),
    ],
)
def test_a_bad_argument_fails_clearly_before_the_modelling_libraries_load(
    runs: dict[str, dict[str, object]], case: str, words: str
) -> None:
    run = runs[case]
    assert run["code"] != 0
    assert words in " ".join(str(run["stderr"]).split())
    assert "Traceback" not in str(run["stderr"])
    assert run["loaded"] == []
