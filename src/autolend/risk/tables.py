"""Read a lender's file (CSV or Parquet) into a table, refusing what cannot be read as it is.

Rules:

- ``.csv`` or ``.parquet`` only; a missing file, a directory, an empty file or a damaged one
  is :class:`InvalidInput` naming the file.
- Column names must be distinct: pandas would rename a second ``y`` to ``y.1``, and a
  copy of the target would then be a feature that predicts it perfectly.
- A CSV's separator is read off its header (:func:`_separator`).  Its text is UTF-8; else
  GB18030 (Excel on a Chinese Windows); else, when the GB18030 reading is mostly rare
  characters that common Chinese text never holds, Windows-1252 (Excel in Western Europe:
  ``Z\\xfcrich`` is ``Zürich``, not ``Z黵ich``).
- In a ``;``-separated CSV (Excel set to German or French) a number such as ``1.234,5`` or
  ``0,25`` is written with a decimal comma: a text column holding such numbers is rewritten
  with decimal points (``1234.5``, ``0.25``), so :mod:`autolend.risk.columns` reads it as
  numbers.

>>> _decimal_point("1.234,5"), _decimal_point("€ 0,25"), _decimal_point("north, east")
('1234.5', '€ 0.25', 'north, east')
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.table_path import check_table_path

__all__ = ["load_table"]

# A number with a decimal comma and optional dots grouping thousands, between an optional
# prefix and suffix without digits (a currency symbol, a percent sign).
_COMMA_NUMBER = re.compile(r"(\D*?)([+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?)(\D*)")
_DECIMAL_COMMA = re.compile(r"\D*?[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+\D*")
# Share of a GB18030 reading's double-byte characters that must be common (GB2312) Chinese.
_COMMON_CHINESE = 0.5


def load_table(path: str | Path) -> pandas.DataFrame:
    """Read a ``.csv`` or ``.parquet`` file; anything else is :class:`InvalidInput`, and so
    is a file that cannot be read as its type says (a damaged Parquet file, a CSV that is
    neither UTF-8 nor GB18030 text) or whose columns are not named distinctly."""
    file = check_table_path(path)  # the type and the file's presence, before any reading
    try:
        frame = _read(file)
    except pandas.errors.EmptyDataError as exc:
        raise InvalidInput(f"{file.name}: the file is empty", field="data") from exc
    if frame.empty:
        raise InvalidInput(f"{file.name}: the file has no rows", field="data")
    return frame


def _read(file: Path) -> pandas.DataFrame:
    """The file's table, its header checked for repeated names."""
    kind = "Parquet" if file.suffix.lower() == ".parquet" else "CSV"
    try:
        if kind == "Parquet":
            _refuse_repeated(file.name, _parquet_names(file))
            return pandas.read_parquet(file)
        return _read_csv(file)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{file.name}: not UTF-8 (or GB18030) text; save it as CSV UTF-8", field="data"
        ) from exc
    except (pandas.errors.EmptyDataError, InvalidInput):
        raise
    except (pandas.errors.ParserError, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(
            f"{file.name}: not a readable {kind} file ({first})", field="data"
        ) from exc


def _read_csv(file: Path) -> pandas.DataFrame:
    """A CSV in its encoding (:func:`_encoding`); decimal commas read where ``;`` separates."""
    sep, encoding = _separator(file), _encoding(file)
    header = pandas.read_csv(
        file, sep=sep, encoding=encoding, header=None, nrows=1, dtype=str, keep_default_na=False
    )
    _refuse_repeated(file.name, [str(name) for name in header.iloc[0].tolist()])
    frame = pandas.read_csv(file, sep=sep, encoding=encoding)
    return _with_decimal_points(frame) if sep == ";" else frame


def _parquet_names(file: Path) -> list[str]:
    import pyarrow.parquet  # type: ignore[import-untyped]  # noqa: PLC0415 - pandas reads with it

    return [str(name) for name in pyarrow.parquet.read_schema(file).names]


def _refuse_repeated(file_name: str, names: list[str]) -> None:
    """Refuse a header naming a column twice: ``y,x,y`` -> ``'y'`` is repeated."""
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        shown = ", ".join(repr(name) for name in repeated)
        raise InvalidInput(
            f"{file_name}: the header names more than one column {shown}; give each column "
            "its own name",
            field="data",
        )


def _encoding(file: Path) -> str:
    """``utf-8-sig`` (a byte-order mark is allowed), else ``gb18030`` (GBK is a subset, e.g.
    ``月收入,是否违约`` from Excel on a Chinese Windows), else ``cp1252`` where the GB18030
    reading is mostly characters outside common Chinese (GB2312): ``Z\\xfcrich`` in
    GB18030 is ``Z黵ich``, whose ``黵`` no Chinese text uses."""
    data = file.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    text = data.decode("gb18030")  # not GB18030 either: UnicodeDecodeError, refused
    wide = [c for c in text if ord(c) > 0x7F]
    common = sum(1 for c in wide if _gb2312(c))
    if wide and common < _COMMON_CHINESE * len(wide) and _cp1252(data):
        return "cp1252"
    return "gb18030"


def _gb2312(char: str) -> bool:
    """Whether ``char`` is in GB2312, the common Chinese characters (both bytes >= 0xA1)."""
    encoded = char.encode("gb18030")
    return len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1


def _cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _separator(file: Path) -> str:
    """The CSV's column separator, read off its header line: the one of ``,`` ``;`` tab
    ``|`` it holds most, ``,`` when none. Excel set to a language that writes decimal
    commas (German, French) saves "CSV" with ``;``: ``income;bad`` is two columns, not one
    named ``income;bad``."""
    with file.open("rb") as handle:
        header = handle.readline(65536).decode("ascii", errors="ignore")
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _with_decimal_points(frame: pandas.DataFrame) -> pandas.DataFrame:
    """Each text column holding a number with a decimal comma (``0,25``) rewritten with
    decimal points (``0.25``, ``1.234,5`` -> ``1234.5``); other columns as they are."""
    frame = frame.copy()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pandas.api.types.is_numeric_dtype(column.dtype):
            continue
        texts = [v for v in column.tolist() if isinstance(v, str)]
        if any(_DECIMAL_COMMA.fullmatch(v.strip()) for v in texts):
            frame.isetitem(position, column.map(_decimal_point_or_missing))
    return frame


def _decimal_point_or_missing(value: object) -> object:
    return _decimal_point(value) if isinstance(value, str) else value


def _decimal_point(text: str) -> str:
    """``text`` with its number's decimal comma made a point and grouping dots dropped."""
    match = _COMMA_NUMBER.fullmatch(text.strip())
    if match is None:
        return text
    prefix, number, suffix = match.groups()
    return prefix + number.replace(".", "").replace(",", ".") + suffix
