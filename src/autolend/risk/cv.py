"""Repeated stratified k-fold cross-validation of the champion, challenger, forest, ensemble.

Rule: for every split, everything is fitted on the training fold only (binning, the
regularisation strength, the challenger's trees and constraints, the forest and both rank
references) and measured on the test fold.  The ensemble is the rank average of the
champion and the forest (``risk/forest.py``), the same rule ``train_model`` deploys.
Reported: mean and spread of AUC over all folds, the Gini of the mean AUC and the mean KS,
and the notes on columns read otherwise than as-is (e.g. left out: no values).  Like
training, it needs ``max(folds, 5)`` bads and as many goods (5 folds, 4 bads: refused).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.model_selection import RepeatedStratifiedKFold  # type: ignore[import-untyped]

from autolend.risk.challenger import ChallengerSettings, fit_challenger
from autolend.risk.dataset import ColumnNote, TrainingData, require_classes
from autolend.risk.forest import ForestSettings, Quantiles, fit_forest, rank_average
from autolend.risk.metrics import auc, chance_warnings, ks
from autolend.risk.scorecard import Champion, ScorecardScaling, fit_champion

__all__ = ["CvReport", "FoldScores", "cross_validate"]

FloatArray = npt.NDArray[np.float64]
MODELS = ("champion", "challenger", "forest", "ensemble")


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
    notes: tuple[ColumnNote, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """``{"champion": {"auc_mean", "auc_std", "gini", "ks"}, ..., "rows", "bad_rate",
        "columns": [notes], "warnings": [lines]}``."""
        shaped: dict[str, object] = {name: s.as_dict() for name, s in self.scores.items()}
        shaped.update(
            rows=self.rows,
            bad_rate=round(self.bad_rate, 4),
            folds=self.folds,
            repeats=self.repeats,
            columns=[n.as_dict() for n in self.notes],
            warnings=self.warnings,
        )
        return shaped

    @property
    def warnings(self) -> list[str]:
        """A line for each model that ranks no better than chance (AUC mean <= 0.55)."""
        return chance_warnings({m: float(np.mean(s.aucs)) for m, s in self.scores.items()})

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
    forest: ForestSettings | None = None,
    champion_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CvReport:
    """Cross-validate all four models (or the champion alone) on the same splits;
    ``progress(done, total)`` after each fold (German credit's 25 take minutes)."""
    require_classes(data.y, folds, f"cross-validate with {folds} folds")
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    total = folds * repeats
    if progress is not None:
        progress(0, total)
    models = MODELS[:1] if champion_only else MODELS
    collected: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in models}
    for done, (train_rows, test_rows) in enumerate(splitter.split(data.features, data.y), 1):
        train, test = data.subset(train_rows), data.subset(test_rows)
        champion = fit_champion(train, scaling or ScorecardScaling(), seed)
        predictions = {"champion": champion.predict_pd(test.features)}
        if not champion_only:
            predictions |= _members(
                train,
                test,
                champion,
                seed=seed,
                settings=(challenger, forest),
                declared=declared_directions,
            )
        for name, predicted in predictions.items():
            collected[name][0].append(auc(test.y, predicted))
            collected[name][1].append(ks(test.y, predicted))
        if progress is not None:
            progress(done, total)
    scores = {m: FoldScores(tuple(a), tuple(k)) for m, (a, k) in collected.items()}
    return CvReport(scores, data.rows, data.bad_rate, folds, repeats, data.notes)


def _members(
    train: TrainingData,
    test: TrainingData,
    champion: Champion,
    *,
    seed: int,
    settings: tuple[ChallengerSettings | None, ForestSettings | None],
    declared: Mapping[str, int] | None,
) -> dict[str, FloatArray]:
    """Test-fold PDs of the challenger and the forest, and the champion + forest rank average."""
    booster = fit_challenger(
        train,
        seed=seed,
        trends={name: champion.trend(name) for name in train.feature_names},
        settings=settings[0],
        declared_directions=declared,
    )
    trees = fit_forest(train, seed=seed, settings=settings[1])
    forest_pd = trees.predict_pd(test.features)
    reference = Quantiles.of(champion.predict_pd(train.features))
    return {
        "challenger": booster.predict_pd(test.features),
        "forest": forest_pd,
        "ensemble": rank_average(
            [(reference, champion.predict_pd(test.features)), (trees.reference, forest_pd)]
        ),
    }
