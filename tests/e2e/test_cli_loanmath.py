"""The loan calculators on the command line, run as a user runs them: ``autolend
schedule`` and ``autolend apr regz|irr``, as a table and as JSON, and their one-line
errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.unit.domain.test_regz_disclosures import appendix_j_apr

pytestmark = pytest.mark.e2e
AUTOLEND = str(Path(sys.executable).with_name("autolend"))
EXAMPLE = [
    "schedule", "--principal", "5000", "--annual-rate", "12", "--periods", "18",
    "--frequency", "monthly", "--start", "2022-11-01",
]  # fmt: skip
REGZ = [
    "apr", "regz", "--amount", "5000", "--payment", "230", "--count", "24",
    "--advance-date", "1978-01-10", "--first-payment", "1978-02-10", "--frequency", "monthly",
]  # fmt: skip
ODD_DAYS = [
    "schedule", "--principal", "5000", "--annual-rate", "20", "--periods", "12",
    "--start", "2026-02-03", "--first-due", "2026-03-02",
]  # fmt: skip
"""A first period of 27 days: 27/28 of a month by the CN rule, 27/30 by Appendix J."""
IRR = ["apr", "irr", "--receive", "10000", "--payment", "888.49", "--count", "12",
       "--periods-per-year", "12"]  # fmt: skip


def run(*args: str, home: Path, columns: str = "200") -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AUTOLEND_HOME": str(home), "COLUMNS": columns}
    return subprocess.run(
        [AUTOLEND, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def run_json(*args: str, home: Path) -> dict[str, Any]:
    result = run(*args, "--json", home=home)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def with_option(args: list[str], option: str, value: str) -> list[str]:
    """``args`` with ``option`` set to ``value`` (replaced if present, else appended)."""
    if option in args:
        changed = list(args)
        changed[changed.index(option) + 1] = value
        return changed
    return [*args, option, value]


def test_the_issue_example_as_json_pays_304_91_a_month_at_an_apr_of_12_00_percent(
    tmp_path: Path,
) -> None:
    data = run_json(*EXAMPLE, home=tmp_path)
    assert data["installment"] == "304.91"
    assert (data["total_interest"], data["total_payment"]) == ("488.41", "5488.41")
    assert (data["apr"], data["apr_effective"]) == ("12.00", "12.68")
    rows = data["rows"]
    assert len(rows) == 18
    assert {k: rows[0][k] for k in ("n", "due_date", "days", "interest")} == {
        "n": 1, "due_date": "2022-12-01", "days": 30, "interest": "50.00",
    }  # fmt: skip
    assert sum(Decimal(row["principal"]) for row in rows) == Decimal("5000.00")
    assert rows[-1]["balance"] == "0.00"


def test_to_the_yuan_rounded_up_the_first_row_is_255_00_principal_and_50_00_interest(
    tmp_path: Path,
) -> None:
    args = [*EXAMPLE, "--installment-multiple", "1", "--rounding", "up"]
    first = run_json(*args, home=tmp_path)["rows"][0]
    assert (first["principal"], first["interest"], first["payment"], first["balance"]) == (
        "255.00", "50.00", "305.00", "4745.00",
    )  # fmt: skip


def test_without_json_the_schedule_is_a_table_showing_the_installment_and_apr(
    tmp_path: Path,
) -> None:
    result = run(*EXAMPLE, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "304.91" in result.stdout and "12.00%" in result.stdout
    assert "2024-05-01" in result.stdout  # the last row


def test_a_table_wider_than_the_terminal_is_printed_whole_not_cut_to_ellipses(
    tmp_path: Path,
) -> None:
    args = [*with_option(EXAMPLE, "--principal", "500000"), "--subsidy-customer-rate", "3"]
    result = run(*args, home=tmp_path, columns="60")
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout and "subsidy" in result.stdout
    rows = run_json(*args, home=tmp_path)["rows"]
    assert all(row["balance"] in result.stdout for row in rows)


def test_a_balloon_of_30_percent_leaves_1500_00_on_top_of_the_last_installment(
    tmp_path: Path,
) -> None:
    data = run_json(*EXAMPLE, "--method", "balloon", "--balloon", "30%", home=tmp_path)
    assert (data["installment"], data["rows"][-1]["payment"]) == ("228.44", "1728.39")
    residual = Decimal(data["rows"][-1]["payment"]) - Decimal(data["installment"])
    assert abs(residual - Decimal("1500.00")) < Decimal("0.10")  # rounding of 17 rows


def test_reg_z_appendix_j_example_c_1_i_gives_an_apr_of_9_69_percent(tmp_path: Path) -> None:
    data = run_json(*REGZ, home=tmp_path)
    assert data["apr"] == "9.69"
    assert Decimal(data["apr_exact"]).quantize(Decimal("0.0001")) == Decimal("9.6857")


def test_the_irr_of_888_49_a_month_on_10000_is_12_00_nominal_and_12_68_effective(
    tmp_path: Path,
) -> None:
    data = run_json(*IRR, home=tmp_path)
    assert (data["nominal"], data["effective"]) == ("12.00", "12.68")


def test_a_fee_only_zero_percent_plan_of_12_x_1072_on_12000_costs_13_03_percent(
    tmp_path: Path,
) -> None:
    args = with_option(with_option(IRR, "--receive", "12000"), "--payment", "1072")
    assert run_json(*args, home=tmp_path)["nominal"] == "13.03"


def test_the_apr_commands_print_tables_without_json(tmp_path: Path) -> None:
    regz, irr = run(*REGZ, home=tmp_path), run(*IRR, home=tmp_path)
    assert regz.returncode == 0 and "9.69%" in regz.stdout
    assert irr.returncode == 0 and "12.68%" in irr.stdout


@pytest.mark.parametrize(
    ("base", "option", "value"),
    [
        (EXAMPLE, "--principal", "-5"),
        (EXAMPLE, "--periods", "0"),
        (EXAMPLE, "--periods", "abc"),
        (EXAMPLE, "--annual-rate", "abc"),
        (EXAMPLE, "--first-due", "2022-10-01"),
        (EXAMPLE, "--method", "bullet"),
        (EXAMPLE, "--installment-multiple", "0.001"),
        (REGZ, "--amount", "-5000"),
        (REGZ, "--count", "0"),
        (REGZ, "--first-payment", "1978-01-01"),
        (IRR, "--payment", "abc"),
        (IRR, "--periods-per-year", "0"),
    ],
)
def test_a_bad_argument_exits_non_zero_with_one_line_naming_the_option(
    tmp_path: Path, base: list[str], option: str, value: str
) -> None:
    result = run(*with_option(base, option, value), "--json", home=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and option in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["schedule"], ["apr"], ["apr", "regz"], ["apr", "irr"]])
def test_every_calculator_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--help", home=tmp_path)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_a_usd_schedule_prints_the_regulation_z_apr_of_20_21_percent_not_the_cn_20_00(
    tmp_path: Path,
) -> None:
    """20.21 % is worked by ``appendix_j_apr`` of tests/unit/domain/test_regz_disclosures.py,
    written from Appendix J (b)(5)(ii) and (b)(8) alone (the 27 odd days over 30), sharing
    no code with ``autolend.domain.regz``; the CN rule (27/28 of a month) gives 20.00 %."""
    data = run_json(*ODD_DAYS, "--currency", "USD", home=tmp_path)
    flows = [(date.fromisoformat(r["due_date"]), Fraction(r["payment"])) for r in data["rows"]]
    independent = appendix_j_apr(Fraction(5000), flows, date(2026, 2, 3))
    assert data["apr"] == str(independent) == "20.21"
    assert data["currency"] == "USD"
    table = run(*ODD_DAYS, "--currency", "USD", home=tmp_path)
    assert table.returncode == 0 and "20.21%" in table.stdout
    assert run_json(*ODD_DAYS, "--currency", "USD", "--jurisdiction", "US", home=tmp_path) == data


def test_a_cny_schedule_keeps_the_cn_apr_with_or_without_jurisdiction_cn(tmp_path: Path) -> None:
    plain = run_json(*ODD_DAYS, home=tmp_path)
    assert (plain["apr"], plain["apr_effective"]) == ("20.00", "21.94")
    assert run_json(*ODD_DAYS, "--jurisdiction", "cn", home=tmp_path) == plain
    assert run_json(*EXAMPLE, "--jurisdiction", "CN", home=tmp_path)["apr"] == "12.00"


@pytest.mark.parametrize(
    "extra",
    [
        ["--jurisdiction", "US", "--currency", "CNY"],  # alone, US means dollars
        ["--jurisdiction", "CN", "--currency", "USD"],
        ["--jurisdiction", "XX"],
    ],
)
def test_a_jurisdiction_that_does_not_lend_in_the_currency_exits_non_zero_naming_it(
    tmp_path: Path, extra: list[str]
) -> None:
    result = run(*ODD_DAYS, *extra, home=tmp_path)
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --jurisdiction"), result.stderr


@pytest.mark.parametrize(("command", "payment"), [(REGZ, "10"), (IRR, "10")])
def test_payments_that_repay_less_than_was_received_warn_of_a_negative_rate(
    tmp_path: Path, command: list[str], payment: str
) -> None:
    short = run(*with_option(command, "--payment", payment), "--json", home=tmp_path)
    assert short.returncode == 0  # the arithmetic is right; the warning says what is odd
    assert json.loads(short.stdout)  # stdout stays the JSON alone
    assert "rate is negative" in short.stderr and "--payment" in short.stderr
    assert "warning" not in run(*command, home=tmp_path).stderr


def test_a_us_lenders_schedule_and_rate_are_in_dollars_unless_told_otherwise(
    tmp_path: Path,
) -> None:
    """Under ``AUTOLEND_JURISDICTION=US`` the calculators said CNY and the CN APR
    labels; ``--currency`` or ``--jurisdiction`` still win."""
    environment = {**os.environ, "AUTOLEND_HOME": str(tmp_path), "AUTOLEND_JURISDICTION": "US"}

    def us(*args: str) -> dict[str, Any]:
        done = subprocess.run([AUTOLEND, *args, "--json"], env=environment,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        data: dict[str, Any] = json.loads(done.stdout)
        return data

    assert us(*EXAMPLE)["currency"] == "USD"
    assert us(*EXAMPLE, "--currency", "CNY")["currency"] == "CNY"
    assert us(*EXAMPLE, "--jurisdiction", "CN")["currency"] == "CNY"
    assert run_json(*EXAMPLE, home=tmp_path)["currency"] == "CNY"  # a CN lender's
    assert run_json(*EXAMPLE, "--jurisdiction", "US", home=tmp_path)["currency"] == "USD"
