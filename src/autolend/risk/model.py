"""A credit model: champion, challenger, the primary PD, calibration, grades and reasons.

Rule (training): out-of-fold PDs of the champion, the challenger and their average are
computed by stratified k-fold on the data; the one with the highest out-of-fold AUC is the
*primary* (the champion wins ties); its out-of-fold PDs fit the calibration; the final
champion and challenger are then fitted on all rows.  Reasons stay faithful to the primary:
scorecard points lost for the champion and for the ensemble (whose scorecard half they
explain, method ``scorecard_points_lost_v1+ensemble``), TreeSHAP for the challenger.

Rule (score): ``score = offset - factor * logit(calibrated PD)`` on the scorecard scale, so
600 means good:bad odds 50:1 whichever model is primary; the grade comes from the
calibrated PD on a master scale (default A <= 2 % < B <= 5 % < C <= 10 % < D <= 20 % < E).

>>> GradeScale().grade(0.031)
'B'
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.calibration import Calibration, fit_calibration
from autolend.risk.challenger import Challenger, ChallengerSettings, fit_challenger
from autolend.risk.dataset import FeatureKind, TrainingData
from autolend.risk.features import FeatureSchema
from autolend.risk.metrics import auc, ks
from autolend.risk.reasons import (
    SCORECARD_METHOD,
    SHAP_METHOD,
    Reason,
    scorecard_reasons,
    shap_reasons,
)
from autolend.risk.scorecard import Champion, ScorecardScaling, fit_champion

__all__ = [
    "CreditModel",
    "GradeScale",
    "ModelMetrics",
    "ScoreResult",
    "train_model",
    "train_model_with_evidence",
]

Primary = Literal["champion", "challenger", "ensemble"]
FloatArray = npt.NDArray[np.float64]
_PD = TypeVar("_PD", float, FloatArray)
CANDIDATES: tuple[Primary, ...] = ("champion", "ensemble", "challenger")


@dataclass(frozen=True)
class GradeScale:
    """Grades by calibrated PD: ``grades[i]`` up to and including ``upper_pd[i]``."""

    upper_pd: tuple[float, ...] = (0.02, 0.05, 0.10, 0.20)
    grades: tuple[str, ...] = ("A", "B", "C", "D", "E")

    def __post_init__(self) -> None:
        if len(self.grades) != len(self.upper_pd) + 1 or list(self.upper_pd) != sorted(
            self.upper_pd
        ):
            raise InvalidInput("grade scale: one more grade than ascending bounds", field="grades")

    def grade(self, pd_: float) -> str:
        return self.grades[bisect_left(self.upper_pd, pd_)]


@dataclass(frozen=True)
class ModelMetrics:
    """Out-of-fold measures: AUC of each candidate, and of the primary AUC/KS/Brier."""

    candidate_auc: Mapping[str, float]
    auc: float
    gini: float
    ks: float
    brier: float
    rows: int
    bad_rate: float


@dataclass(frozen=True)
class ScoreResult:
    """One decision's numbers: calibrated PD, points score, grade and adverse reasons."""

    pd: float
    score: int
    grade: str
    reasons: tuple[Reason, ...]
    reason_method: str
    model_version: str


@dataclass(frozen=True, eq=False)
class CreditModel:
    """Everything needed to score an application; picklable; versioned by the registry."""

    name: str
    schema: FeatureSchema
    champion: Champion
    challenger: Challenger
    calibration: Calibration
    primary: Primary
    grades: GradeScale
    scaling: ScorecardScaling
    metrics: ModelMetrics
    model_version: str = "unversioned"

    @property
    def features(self) -> Mapping[str, FeatureKind]:
        return dict(zip(self.schema.names, self.schema.kinds, strict=True))

    @property
    def reason_method(self) -> str:
        return {
            "champion": SCORECARD_METHOD,
            "challenger": SHAP_METHOD,
            "ensemble": f"{SCORECARD_METHOD}+ensemble",
        }[self.primary]

    def with_version(self, version: str) -> CreditModel:
        return replace(self, model_version=version)

    def score(self, application: Mapping[str, object]) -> ScoreResult:
        """Score one application (a mapping naming every feature; ``None`` = missing)."""
        values = self.schema.row(application)
        reasons: tuple[Reason, ...] = ()
        raw_champion = raw_challenger = 0.0
        if self.primary != "challenger":
            bins = self.champion.bin_row(values)
            raw_champion = _sigmoid_one(float(self.champion.logit_of_bins(bins)))
            reasons = scorecard_reasons(self.schema.names, self.champion.points_lost(bins)[0])
        if self.primary != "champion":
            shap = self.challenger.contributions_of_matrix(self.challenger.row_matrix(values))[0]
            raw_challenger = _sigmoid_one(float(shap.sum()))
            if self.primary == "challenger":
                reasons = shap_reasons(self.schema.names, shap[:-1])
        pd_ = self.calibration.calibrator.apply_one(
            _combine(self.primary, raw_champion, raw_challenger)
        )
        return ScoreResult(
            pd=pd_,
            score=round(self.scaling.score_of_pd(pd_)),
            grade=self.grades.grade(pd_),
            reasons=reasons,
            reason_method=self.reason_method,
            model_version=self.model_version,
        )

    def score_batch(self, frame: pandas.DataFrame) -> pandas.DataFrame:
        """pd, score, grade and reason_1..reason_4 (codes, blank when fewer) for each row."""
        champion_pd = self.champion.predict_pd(frame)
        shap = self.challenger.contributions_of_matrix(self.challenger.matrix(frame))
        challenger_pd = 1 / (1 + np.exp(-shap.sum(axis=1)))
        pd_ = self.calibration.calibrator.apply(_combine(self.primary, champion_pd, challenger_pd))
        if self.primary == "challenger":
            reasons = [shap_reasons(self.schema.names, row[:-1]) for row in shap]
        else:
            lost = self.champion.points_lost(self.champion.bin_matrix(frame))
            reasons = [scorecard_reasons(self.schema.names, row) for row in lost]
        out = pandas.DataFrame(index=frame.index)
        out["pd"] = pd_
        logit = np.log(pd_ / (1 - pd_))
        out["score"] = np.rint(self.scaling.score_of_logit(logit)).astype(int)
        out["grade"] = [self.grades.grade(float(p)) for p in pd_]
        for k in range(4):
            out[f"reason_{k + 1}"] = [r[k].code if len(r) > k else "" for r in reasons]
        return out


def train_model(
    data: TrainingData,
    *,
    name: str,
    seed: int,
    scaling: ScorecardScaling | None = None,
    declared_directions: Mapping[str, int] | None = None,
    grades: GradeScale | None = None,
    folds: int = 5,
    challenger: ChallengerSettings | None = None,
) -> CreditModel:
    """Choose the primary by out-of-fold AUC, calibrate it, refit both models on all rows."""
    model, _ = train_model_with_evidence(
        data,
        name=name,
        seed=seed,
        scaling=scaling,
        declared_directions=declared_directions,
        grades=grades,
        folds=folds,
        challenger=challenger,
    )
    return model


def train_model_with_evidence(
    data: TrainingData,
    *,
    name: str,
    seed: int,
    scaling: ScorecardScaling | None = None,
    declared_directions: Mapping[str, int] | None = None,
    grades: GradeScale | None = None,
    folds: int = 5,
    challenger: ChallengerSettings | None = None,
) -> tuple[CreditModel, FloatArray]:
    """:func:`train_model`, and the primary's out-of-fold raw PDs (the model card's data)."""
    chosen_scaling = scaling or ScorecardScaling()
    oof = _out_of_fold(
        data,
        scaling=chosen_scaling,
        seed=seed,
        folds=folds,
        declared=declared_directions,
        settings=challenger,
    )
    candidate_auc = {c: auc(data.y, oof[c]) for c in CANDIDATES}
    primary = max(CANDIDATES, key=lambda c: (round(candidate_auc[c], 6), c == "champion"))
    calibration = fit_calibration(oof[primary], data.y, seed=seed)
    champion = fit_champion(data, chosen_scaling, seed)
    booster = fit_challenger(
        data,
        seed=seed,
        trends=_trends(champion, data),
        declared_directions=declared_directions,
        settings=challenger,
    )
    metrics = ModelMetrics(
        candidate_auc={c: round(v, 4) for c, v in candidate_auc.items()},
        auc=candidate_auc[primary],
        gini=2 * candidate_auc[primary] - 1,
        ks=ks(data.y, oof[primary]),
        brier=calibration.brier,
        rows=data.rows,
        bad_rate=data.bad_rate,
    )
    model = CreditModel(
        name,
        FeatureSchema.of(data.kinds),
        champion,
        booster,
        calibration,
        primary,
        grades or GradeScale(),
        chosen_scaling,
        metrics,
    )
    return model, oof[primary]


def _out_of_fold(
    data: TrainingData,
    *,
    scaling: ScorecardScaling,
    seed: int,
    folds: int,
    declared: Mapping[str, int] | None,
    settings: ChallengerSettings | None,
) -> dict[Primary, FloatArray]:
    if min(np.bincount(data.y, minlength=2)) < folds:
        raise InvalidInput(f"need at least {folds} bads and {folds} goods to train", field="data")
    oof: dict[Primary, FloatArray] = {c: np.zeros(data.rows) for c in CANDIDATES}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_rows, test_rows in splitter.split(data.features, data.y):
        train, test = data.subset(train_rows), data.subset(test_rows)
        champion = fit_champion(train, scaling, seed)
        booster = fit_challenger(
            train,
            seed=seed,
            trends=_trends(champion, train),
            declared_directions=declared,
            settings=settings,
        )
        oof["champion"][test_rows] = champion.predict_pd(test.features)
        oof["challenger"][test_rows] = booster.predict_pd(test.features)
    oof["ensemble"] = (oof["champion"] + oof["challenger"]) / 2
    return oof


def _trends(champion: Champion, data: TrainingData) -> dict[str, int]:
    return {name: champion.trend(name) for name in data.feature_names}


def _combine(primary: Primary, champion: _PD, challenger: _PD) -> _PD:
    if primary == "champion":
        return champion
    if primary == "challenger":
        return challenger
    return (champion + challenger) / 2


def _sigmoid_one(logit: float) -> float:
    return 1 / (1 + math.exp(-logit))
