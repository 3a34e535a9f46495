"""Reading a lender's columns: numbers written as text, infinities, and the columns left out
(with a note) because they cannot help a model."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk import columns, dataset, features, reasons
from autolend.risk.columns import read_columns
from autolend.risk.dataset import training_data
from autolend.risk.features import FeatureSchema

ROWS = 40


def _book(**columns: object) -> pandas.DataFrame:
    """``ROWS`` applicants with an outcome (every 4th bad) and the columns given."""
    frame = pandas.DataFrame(columns)
    frame["bad"] = [int(i % 4 == 0) for i in range(ROWS)]
    return frame


def _incomes() -> list[float]:
    return [3000.0 + 250 * i for i in range(ROWS)]


@pytest.mark.parametrize("module", [columns, dataset, features, reasons])
def test_the_worked_examples_of_the_docstrings_hold(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_a_column_with_no_values_is_left_out_with_a_note() -> None:
    data = training_data(_book(income=_incomes(), notes=[np.nan] * ROWS), "bad", 1)
    assert dict(data.kinds) == {"income": "numeric"}
    assert "notes" not in data.features.columns
    [note] = data.notes
    assert (note.column, note.code, note.left_out) == ("notes", "no_values", True)
    assert note.text == "notes: left out, it has no values"


def test_one_value_in_every_row_is_left_out_but_one_value_or_missing_is_kept() -> None:
    # Whether a value is there at all can carry risk (e.g. a guarantor named or not).
    guarantor = ["yes" if i % 3 else None for i in range(ROWS)]
    data = training_data(_book(branch=["X"] * ROWS, guarantor=guarantor), "bad", 1)
    assert dict(data.kinds) == {"guarantor": "categorical"}
    assert [(n.column, n.code) for n in data.notes] == [("branch", "single_value")]


def test_a_file_with_no_usable_column_is_refused_naming_each_one() -> None:
    with pytest.raises(InvalidInput, match=r"no usable feature.*empty: .*no values.*flat") as error:
        training_data(_book(empty=[None] * ROWS, flat=[1] * ROWS), "bad", 1)
    assert error.value.field == "data"


@pytest.mark.parametrize("dtype", [object, "string"])
def test_digits_stored_as_text_are_read_as_numbers(dtype: object) -> None:
    text = pandas.Series([str(int(v)) for v in _incomes()], dtype=dtype)
    data = training_data(_book(income=text), "bad", 1)
    assert dict(data.kinds) == {"income": "numeric"}
    assert data.features["income"].tolist() == _incomes()
    assert [n.code for n in data.notes] == ["numbers_in_text"]


def test_thousands_separators_are_removed_but_a_decimal_comma_is_no_number() -> None:
    read = read_columns(pandas.DataFrame({"price": ["1,234", "12,345.5", " -1,000 ", "980"]}))
    assert read.features["price"].tolist() == [1234.0, 12345.5, -1000.0, 980.0]
    commas = read_columns(pandas.DataFrame({"rate": ["1,5", "2,25", "3,75", "0,5"]}))
    assert commas.kinds == {"rate": "categorical"}


def test_a_rare_junk_token_reads_as_missing_and_a_common_one_keeps_the_column_text() -> None:
    # 19 numbers and 1 junk value: 95 % numbers, numeric; 18 and 2 (90 %): text.
    rare = [str(v) for v in range(19)] + ["n/a?"]
    common = [str(v) for v in range(18)] + ["n/a?", "unknown"]
    read = read_columns(pandas.DataFrame({"rare": rare, "common": common}))
    assert read.kinds == {"rare": "numeric", "common": "categorical"}
    assert math.isnan(read.features["rare"].iloc[-1])
    assert "1 values that are not numbers (e.g. 'n/a?') read as missing" in read.notes[0].text


def test_infinite_values_read_as_missing_and_are_counted_in_a_note() -> None:
    ltv = [0.5 + i / 100 for i in range(ROWS)]
    ltv[3], ltv[7] = math.inf, -math.inf
    data = training_data(_book(ltv=ltv), "bad", 1)
    assert np.isnan(data.features["ltv"].to_numpy()[[3, 7]]).all()
    assert [n.text for n in data.notes] == ["ltv: 2 infinite values read as missing"]


def test_a_categorical_column_with_too_few_rows_per_level_is_left_out() -> None:
    rows = 3000
    rng = np.random.default_rng(4)
    frame = pandas.DataFrame(
        {
            "noise": [f"L{i}" for i in rng.integers(0, 300, rows)],  # 10 rows a level
            "city": [f"C{i}" for i in rng.integers(0, 40, rows)],  # 75 rows a level
            "bad": rng.integers(0, 2, rows),
        }
    )
    data = training_data(frame, "bad", 1)
    assert dict(data.kinds) == {"city": "categorical"}
    [note] = data.notes
    assert (note.column, note.code) == ("noise", "too_many_levels")
    assert "300 distinct values in 3,000 rows" in note.text and "at most 150" in note.text


def test_a_small_file_keeps_its_few_categories() -> None:
    # 40 rows, 10 levels: the 20-level floor keeps it although a level has only 4 rows.
    data = training_data(_book(city=[f"C{i % 10}" for i in range(ROWS)]), "bad", 1)
    assert dict(data.kinds) == {"city": "categorical"}


def test_a_scored_file_reads_its_numbers_as_training_did() -> None:
    schema = FeatureSchema(("income",), ("numeric",))
    messy = pandas.DataFrame({"income": ["1,200", "inf", None] + ["950"] * 17 + ["n/a?"]})
    values = schema.numeric_column(messy, "income")
    assert values[0] == 1200.0 and np.isnan(values[[1, 2, 20]]).all()
    with pytest.raises(InvalidInput, match=r"income: 'lots' is not a number") as error:
        schema.numeric_column(pandas.DataFrame({"income": ["1,200", "lots"]}), "income")
    assert error.value.field == "income"


def test_one_application_may_write_thousands_separators_but_not_words() -> None:
    schema = FeatureSchema(("income",), ("numeric",))
    assert schema.row({"income": "5,200"}) == [5200.0]
    assert math.isnan(float(schema.row({"income": math.inf})[0]))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="income: 'lots' is not a number"):
        schema.row({"income": "lots"})
