"""``autolend product list|show|publish`` against the test database (both backends)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from autolend import cli_product
from autolend.adapters.clock import SystemClock
from autolend.bootstrap import Container
from autolend.domain.product_catalogue import USED_CAR
from autolend.domain.product_codec import product_to_dict
from tests.integration.test_products_api import new_version
from tests.support.cli_env import point_cli_at

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    point_cli_at(container, tmp_path / "cli-home", monkeypatch)
    # Wide enough for every column: the module's console may have fixed its width from
    # COLUMNS when it was imported (pytest-xdist's workers set 80).
    monkeypatch.setattr(cli_product, "console", Console(width=200))
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a group, so "product" is a sub-command
    cli_product.register(app)
    return app


def test_a_product_file_is_published_then_listed_and_shown(
    cli: typer.Typer, tmp_path: Path
) -> None:
    # The command line runs on the system clock: a version takes effect today or later.
    today = SystemClock().today()  # the business day, as the server sees it
    body = {**product_to_dict(USED_CAR), "effective_from": today.isoformat()}
    path = tmp_path / "used.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    published = runner.invoke(cli, ["product", "publish", "--file", str(path)])
    assert published.exit_code == 0, published.output
    assert "USED_CAR" in published.output and "version 1" in published.output
    later = (today + timedelta(days=3)).isoformat()
    listed = runner.invoke(cli, ["product", "list", "--json", "--date", later])
    assert listed.exit_code == 0, listed.output
    assert [p["code"] for p in json.loads(listed.output)] == ["USED_CAR"]
    shown = runner.invoke(cli, ["product", "show", "USED_CAR"])
    assert json.loads(shown.output)["max_ltv_used"] == "0.70"
    table = runner.invoke(cli, ["product", "list"])
    assert "二手车贷" in table.output


def test_the_product_list_states_what_paying_late_costs(cli: typer.Typer, tmp_path: Path) -> None:
    """The used-car loan's penalty uplift and late fee, as its product page and contract
    state them; the table used to leave both out."""
    today = SystemClock().today()
    body = {**product_to_dict(USED_CAR), "effective_from": today.isoformat()}
    path = tmp_path / "used.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["product", "publish", "--file", str(path)]).exit_code == 0
    later = (today + timedelta(days=1)).isoformat()
    table = runner.invoke(cli, ["product", "list", "--date", later]).output
    row = next(line for line in table.splitlines() if "USED_CAR" in line)
    assert "+50%" in row and "50.00 CNY / 15 d" in row  # the fee names its currency
    assert "30.00%" in row and "70.00/70.00%" in row  # down payment and LTVs, was 0.30, 0.70/0.70
    assert re.search(r"\d\.\d\d–\d+\.\d\d%", row), row  # the rate range, no space before %


def test_a_bad_product_file_exits_1_naming_the_field(cli: typer.Typer, tmp_path: Path) -> None:
    body = {**product_to_dict(USED_CAR), "terms": [12, 24, 36, 48]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["product", "publish", "--file", str(path)])
    assert outcome.exit_code == 1
    assert outcome.output.startswith("error: terms ")  # the field named once, not "... (terms)"
    assert "(terms)" not in outcome.output
    missing = CliRunner().invoke(cli, ["product", "show", "NOPE"])
    assert missing.exit_code == 1 and "(code)" in missing.output


def test_the_product_list_says_a_us_product_charges_no_penalty_interest(
    cli: typer.Typer, tmp_path: Path
) -> None:
    """A US product (no uplift, a pack that never compounds) with a late fee: overdue
    principal bears the contract rate and the late charge is the late fee, so its row
    says "none (contract rate)" where it said "+0%"; the CN product keeps "+50%"."""
    today = SystemClock().today()
    us = new_version(
        code="US_NEW", pack="US", currency="USD", fees=[], min_amount="5000.00",
        max_amount="80000.00", penalty_uplift="0", effective_from=today.isoformat(),
        eligibility={"conditions": ["new"], "employment": ["salaried", "self_employed"]},
        late_fee={"amount": "25.00", "after_days": 10},
    )  # fmt: skip
    cn = {**product_to_dict(USED_CAR), "effective_from": today.isoformat()}
    runner = CliRunner()
    for name, body in (("us", us), ("cn", cn)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        published = runner.invoke(cli, ["product", "publish", "--file", str(path)])
        assert published.exit_code == 0, published.output
    later = (today + timedelta(days=1)).isoformat()
    table = runner.invoke(cli, ["product", "list", "--date", later]).output
    us_row = next(line for line in table.splitlines() if "US_NEW" in line)
    cn_row = next(line for line in table.splitlines() if "USED_CAR" in line)
    assert "none (contract rate)" in us_row and "25.00 USD / 10 d" in us_row
    assert "+0%" not in us_row and "+50%" in cn_row
