"""The QA walkthrough's data-reading findings: each file or frame here was misread before."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk.dataset import load_table, training_data

ROWS = 60


def _outcomes() -> list[int]:
    """``ROWS`` outcomes, every third bad (20 bads, 40 goods)."""
    return [int(i % 3 == 0) for i in range(ROWS)]


def _noise() -> list[float]:
    """A feature unrelated to :func:`_outcomes`, in no order."""
    return [float((i * 7) % 11) for i in range(ROWS)]


def _notes(data: object) -> dict[str, str]:
    return {n.column: n.code for n in data.notes}  # type: ignore[attr-defined]


def test_a_csv_naming_a_column_twice_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "twice.csv").write_text("y,income,y\n1,300,1\n0,200,0\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"twice\.csv: .*more than one column 'y'") as error:
        load_table(tmp_path / "twice.csv")
    assert error.value.field == "data"


def test_a_parquet_file_naming_a_column_twice_is_refused_naming_it(tmp_path: Path) -> None:
    table = pa.Table.from_arrays([pa.array([1, 0]), pa.array([3, 2]), pa.array([1, 0])],
                                 names=["y", "income", "y"])  # fmt: skip
    pq.write_table(table, tmp_path / "twice.parquet")
    with pytest.raises(InvalidInput, match=r"more than one column 'y'"):
        load_table(tmp_path / "twice.parquet")


def test_a_frame_naming_a_column_twice_is_refused() -> None:
    frame = pandas.DataFrame([[1, 3.0, 1], [0, 2.0, 0]], columns=["y", "income", "y"])
    with pytest.raises(InvalidInput, match=r"more than one column is named 'y'"):
        training_data(frame, "y", 1)


def test_a_column_that_alone_separates_the_classes_is_kept_with_a_leakage_note() -> None:
    y = _outcomes()
    frame = pandas.DataFrame({"days_past_due": [30.0 * b + i % 5 for i, b in enumerate(y)],
                              "status": ["charged off" if b else "current" for b in y],
                              "income": _noise(), "bad": y})  # fmt: skip
    data = training_data(frame, "bad", 1)
    notes = {n.column: n for n in data.notes}
    assert set(data.kinds) == {"days_past_due", "status", "income"}
    assert notes["days_past_due"].code == notes["status"].code == "separates_the_classes"
    assert "income" not in notes
    assert "may be known only after the outcome" in notes["days_past_due"].text


def test_a_one_two_coded_target_without_a_bad_value_is_refused_listing_its_values() -> None:
    """UCI German credit writes good as 1 and bad as 2: guessing "1" inverted the model."""
    frame = pandas.DataFrame({"income": _noise(), "credit": [2 if b else 1 for b in _outcomes()]})
    with pytest.raises(InvalidInput, match=r"means bad: it holds 1 and 2") as error:
        training_data(frame, "credit")
    assert error.value.field == "bad"
    assert training_data(frame, "credit", 2).bad_rate == pytest.approx(1 / 3)


def test_a_guessed_bad_value_is_said_in_a_note() -> None:
    frame = pandas.DataFrame({"income": _noise(), "bad": _outcomes()})
    data = training_data(frame, "bad")
    [note] = [n for n in data.notes if n.code == "bad_value_guessed"]
    assert (
        note.text == "bad: no bad value given; 1 read as bad and 0 as good (--bad to say otherwise)"
    )
    assert data.y.tolist() == _outcomes()
    assert "bad_value_guessed" not in _notes(training_data(frame, "bad", 1)).values()


def test_y_and_n_are_not_guessed() -> None:
    frame = pandas.DataFrame({"income": _noise(), "late": ["Y" if b else "N" for b in _outcomes()]})
    with pytest.raises(InvalidInput, match=r"'Y' and 'N'|'N' and 'Y'"):
        training_data(frame, "late")


def test_a_semicolon_csv_reads_its_decimal_commas_as_numbers(tmp_path: Path) -> None:
    """Excel in German saves ``;`` between columns and ``0,25`` for a quarter; ``5123,45``
    must not pass for a date once read as ``5123.45``."""
    lines = ["rate;amount;income;region;bad"] + [
        f"0,{i + 10};{i + 1}.{i % 10}00,5;{5000 + i},{i % 9 + 1}5;north, east;{b}"
        for i, b in enumerate(_outcomes())
    ]
    (tmp_path / "de.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = training_data(load_table(tmp_path / "de.csv"), "bad", 1)
    assert data.kinds["rate"] == data.kinds["amount"] == data.kinds["income"] == "numeric"
    assert data.features["rate"].tolist()[:2] == [0.10, 0.11]
    assert data.features["amount"].tolist()[:2] == [1000.5, 2100.5]
    assert data.features["income"].tolist()[:2] == [5000.15, 5001.25]


def test_currency_symbols_and_percent_signs_are_read_as_numbers_with_notes() -> None:
    frame = pandas.DataFrame(
        {
            "loan": [f"¥{i},000" for i in range(1, ROWS + 1)],
            "price": [f"${i},200.50" for i in range(1, ROWS + 1)],
            "dti": [f"{i}.0%" for i in range(ROWS)],
            "bad": _outcomes(),
        }
    )
    data = training_data(frame, "bad", 1)
    assert data.features.loc[0, ["loan", "price", "dti"]].tolist() == [1000.0, 1200.5, 0.0]
    assert data.features.loc[1, "dti"] == pytest.approx(0.01)
    texts = [n.text for n in data.notes]
    assert "loan: amounts written with '¥' read as numbers" in texts
    assert "dti: percentages read as fractions ('0.0%' read as 0)" in texts


def test_numbers_that_cannot_be_read_are_said_to_be_so_not_too_many_categories() -> None:
    frame = pandas.DataFrame({"version": [f"{i}.{i}.1" for i in range(ROWS)], "x": _noise(),
                              "bad": _outcomes()})  # fmt: skip
    [note] = [n for n in training_data(frame, "bad", 1).notes if n.column == "version"]
    assert (note.code, note.left_out) == ("unreadable_numbers", True)
    assert "look like numbers but 60 of 60 cannot be read" in note.text


def test_dates_the_synthetic_true_pd_and_a_row_number_are_left_out_with_notes() -> None:
    frame = pandas.DataFrame(
        {
            "application_month": [f"2024-{i % 12 + 1:02d}" for i in range(ROWS)],
            "true_pd": np.linspace(0.01, 0.3, ROWS),
            "row": np.arange(1, ROWS + 1),
            "x": _noise(),
            "bad": _outcomes(),
        }
    )
    data = training_data(frame, "bad", 1)
    assert set(data.kinds) == {"x"}
    notes = _notes(data)
    assert (notes["application_month"], notes["true_pd"], notes["row"]) == (
        "date_values", "synthetic_truth", "sequential_id",
    )  # fmt: skip
    [dates] = [n for n in data.notes if n.column == "application_month"]
    assert "should not learn the calendar" in dates.text and "--month-col" in dates.text


def test_parquet_dates_are_left_out_and_durations_read_as_days(tmp_path: Path) -> None:
    start = datetime.date(2024, 1, 1)
    frame = pandas.DataFrame(
        {
            "opened": [start + datetime.timedelta(days=i) for i in range(ROWS)],
            "tenure": pandas.to_timedelta(_noise(), unit="D"),
            "bad": _outcomes(),
        }
    )
    frame.to_parquet(tmp_path / "book.parquet")
    data = training_data(load_table(tmp_path / "book.parquet"), "bad", 1)
    assert _notes(data) == {"opened": "date_values", "tenure": "durations_in_days"}
    assert data.features["tenure"].tolist() == _noise()


def test_rows_without_a_target_value_are_counted_in_a_note() -> None:
    frame = pandas.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": ["bad", None, " ", "good"]})
    data = training_data(frame, "y", "bad")
    [note] = [n for n in data.notes if n.code == "rows_without_target"]
    assert note.text == "y: 2 rows without a target value were left out"
    assert (data.rows, data.dropped_rows) == (2, 2)


def test_target_labels_ignore_case_and_blanks_around_them() -> None:
    frame = pandas.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": ["bad", "BAD ", " Good", "good"]})
    data = training_data(frame, "y", " Bad")
    assert (data.y.tolist(), data.bad_label) == ([1, 1, 0, 0], "bad")


def test_a_true_false_target_accepts_one_and_true_as_the_bad_value() -> None:
    frame = pandas.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [True, False, False, True]})
    for bad in ("1", 1, "true", "True", True):
        assert training_data(frame, "y", bad).y.tolist() == [1, 0, 0, 1], bad
    assert training_data(frame, "y", "0").y.tolist() == [0, 1, 1, 0]


def test_a_directory_given_as_the_data_is_said_to_be_a_directory(tmp_path: Path) -> None:
    (tmp_path / "book.csv").mkdir()
    with pytest.raises(InvalidInput, match=r"book\.csv: is a directory"):
        load_table(tmp_path / "book.csv")


def test_a_target_not_found_shows_the_column_names_quoted_so_blanks_show() -> None:
    frame = pandas.DataFrame({"x": [1.0, 2.0], "y ": [1, 0]})
    with pytest.raises(InvalidInput, match=r"columns include: 'x', 'y '"):
        training_data(frame, "y", 1)


def test_a_windows_1252_csv_reads_its_accented_letters(tmp_path: Path) -> None:
    (tmp_path / "ch.csv").write_bytes("city,bad\nZürich,1\nMünchen,0\n".encode("cp1252"))
    assert load_table(tmp_path / "ch.csv")["city"].tolist() == ["Zürich", "München"]
