"""A credit model: champion, challenger, the primary PD, calibration, grades and reasons.

Rule (training): out-of-fold scores of the champion, the challenger and the ensemble (the
rank average of the champion and a size-bounded random forest, ``risk/forest.py``) are
computed by stratified k-fold on the data; the one with the highest out-of-fold AUC is the
*primary* (the champion wins ties); its out-of-fold scores fit the calibration; the final
champion, challenger and forest are then fitted on all rows.  Reasons stay faithful to the
primary: scorecard points lost for the champion and for the ensemble (whose scorecard half
they explain, method ``scorecard_points_lost_v1+ensemble``), TreeSHAP for the challenger.
A model pickled before the forest existed has no forest; its ensemble stays the plain
average of the champion's and the challenger's PDs it was trained and calibrated with.

Rule (score): ``score = offset - factor * logit(calibrated PD)`` on the scorecard scale, so
600 means good:bad odds 50:1 whichever model is primary; the grade comes from the
calibrated PD on a master scale (default A <= 2 % < B <= 5 % < C <= 10 % < D <= 20 % < E).

>>> GradeScale().grade(0.031)
'B'
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.calibration import Calibration, fit_calibration
from autolend.risk.challenger import Challenger, ChallengerSettings, fit_challenger
from autolend.risk.dataset import FeatureKind, TrainingData, require_classes
from autolend.risk.features import FeatureSchema
from autolend.risk.forest import Forest, ForestSettings, Quantiles, fit_forest, rank_average
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
_NONE = np.zeros(1)
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
    # Last and defaulted, so models pickled before the forest existed still load (None).
    forest: Forest | None = None
    champion_reference: Quantiles | None = None

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
        raw = {"champion": _NONE, "challenger": _NONE, "forest": _NONE}
        if self.primary != "challenger":
            bins = self.champion.bin_row(values)
            raw["champion"] = _sigmoid(self.champion.logit_of_bins(bins)).reshape(-1)
            lost = self.champion.points_lost(bins)[0]
            reasons = scorecard_reasons(self.schema.names, lost, _missing(self.schema, values))
        if self.primary != "champion" and (self.primary == "challenger" or self.forest is None):
            shap = self.challenger.contributions_of_matrix(self.challenger.row_matrix(values))[0]
            raw["challenger"] = _sigmoid(np.array([shap.sum()]))
            if self.primary == "challenger":
                reasons = shap_reasons(self.schema.names, shap[:-1], _missing(self.schema, values))
        if self.primary == "ensemble" and self.forest is not None:
            raw["forest"] = self.forest.pd_of_matrix(self.forest.row_matrix(values))
        pd_ = self.calibration.calibrator.apply_one(float(self._combine(**raw)[0]))
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
        shap = self.challenger.contributions_of_matrix(self.challenger.matrix(frame))
        forest = self.forest
        forest_pd = (
            _NONE if forest is None or self.primary != "ensemble" else forest.predict_pd(frame)
        )
        raw = self._combine(self.champion.predict_pd(frame), _sigmoid(shap.sum(axis=1)), forest_pd)
        pd_ = self.calibration.calibrator.apply(raw)
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

    def _combine(
        self, champion: FloatArray, challenger: FloatArray, forest: FloatArray
    ) -> FloatArray:
        """The primary's raw score: a PD, or for the ensemble the mean rank position."""
        if self.primary == "champion":
            return champion
        if self.primary == "challenger":
            return challenger
        if self.forest is None or self.champion_reference is None:
            return (champion + challenger) / 2  # a model pickled before the forest existed
        return rank_average([(self.champion_reference, champion), (self.forest.reference, forest)])


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
    forest: ForestSettings | None = None,
) -> CreditModel:
    """Choose the primary by out-of-fold AUC, calibrate it, refit every member on all rows."""
    model, _ = train_model_with_evidence(
        data,
        name=name,
        seed=seed,
        scaling=scaling,
        declared_directions=declared_directions,
        grades=grades,
        folds=folds,
        challenger=challenger,
        forest=forest,
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
    forest: ForestSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[CreditModel, FloatArray]:
    """:func:`train_model`, and the primary's out-of-fold raw scores (the model card's data);
    ``progress(done, total)`` after each of the ``folds`` out-of-fold fits and the final one."""
    members = _Members(scaling or ScorecardScaling(), seed, declared_directions, challenger, forest)
    step = progress or (lambda _done, _total: None)
    step(0, folds + 1)
    oof = _out_of_fold(data, members, folds=folds, progress=lambda done: step(done, folds + 1))
    candidate_auc = {c: auc(data.y, oof[c]) for c in CANDIDATES}
    primary = max(CANDIDATES, key=lambda c: (round(candidate_auc[c], 6), c == "champion"))
    # The ensemble's score is a rank, not a PD: it must be mapped.
    calibration = fit_calibration(oof[primary], data.y, seed=seed, raw_is_pd=primary != "ensemble")
    champion, booster, trees = members.fit(data)
    step(folds + 1, folds + 1)
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
        members.scaling,
        metrics,
        forest=trees,
        champion_reference=Quantiles.of(champion.predict_pd(data.features)),
    )
    return model, oof[primary]


@dataclass(frozen=True)
class _Members:
    """How to fit the champion, the challenger and the forest on some rows."""

    scaling: ScorecardScaling
    seed: int
    declared: Mapping[str, int] | None
    challenger: ChallengerSettings | None
    forest: ForestSettings | None

    def fit(self, data: TrainingData) -> tuple[Champion, Challenger, Forest]:
        """The champion, the challenger (constrained by the champion's trends), the forest."""
        champion = fit_champion(data, self.scaling, self.seed)
        booster = fit_challenger(
            data,
            seed=self.seed,
            trends={name: champion.trend(name) for name in data.feature_names},
            declared_directions=self.declared,
            settings=self.challenger,
        )
        return champion, booster, fit_forest(data, seed=self.seed, settings=self.forest)


def _out_of_fold(
    data: TrainingData, members: _Members, *, folds: int, progress: Callable[[int], None]
) -> dict[Primary, FloatArray]:
    """Each row's score from members fitted on the other folds; rank references per fold."""
    require_classes(data.y, folds, "train")
    oof: dict[Primary, FloatArray] = {c: np.zeros(data.rows) for c in CANDIDATES}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=members.seed)
    for done, (train_rows, test_rows) in enumerate(splitter.split(data.features, data.y), 1):
        train, test = data.subset(train_rows), data.subset(test_rows)
        champion, booster, trees = members.fit(train)
        oof["champion"][test_rows] = champion.predict_pd(test.features)
        oof["challenger"][test_rows] = booster.predict_pd(test.features)
        oof["ensemble"][test_rows] = rank_average(
            [
                (Quantiles.of(champion.predict_pd(train.features)), oof["champion"][test_rows]),
                (trees.reference, trees.predict_pd(test.features)),
            ]
        )
        progress(done)
    return oof


def _missing(schema: FeatureSchema, values: list[object]) -> frozenset[str]:
    """The features of one application (values in model order) that have no value:
    ``None`` (text) or NaN (a number)."""
    return frozenset(
        name
        for name, value in zip(schema.names, values, strict=True)
        if value is None or (isinstance(value, float) and math.isnan(value))
    )


def _sigmoid(logit: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-logit)))
