"""Load a lender's history (CSV or Parquet) and turn it into training data with a 0/1 target.

Rule: the target column must hold exactly two distinct values; the one named ``bad`` becomes
1, the other 0.  Rows whose target is missing are dropped.  Every other column is a feature,
read by :mod:`autolend.risk.columns`: ``numeric`` (numbers, also numbers written as text;
infinities count as missing) or ``categorical`` (kept as text); a column that cannot help
(no values, one value in every row, too many levels) is left out with a note.  Missing
feature values are allowed.  Fitting k folds needs at least ``max(k, 5)`` bads and as many
goods (:func:`require_classes`).

>>> frame = pandas.DataFrame({"income": [3.0, 5.0, None], "branch": ["X", "X", "X"],
...                           "status": ["bad", "good", "good"]})
>>> data = training_data(frame, target="status", bad="bad")
>>> (data.y.tolist(), dict(data.kinds), [n.text for n in data.notes])
([1, 0, 0], {'income': 'numeric'}, ["branch: left out, every row holds 'X'"])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.columns import ColumnNote, FeatureKind, read_columns
from autolend.risk.reasons import protected_attribute

__all__ = [
    "MIN_CLASS_ROWS",
    "ColumnNote",
    "FeatureKind",
    "TrainingData",
    "load_table",
    "require_classes",
    "training_data",
]

# Below 5 bads the folds' AUCs rest on one or two bads each: 3 bads in 3,000 rows gave a
# 3-fold AUC of 0.21, which reads as a finding rather than as too little data.
MIN_CLASS_ROWS = 5
Label = str | int | float | bool

_READERS = (".csv", ".parquet")
_DEFAULT_BAD = ("bad", "1", "true", "yes", "default")


@dataclass(frozen=True, eq=False)
class TrainingData:
    """Features, the 0/1 target (1 = bad) and the kind of every feature."""

    features: pandas.DataFrame
    y: npt.NDArray[np.int_]
    kinds: Mapping[str, FeatureKind]
    target: str = "target"
    bad_label: str = "1"
    dropped_rows: int = field(default=0)
    notes: tuple[ColumnNote, ...] = ()

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.kinds)

    @property
    def rows(self) -> int:
        return len(self.y)

    @property
    def bad_rate(self) -> float:
        return float(self.y.mean())

    def subset(self, rows: npt.NDArray[np.int_]) -> TrainingData:
        """The same data restricted to the given row positions (for folds and splits)."""
        features = self.features.iloc[rows].reset_index(drop=True)
        return TrainingData(
            features, self.y[rows], self.kinds, self.target, self.bad_label, notes=self.notes
        )


def load_table(path: str | Path) -> pandas.DataFrame:
    """Read a ``.csv`` or ``.parquet`` file; anything else is :class:`InvalidInput`, and so
    is a file that cannot be read as its type says (a damaged Parquet file, a CSV that is
    neither UTF-8 nor GB18030 text)."""
    file = Path(path)
    if file.suffix.lower() not in _READERS:
        raise InvalidInput(
            f"{file.name}: unsupported file type {file.suffix or '(none)'!r}; use .csv or .parquet",
            field="data",
        )
    if not file.is_file():
        raise InvalidInput(f"{file.name}: file not found", field="data")
    try:
        frame = _read(file)
    except pandas.errors.EmptyDataError as exc:
        raise InvalidInput(f"{file.name}: the file is empty", field="data") from exc
    if frame.empty:
        raise InvalidInput(f"{file.name}: the file has no rows", field="data")
    return frame


def _read(file: Path) -> pandas.DataFrame:
    """The file's table. A CSV is UTF-8 (with or without a byte-order mark) or, failing
    that, GB18030: what Excel on a Chinese Windows saves as "CSV" (GBK is a subset), e.g.
    a header ``月收入,是否违约`` in GBK bytes reads as those names."""
    kind = "Parquet" if file.suffix.lower() == ".parquet" else "CSV"
    try:
        if kind == "Parquet":
            return pandas.read_parquet(file)
        sep = _separator(file)
        try:
            return pandas.read_csv(file, sep=sep)
        except UnicodeDecodeError:
            return pandas.read_csv(file, sep=sep, encoding="gb18030")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{file.name}: not UTF-8 (or GB18030) text; save it as CSV UTF-8", field="data"
        ) from exc
    except pandas.errors.EmptyDataError:
        raise
    except (pandas.errors.ParserError, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(
            f"{file.name}: not a readable {kind} file ({first})", field="data"
        ) from exc


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


def training_data(
    frame: pandas.DataFrame,
    target: str,
    bad: Label | None = None,
    *,
    studied: tuple[str, ...] = (),
) -> TrainingData:
    """Split ``frame`` into features and a 0/1 target where ``bad`` (e.g. ``"bad"``, 1) is 1.

    ``bad`` given as text matches numbers too (``"2"`` matches ``2``).  Without ``bad`` the
    usual names are tried: bad, 1, true, yes, default. ``studied``: protected attributes
    kept as features for a study (cross-validation only; see :mod:`autolend.risk.columns`).
    """
    if frame.empty:
        raise InvalidInput("the data has no rows", field="data")
    if target not in frame.columns:
        sample = ", ".join(map(str, list(frame.columns)[:8]))
        raise InvalidInput(
            f"target column {target!r} not found; columns include: {sample}", field="target"
        )
    _check_studied(frame, studied)
    labels = frame[target]
    kept = labels.notna().to_numpy()
    values = _distinct(labels[kept])
    bad_value = _bad_value(values, target, bad)
    y = np.array([_same(v, bad_value) for v in labels[kept]], dtype=np.int_)
    features = frame.loc[kept].drop(columns=[target]).reset_index(drop=True)
    if features.shape[1] == 0:
        raise InvalidInput("the data has no feature columns besides the target", field="data")
    read = read_columns(features, studied=studied)
    if not read.kinds:
        why = "; ".join(n.text for n in read.notes if n.left_out)
        raise InvalidInput(f"the data has no usable feature columns ({why})", field="data")
    dropped = int((~kept).sum())
    return TrainingData(
        read.features, y, read.kinds, target, str(bad_value), dropped, notes=read.notes
    )


def _check_studied(frame: pandas.DataFrame, studied: tuple[str, ...]) -> None:
    """Refuse a studied column that is not in ``frame`` or not a protected attribute."""
    for name in studied:
        if name not in frame.columns:
            raise InvalidInput(f"no column {name!r} to study", field="use_protected")
        if protected_attribute(name) is None:
            raise InvalidInput(
                f"{name!r} is not a protected attribute: it is a feature already",
                field="use_protected",
            )


def require_classes(y: npt.NDArray[np.int_], folds: int, purpose: str) -> None:
    """Refuse ``y`` unless each class has ``max(folds, 5)`` rows: every fold then tests at
    least one bad and one good, and trains on several (e.g. 3 folds, 4 bads: refused)."""
    need = max(folds, MIN_CLASS_ROWS)
    if min(np.bincount(y, minlength=2)) < need:
        bads, goods = int(y.sum()), int(len(y) - y.sum())
        raise InvalidInput(
            f"need at least {need} bads and {need} goods to {purpose}; "
            f"the data has {bads:,} {'bad' if bads == 1 else 'bads'} and "
            f"{goods:,} {'good' if goods == 1 else 'goods'}",
            field="data",
        )


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
    candidates = [bad] if bad is not None else list(_DEFAULT_BAD)
    for candidate in candidates:
        for value in values:
            if _same(value, candidate):
                return value
    shown = " and ".join(repr(v) for v in values)
    if bad is None:
        message = f"say which value of {target!r} means bad: it holds {shown}"
    else:
        message = f"bad value {bad!r} does not occur in {target!r}, which holds {shown}"
    raise InvalidInput(message, field="bad")


def _same(value: object, label: object) -> bool:
    """Equal as values, as text (case-insensitive) or as numbers: ``"2" ~ 2 ~ 2.0``."""
    if value == label or str(value).strip().lower() == str(label).strip().lower():
        return True
    left, right = _number(value), _number(label)
    return left is not None and right is not None and math.isclose(left, right)


def _number(value: object) -> float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return None if math.isnan(number) else number
