"""The shapes of a column that :mod:`autolend.risk.columns` reads apart: dates, durations,
sequential identifiers, numbers written with a currency symbol or a percent sign, and text
that looks like numbers but cannot be read as them.

- Dates: a date or time dtype (Parquet ``date32``, ``timestamp``), a column of
  ``datetime.date`` values, or text whose values nearly all (95 %) read as dates:
  ``2024-05``, ``2024-05-31``, ``2024/05/31 10:00``, ``2024.05.31``, ``31.05.2024`` (not
  ``5123.45``, a number).
- Durations: a duration dtype (Parquet ``duration``), read as a number of days.
- A sequential identifier: whole numbers (an integer column), none missing, strictly
  increasing row by row, more than 20 rows, mostly by 1 (a row number, an application
  number; not a file sorted by a whole-number feature).
- Numbers as text: a currency symbol before or after (``"¥5,000"``, ``"12 €"``) is dropped;
  a percent sign divides by 100 (``"50.0%"`` is ``0.5``, the share written as a fraction).

>>> plain_number_text(" $1,200.50 "), plain_number_text("-¥5"), plain_number_text("50.0%")
('1,200.50', '-5', ('50.0', '%'))
>>> dated(pandas.Series(["2024-01", "2024-02", None])), dated(pandas.Series(["5123.45"]))
(True, False)
>>> sequential(pandas.Series(range(30))), sequential(pandas.Series(range(30)).astype(float))
(True, False)
>>> sequential(pandas.Series([3000 + 7 * k * k for k in range(30)]))  # sorted incomes
False
"""

from __future__ import annotations

import datetime
import re
import unicodedata

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

__all__ = [
    "currency_symbols",
    "dated",
    "duration",
    "looks_numeric",
    "plain_number_text",
    "sequential",
]

SHARE = 0.95
ID_ROWS = 20
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DATE = re.compile(
    rf"\d{{4}}([-/]){_MONTH}(?:\1\d{{1,2}})?(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?"
    rf"|\d{{4}}\.{_MONTH}\.\d{{1,2}}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?"
)
# A value with a digit and no letter: "1,5", "12 345", "3.2.1" look like numbers.
_NUMBER_LIKE = re.compile(r"[^A-Za-z]*\d[^A-Za-z]*")


def plain_number_text(text: str) -> str | tuple[str, str]:
    """``text`` without blanks around it or a currency symbol; ``(text, "%")`` where it
    ended in a percent sign (the caller divides by 100)."""
    text = text.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    sign = ""
    if text[:1] in {"+", "-"}:
        sign, text = text[0], text[1:].lstrip()
    if text and _currency(text[0]):
        text = text[1:].lstrip()
    elif text and _currency(text[-1]):
        text = text[:-1].rstrip()
    return (sign + text, "%") if percent else sign + text


def currency_symbols(values: list[object]) -> list[str]:
    """The currency symbols written around the numbers of ``values``, in order of first use:
    ``["$1", "¥2", "$3"]`` -> ``["$", "¥"]``."""
    found: dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and (text := value.strip().rstrip("%").strip()):
            for char in (text.lstrip("+-").lstrip()[:1], text[-1]):
                if char and _currency(char):
                    found[char] = None
    return list(found)


def _currency(char: str) -> bool:
    return unicodedata.category(char) == "Sc"


def dated(column: pandas.Series) -> bool:
    """Whether ``column`` holds dates: a date dtype, date objects, or date-like text."""
    dtype = column.dtype
    if pandas.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pandas.PeriodDtype):
        return True
    present = column.dropna().tolist()
    if not present or pandas.api.types.is_numeric_dtype(dtype):
        return False
    if all(isinstance(v, datetime.date | np.datetime64) for v in present):
        return True
    texts = [v.strip() for v in present if isinstance(v, str)]
    return len(texts) == len(present) and _share(texts, _DATE) >= SHARE


def duration(column: pandas.Series) -> pandas.Series | None:
    """A duration column in days (``timedelta64``, ``datetime.timedelta``); else ``None``."""
    if pandas.api.types.is_timedelta64_dtype(column.dtype):
        return column.dt.total_seconds() / 86_400
    present = column.dropna().tolist()
    if present and all(isinstance(v, datetime.timedelta) for v in present):
        return pandas.to_timedelta(column).dt.total_seconds() / 86_400
    return None


ID_COUNTING_SHARE = 0.5
"""The least share of steps of 1 for an increasing whole-number column to be an id."""


def sequential(column: pandas.Series) -> bool:
    """Whole numbers as written (an integer dtype: ``3.0`` is a measurement, not an id),
    none missing, strictly increasing by row, more than 20 rows, and counting: at least
    half its steps are 1 (a row or application number, gaps and all). A file sorted by a
    whole-number feature (incomes 3,200 < 3,450 < 4,100 ...) rises too, by uneven steps:
    it is kept."""
    dtype = column.dtype
    if pandas.api.types.is_bool_dtype(dtype) or not pandas.api.types.is_integer_dtype(dtype):
        return False
    numbers: npt.NDArray[np.float64] = column.to_numpy(dtype=float, na_value=np.nan)
    if len(numbers) <= ID_ROWS or bool(np.isnan(numbers).any()):
        return False
    steps = np.diff(numbers)
    return bool(np.all(steps > 0) and np.mean(steps == 1) >= ID_COUNTING_SHARE)


def looks_numeric(column: pandas.Series) -> bool:
    """Nearly all (95 %) present values hold a digit and no letter (``"1,5"``, ``"12 345"``)."""
    texts = [str(v).strip() for v in column.dropna().tolist()]
    return bool(texts) and _share(texts, _NUMBER_LIKE) >= SHARE


def _share(texts: list[str], pattern: re.Pattern[str]) -> float:
    return sum(1 for t in texts if pattern.fullmatch(t)) / len(texts) if texts else 0.0
