"""``autolend portfolio show``'s roll-rate tables: a bucket with no balance at the start
reads "—" across its row, not "0.00 %" (which said nothing rolled from a bucket that held
nothing), as the portfolio page's table does."""

from __future__ import annotations

from datetime import date

from rich.console import Console

from autolend.cli_portfolio import _roll_table
from autolend.domain.portfolio import GONE, roll_matrix
from autolend.services.portfolio_views import BUCKET_NAMES, RollPeriod


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
    assert rows["current"][0] == "90.00 %" and rows["current"][-1] == "10.00 %"
    assert rows["1-30"][0] == "100.00 %" and rows["1-30"][1] == "0.00 %"  # held, none stayed
    for empty in BUCKET_NAMES[2:]:
        assert rows[empty] == ["—"] * (len(BUCKET_NAMES) + 1), rows[empty]
