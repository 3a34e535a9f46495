"""Load a lender's history (CSV or Parquet) and turn it into training data with a 0/1 target.

Rule: the file is read by :mod:`autolend.risk.tables` (distinct column names, decimal
commas in a ``;`` file).  The target column must hold exactly two distinct values (case and
blanks around text ignored); the one named ``bad`` becomes 1, the other 0
(:mod:`autolend.risk.target`).  Rows whose target is missing or blank are dropped, with a
note.  Every other column is a feature, read by :mod:`autolend.risk.columns`: ``numeric``
(numbers, also numbers written as text; infinities count as missing) or ``categorical``
(kept as text); a column that cannot help (no values, one value in every row, too many
levels, dates, an identifier) is left out with a note, and one that separates the classes
by itself gets a note (:mod:`autolend.risk.leakage`).  Missing feature values are allowed.
Fitting k folds needs at least ``max(k, 5)`` bads and as many goods (:func:`require_classes`).

>>> frame = pandas.DataFrame({"income": [3.0, 5.0, None], "branch": ["X", "X", "X"],
...                           "status": ["bad", "good", "good"]})
>>> data = training_data(frame, target="status", bad="bad")
>>> (data.y.tolist(), dict(data.kinds), [n.text for n in data.notes])
([1, 0, 0], {'income': 'numeric'}, ["branch: left out, every row holds 'X'"])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.columns import ColumnNote, FeatureKind, read_columns
from autolend.risk.leakage import leakage_notes
from autolend.risk.reasons import protected_attribute
from autolend.risk.tables import load_table
from autolend.risk.target import Label, read_target

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


def training_data(
    frame: pandas.DataFrame,
    target: str,
    bad: Label | None = None,
    *,
    studied: tuple[str, ...] = (),
) -> TrainingData:
    """Split ``frame`` into features and a 0/1 target where ``bad`` (e.g. ``"bad"``, 1) is 1.

    The target is read by :mod:`autolend.risk.target` (``bad`` ``None``: guessed only from
    labels that say it, e.g. bad/good or 1/0, with a note), the features by
    :mod:`autolend.risk.columns`; a feature separating the classes by itself gets a note
    (:mod:`autolend.risk.leakage`). ``studied``: protected attributes kept as features for
    a study (cross-validation only; see :mod:`autolend.risk.columns`).
    """
    if frame.empty:
        raise InvalidInput("the data has no rows", field="data")
    _check_columns(frame, target)
    _check_studied(frame, studied)
    read_y = read_target(frame[target], target, bad)
    features = frame.loc[read_y.kept].drop(columns=[target]).reset_index(drop=True)
    if features.shape[1] == 0:
        raise InvalidInput("the data has no feature columns besides the target", field="data")
    read = read_columns(features, studied=studied)
    if not read.kinds:
        why = "; ".join(n.text for n in read.notes if n.left_out)
        raise InvalidInput(f"the data has no usable feature columns ({why})", field="data")
    leaks = leakage_notes(read.features, read.kinds, read_y.y)
    notes = (*read_y.notes, *leaks, *read.notes)
    dropped = int((~read_y.kept).sum())
    return TrainingData(
        read.features, read_y.y, read.kinds, target, read_y.bad_label, dropped, notes=notes
    )


def _check_columns(frame: pandas.DataFrame, target: str) -> None:
    """Refuse repeated column names, and a target not among the columns (names quoted, so
    ``'y '`` shows its blank)."""
    names = [str(name) for name in frame.columns]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        shown = ", ".join(repr(name) for name in repeated)
        raise InvalidInput(f"more than one column is named {shown}", field="data")
    if target not in frame.columns:
        sample = ", ".join(repr(name) for name in names[:8])
        raise InvalidInput(
            f"target column {target!r} not found; columns include: {sample}", field="target"
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
