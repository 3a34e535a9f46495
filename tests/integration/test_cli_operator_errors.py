"""The command line under an operator's mistakes: every bad path, file or number is one
line on stderr naming the option at fault and a non-zero exit, never a traceback, and a
failed write leaves no half-written file behind."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pytest
import typer
from typer.testing import CliRunner, Result

from autolend.cli import app, fail, guarded

AUTOLEND = str(Path(sys.executable).with_name("autolend"))


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOLEND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOLEND_DEMO", "true")
    return tmp_path / "home"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def one_error_line(result: Result, code: int = 1) -> str:
    """The single ``error:`` line on stderr, after checking the exit code and that no
    exception escaped (CliRunner keeps a traceback's exception in ``result.exception``)."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return " ".join(lines[0].split())  # Rich may wrap a long line


def test_model_card_into_a_directory_names_out_instead_of_a_traceback(tmp_path: Path) -> None:
    line = one_error_line(invoke("model", "card", "default", "--out", str(tmp_path)))
    assert f"--out {tmp_path} is a directory, not a file" in line


def test_synth_applicants_into_an_unwritable_folder_names_out(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "applicants.csv"
    line = one_error_line(invoke("synth", "applicants", "--n", "5", "--out", str(out)))
    assert line.startswith(f"error: --out {out} cannot be written")


def test_a_failed_write_keeps_the_previous_file_whole_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "applicants.csv"
    out.write_text("the previous run's file\n")

    def disk_full(frame: pd.DataFrame, path: Path) -> Path:
        Path(path).write_text("half a fi")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("autolend.risk.synth.write_applicants", disk_full)
    line = one_error_line(invoke("synth", "applicants", "--n", "5", "--out", str(out)))
    assert line == f"error: --out {out} cannot be written: No space left on device"
    assert out.read_text() == "the previous run's file\n"
    assert not [p.name for p in tmp_path.iterdir() if "partial" in p.name]


def test_synth_applicants_refuses_another_file_type_naming_out(tmp_path: Path) -> None:
    out = tmp_path / "applicants.xlsx"
    line = one_error_line(invoke("synth", "applicants", "--n", "5", "--out", str(out)))
    assert line == f"error: --out must be a .csv or .parquet file, not '{out}'"
    assert not out.exists()


def test_synth_portfolio_into_a_directory_names_out_instead_of_a_traceback(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "book.parquet"
    folder.mkdir()
    line = one_error_line(invoke("synth", "portfolio", "--loans", "5", "--out", str(folder)))
    assert f"--out {folder} is a directory, not a file" in line


def test_eod_over_a_file_that_is_not_a_book_says_so_before_running(tmp_path: Path) -> None:
    applicants = tmp_path / "applicants.parquet"
    pd.DataFrame({"application_id": ["a1"], "bad": [0]}).to_parquet(applicants)
    out = tmp_path / "result.parquet"
    line = one_error_line(invoke("eod", "--book", str(applicants), "--out", str(out)), 2)
    assert f"--book '{applicants}' is not an end-of-day book: no column" in line
    assert "accrued_through" in line and "ArrowInvalid" not in line
    assert not out.exists()


def test_eod_over_a_damaged_parquet_file_names_book(tmp_path: Path) -> None:
    damaged = tmp_path / "book.parquet"
    damaged.write_text("PAR1 cut short")
    out = tmp_path / "result.parquet"
    line = one_error_line(invoke("eod", "--book", str(damaged), "--out", str(out)), 2)
    assert line == f"error: --book '{damaged}' is not a readable Parquet file"


def test_eod_over_a_book_into_a_directory_names_out(tmp_path: Path) -> None:
    book, folder = tmp_path / "book.parquet", tmp_path / "result.parquet"
    folder.mkdir()
    assert invoke("synth", "portfolio", "--loans", "5", "--out", str(book)).exit_code == 0
    line = one_error_line(invoke("eod", "--book", str(book), "--out", str(folder)), 2)
    assert line == f"error: --out {folder} is a directory, not a file"


def test_bench_refuses_a_negative_seed_as_a_usage_error() -> None:
    result = invoke("bench", "eod", "--loans", "100", "--seed", "-1", "--per-loan", "1")
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "--seed" in result.stderr


def test_bench_without_the_per_loan_loop_says_it_was_skipped() -> None:
    result = invoke("bench", "eod", "--loans", "100", "--per-loan", "0")
    assert result.exit_code == 0, result.output
    assert "per-loan loop: skipped (--per-loan 0)" in result.stdout
    assert "None" not in result.stdout


def test_bench_json_is_json_alone_on_stdout() -> None:
    result = invoke("bench", "eod", "--loans", "100", "--per-loan", "0", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["loans"] == 100


def test_publishing_a_json_list_says_one_product_object_is_wanted(tmp_path: Path) -> None:
    file = tmp_path / "products.json"
    file.write_text('[{"code": "STD_NEW"}]')
    line = one_error_line(invoke("product", "publish", "--file", str(file)))
    assert line == f"error: --file {file} must hold one product as a JSON object {{...}}"


def test_an_empty_monitoring_baseline_is_named_as_baseline_not_data(tmp_path: Path) -> None:
    window, baseline = tmp_path / "window.parquet", tmp_path / "baseline.csv"
    pd.DataFrame({"age": [30], "bad": [0]}).to_parquet(window)
    baseline.write_text("")
    args = ("model", "monitor", "default", "--data", str(window), "--baseline", str(baseline))
    line = one_error_line(invoke(*args))
    assert line == f"error: --baseline {baseline}: the file is empty"


def test_model_errors_name_the_option_not_the_internal_field(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    line = one_error_line(invoke("model", "cv", "--data", str(missing), "--target", "bad"))
    assert line == "error: missing.csv: file not found (--data)"


def test_a_file_name_with_brackets_is_printed_as_typed_not_read_as_markup(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "[bold]applicants.csv"
    line = one_error_line(invoke("model", "cv", "--data", str(odd), "--target", "bad"))
    assert line == "error: [bold]applicants.csv: file not found (--data)"


def test_an_error_already_reported_inside_guarded_is_not_reported_twice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refuse() -> None:
        raise fail("--out /x cannot be written: No such file or directory")

    with pytest.raises(typer.Exit):
        guarded(refuse)
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: --out /x cannot be written: No such file or directory"]


def test_a_password_on_stdin_that_is_not_utf8_is_refused_in_one_line(home: Path) -> None:
    result = subprocess.run(
        [AUTOLEND, "user", "create", "fred", "--role", "risk", "--password-stdin"],
        env={**os.environ, "AUTOLEND_HOME": str(home), "COLUMNS": "200"},
        input=b"\xff\xfelong-password\n",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        "error: --password-stdin: the password read is not UTF-8 text"
    )


def test_eod_over_a_book_refuses_a_date_that_is_not_the_books_next_day(tmp_path: Path) -> None:
    """The kernels run a day on loans accrued through the day before: another --date
    reported 0.00 of interest for the whole book, wrote it and exited 0."""
    book, out = tmp_path / "book.parquet", tmp_path / "result.parquet"
    made = invoke("synth", "portfolio", "--loans", "20", "--date", "2026-11-28", "--out", str(book))
    assert made.exit_code == 0, made.output
    later = one_error_line(invoke("eod", "--book", str(book), "--date", "2026-12-02",
                                  "--out", str(out)))  # fmt: skip
    assert "the book is accrued through 2026-11-27: its next day is 2026-11-28" in later
    assert "--through 2026-12-02" in later and not out.exists()
    earlier = one_error_line(invoke("eod", "--book", str(book), "--date", "2026-01-01",
                                    "--out", str(out)))  # fmt: skip
    assert "a day already run posts nothing again" in earlier and not out.exists()
    ran = invoke("eod", "--book", str(book), "--date", "2026-11-28", "--out", str(out))
    assert ran.exit_code == 0 and out.exists(), ran.output


def test_eod_names_an_out_file_that_is_not_parquet_and_refuses_out_without_a_book(
    tmp_path: Path,
) -> None:
    """``--out r.csv`` read "--out FILE.parquet is required with --book" beside the
    --out given; on the database ``--out`` was accepted and nothing written."""
    book, csv = tmp_path / "book.parquet", tmp_path / "r.csv"
    assert invoke("synth", "portfolio", "--loans", "5", "--out", str(book)).exit_code == 0
    line = one_error_line(invoke("eod", "--book", str(book), "--out", str(csv)), 2)
    assert line == f"error: --out '{csv}' must be a .parquet file" and not csv.exists()
    alone = one_error_line(
        invoke("eod", "--date", "2026-11-28", "--out", str(tmp_path / "r.parquet")), 2
    )
    assert alone == "error: --out is for --book FILE.parquet (a run on the database writes no file)"


def test_model_card_refuses_an_out_file_that_is_not_html(tmp_path: Path) -> None:
    """``--out card.pdf`` wrote a web page into a file named .pdf."""
    pdf = tmp_path / "card.pdf"
    line = one_error_line(invoke("model", "card", "default", "--out", str(pdf)))
    assert line == f"error: --out '{pdf}' must be an .html file: the card is a web page"
    assert not pdf.exists()


@pytest.mark.parametrize(
    "args", [["eod", "--date"], ["eod", "--through"], ["verify", "--date"],
             ["portfolio", "show", "--date"], ["portfolio", "snapshot", "--date"]],
)  # fmt: skip
def test_a_day_the_calendar_lacks_is_said_to_be_one(args: list[str]) -> None:
    """Click said "'2026-02-30' does not match the formats '%Y-%m-%d'", of a value in
    that very format."""
    said = invoke(*args, "2026-02-30")
    assert said.exit_code == 2
    assert "'2026-02-30' is not a day of the calendar" in " ".join(said.output.split())
    assert "is not a day such as 2026-11-28" in " ".join(invoke(*args, "yesterday").output.split())


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (("--processes", "2"), "--processes is for --book FILE.parquet"),
        (("--partitions", "3"), "--partitions is for --book FILE.parquet"),
    ],
)
def test_end_of_day_on_the_database_refuses_the_options_of_a_book_run(
    options: tuple[str, ...], named: str
) -> None:
    """They were ignored without a word: the run went on with --workers 1."""
    line = one_error_line(invoke("eod", "--date", "2026-11-30", *options), code=2)
    assert line.startswith(f"error: {named}") and "--workers" in line


@pytest.mark.parametrize("option", ["--workers", "--partition-size"])
def test_end_of_day_over_a_book_refuses_the_options_of_a_database_run(
    tmp_path: Path, option: str
) -> None:
    book = tmp_path / "book.parquet"
    assert invoke("synth", "portfolio", "--loans", "3", "--out", str(book)).exit_code == 0
    run = invoke("eod", "--book", str(book), "--out", str(tmp_path / "r.parquet"), option, "2")
    line = one_error_line(run, code=2)
    assert line.startswith(f"error: {option} is for a run on the database, not with --book")
    assert not (tmp_path / "r.parquet").exists()


def test_end_of_day_help_still_shows_the_defaults_of_the_sizing_options() -> None:
    """Their defaults moved into the help text (None in the signature tells given from
    not given); Rich would take an unescaped ``[default: 2]`` for markup and drop it."""
    shown = " ".join(invoke("eod", "--help").output.replace("│", " ").split())
    for text in ("loans per partition [default: 1000]", "(with --book) [default: 2]",
                 "PostgreSQL host) [default: 1]"):  # fmt: skip
        assert text in shown, text


def test_upgrading_to_an_older_revision_says_there_is_nothing_to_do() -> None:
    """It printed the current revision alone, as if the database had moved to it."""
    assert invoke("db", "upgrade").exit_code == 0
    older = invoke("db", "upgrade", "0005")
    assert older.exit_code == 0, older.output
    assert "newer than 0005: nothing to do (no downgrades)" in " ".join(older.output.split())


def test_db_index_vins_indexes_nothing_on_a_new_database_and_says_how_many() -> None:
    result = invoke("db", "index-vins")
    assert result.exit_code == 0, result.output
    assert "indexed the VIN of 0 application(s)" in result.stdout
