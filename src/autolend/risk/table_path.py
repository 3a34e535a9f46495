"""The checks on a data file's path that need no reading (standard library only).

Rule: a lender's file is ``.csv`` or ``.parquet`` (any case) and an existing file, not a
directory; anything else is :class:`InvalidInput` naming the file, field ``data``.  These are
the first checks of :func:`autolend.risk.tables.load_table`, apart so that the command line
can make them before it loads pandas and the modelling libraries (seconds): a mistyped
``--data`` is refused at once, in the same words.

>>> check_table_path("applicants.xlsx")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: applicants.xlsx: unsupported file type '.xlsx'; use ...
>>> check_table_path("/no/such/folder/applicants.csv")
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: applicants.csv: file not found
"""

from __future__ import annotations

from pathlib import Path

from autolend.domain.errors import InvalidInput

__all__ = ["READERS", "check_table_path"]

READERS = (".csv", ".parquet")


def check_table_path(path: str | Path) -> Path:
    """``path`` as a :class:`Path` if it names an existing ``.csv`` or ``.parquet`` file;
    else :class:`InvalidInput` (field ``data``) saying what is wrong with it."""
    file = Path(path)
    if file.suffix.lower() not in READERS:
        raise InvalidInput(
            f"{file.name}: unsupported file type {file.suffix or '(none)'!r}; use .csv or .parquet",
            field="data",
        )
    if file.is_dir():
        raise InvalidInput(f"{file.name}: is a directory, not a file", field="data")
    if not file.is_file():
        raise InvalidInput(f"{file.name}: file not found", field="data")
    return file
