"""The command line's synthetic books on the embedded SQLite: ``autolend synth
portfolio`` without ``--out`` writes loans with history into the database, and
``autolend demo --loans N`` seeds them once (a second run adds none)."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from autolend.cli import app

pytestmark = pytest.mark.integration


def _env(home: Path) -> dict[str, str]:
    return {"AUTOLEND_HOME": str(home), "AUTOLEND_DEMO": "true", "AUTOLEND_DATABASE_URL": ""}


def _loans(home: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{home / 'autolend.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, COUNT(*) FROM loans GROUP BY status"))
        found = {str(status): int(count) for status, count in rows}
    engine.dispose()
    return found


def test_synth_portfolio_without_out_writes_loans_with_history_that_verify_accepts(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    args = ["synth", "portfolio", "--loans", "40", "--seed", "3", "--date", "2026-11-20"]
    made = runner.invoke(app, args, env=_env(tmp_path))
    assert made.exit_code == 0, made.output
    assert re.search(r"wrote 40 loans with history \(migrated 2026-08-31", made.output)
    assert sum(_loans(tmp_path).values()) == 40
    checked = runner.invoke(app, ["verify", "--date", "2026-11-20"], env=_env(tmp_path))
    assert checked.exit_code == 0, checked.output


def test_a_book_serviced_through_a_past_day_says_how_to_bring_it_up_to_date(
    tmp_path: Path,
) -> None:
    """Behind the business day its loans fail verify's check 7 (the rest of the book is
    accrued through today); the command it prints catches them up."""
    runner = CliRunner()
    past = (date.today() - timedelta(days=6)).isoformat()  # a few days: a quick catch-up
    args = ["synth", "portfolio", "--loans", "5", "--date", past]
    made = runner.invoke(app, args, env=_env(tmp_path))
    assert made.exit_code == 0, made.output
    hint = re.search(r"`autolend eod --through (\S+)` brings them up to date", made.output)
    assert hint, made.output
    assert f"serviced through {past}, before today" in " ".join(made.output.split())
    caught_up = runner.invoke(app, ["eod", "--through", hint[1]], env=_env(tmp_path))
    assert caught_up.exit_code == 0, caught_up.output
    checked = runner.invoke(app, ["verify", "--date", hint[1]], env=_env(tmp_path))
    assert checked.exit_code == 0, checked.output


def test_synth_portfolio_refuses_a_date_in_the_future(tmp_path: Path) -> None:
    args = ["synth", "portfolio", "--loans", "5", "--date", "2999-01-01"]
    refused = CliRunner().invoke(app, args, env=_env(tmp_path))
    assert refused.exit_code == 1
    assert "in the future" in refused.output


def test_the_demo_command_decides_its_applications_against_the_bureau_sandbox(
    tmp_path: Path,
) -> None:
    """``autolend demo`` starts the sandbox while it seeds, as ``serve --demo`` does: the
    six demo applications meet their synthetic credit files (before, with no bureau, every
    one was referred as "the credit report could not be obtained"), and the sandbox is
    gone afterwards, its address not left behind in the environment."""
    seeded = CliRunner().invoke(app, ["demo"], env=_env(tmp_path))
    assert seeded.exit_code == 0, seeded.output
    engine = create_engine(f"sqlite:///{tmp_path / 'autolend.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, decision FROM applications")).all()
    engine.dispose()
    statuses = sorted(status for status, _ in rows)
    assert statuses.count("approved") >= 1 and statuses.count("declined") >= 1, statuses
    assert all("bureau_unavailable" not in decision for _, decision in rows)
    assert "AUTOLEND_BUREAU_URL" not in os.environ


def test_the_demo_command_seeds_its_synthetic_book_once(tmp_path: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(app, ["demo"], env=_env(tmp_path))  # a demo database without a book
    assert plain.exit_code == 0, plain.output
    # AUTOLEND_DEMO_LOANS as the README's `AUTOLEND_DEMO_LOANS=500 make run` sets it
    first = runner.invoke(app, ["demo"], env=_env(tmp_path) | {"AUTOLEND_DEMO_LOANS": "25"})
    assert first.exit_code == 0, first.output
    assert "demo book: 25 loans" in first.output
    assert "end-of-day run 1" in first.output  # the book's history stops yesterday
    seeded = _loans(tmp_path)
    again = runner.invoke(app, ["demo", "--loans", "25"], env=_env(tmp_path))
    assert again.exit_code == 0, again.output
    assert "nothing seeded" in again.output
    assert _loans(tmp_path) == seeded
    assert sum(seeded.values()) == 9 + 25  # the hand-made demo loans and the book
    checked = runner.invoke(app, ["verify"], env=_env(tmp_path))
    assert checked.exit_code == 0, checked.output
    engine = create_engine(f"sqlite:///{tmp_path / 'autolend.db'}")
    with engine.connect() as conn:  # today's snapshot was retaken with the book in it
        today = conn.execute(text("SELECT COUNT(*) FROM portfolio_risk WHERE as_of = "
                                  "(SELECT MAX(as_of) FROM portfolio_risk)")).scalar()  # fmt: skip
        runs = conn.execute(text("SELECT status, loans, first_day, through_day FROM eod_runs"))
        run = [tuple(r) for r in runs]
        behind = conn.execute(
            text(
                "SELECT COUNT(*) FROM loans WHERE status = 'active' AND "
                "accrued_through < (SELECT MAX(as_of) FROM portfolio_risk)"
            )
        )
        unserviced = behind.scalar()  # fmt: skip
    engine.dispose()
    assert today is not None and today > 25
    # one end-of-day run, today's, over the book (the hand-made loans were serviced already)
    assert len(run) == 1 and run[0][0] == "done" and run[0][1] >= 20, run
    assert run[0][3] == run[0][2]
    assert unserviced == 0
