"""Loading a lender's history and reading its target: the clear errors and the happy path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk.dataset import load_table, training_data


def _frame() -> pandas.DataFrame:
    return pandas.DataFrame(
        {
            "income": [3000.0, None, 8000.0, 4500.0],
            "city": ["A", "B", None, "A"],
            "tier": [1, 2, 3, 1],
            "outcome": ["bad", "good", "good", "bad"],
        }
    )


def test_a_csv_and_a_parquet_file_load_to_the_same_frame(tmp_path: Path) -> None:
    _frame().to_csv(tmp_path / "book.csv", index=False)
    _frame().to_parquet(tmp_path / "book.parquet")
    from_csv = load_table(tmp_path / "book.csv")
    from_parquet = load_table(tmp_path / "book.parquet")
    assert list(from_csv.columns) == list(from_parquet.columns) == list(_frame().columns)
    assert len(from_csv) == len(from_parquet) == 4


def test_an_unknown_extension_is_rejected_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_text("x")
    with pytest.raises(InvalidInput, match=r"book\.xlsx") as error:
        load_table(path)
    assert error.value.field == "data"


def test_an_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InvalidInput, match="empty"):
        load_table(path)


def test_a_file_with_a_header_and_no_rows_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("income,outcome\n")
    with pytest.raises(InvalidInput, match="no rows"):
        load_table(path)


def test_a_missing_target_is_named_with_the_columns_available() -> None:
    with pytest.raises(InvalidInput, match=r"'default_flag'.*'income', 'city'") as error:
        training_data(_frame(), target="default_flag", bad="bad")
    assert error.value.field == "target"


def test_a_target_with_a_single_class_is_rejected() -> None:
    frame = _frame().assign(outcome="good")
    with pytest.raises(InvalidInput, match="single class") as error:
        training_data(frame, target="outcome", bad="bad")
    assert error.value.field == "target"


def test_a_target_with_more_than_two_values_names_them() -> None:
    frame = _frame().assign(outcome=["bad", "good", "late", "good"])
    with pytest.raises(InvalidInput, match=r"3 distinct values: 'bad', 'good', 'late'"):
        training_data(frame, target="outcome", bad="bad")


def test_numeric_target_values_are_named_as_the_file_writes_them() -> None:
    # Read from a CSV, 0 / 1 / 2 are NumPy integers, whose repr is np.int64(0).
    frame = _frame().assign(outcome=np.array([0, 1, 2, 1], dtype=np.int64))
    with pytest.raises(InvalidInput, match=r"3 distinct values: 0, 1, 2$"):
        training_data(frame, target="outcome", bad=1)
    with pytest.raises(InvalidInput, match=r"single class \(0\)"):
        training_data(frame.assign(outcome=np.int64(0)), target="outcome", bad=1)


def test_a_bad_value_that_does_not_occur_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="'defaulted' does not occur") as error:
        training_data(_frame(), target="outcome", bad="defaulted")
    assert error.value.field == "bad"


def test_a_bad_value_given_as_text_matches_a_numeric_target() -> None:
    frame = _frame().assign(outcome=[2, 1, 1, 2])
    data = training_data(frame, target="outcome", bad="2")
    assert data.y.tolist() == [1, 0, 0, 1]


def test_without_a_bad_value_the_usual_names_are_recognised() -> None:
    assert training_data(_frame(), target="outcome").y.tolist() == [1, 0, 0, 1]
    numeric = _frame().assign(outcome=[1, 0, 0, 1])
    assert training_data(numeric, target="outcome").y.tolist() == [1, 0, 0, 1]


def test_feature_kinds_are_detected_and_missing_values_kept() -> None:
    data = training_data(_frame(), target="outcome", bad="bad")
    assert dict(data.kinds) == {"income": "numeric", "city": "categorical", "tier": "numeric"}
    assert np.isnan(data.features["income"][1])
    assert pandas.isna(data.features["city"][2])
    assert (data.rows, data.bad_rate) == (4, 0.5)


def test_rows_without_an_outcome_are_dropped_and_counted() -> None:
    frame = _frame().assign(outcome=["bad", None, "good", "bad"])
    data = training_data(frame, target="outcome", bad="bad")
    assert (data.rows, data.dropped_rows, data.y.tolist()) == (3, 1, [1, 0, 1])


def test_a_csv_saved_by_a_chinese_excel_in_gbk_reads_with_its_chinese_names(
    tmp_path: Path,
) -> None:
    book = pandas.DataFrame({"月收入": [3000, 5000], "是否违约": ["是", "否"]})
    book.to_csv(tmp_path / "book.csv", index=False, encoding="gbk")
    frame = load_table(tmp_path / "book.csv")
    assert list(frame.columns) == ["月收入", "是否违约"]
    assert frame["是否违约"].tolist() == ["是", "否"]


def test_a_file_that_cannot_be_read_as_its_type_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "book.parquet").write_text("not parquet", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"book.parquet: not a readable Parquet file"):
        load_table(tmp_path / "book.parquet")
    (tmp_path / "book.csv").write_bytes(b"caf\xe9,bad\n\xff\xfe\xfd,1\n")
    with pytest.raises(InvalidInput, match=r"book.csv: not UTF-8 \(or GB18030\) text"):
        load_table(tmp_path / "book.csv")
    (tmp_path / "quote.csv").write_text('a,b\n1,2\n"x\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"quote.csv: not a readable CSV file"):
        load_table(tmp_path / "quote.csv")


def test_a_csv_with_semicolons_or_tabs_between_columns_reads_as_its_columns(
    tmp_path: Path,
) -> None:
    """Excel set to German or French saves "CSV" with ``;``; exports from databases often
    use tabs. Read with ``,`` such a file was one column named ``income;bad``, and the
    analyst was told only that the target was not found."""
    for sep, name in ((";", "semi.csv"), ("\t", "tabs.csv"), (",", "plain.csv")):
        (tmp_path / name).write_text(
            f'income{sep}region{sep}bad\n3000{sep}"north, east"{sep}1\n', encoding="utf-8"
        )
        frame = load_table(tmp_path / name)
        assert list(frame.columns) == ["income", "region", "bad"], name
        assert frame.iloc[0].tolist() == [3000, "north, east", 1], name
