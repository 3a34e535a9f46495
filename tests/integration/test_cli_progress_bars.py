"""Progress bars go to standard error, and only to a terminal: the output of a long run
redirected to a file (a nightly ``autolend eod --date D > eod.log``) is its summary alone,
with no ``snapshot 2026-11-30 ━━━ 5/5`` line in front of it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from typer.testing import CliRunner

from autolend.cli import app
from autolend.cli_progress import progress_bar
from tests.integration.test_cli_output_polish import home  # noqa: F401 - autouse: own home


def terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, force_interactive=True, width=80)


def test_a_snapshot_written_to_a_file_holds_its_table_and_no_progress_bar() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["synth", "portfolio", "--loans", "5"]).exit_code == 0
    done = runner.invoke(app, ["portfolio", "snapshot", "--date", "2026-11-30"])
    assert done.exit_code == 0, done.output
    assert "portfolio snapshot" in done.stdout
    assert "snapshot 2026-11-30 " not in done.stdout.replace("portfolio snapshot", "")
    assert done.stderr == ""  # not a terminal: no bar there either


def test_on_a_terminal_the_bar_is_drawn_and_stays_when_the_run_ends() -> None:
    screen = terminal()
    with progress_bar("{task.description}", console=screen) as bar:
        bar.add_task("snapshot 2026-11-30", total=5, completed=5)
    assert "snapshot 2026-11-30" in screen.file.getvalue()  # type: ignore[attr-defined]


def test_on_a_terminal_an_error_erases_the_bar() -> None:
    screen = terminal()
    bar_then_error = progress_bar("{task.description}", console=screen)
    with pytest.raises(ValueError, match="future"), bar_then_error as bar:
        bar.add_task("snapshot 2999-01-01", total=None)
        raise ValueError("the snapshot date is in the future")
    shown = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "snapshot 2999-01-01" not in shown.rsplit("\x1b[2K", 1)[-1]


def test_off_a_terminal_nothing_is_drawn() -> None:
    plain = Console(file=io.StringIO(), force_terminal=False, width=80)
    with progress_bar("{task.description}", console=plain) as bar:
        bar.add_task("eod 2026-11-30", total=3, completed=3)
    assert plain.file.getvalue() == ""  # type: ignore[attr-defined]
