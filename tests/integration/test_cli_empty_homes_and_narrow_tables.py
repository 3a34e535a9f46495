"""Three rough edges of the command line, as staff meet them.

A command that only uses the database, run on a home never set up, says to run ``db
upgrade`` and creates nothing (it left an empty ``autolend.db`` behind); the tables of
``product list``, ``eod runs`` and ``model list`` fit an 80-column terminal with no code,
day or time broken across lines (``BALLO`` over ``ON``, ``2026-12-01T08:16:…``); and a
query that finds nothing says so in one line and exits 0 instead of drawing an empty
table."""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner, Result

from autolend import cli_eod, cli_model, cli_product
from autolend.adapters.clock import FixedClock, SystemClock
from autolend.bootstrap import Container
from autolend.cli import app
from autolend.cli_eod import run_eod
from autolend.cli_schema import missing_database
from autolend.domain.product_catalogue import USED_CAR
from autolend.domain.product_codec import product_to_dict
from tests.integration.test_late_fees import paid_out
from tests.integration.test_products_api import new_version
from tests.support.cli_env import point_cli_at

NEVER_SET_UP = "has no tables yet: run `autolend db upgrade` (or `autolend demo` for the demo data)"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def widest(text: str) -> int:
    """The widest line in terminal cells (a Chinese character takes two)."""
    return max(cell_len(line) for line in text.splitlines())


def row_of(text: str, needle: str) -> str:
    """The one printed line holding ``needle`` whole (StopIteration: it was broken)."""
    return next(line for line in text.splitlines() if needle in line)


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands print on an 80-column terminal."""
    for module in (cli_product, cli_eod, cli_model):
        monkeypatch.setattr(module, "console", Console(width=80))


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("AUTOLEND_HOME", str(home))
    monkeypatch.setenv("AUTOLEND_DEMO", "true")
    monkeypatch.delenv("AUTOLEND_DATABASE_URL", raising=False)
    return home


@pytest.mark.parametrize(
    "args",
    [
        ["product", "list"], ["product", "show", "STD_NEW"], ["verify"], ["eod", "runs"],
        ["eod", "--date", "2026-01-01"], ["portfolio", "show"], ["model", "list"],
        ["keys", "rotate"], ["notify", "dispatch"],
    ],
    ids=" ".join,
)  # fmt: skip
def test_a_read_only_command_on_a_home_never_set_up_creates_no_file_and_exits_1(
    empty_home: Path, args: list[str]
) -> None:
    outcome = invoke(*args)
    assert outcome.exit_code == 1, outcome.output
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the database sqlite:///"), lines
    assert NEVER_SET_UP in " ".join(lines[0].split())
    assert not empty_home.exists()  # no autolend.db, no demo-secrets.json, no folder


def test_db_upgrade_still_creates_the_database_a_read_only_command_then_uses(
    empty_home: Path,
) -> None:
    assert invoke("db", "upgrade").exit_code == 0
    assert (empty_home / "autolend.db").is_file()
    listed = invoke("model", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []


def test_only_a_missing_sqlite_file_counts_as_a_database_never_set_up(tmp_path: Path) -> None:
    there = tmp_path / "there.db"
    there.touch()
    gone = tmp_path / "gone" / "autolend.db"
    assert missing_database(f"sqlite:///{gone}") == (
        f"the database sqlite:///{gone} {NEVER_SET_UP}"
    )
    assert missing_database(f"sqlite:///file:{gone}?mode=rw&uri=true") is not None
    for url in (f"sqlite:///{there}", "sqlite://", "sqlite:///:memory:",
                "postgresql+psycopg://app@db.internal:5432/autolend"):  # fmt: skip
        assert missing_database(url) is None, url
    assert not gone.parent.exists()


@pytest.mark.integration
def test_an_empty_postgresql_database_still_says_to_run_db_upgrade(
    request: pytest.FixtureRequest, empty_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster = request.getfixturevalue("pg_cluster")
    cluster.create_database("cli_never_set_up")
    try:
        monkeypatch.setenv("AUTOLEND_DATABASE_URL", cluster.url("cli_never_set_up"))
        outcome = invoke("product", "list")
        assert outcome.exit_code == 1, outcome.output
        assert NEVER_SET_UP in " ".join(outcome.stderr.split())
    finally:
        cluster.drop_database("cli_never_set_up")


@pytest.fixture
def on_test_database(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads the test database (both backends)."""
    point_cli_at(container, tmp_path / "cli-home", monkeypatch)


def publish(tmp_path: Path, name: str, body: dict[str, object]) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    published = invoke("product", "publish", "--file", str(path))
    assert published.exit_code == 0, published.output


@pytest.mark.integration
@pytest.mark.usefixtures("on_test_database", "narrow")
def test_the_product_list_fits_80_columns_and_wide_gives_every_column(tmp_path: Path) -> None:
    today = SystemClock().today().isoformat()
    publish(tmp_path, "cn", {**product_to_dict(USED_CAR), "effective_from": today})
    publish(tmp_path, "us", new_version(
        code="US_USED_AUTO", name_en="Used vehicle loan (certified pre-owned)", pack="US",
        currency="USD", fees=[], min_amount="5000.00", max_amount="80000.00",
        penalty_uplift="0", effective_from=today, terms=[24, 36, 48, 60, 72],
        eligibility={"conditions": ["new"], "employment": ["salaried", "self_employed"]},
        late_fee={"amount": "25.00", "after_days": 10},
    ))  # fmt: skip
    listed = invoke("product", "list")
    assert listed.exit_code == 0, listed.output
    assert widest(listed.stdout) <= 80, listed.stdout
    for whole in ("USED_CAR", "US_USED_AUTO", "二手车贷", "5.99–12.99%", "12 24 36", today):
        row_of(listed.stdout, whole)  # on one line, not folded into slivers
    assert "down payment, LTV, late charges: --wide, or `autolend product show CODE`" in (
        listed.stdout
    )
    wide = invoke("product", "list", "--wide")
    row = row_of(wide.stdout, "US_USED_AUTO")
    assert cell_len(row) > 80 and "none (contract rate)" in row and "25.00 USD / 10 d" in row
    assert "Used vehicle loan (certified pre-owned)" in row
    assert "50.00 CNY / 15 d" in row_of(wide.stdout, "USED_CAR")


@pytest.mark.integration
@pytest.mark.usefixtures("on_test_database", "narrow")
def test_a_day_with_no_product_in_force_is_one_line_and_exit_0() -> None:
    before = invoke("product", "list", "--date", "2019-01-01")
    assert (before.exit_code, before.stdout) == (0, "No products are effective on 2019-01-01.\n")
    today = invoke("product", "list")  # the test database has no catalogue
    assert today.stdout == f"No products are effective on {SystemClock().today().isoformat()}.\n"
    assert json.loads(invoke("product", "list", "--json", "--date", "2019-01-01").stdout) == []


@pytest.mark.integration
@pytest.mark.usefixtures("on_test_database", "narrow")
def test_no_end_of_day_run_and_no_model_yet_are_one_line_each_and_exit_0() -> None:
    runs = invoke("eod", "runs")
    assert (runs.exit_code, runs.stdout) == (0, "No end-of-day runs recorded yet.\n")
    models = invoke("model", "list")
    assert (models.exit_code, models.stdout) == (
        0, "No models registered yet: run `autolend model train`.\n"
    )  # fmt: skip


@pytest.mark.integration
@pytest.mark.usefixtures("on_test_database", "narrow")
def test_the_end_of_day_runs_fit_80_columns_with_each_day_and_time_whole(
    container: Container, clock: FixedClock
) -> None:
    paid_out(container, date(2026, 3, 5))
    run_eod(container, on=date(2026, 3, 5), out=Console(width=200))
    run_eod(container, through=date(2026, 3, 7), out=Console(width=200))
    listed = invoke("eod", "runs")
    assert listed.exit_code == 0, listed.output
    assert widest(listed.stdout) <= 80, listed.stdout
    lines = listed.stdout.splitlines()
    catch_up = row_of(listed.stdout, "2026-03-06 ->")  # first and last day of one run
    assert "through" in catch_up and "done" in catch_up
    assert "2026-03-07" in lines[lines.index(catch_up) + 1]
    single = row_of(listed.stdout, "2026-03-05")
    assert "->" not in single and " date " in single
    for line in (catch_up, single):
        started = line.split("│")[-2].strip()
        assert len(started) == len("2026-03-05 09:30"), line  # the time on the row's line
        # in UTC, and the header says so (it was the stored time with no zone named)
        assert started == clock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M"), line
    assert "started (UTC)" in " ".join(listed.stdout.split()), listed.stdout
    # the catch-up's 2 is one loan on two days: said under the table
    assert "a catch-up's loans are counted once per day it ran" in " ".join(listed.stdout.split())


def test_the_model_list_shows_when_each_model_was_trained_to_the_minute(
    monkeypatch: pytest.MonkeyPatch, narrow: None
) -> None:
    metadata = {"currency": "CNY", "trained_at": "2026-12-01T16:16:16.215765+08:00",
                "card": {"metrics": {"auc": 0.7484}, "primary": "ensemble"},
                "data": {"rows": 4000}}  # fmt: skip
    entry = SimpleNamespace(name="default", version=1, metadata=metadata)
    models = SimpleNamespace(versions=lambda actor: [entry])
    monkeypatch.setattr("autolend.cli._container", lambda: SimpleNamespace(
        services=SimpleNamespace(models=models)))  # fmt: skip
    listed = invoke("model", "list")
    assert listed.exit_code == 0, listed.output
    assert widest(listed.stdout) <= 80
    assert "2026-12-01 08:16" in row_of(listed.stdout, "default")  # was 2026-12-01T16:16:…
    assert "trained (UTC)" in listed.stdout
