"""Discrimination and calibration measures for a PD model (1 = bad, higher PD = riskier).

- ``auc``: probability that a random bad is ranked riskier than a random good.
- ``gini`` = 2 * auc - 1; ``ks`` = max over thresholds of ``TPR - FPR``, signed in the
  direction the PD ranks bads (higher PD = worse): a reversed ranking reads near 0, not 1.
- ``ranks_better_than_chance``: whether an AUC clears :data:`CHANCE_AUC`;
  ``chance_warnings``: a line for each model that does not.
- ``brier``: mean squared gap between predicted PD and the 0/1 outcome.
- ``reliability_table``: predicted PD vs observed bad rate per PD bin, with counts.

>>> y, pd_ = [0, 0, 1, 1], [0.1, 0.2, 0.3, 0.9]
>>> (auc(y, pd_), gini(y, pd_), ks(y, pd_), round(brier(y, pd_), 4))
(1.0, 1.0, 1.0, 0.1375)
>>> ks(y, [0.9, 0.3, 0.2, 0.1])  # reversed: no bad ranked riskier than a good
0.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.metrics import (  # type: ignore[import-untyped]
    brier_score_loss,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "CHANCE_AUC",
    "CurvePoints",
    "ReliabilityBin",
    "auc",
    "brier",
    "chance_warnings",
    "gini",
    "ks",
    "ks_curve",
    "ranks_better_than_chance",
    "reliability_table",
    "roc_points",
]

# At or below this out-of-fold AUC a model does not rank applicants better than chance in
# any way a lender could use: pure noise reads 0.43-0.55 on a few hundred rows (the spread
# of a random ranking's AUC), so 0.55 is where "ranks" starts to mean something.
CHANCE_AUC = 0.55

ArrayLike = Sequence[float] | npt.NDArray[np.floating] | npt.NDArray[np.integer]


@dataclass(frozen=True)
class ReliabilityBin:
    """One PD bin: its PD range, row count, mean predicted PD and observed bad rate."""

    lower: float
    upper: float
    count: int
    mean_pd: float
    bad_rate: float


@dataclass(frozen=True)
class CurvePoints:
    """A curve as parallel tuples: ``x``, ``y`` and the PD ``threshold`` of each point."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    threshold: tuple[float, ...]


def auc(y: ArrayLike, pd_: ArrayLike) -> float:
    return float(roc_auc_score(np.asarray(y), np.asarray(pd_, dtype=float)))


def gini(y: ArrayLike, pd_: ArrayLike) -> float:
    return 2.0 * auc(y, pd_) - 1.0


def ks(y: ArrayLike, pd_: ArrayLike) -> float:
    """The largest ``TPR - FPR`` (share of bads minus share of goods at or above a PD):
    ``[0, 1, 1]`` scored ``[0.1, 0.8, 0.9]`` gives 1.0, scored ``[0.9, 0.2, 0.1]`` 0.0."""
    fpr, tpr, _ = roc_curve(np.asarray(y), np.asarray(pd_, dtype=float))
    return float(max(np.max(tpr - fpr), 0.0))


def ranks_better_than_chance(auc_value: float) -> bool:
    """Whether ``auc_value`` is above :data:`CHANCE_AUC`: 0.72 yes, 0.5156 no."""
    return auc_value > CHANCE_AUC


def chance_warnings(aucs: Mapping[str, float]) -> list[str]:
    """One line per model whose AUC does not clear :data:`CHANCE_AUC`: ``{"champion": 0.51}``
    -> ``["champion: AUC 0.5100 is at or below 0.55: ... better than chance"]``."""
    return [
        f"{model}: AUC {value:.4f} is at or below {CHANCE_AUC}: the model does not rank "
        "applicants better than chance"
        for model, value in aucs.items()
        if not ranks_better_than_chance(value)
    ]


def brier(y: ArrayLike, pd_: ArrayLike) -> float:
    return float(brier_score_loss(np.asarray(y), np.asarray(pd_, dtype=float)))


def roc_points(y: ArrayLike, pd_: ArrayLike) -> CurvePoints:
    """ROC curve: false-positive rate (x) against true-positive rate (y)."""
    fpr, tpr, thresholds = roc_curve(np.asarray(y), np.asarray(pd_, dtype=float))
    return CurvePoints(_floats(fpr), _floats(tpr), _floats(np.minimum(thresholds, 1.0)))


def ks_curve(y: ArrayLike, pd_: ArrayLike) -> CurvePoints:
    """KS curve: at each PD threshold, share of bads (y) and goods (x) at or above it.

    The KS statistic is the largest vertical gap ``max(y - x)``.
    """
    fpr, tpr, thresholds = roc_curve(np.asarray(y), np.asarray(pd_, dtype=float))
    return CurvePoints(_floats(fpr), _floats(tpr), _floats(np.minimum(thresholds, 1.0)))


def reliability_table(
    y: ArrayLike, pd_: ArrayLike, bins: int = 10, strategy: str = "quantile"
) -> tuple[ReliabilityBin, ...]:
    """PD bins (equal-count ``quantile`` or equal-width ``uniform``) with observed bad rates.

    >>> table = reliability_table([0, 1, 0, 1], [0.1, 0.2, 0.7, 0.8], bins=2)
    >>> [(b.count, b.mean_pd, b.bad_rate) for b in table]
    [(2, 0.15..., 0.5), (2, 0.75, 0.5)]
    """
    outcome = np.asarray(y, dtype=float)
    predicted = np.asarray(pd_, dtype=float)
    if strategy == "quantile":
        edges = np.unique(np.quantile(predicted, np.linspace(0.0, 1.0, bins + 1)))
    else:
        edges = np.linspace(0.0, 1.0, bins + 1)
    if len(edges) < 2:  # every PD equal: one bin
        edges = np.array([predicted.min(), predicted.max()])
    index = np.clip(np.searchsorted(edges, predicted, side="right") - 1, 0, len(edges) - 2)
    table = []
    for position in range(len(edges) - 1):
        members = index == position
        if members.any():
            table.append(
                ReliabilityBin(
                    lower=float(edges[position]),
                    upper=float(edges[position + 1]),
                    count=int(members.sum()),
                    mean_pd=float(predicted[members].mean()),
                    bad_rate=float(outcome[members].mean()),
                )
            )
    return tuple(table)


def _floats(values: npt.NDArray[np.floating]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
