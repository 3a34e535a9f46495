"""How each feature column of a lender's file is read: its kind, numbers written as text,
and the columns left out because they cannot help a model.

Rules, for every column but the target:

- A numeric dtype (not boolean) is ``numeric``.  So is a text column whose non-missing values
  nearly all (at least 95 %) read as numbers once blanks around them and thousands separators
  (``"1,234.5"``) are taken away; the few that do not (``"n/a?"``) count as missing.
- Infinite values (``inf``, ``-inf``) count as missing: no bin or tree split can place them.
- Every other column is ``categorical``, read as text.
- Left out, with a note saying why: a column about someone other than the applicant (the
  dealer: ``dealer_id``, see :func:`autolend.risk.reasons.not_about_the_applicant`), which
  could never be a reason given to the applicant, so it may not move their score either; a
  column with no values at all; one with the same value in every row (it tells no
  applicant from another; one value *or missing* is kept, as whether a value is there can
  carry risk); and a categorical column with more than 20 levels and fewer than 20 rows per
  level on average (an identifier, a date or free text read as text: its levels are too
  rare for their bad rates to mean anything, and binning them overfits).
- Left out too, with a note: a column named as a protected attribute (``gender``, ``sex``,
  ``marital_status``, ``race``, ``religion``, ``nationality``...; see
  :func:`autolend.risk.reasons.protected_attribute`): no decision may use one
  (``shared/domain/CREDIT_MODELS.md``), so no model learns from it. A study may keep some
  (``studied``: ``model cv --use-protected``, to compare with published figures on data
  such as German credit's ``personal_status_and_sex``); training never does.

>>> frame = pandas.DataFrame({"income": ["1,200", "950", None, "2,000"], "empty": [None] * 4,
...                           "city": ["A", "B", "A", "B"], "dealer_id": ["D1", "D2"] * 2})
>>> read = read_columns(frame)
>>> (read.kinds, read.features["income"].tolist()[:2])
({'income': 'numeric', 'city': 'categorical'}, [1200.0, 950.0])
>>> [(n.column, n.code) for n in read.notes]
[('income', 'numbers_in_text'), ('empty', 'no_values'), ('dealer_id', 'not_about_the_applicant')]

Each note keeps what it cites apart (``details``: counts, an example value, whom a column
describes), so a page can say it in another language; ``text`` is the English sentence:

>>> read.notes[0].details, read.notes[0].text
({'unread': 0}, 'income: numbers written as text, read as numbers')
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.risk.column_rules import (
    currency_symbols,
    dated,
    duration,
    looks_numeric,
    plain_number_text,
    sequential,
)
from autolend.risk.note_texts import SHAPE_TEXTS, TARGET_TEXTS
from autolend.risk.reasons import not_about_the_applicant, protected_attribute

__all__ = [
    "ColumnNote",
    "FeatureKind",
    "NumberReading",
    "ReadColumns",
    "read_columns",
    "read_number",
    "read_numbers",
]

FeatureKind = Literal["numeric", "categorical"]
NoteCode = Literal[
    "no_values", "single_value", "too_many_levels", "not_about_the_applicant",
    "numbers_in_text", "infinite_values", "protected_attribute", "protected_attribute_studied",
    "date_values", "durations_in_days", "sequential_id", "synthetic_truth",
    "unreadable_numbers", "percentages", "currency_symbols",
    "separates_the_classes", "bad_value_guessed", "rows_without_target",
]  # fmt: skip
LEFT_OUT: frozenset[str] = frozenset(
    {"no_values", "single_value", "too_many_levels", "not_about_the_applicant",
     "protected_attribute", "date_values", "sequential_id", "synthetic_truth",
     "unreadable_numbers"}
)  # fmt: skip
# The synthetic generator's own probability of default (risk/synth.py): no lender has it.
SYNTHETIC_TRUTH = "true_pd"
NUMERIC_SHARE = 0.95
ROWS_PER_LEVEL = 20
FEW_LEVELS = 20
# Grouped thousands only ("12,345.6"): "1,5" (a decimal comma) must not read as 15.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


# The English sentence of each note code, filled from the note's column and details; the
# web pages say the same in the page's language (autolend.web.model_card).
_TEXTS: Mapping[str, str] = {
    "no_values": "{column}: left out, it has no values",
    "single_value": "{column}: left out, every row holds {value}",
    "too_many_levels": (
        "{column}: left out, {levels:,} distinct values in {rows:,} rows are too many to "
        "learn from (at most {most:,}); group them into fewer categories"
    ),
    "not_about_the_applicant": (
        "{column}: left out, it describes {who}, not the applicant; a decline's reasons must "
        "be about the applicant, so it may not move their score either"
    ),
    "numbers_in_text": "{column}: numbers written as text, read as numbers",
    "infinite_values": "{column}: {count:,} infinite values read as missing",
    "protected_attribute": (
        "{column}: left out, it records {what}, a protected attribute: no decision may use "
        "it (the fairness report can still group by it)"
    ),
    "protected_attribute_studied": (
        "{column}: records {what}, a protected attribute, studied as a feature as asked; "
        "model train leaves it out"
    ),
    **SHAPE_TEXTS,
    **TARGET_TEXTS,
}
_MIXED = "; they are in {count} currencies and not comparable: convert them to one first"
_UNREAD = "; {unread:,} values that are not numbers (e.g. {example}) read as missing"


@dataclass(frozen=True)
class ColumnNote:
    """One column read otherwise than as-is (left out, or text read as numbers), and why:
    ``details`` are what the note cites (``levels``, ``rows`` and ``most`` of a column with
    too many levels; ``value`` of a single-valued one, as written in the text; ``unread`` and
    ``example`` of numbers in text; ``count`` of infinite values; ``who`` it describes)."""

    column: str
    code: NoteCode
    details: Mapping[str, int | str] = field(default_factory=dict, hash=False)

    @property
    def left_out(self) -> bool:
        return self.code in LEFT_OUT

    @property
    def text(self) -> str:
        """The note in English: ``"notes: left out, it has no values"``."""
        text = _TEXTS[self.code].format(column=self.column, **self.details)
        if self.code == "numbers_in_text" and self.details.get("unread"):
            text += _UNREAD.format(**self.details)
        if self.code == "currency_symbols" and int(self.details.get("count", 1)) > 1:
            text += _MIXED.format(**self.details)
        return text

    def as_dict(self) -> dict[str, object]:
        """JSON-ready; ``details`` only where the note cites something."""
        shaped: dict[str, object] = {"column": self.column, "code": self.code,
                                     "left_out": self.left_out, "text": self.text}  # fmt: skip
        if self.details:
            shaped["details"] = dict(self.details)
        return shaped


@dataclass(frozen=True)
class NumberReading:
    """A column read as numbers: ``values`` (NaN where missing, blank, infinite or not a
    number) and ``unread``, the present values that are not numbers."""

    values: npt.NDArray[np.float64]
    unread: npt.NDArray[np.bool_]
    infinite: int

    @property
    def mostly_numbers(self) -> bool:
        """At least 95 % of the present values (numbers and unreadable text) are numbers."""
        present = int((~np.isnan(self.values)).sum()) + self.infinite + int(self.unread.sum())
        return int(self.unread.sum()) <= (1 - NUMERIC_SHARE) * present


@dataclass(frozen=True)
class ReadColumns:
    """The kept feature columns (numbers as floats, categories as text), their kinds, notes."""

    features: pandas.DataFrame
    kinds: dict[str, FeatureKind]
    notes: tuple[ColumnNote, ...]


def read_number(value: object) -> float | None:
    """One value as a float; missing, blank and infinite values are NaN; None if no number.

    >>> read_number(" 1,234.5 "), read_number("-inf"), read_number("1,5")
    (1234.5, nan, None)
    """
    number = _parsed(value)
    return number if number is None or math.isfinite(number) else math.nan


def read_numbers(column: pandas.Series) -> NumberReading:
    """:func:`read_number` over a column (a plain numeric column is taken as it is)."""
    if pandas.api.types.is_numeric_dtype(column.dtype):
        numbers = pandas.to_numeric(column).to_numpy(dtype=float, na_value=np.nan)
        unread = np.zeros(len(column), dtype=bool)
    else:
        parsed = [_parsed(v) for v in column.tolist()]
        numbers = np.array([math.nan if p is None else p for p in parsed], dtype=np.float64)
        unread = np.array([p is None for p in parsed], dtype=bool)
    values = np.array(numbers, dtype=np.float64)
    infinite = np.isinf(values)
    values[infinite] = np.nan
    return NumberReading(values, unread, int(infinite.sum()))


def _parsed(value: object) -> float | None:
    """A float (NaN when missing or blank, infinities kept), or None when no number."""
    if _missing(value):
        return math.nan
    if isinstance(value, bool | int | float | np.number):
        return float(value)
    if not str(value).strip():
        return math.nan
    plain = plain_number_text(str(value))
    text, scale = (plain[0], 100.0) if isinstance(plain, tuple) else (plain, 1.0)
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        return float(text) / scale
    except ValueError:
        return None


def read_columns(features: pandas.DataFrame, *, studied: Collection[str] = ()) -> ReadColumns:
    """Read every column of ``features`` by the module rules; a protected attribute named
    in ``studied`` is kept (with a note saying so) for a study, never for training."""
    kept: dict[str, pandas.Series] = {}
    kinds: dict[str, FeatureKind] = {}
    notes: list[ColumnNote] = []
    for position, name in enumerate(map(str, features.columns)):
        who, what = not_about_the_applicant(name), protected_attribute(name)
        if who is not None:
            notes.append(ColumnNote(name, "not_about_the_applicant", {"who": who}))
            continue
        if what is not None and name not in studied:
            notes.append(ColumnNote(name, "protected_attribute", {"what": what}))
            continue
        shape = _shape(name, features.iloc[:, position])
        if shape is not None:
            notes.append(shape)
            continue
        kind, values, read_notes = _read_column(name, features.iloc[:, position])
        notes.extend(read_notes)
        unusable = _left_out(name, kind, values)
        if unusable is not None:
            notes.append(unusable)
            continue
        if what is not None:
            notes.append(ColumnNote(name, "protected_attribute_studied", {"what": what}))
        kept[name], kinds[name] = values, kind
    frame = pandas.DataFrame(kept, index=features.index)
    return ReadColumns(frame, kinds, tuple(notes))


def _shape(name: str, column: pandas.Series) -> ColumnNote | None:
    """The note leaving out the synthetic data's ``true_pd``, dates or a sequential id."""
    if name.strip().lower() == SYNTHETIC_TRUTH:
        return ColumnNote(name, "synthetic_truth")
    if sequential(column):
        return ColumnNote(name, "sequential_id")
    return ColumnNote(name, "date_values") if dated(column) else None


def _read_column(
    name: str, column: pandas.Series
) -> tuple[FeatureKind, pandas.Series, list[ColumnNote]]:
    days = duration(column)
    if days is not None:
        return "numeric", days.astype(float), [ColumnNote(name, "durations_in_days")]
    dtype = column.dtype
    is_text = pandas.api.types.is_object_dtype(dtype) or pandas.api.types.is_string_dtype(dtype)
    if pandas.api.types.is_bool_dtype(dtype) or not (
        is_text or pandas.api.types.is_numeric_dtype(dtype)
    ):
        return "categorical", _as_text(column), []
    reading = read_numbers(column)
    no_numbers = bool(np.isnan(reading.values).all()) and not reading.infinite
    if is_text and (no_numbers or not reading.mostly_numbers):
        return "categorical", _as_text(column), []
    notes = []
    if is_text:
        notes.append(ColumnNote(name, "numbers_in_text", _unread(column, reading)))
        notes.extend(_formats(name, column))
    if reading.infinite:
        notes.append(ColumnNote(name, "infinite_values", {"count": reading.infinite}))
    return "numeric", pandas.Series(reading.values, index=column.index), notes


def _unread(column: pandas.Series, reading: NumberReading) -> dict[str, int | str]:
    """How many present values are not numbers, and the first of them as written."""
    unread = int(reading.unread.sum())
    if not unread:
        return {"unread": 0}
    return {"unread": unread, "example": repr(column[reading.unread].iloc[0])}


def _formats(name: str, column: pandas.Series) -> list[ColumnNote]:
    """Notes on numbers read with a currency symbol or a percent sign dropped."""
    values = column.dropna().tolist()
    notes = []
    symbols = currency_symbols(values)
    if symbols:
        shown = ", ".join(repr(s) for s in symbols)
        notes.append(
            ColumnNote(name, "currency_symbols", {"symbols": shown, "count": len(symbols)})
        )
    percent = next((v for v in values if isinstance(v, str) and v.strip().endswith("%")), None)
    if percent is not None:
        value = f"{read_number(percent):g}"
        notes.append(ColumnNote(name, "percentages", {"example": repr(percent), "value": value}))
    return notes


def _left_out(name: str, kind: FeatureKind, values: pandas.Series) -> ColumnNote | None:
    present = values.dropna()
    levels = int(present.nunique())
    if levels == 0:
        return ColumnNote(name, "no_values")
    if levels == 1 and len(present) == len(values):
        return ColumnNote(name, "single_value", {"value": repr(_plain(present.iloc[0]))})
    rows = len(values)
    if kind == "categorical" and levels > max(FEW_LEVELS, rows / ROWS_PER_LEVEL):
        if looks_numeric(present):
            return _unreadable(name, present)
        most = max(FEW_LEVELS, rows // ROWS_PER_LEVEL)
        return ColumnNote(name, "too_many_levels", {"levels": levels, "rows": rows, "most": most})
    return None


def _unreadable(name: str, present: pandas.Series) -> ColumnNote:
    """A column of values that look like numbers (``"1,5"``) but do not read as them."""
    reading = read_numbers(present)
    details = {**_unread(present, reading), "present": len(present)}
    return ColumnNote(name, "unreadable_numbers", details)


def _plain(value: object) -> object:
    """``7`` rather than ``np.float64(7.0)`` in a note."""
    if isinstance(value, np.generic):
        value = value.item()
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pandas.isna(value))
    except (TypeError, ValueError):  # a list or an array in a cell: a value, not a number
        return False


def _as_text(column: pandas.Series) -> pandas.Series:
    """Categories as plain text (``object``), missing kept as ``NaN``."""
    text = column.map(lambda v: v if pandas.isna(v) else str(v))
    return text.astype(object)
