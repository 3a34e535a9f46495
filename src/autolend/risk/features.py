"""One reading of feature values for training, batch scoring and single applications.

Rule: a numeric feature is a float, read as in training (:mod:`autolend.risk.columns`):
thousands separators are allowed, and missing, blank or infinite values are ``NaN``.  A
single application's value that is not a number is :class:`InvalidInput` naming the
feature; in a file, the few (up to 5 %) that are not numbers are missing, as in training,
and more is :class:`InvalidInput`.  A categorical feature is text (``None`` when missing).
A single application must name every feature (``None`` is an allowed value).

>>> schema = FeatureSchema(("income", "city"), ("numeric", "categorical"))
>>> schema.row({"income": "5,200", "city": 1})
[5200.0, '1']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.columns import FeatureKind, read_number, read_numbers

__all__ = ["FeatureSchema"]


@dataclass(frozen=True)
class FeatureSchema:
    """Feature names and kinds, in model order."""

    names: tuple[str, ...]
    kinds: tuple[FeatureKind, ...]

    @classmethod
    def of(cls, kinds: Mapping[str, FeatureKind]) -> FeatureSchema:
        return cls(tuple(kinds), tuple(kinds.values()))

    def numeric_column(self, frame: pandas.DataFrame, name: str) -> npt.NDArray[np.float64]:
        raw = self._column(frame, name)
        reading = read_numbers(raw)
        if not reading.mostly_numbers:
            example = raw[reading.unread].iloc[0]
            raise InvalidInput(f"{name}: {example!r} is not a number", field=name)
        return reading.values

    def text_column(self, frame: pandas.DataFrame, name: str) -> npt.NDArray[np.object_]:
        raw = self._column(frame, name)
        text = [None if _missing(v) else str(v) for v in raw.tolist()]
        return np.array(text, dtype=object)

    def row(self, application: Mapping[str, object]) -> list[object]:
        """The application's values in model order, coerced to each feature's kind."""
        absent = [name for name in self.names if name not in application]
        if absent:
            raise InvalidInput(f"missing features: {', '.join(absent)}", field=absent[0])
        return [
            _number(application[name], name) if kind == "numeric" else _text(application[name])
            for name, kind in zip(self.names, self.kinds, strict=True)
        ]

    def _column(self, frame: pandas.DataFrame, name: str) -> pandas.Series:
        if name not in frame.columns:
            raise InvalidInput(f"missing feature column {name!r}", field=name)
        column: pandas.Series = frame[name]
        return column


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value: object, name: str) -> float:
    number = read_number(value)
    if number is None:
        raise InvalidInput(f"{name}: {value!r} is not a number", field=name)
    return number


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)
