"""Repeated stratified k-fold cross-validation of the champion, challenger and their average.

Rule: for every split, everything is fitted on the training fold only (binning, the
regularisation strength, the challenger's trees and constraints) and measured on the test
fold.  The ensemble is the plain average of the two PDs.  Reported: mean and spread of AUC
over all folds, the Gini of the mean AUC and the mean KS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold  # type: ignore[import-untyped]

from autolend.risk.challenger import ChallengerSettings, fit_challenger
from autolend.risk.dataset import TrainingData
from autolend.risk.metrics import auc, ks
from autolend.risk.scorecard import ScorecardScaling, fit_champion

__all__ = ["CvReport", "FoldScores", "cross_validate"]

MODELS = ("champion", "challenger", "ensemble")


@dataclass(frozen=True)
class FoldScores:
    """AUC and KS of one model over all folds, in fold order."""

    aucs: tuple[float, ...]
    kss: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        auc_mean = float(np.mean(self.aucs))
        return {
            "auc_mean": round(auc_mean, 4),
            "auc_std": round(float(np.std(self.aucs, ddof=1)) if len(self.aucs) > 1 else 0.0, 4),
            "gini": round(2 * auc_mean - 1, 4),
            "ks": round(float(np.mean(self.kss)), 4),
        }


@dataclass(frozen=True)
class CvReport:
    """Scores per model plus the size and bad rate of the data."""

    scores: Mapping[str, FoldScores]
    rows: int
    bad_rate: float
    folds: int
    repeats: int

    def as_dict(self) -> dict[str, object]:
        """``{"champion": {"auc_mean", "auc_std", "gini", "ks"}, ..., "rows", "bad_rate"}``."""
        shaped: dict[str, object] = {name: s.as_dict() for name, s in self.scores.items()}
        shaped.update(
            rows=self.rows, bad_rate=round(self.bad_rate, 4), folds=self.folds, repeats=self.repeats
        )
        return shaped

    @property
    def best(self) -> str:
        return max(self.scores, key=lambda name: float(np.mean(self.scores[name].aucs)))


def cross_validate(
    data: TrainingData,
    *,
    folds: int = 5,
    repeats: int = 5,
    seed: int = 0,
    scaling: ScorecardScaling | None = None,
    declared_directions: Mapping[str, int] | None = None,
    challenger: ChallengerSettings | None = None,
    champion_only: bool = False,
) -> CvReport:
    """Cross-validate all three models (or the champion alone) on the same splits."""
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    models = MODELS[:1] if champion_only else MODELS
    collected: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in models}
    for train_rows, test_rows in splitter.split(data.features, data.y):
        train, test = data.subset(train_rows), data.subset(test_rows)
        champion = fit_champion(train, scaling or ScorecardScaling(), seed)
        predictions = {"champion": champion.predict_pd(test.features)}
        if not champion_only:
            trends = {name: champion.trend(name) for name in data.feature_names}
            booster = fit_challenger(
                train,
                seed=seed,
                trends=trends,
                settings=challenger,
                declared_directions=declared_directions,
            )
            predictions["challenger"] = booster.predict_pd(test.features)
            predictions["ensemble"] = (predictions["champion"] + predictions["challenger"]) / 2
        for name, predicted in predictions.items():
            collected[name][0].append(auc(test.y, predicted))
            collected[name][1].append(ks(test.y, predicted))
    scores = {m: FoldScores(tuple(a), tuple(k)) for m, (a, k) in collected.items()}
    return CvReport(scores, data.rows, data.bad_rate, folds, repeats)
