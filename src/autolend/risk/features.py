"""One reading of feature values for training, batch scoring and single applications.

Rule: a numeric feature is a float (``NaN`` when missing; text that is not a number is
:class:`InvalidInput` naming the feature); a categorical feature is text (``None`` when
missing).  A single application must name every feature (``None`` is an allowed value).

>>> schema = FeatureSchema(("income", "city"), ("numeric", "categorical"))
>>> schema.row({"income": "5200", "city": 1})
[5200.0, '1']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.dataset import FeatureKind

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
        values = np.asarray(
            pandas.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan),
            dtype=np.float64,
        )
        bad = np.isnan(values) & raw.notna().to_numpy()
        if bad.any():
            example = raw[bad].iloc[0]
            raise InvalidInput(f"{name}: {example!r} is not a number", field=name)
        return values

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
    if _missing(value) or value == "":
        return math.nan
    if isinstance(value, bool):
        return float(value)
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name}: {value!r} is not a number", field=name) from exc


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)
