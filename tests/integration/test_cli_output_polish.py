"""The command line's figures and errors as staff read them, on a home of its own
(SQLite): every amount with thousands separators and its currency (an end-of-day run over
a book of CN and US loans gives a row per currency, never a sum of fen and cents), every
rate with two decimals, and an error that is one line naming its option or field once,
with nothing drawn before it (no progress bar, no blank line)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from autolend import cli_model
from autolend.batch.runners import DAY_COLUMN
from autolend.cli import app
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_codec import product_to_dict
from autolend.services.portfolio_views import Line, PortfolioOverview, StageLine
from tests.support.fairness import example_fairness


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOLEND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOLEND_DEMO", "true")
    monkeypatch.delenv("AUTOLEND_DATABASE_URL", raising=False)
    return tmp_path / "home"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def only_the_error(result: Result) -> str:
    """The run exited 1 and printed exactly one line, ``error: ...`` on stderr: no
    progress bar or blank line on stdout, no blank line in front of it on stderr."""
    assert result.exit_code == 1, result.output
    assert result.stdout == "", repr(result.stdout)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, repr(
        result.stderr
    )
    return " ".join(result.stderr.split())


def flat(text: str) -> str:
    """Printed text with Rich's boxes and wrapping gone."""
    for mark in "│┃┌┐└┘├┤─━┏┓┗┛┡┩╇╈┳┻╭╮╰╯":
        text = text.replace(mark, " ")
    return " ".join(text.split())


def test_an_end_of_day_run_over_a_book_gives_each_currency_its_own_row(tmp_path: Path) -> None:
    """The summary printed bare sums of every loan's amounts, CN fen and US cents together."""
    book, result = tmp_path / "book.parquet", tmp_path / "result.parquet"
    made = invoke("synth", "portfolio", "--loans", "12", "--seed", "1", "--date", "2026-03-03",
                  "--out", str(book))  # fmt: skip
    assert made.exit_code == 0, made.output
    assert set(pq.read_table(book, columns=["pack"]).column("pack").to_pylist()) == {0, 1}
    done = invoke("eod", "--book", str(book), "--date", "2026-03-03", "--out", str(result),
                  "--partitions", "1", "--processes", "1")  # fmt: skip
    assert done.exit_code == 0, done.output
    shown = flat(done.stdout)
    assert "day currency loans interest penalty ECL stage 2 stage 3" in shown
    rows = pq.read_table(result)
    assert set(rows.column(DAY_COLUMN).to_pylist()) == {(date(2026, 3, 3) - date(1970, 1, 1)).days}
    packs = rows.column("pack").to_numpy()
    for pack, code in ((0, "CNY"), (1, "USD")):
        ecl = int(rows.column("out_ecl").to_numpy()[packs == pack].sum())
        whole, cents = divmod(ecl, 100)
        assert re.search(rf"2026-03-03 {code} {int((packs == pack).sum())} \S+ \S+ "
                         rf"{whole:,}\.{cents:02d} ", shown), shown  # fmt: skip


def test_portfolio_show_prints_amounts_with_thousands_separators(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As ``policy simulate`` prints its approved volume: 2,843,884.50, not 2843884.50."""
    view = PortfolioOverview(
        as_of=date(2026, 10, 31), loans=3, balance_minor=284_388_450, ecl_minor=1_234_567,
        coverage=Decimal("0.0043"), buckets=[Line("current", 3, 284_388_450)],
        classes=[Line("special_mention", 3, 284_388_450)],
        stages=[StageLine(1, 3, 284_388_450, 1_234_567, Decimal("0.0043"))], rolls=[],
        warnings=[],
    )  # fmt: skip
    portfolio = SimpleNamespace(overview=lambda actor, day: view)
    stub = SimpleNamespace(services=SimpleNamespace(portfolio=portfolio))
    monkeypatch.setattr("autolend.cli._container", lambda *args, **kwargs: stub)
    done = invoke("portfolio", "show")
    assert done.exit_code == 0, done.output
    shown = flat(done.stdout)
    assert "current 3 2,843,884.50" in shown
    assert "1 3 2,843,884.50 12,345.67 0.43%" in shown
    assert "2843884.50" not in shown
    # the classes in words and the totals the README promises (only --json had them)
    assert "special mention 3 2,843,884.50" in shown and "special_mention" not in shown
    assert shown.count("total 3 2,843,884.50") == 2  # the groups and the stages
    assert "total 3 2,843,884.50 12,345.67 0.43%" in shown


def test_the_fairness_report_prints_its_rates_with_two_decimals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``model monitor`` printed 33.3% and +33.3 pp where the rest of the CLI prints 33.33%."""
    text = io.StringIO()
    monkeypatch.setattr(cli_model, "console", Console(file=text, width=200))
    cli_model._print_monitoring({
        "model": {"name": "default", "version": 2}, "status": "stable",
        "score_psi": {"psi": 0.01}, "window": {"rows": 10}, "feature_psi": [],
        "performance": [], "fairness": example_fairness(),
    })  # fmt: skip
    shown = flat(text.getvalue())
    assert "F 4 50.00% 0.60 flagged 0.00% 33.33% 0.00%" in shown
    assert "largest approval rate gap: F 50.00% against M 83.33% (-33.33 pp)" in shown
    rates = re.findall(r"\d+(?:\.\d+)?(?=%| pp)", shown)
    assert rates and all(re.fullmatch(r"\d+\.\d\d", rate) for rate in rates), rates


def test_a_mistyped_day_is_named_once_as_its_option() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    product = only_the_error(invoke("product", "list", "--date", "x"))
    assert product == "error: --date must be YYYY-MM-DD"  # was "... (date)"
    strict = Path(__file__).resolve().parents[2] / "docs" / "examples" / "policy-strict.json"
    simulate = ["policy", "simulate", "--policy", str(strict), "--to", "2026-11-30"]
    start = only_the_error(invoke(*simulate, "--from", "x"))
    assert start == "error: --from must be a date YYYY-MM-DD, not 'x'"  # was "... (from)"
    reversed_period = only_the_error(invoke(*simulate, "--from", "2026-12-01"))
    assert reversed_period == "error: --from must be on or before --to"


def test_a_mistyped_day_is_named_before_the_database_is_looked_at() -> None:
    """On a home never set up, the day is what to fix first (not "run db upgrade")."""
    line = only_the_error(invoke("product", "show", "STD_NEW", "--date", "2026-02-30"))
    assert line == "error: --date must be YYYY-MM-DD"


def test_a_product_file_error_names_its_field_once(tmp_path: Path) -> None:
    """``(rate_min)`` repeated the field the message starts with, and a bad pack was
    named ``(jurisdiction)``, a field a product file does not have."""
    assert invoke("db", "upgrade").exit_code == 0
    product = product_to_dict(STANDARD_NEW)  # as `product show STD_NEW` prints it
    cases: list[tuple[dict[str, str], str]] = [
        ({"rate_min": "0.5"}, "error: rate_min 0.5 must not exceed rate_max 0.0899"),
        ({"pack": "XX"}, "error: pack 'XX' is not a regulation pack; known: CN, US"),
        ({"rate_min": ""}, "error: field 'rate_min' is required"),  # "": left out
    ]
    for number, (changes, expected) in enumerate(cases):
        body = {k: v for k, v in {**product, **changes}.items() if k not in changes or v}
        file = tmp_path / f"product-{number}.json"
        file.write_text(json.dumps(body), encoding="utf-8")
        line = only_the_error(invoke("product", "publish", "--file", str(file)))
        assert line == expected, line
        assert "(jurisdiction)" not in line and "(rate_min)" not in line


def test_a_snapshot_of_a_future_day_prints_the_error_and_no_progress_bar() -> None:
    assert invoke("db", "upgrade").exit_code == 0
    line = only_the_error(invoke("portfolio", "snapshot", "--date", "2999-01-01"))
    assert line == "error: the snapshot date is in the future (--date)"  # the option kept


def test_an_end_of_day_error_over_a_book_is_the_only_output(tmp_path: Path) -> None:
    book = tmp_path / "book.parquet"
    assert invoke("synth", "portfolio", "--loans", "3", "--out", str(book)).exit_code == 0
    backwards = invoke("eod", "--book", str(book), "--out", str(tmp_path / "r.parquet"),
                       "--date", "2026-11-28", "--through", "2026-11-20")  # fmt: skip
    assert only_the_error(backwards).endswith("(--through)")


def test_model_train_prints_no_blank_line_before_its_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    done = invoke("model", "train", "--data", str(missing), "--target", "bad", "--name", "x")
    assert only_the_error(done) == "error: nope.csv: file not found (--data)"


def test_product_publish_help_shows_the_file_format_and_an_example() -> None:
    shown = flat(invoke("product", "publish", "--help").output)
    assert "FILE holds one product as a JSON object" in shown
    assert "rate_min, rate_max, terms" in shown and '"version" is ignored' in shown
    assert "Example: `autolend product show STD_NEW > product.json`" in shown
    assert "`autolend product publish --file product.json`" in shown
