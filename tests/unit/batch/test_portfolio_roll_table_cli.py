"""``autolend portfolio show``'s roll-rate tables: a bucket with no balance at the start
reads "—" across its row, not "0.00%" (which said nothing rolled from a bucket that held
nothing), as the portfolio page's table does; a percentage is written without a space
("90.00%"), as the web pages write it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rich.console import Console

from autolend.cli_portfolio import _roll_table, overview_tables
from autolend.domain.portfolio import GONE, roll_matrix
from autolend.services.portfolio_views import (
    BUCKET_NAMES,
    CurrencyTotal,
    PortfolioOverview,
    RollPeriod,
    StageLine,
)


def rendered(roll: RollPeriod) -> dict[str, list[str]]:
    """Each start bucket's cells as printed, by its name."""
    console = Console(width=200, record=True)
    console.print(_roll_table(roll))
    rows: dict[str, list[str]] = {}
    for line in console.export_text().splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if cells and cells[0] in BUCKET_NAMES:
            rows[cells[0]] = cells[1:]
    return rows


def test_a_bucket_with_no_balance_at_the_start_reads_a_dash_not_zero_percent() -> None:
    # current: 900 stayed, 100 paid off; 1-30: 50 cured; the other buckets held nothing
    moves = [(0, 0, 900), (0, GONE, 100), (1, 0, 50)]
    roll = RollPeriod(date(2026, 9, 30), date(2026, 10, 31), roll_matrix(moves, 6))
    rows = rendered(roll)
    assert rows["current"][0] == "90.00%" and rows["current"][-1] == "10.00%"
    assert rows["1-30"][0] == "100.00%" and rows["1-30"][1] == "0.00%"  # held, none stayed
    for empty in BUCKET_NAMES[2:]:
        assert rows[empty] == ["—"] * (len(BUCKET_NAMES) + 1), rows[empty]


def test_ecl_coverage_by_stage_and_by_currency_is_a_percentage_without_a_space() -> None:
    # stage 1: 12.50 of ECL on 1,000.00 is 1.25 %; USD: 40.00 on 1,000.00 is 4.00 %
    stage = StageLine(stage=1, loans=1, balance_minor=100_000, ecl_minor=1_250,
                      coverage=Decimal("0.0125"))  # fmt: skip
    totals = [
        CurrencyTotal("CNY", 1, 100_000, 1_250, Decimal("0.0125")),
        CurrencyTotal("USD", 1, 100_000, 4_000, Decimal("0.04")),
    ]
    view = PortfolioOverview(
        as_of=date(2026, 10, 31), loans=1, balance_minor=100_000, ecl_minor=1_250,
        coverage=Decimal("0.0125"), buckets=[], classes=[], stages=[stage], rolls=[],
        warnings=[], totals=totals,
    )  # fmt: skip
    console = Console(width=200, record=True)
    for table in overview_tables(view):
        console.print(table)
    lines = console.export_text().splitlines()
    assert any(line.rstrip(" │").endswith(" 1.25%") for line in lines), lines
    assert any("USD" in line and line.rstrip(" │").endswith(" 4.00%") for line in lines)
    assert not any(line.rstrip(" │").endswith(" %") for line in lines)
