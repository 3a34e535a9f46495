"""Champion: WoE binning + L2 logistic regression, scaled to scorecard points.

Rule (scaling, odds = good:bad): ``score = offset - factor * logit(PD)`` with
``factor = pdo / ln 2`` and ``offset = base_points - factor * ln(base_odds)``; so 600 points
means odds 50:1 and every 20 points double the odds.  Each feature's bin carries
``-factor * coefficient * WoE`` plus an equal share of ``offset - factor * intercept``; the
points of an applicant add up to the score.

>>> scaling = ScorecardScaling(base_points=600, base_odds=50, pdo=20)
>>> round(scaling.score_of_pd(1 / 51)), round(scaling.score_of_pd(1 / 101))
(600, 620)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.binning import FeatureBins, fit_bins
from autolend.risk.dataset import TrainingData
from autolend.risk.features import FeatureSchema
from autolend.risk.metrics import auc
from autolend.risk.scaling import check_scaling

__all__ = ["Champion", "ScorecardScaling", "fit_champion"]

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ScorecardScaling:
    """Points scale: ``base_points`` at good:bad odds ``base_odds``; ``pdo`` to double them.

    Rule: each of the three is a finite number above 0 (a scorecard's points are positive;
    NaN or infinity would score every applicant NaN or -9.2e18), checked in the order
    ``base_points``, ``base_odds``, ``pdo``; the error's field names the first one refused:

    >>> ScorecardScaling(base_points=float("nan"))
    Traceback (most recent call last):
    autolend.domain.errors.InvalidInput: base points must be a finite number above 0, not nan
    """

    base_points: float = 600.0
    base_odds: float = 50.0
    pdo: float = 20.0

    def __post_init__(self) -> None:
        check_scaling(self.base_points, self.base_odds, self.pdo)

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        return self.base_points - self.factor * math.log(self.base_odds)

    def score_of_logit(self, logit: FloatArray | float) -> FloatArray | float:
        """Points for the log-odds of bad."""
        return self.offset - self.factor * logit

    def score_of_pd(self, pd_: float) -> float:
        clipped = min(max(pd_, 1e-9), 1 - 1e-9)
        return float(self.score_of_logit(math.log(clipped / (1 - clipped))))


@dataclass(frozen=True)
class Champion:
    """A fitted scorecard.  ``points[j][b]`` = points of bin ``b`` of feature ``j``."""

    schema: FeatureSchema
    bins: tuple[FeatureBins, ...]
    coefficients: tuple[float, ...]
    intercept: float
    scaling: ScorecardScaling
    c: float

    def bin_matrix(self, frame: pandas.DataFrame) -> npt.NDArray[np.intp]:
        """Bin index of every row (rows) and feature (columns)."""
        columns = [
            b.index(self.schema.numeric_column(frame, b.name))
            if b.kind == "numeric"
            else b.index(self.schema.text_column(frame, b.name))
            for b in self.bins
        ]
        return np.column_stack(columns) if columns else np.empty((len(frame), 0), np.intp)

    def bin_row(self, values: Sequence[object]) -> npt.NDArray[np.intp]:
        """Bin indices of one application given in model order (see ``FeatureSchema.row``)."""
        return np.array([b.index_one(v) for b, v in zip(self.bins, values, strict=True)])

    def logit_of_bins(self, bins: npt.NDArray[np.intp]) -> FloatArray:
        woe = _take(self._woe_table, bins)
        return np.asarray(self.intercept + woe @ np.asarray(self.coefficients), dtype=float)

    def predict_pd(self, frame: pandas.DataFrame) -> FloatArray:
        return _sigmoid(self.logit_of_bins(self.bin_matrix(frame)))

    def points(self, frame: pandas.DataFrame) -> FloatArray:
        """Total score of each row (the sum of ``points_by_feature``)."""
        return np.asarray(self.scaling.score_of_logit(self.logit_of_bins(self.bin_matrix(frame))))

    def points_by_feature(self, frame: pandas.DataFrame) -> pandas.DataFrame:
        points = _take(self._points_table, self.bin_matrix(frame))
        return pandas.DataFrame(points, columns=list(self.schema.names), index=frame.index)

    def points_lost(self, bins: npt.NDArray[np.intp]) -> FloatArray:
        """Points each feature costs against its best bin (0 in the best bin), per row."""
        return np.asarray(self._best_points - _take(self._points_table, np.atleast_2d(bins)))

    def trend(self, feature: str) -> int:
        """+1 if risk rises with the value, -1 if it falls, 0 unknown (from bin bad rates)."""
        return self._bins_of(feature).trend

    def scorecard_table(self) -> pandas.DataFrame:
        """feature, bin, count, event_rate, woe, coefficient, points: one row per bin."""
        rows = [
            {
                "feature": b.name,
                "bin": label,
                "count": b.counts[i],
                "event_rate": b.event_rates[i],
                "woe": b.woe[i],
                "coefficient": coef,
                "points": float(self._points_table[j, i]),
            }
            for j, (b, coef) in enumerate(zip(self.bins, self.coefficients, strict=True))
            for i, label in enumerate(b.labels)
        ]
        return pandas.DataFrame(rows)

    def _bins_of(self, feature: str) -> FeatureBins:
        for b in self.bins:
            if b.name == feature:
                return b
        raise InvalidInput(f"unknown feature {feature!r}", field="feature")

    @property
    def _woe_table(self) -> FloatArray:
        return self._cached("_woe", lambda: _padded([b.woe for b in self.bins]))

    @property
    def _points_table(self) -> FloatArray:
        def build() -> FloatArray:
            share = (self.scaling.offset - self.scaling.factor * self.intercept) / len(self.bins)
            coefs = np.asarray(self.coefficients)[:, None]
            return share - self.scaling.factor * coefs * self._woe_table

        return self._cached("_points", build)

    @property
    def _best_points(self) -> FloatArray:
        def build() -> FloatArray:
            seen = _padded([tuple(float(c > 0) for c in b.counts) for b in self.bins]) > 0
            return np.asarray(np.where(seen, self._points_table, -np.inf).max(axis=1))

        return self._cached("_best", build)

    def _cached(self, key: str, build: Callable[[], FloatArray]) -> FloatArray:
        value: FloatArray | None = self.__dict__.get(key)
        if value is None:
            value = build()
            object.__setattr__(self, key, value)
        return value


def fit_champion(data: TrainingData, scaling: ScorecardScaling, seed: int) -> Champion:
    """Bin every feature, choose the L2 strength by inner 5-fold AUC, fit, scale.

    Features whose coefficient comes out with the wrong sign (more WoE = more risk, which
    only collinearity produces) are dropped and the model refitted, so points stay sensible.
    """
    bins = fit_bins(data)
    woe = _take(_padded([b.woe for b in bins]), _bins_of_data(bins, data))
    c = _choose_c(woe, data.y, seed)
    keep = np.ones(woe.shape[1], dtype=bool)
    for _ in range(woe.shape[1]):
        model = LogisticRegression(C=c, max_iter=1000).fit(woe[:, keep], data.y)
        coefs = np.zeros(woe.shape[1])
        coefs[keep] = model.coef_[0]
        if not (coefs > 0).any():
            break
        keep &= coefs <= 0
    schema = FeatureSchema.of(data.kinds)
    coefficients = tuple(float(v) for v in coefs)
    return Champion(schema, bins, coefficients, float(model.intercept_[0]), scaling, c)


def _bins_of_data(bins: tuple[FeatureBins, ...], data: TrainingData) -> npt.NDArray[np.intp]:
    schema = FeatureSchema.of(data.kinds)
    probe = Champion(schema, bins, (0.0,) * len(bins), 0.0, ScorecardScaling(), 1.0)
    return probe.bin_matrix(data.features)


def _choose_c(woe: FloatArray, y: npt.NDArray[np.int_], seed: int) -> float:
    n_splits = min(5, int(np.bincount(y, minlength=2).min()))
    if n_splits < 2:
        return 1.0
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    scores = {c: 0.0 for c in C_GRID}
    for train, test in folds.split(woe, y):
        for c in C_GRID:
            model = LogisticRegression(C=c, max_iter=1000).fit(woe[train], y[train])
            scores[c] += auc(y[test], model.decision_function(woe[test]))
    return max(C_GRID, key=lambda c: (round(scores[c], 6), -c))


def _padded(rows: Sequence[Sequence[float]]) -> FloatArray:
    width = max(len(r) for r in rows)
    table = np.zeros((len(rows), width))
    for j, row in enumerate(rows):
        table[j, : len(row)] = row
    return table


def _take(table: FloatArray, bins: npt.NDArray[np.intp]) -> FloatArray:
    """``table[j, bins[:, j]]`` for every column ``j``."""
    return np.asarray(table[np.arange(table.shape[0]), bins], dtype=float)


def _sigmoid(logit: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-logit)))
