"""Warn of a feature that alone separates bad from good almost perfectly: most often it was
recorded after the outcome (days past due, a collection status) and leaks it.

Rule: a feature whose single-feature AUC on the training data is at least 0.99 either way
gets a note (it is kept: only the lender knows when it was recorded).  A number's AUC is its
rank statistic (Mann-Whitney), missing values ranked below every number and then above,
whichever separates more; a category's is that of its level's bad rate (missing a level of
its own).  Checked only with at least 20 bads and 20 goods: on fewer rows a strong honest
feature reaches 0.99 by chance.

>>> y = np.array([0] * 20 + [1] * 20)
>>> features = pandas.DataFrame({"dpd": np.arange(40.0) * 3, "age": np.tile([30.0, 40.0], 20)})
>>> [n.text[:51] for n in leakage_notes(features, {"dpd": "numeric", "age": "numeric"}, y)]
['dpd: alone separates bad from good almost perfectly']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]

from autolend.risk.columns import ColumnNote, FeatureKind

__all__ = ["LEAK_AUC", "leakage_notes", "separation"]

LEAK_AUC = 0.99
# With fewer bads or goods a strong but honest feature reaches 0.99 by chance too often.
MIN_CLASS = 20


def leakage_notes(
    features: pandas.DataFrame, kinds: Mapping[str, FeatureKind], y: npt.NDArray[np.int_]
) -> tuple[ColumnNote, ...]:
    """A ``separates_the_classes`` note for each feature separating ``y`` by itself."""
    bads = int(y.sum())
    if min(bads, len(y) - bads) < MIN_CLASS:
        return ()
    notes = []
    for name, kind in kinds.items():
        auc = separation(features[name], kind, y)
        if auc >= LEAK_AUC:
            notes.append(ColumnNote(name, "separates_the_classes", {"auc": f"{auc:.3f}"}))
    return tuple(notes)


def separation(column: pandas.Series, kind: FeatureKind, y: npt.NDArray[np.int_]) -> float:
    """The single-feature AUC of ``column``, folded to at least 0.5 (0.1 counts as 0.9)."""
    if kind == "categorical":
        levels = column.astype(object).where(column.notna(), "\0missing")
        rates = pandas.Series(y, index=column.index).groupby(levels.to_numpy()).mean()
        scores = [levels.map(rates).to_numpy(dtype=float)]
    else:
        values = column.to_numpy(dtype=float, na_value=np.nan)
        scores = [np.where(np.isnan(values), fill, values) for fill in (-np.inf, np.inf)]
    return max(_folded(_auc(score, y)) for score in scores)


def _auc(score: npt.NDArray[np.float64], y: npt.NDArray[np.int_]) -> float:
    """The Mann-Whitney AUC: average ranks, ties counting half."""
    ranks = pandas.Series(score).rank(method="average").to_numpy()
    bads = int(y.sum())
    goods = len(y) - bads
    return float((ranks[y == 1].sum() - bads * (bads + 1) / 2) / (bads * goods))


def _folded(auc: float) -> float:
    return max(auc, 1.0 - auc)
