"""``autolend synth portfolio`` writes the synthetic book in the end-of-day column layout."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
from typer.testing import CliRunner

from autolend.batch.book import Book
from autolend.cli import app


def test_the_portfolio_is_written_to_parquet_and_reads_back_as_the_same_book(
    tmp_path: Path,
) -> None:
    out = tmp_path / "book.parquet"
    result = CliRunner().invoke(
        app, ["synth", "portfolio", "--loans", "500", "--seed", "4", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 500
    book = Book.from_arrow(table)
    again = Book.from_arrow(pq.read_table(out))
    assert (book.loans["principal"] == again.loans["principal"]).all()
    assert int(book.loans["principal"].min()) > 0


def test_the_portfolio_refuses_another_file_type_and_a_bad_date(tmp_path: Path) -> None:
    runner = CliRunner()
    csv = runner.invoke(
        app, ["synth", "portfolio", "--loans", "5", "--out", str(tmp_path / "b.csv")]
    )
    assert csv.exit_code == 1
    assert ".parquet" in csv.output
    bad = runner.invoke(
        app,
        ["synth", "portfolio", "--loans", "5", "--out", str(tmp_path / "b.parquet"), "--date", "x"],
    )
    assert bad.exit_code == 1
    assert not (tmp_path / "b.parquet").exists()
