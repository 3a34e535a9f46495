"""Read the target column: its two values, which one is bad, and the notes on how.

Rules:

- Text labels are compared without case or blanks around them (``" Bad "`` is ``"bad"``)
  and shown as first written; a blank label is missing, and rows without a label are left
  out with a note counting them.
- ``bad`` given as text matches numbers and booleans too (``"2"`` matches ``2``; ``"1"`` and
  ``"true"`` match ``True``).
- Without ``bad`` the bad value is guessed only from labels that say it: ``bad`` or
  ``default`` (whatever the other value), or the pairs 1/0, true/false and yes/no, where the
  first is bad by convention (the event counted).  Any other pair (1/2 as UCI German
  credit writes good/bad, Y/N, A/B) is refused, asking for the bad value.  A guessed value
  is said in a note.

>>> labels = pandas.Series([" Bad", "good", "bad ", None, " "])
>>> read = read_target(labels, "status", None)
>>> read.y.tolist(), read.bad_label, [n.code for n in read.notes]
([1, 0, 1], 'Bad', ['bad_value_guessed', 'rows_without_target'])
>>> read.notes[0].text
"status: no bad value given; 'Bad' read as bad and 'good' as good (--bad to say otherwise)"
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.columns import ColumnNote

__all__ = ["Label", "TargetReading", "read_target"]

Label = str | int | float | bool
# Bad whatever the other label is.
_BAD_WORDS = ("bad", "default", "defaulted")
# (bad, good) pairs, the event counted being bad.
_BAD_PAIRS = ((1, 0), ("true", "false"), ("yes", "no"))


@dataclass(frozen=True, eq=False)
class TargetReading:
    """The 0/1 target of the labelled rows, which rows those are, the bad value as written."""

    y: npt.NDArray[np.int_]
    kept: npt.NDArray[np.bool_]
    bad_label: str
    notes: tuple[ColumnNote, ...]


def read_target(labels: pandas.Series, target: str, bad: Label | None) -> TargetReading:
    """The target read by the module rules (``bad`` ``None``: guessed)."""
    folded = _folded(labels)
    kept = folded.notna().to_numpy()
    values = _distinct(folded[kept])
    bad_value = _bad_value(values, target, bad)
    y = np.array([_same(v, bad_value) for v in folded[kept]], dtype=np.int_)
    notes = []
    if bad is None:
        other = next(v for v in values if v is not bad_value)
        details = {"value": repr(bad_value), "other": repr(other)}
        notes.append(ColumnNote(target, "bad_value_guessed", details))
    dropped = int((~kept).sum())
    if dropped:
        notes.append(ColumnNote(target, "rows_without_target", {"count": dropped}))
    return TargetReading(y, kept, str(bad_value), tuple(notes))


def _folded(labels: pandas.Series) -> pandas.Series:
    """Text labels without blanks around them, each spelled as its first case-insensitive
    match (``"bad"``, ``"BAD "`` -> ``"bad"``); blank text missing."""
    spelled: dict[str, str] = {}

    def fold(value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip()
        return spelled.setdefault(text.casefold(), text) if text else None

    return labels.astype(object).map(fold)


def _distinct(labels: pandas.Series) -> list[object]:
    # Plain Python values (0, not np.int64(0)): they are shown in the errors below.
    values: list[object] = list(pandas.unique(labels).tolist())
    if len(values) == 0:
        raise InvalidInput("the target column has no values", field="target")
    if len(values) == 1:
        raise InvalidInput(
            f"the target has a single class ({values[0]!r}); need both good and bad outcomes",
            field="target",
        )
    if len(values) > 2:
        shown = ", ".join(repr(v) for v in sorted(values, key=str)[:10])
        raise InvalidInput(
            f"the target must be binary; found {len(values)} distinct values: {shown}",
            field="target",
        )
    return values


def _bad_value(values: list[object], target: str, bad: Label | None) -> object:
    found = _given(values, bad) if bad is not None else _guessed(values)
    if found is not None:
        return found
    shown = " and ".join(repr(v) for v in sorted(values, key=str))
    if bad is None:
        message = (
            f"say which value of {target!r} means bad: it holds {shown}, and only bad/good, "
            "default, 1/0, true/false and yes/no are read without being told"
        )
    else:
        message = f"bad value {bad!r} does not occur in {target!r}, which holds {shown}"
    raise InvalidInput(message, field="bad")


def _given(values: list[object], bad: Label) -> object | None:
    return next((v for v in values if _same(v, bad)), None)


def _guessed(values: list[object]) -> object | None:
    """The bad one of two ``values`` where their labels say it, else ``None``."""
    words = [v for v in values if any(_same(v, word) for word in _BAD_WORDS)]
    if len(words) == 1:
        return words[0]
    for bad, good in _BAD_PAIRS:
        first, second = values
        if _same(first, bad) and _same(second, good):
            return first
        if _same(second, bad) and _same(first, good):
            return second
    return None


def _same(value: object, label: object) -> bool:
    """Equal as values, as text (case-insensitive) or as numbers: ``"2" ~ 2 ~ 2.0``,
    ``True ~ 1 ~ "true"``."""
    if value == label or str(value).strip().lower() == str(label).strip().lower():
        return True
    left, right = _number(value), _number(label)
    return left is not None and right is not None and math.isclose(left, right)


def _number(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return float(value)
    try:
        number = float(str(value))
    except ValueError:
        return None
    return None if math.isnan(number) else number
