"""The command line as a lender's staff meet it, on a home of its own (SQLite): a
database never set up, a mistyped role or day, a port already taken, a US book and the
help and totals of the calculators each end in one clear line naming what to change, or
print amounts with their currency."""

from __future__ import annotations

import io
import socket
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from autolend import cli_policy
from autolend.adapters.db.migrate import head_revision
from autolend.cli import app
from autolend.domain.access import Role
from autolend.domain.decision import Outcome
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.money import Money
from autolend.domain.policy_simulation import Replayed, compare
from autolend.services.policy_simulation import Simulation


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOLEND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOLEND_DEMO", "true")
    monkeypatch.delenv("AUTOLEND_DATABASE_URL", raising=False)
    return tmp_path / "home"


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def error_line(result: Result) -> str:
    """The one ``error:`` line on stderr of a run that exited 1 without a traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return " ".join(lines[0].split())


def flat(text: str) -> str:
    """Printed text with Rich's boxes and wrapping gone: "total interest 1252.59 USD"."""
    for mark in "│┃┌┐└┘├┤─━┏┓┗┛┡┩╇╈┳┻╭╮╰╯":
        text = text.replace(mark, " ")
    return " ".join(text.split())


def test_a_database_never_set_up_says_to_run_db_upgrade_not_no_such_table() -> None:
    for args in (["product", "list"], ["eod", "runs"], ["portfolio", "show", "--json"]):
        line = error_line(invoke(*args))
        assert "has no tables yet: run `autolend db upgrade`" in line, line
        assert "OperationalError" not in line and "no such table" not in line


def test_a_database_an_older_version_migrated_names_its_revision_and_db_upgrade() -> None:
    assert invoke("db", "upgrade", "0020").exit_code == 0
    line = error_line(invoke("model", "list"))
    assert f"is at schema revision 0020, this autolend needs {head_revision()}" in line
    assert line.endswith("run `autolend db upgrade`")


def test_user_create_names_the_role_and_dealer_code_options_not_the_fields() -> None:
    password = "Secret-pass-123!\n"
    wizard = invoke("user", "create", "bob", "--role", "wizard", "--password-stdin", stdin=password)
    assert error_line(wizard).endswith("(--role)")
    dealer = invoke("user", "create", "dan", "--role", "dealer", "--password-stdin", stdin=password)
    assert error_line(dealer) == "error: a dealer user needs a dealer code (--dealer-code)"
    # a dealer code beside another role was dropped without a word
    risk = invoke("user", "create", "ivan", "--role", "risk", "--dealer-code", "D001",
                  "--password-stdin", stdin=password)  # fmt: skip
    assert error_line(risk) == "error: only a dealer user has a dealer code (--dealer-code)"


def test_a_day_in_the_future_or_out_of_order_is_named_as_its_option(tmp_path: Path) -> None:
    assert invoke("db", "upgrade").exit_code == 0
    later = error_line(invoke("portfolio", "snapshot", "--date", "2999-01-01"))
    assert later == "error: the snapshot date is in the future (--date)"
    book = tmp_path / "book.parquet"
    assert invoke("synth", "portfolio", "--loans", "5", "--out", str(book)).exit_code == 0
    backwards = invoke("eod", "--book", str(book), "--out", str(tmp_path / "r.parquet"),
                       "--date", "2026-11-28", "--through", "2026-11-20")  # fmt: skip
    assert error_line(backwards).endswith("(--through)")
    assert not (tmp_path / "r.parquet").exists()


def test_the_bureau_sandbox_on_a_port_in_use_is_one_line_before_any_banner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[int] = []
    monkeypatch.setattr("autolend.cli_bureau.serve", lambda **kw: started.append(kw["port"]))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = invoke("bureau-sandbox", "serve", "--port", str(port))
    assert error_line(done) == (
        f"error: port {port} on 127.0.0.1 is already in use (another server?): "
        "choose another with --port"
    )
    assert started == [] and "bureau sandbox on" not in done.output


def test_a_us_policy_simulation_states_its_approved_volume_in_dollars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usd = Money.of_minor(2_500_000, "USD")
    rows = [Replayed(1, usd, Decimal("0.02"), Outcome.APPROVE, Outcome.APPROVE, Outcome.REFER)]
    result = Simulation(DEFAULT_POLICY, DEFAULT_POLICY, date(2026, 1, 1), date(2026, 1, 31),
                        compare(rows, "USD"), tuple(rows), ())  # fmt: skip
    text = io.StringIO()
    monkeypatch.setattr(cli_policy, "console", Console(file=text, width=200))
    cli_policy._print(result)
    shown = flat(text.getvalue())
    assert "approved volume (USD) 25,000.00 0.00 -25,000.00" in shown
    assert "CNY" not in shown


def test_schedule_help_keeps_the_default_day_count_of_each_pack() -> None:
    """The text "[default: the pack's ...]" was read as Rich markup and left out of the help."""
    shown = flat(invoke("schedule", "--help").output)
    assert "(default: the pack's: CN ACT/360, US ACT/365)" in shown


def test_the_schedule_totals_name_their_currency_as_the_installment_does() -> None:
    done = invoke("schedule", "--principal", "100000", "--annual-rate", "7.5", "--periods",
                  "3", "--start", "2026-01-15", "--currency", "USD")  # fmt: skip
    assert done.exit_code == 0, done.output
    shown = flat(done.stdout)
    assert "installment 33750.87 USD" in shown
    assert "total interest 1252.59 USD" in shown and "total payment 101252.59 USD" in shown


def test_user_create_help_lists_every_role_and_db_upgrade_help_says_where_the_file_is() -> None:
    """``--role`` said only "role; repeat for several", so staff had to guess the names;
    ``db upgrade`` said the SQLite file was in var/ (it is in AUTOLEND_HOME)."""
    said = " ".join(invoke("user", "create", "--help").output.split())
    for role in Role:
        assert role.value in said
    assert "--password-stdin" in said.split("Options")[0]  # not "(or read from stdin)"
    upgrade = " ".join(invoke("db", "upgrade", "--help").output.split())
    assert "AUTOLEND_HOME" in upgrade and "var/" not in upgrade


def test_a_us_schedule_names_its_apr_as_regulation_z_and_a_cn_one_as_before() -> None:
    """A USD schedule's APR is Regulation Z's (Appendix J) but was labelled "APR
    (nominal)", the PBOC rule's words."""
    terms = ["schedule", "--principal", "20000", "--annual-rate", "7.3", "--periods", "12",
             "--start", "2026-01-15"]  # fmt: skip
    us = flat(invoke(*terms, "--currency", "USD").output)
    assert "APR (Regulation Z) 7.30%" in us and "effective annual rate 7.55%" in us
    assert "APR (nominal)" not in us
    cn = flat(invoke(*terms).output)
    assert "APR (nominal) 7.30%" in cn and "APR (effective) 7.55%" in cn
