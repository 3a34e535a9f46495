"""Challenger: LightGBM with monotone constraints, explained by TreeSHAP.

Rule (constraints): a declared direction wins (+1 = more of it is riskier, -1 = safer);
otherwise a numeric feature follows the champion's binning trend; categorical features are
unconstrained (0).  The number of trees comes from early stopping on the mean AUC of
stratified inner folds; the booster is then refitted on all rows with that many trees.

>>> monotone_directions(("income", "city"), ("numeric", "categorical"), {"income": -1}, {})
(-1, 0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import lightgbm
import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.dataset import FeatureKind, TrainingData
from autolend.risk.features import FeatureSchema

__all__ = ["Challenger", "ChallengerSettings", "fit_challenger", "monotone_directions"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ChallengerSettings:
    """Strongly regularised defaults for a few thousand to a few hundred thousand rows."""

    learning_rate: float = 0.03
    num_leaves: int = 8
    min_child_samples: int = 30
    subsample: float = 0.8
    colsample: float = 0.7
    lambda_l2: float = 5.0
    max_trees: int = 2000
    early_stopping: int = 100
    inner_folds: int = 4
    threads: int = 1

    def params(self, constraints: Sequence[int], seed: int) -> dict[str, Any]:
        return {
            "objective": "binary",
            "metric": "auc",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_child_samples,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1,
            "feature_fraction": self.colsample,
            "lambda_l2": self.lambda_l2,
            "min_data_per_group": self.min_child_samples,
            "cat_smooth": 20.0,
            "max_cat_to_onehot": 8,
            "monotone_constraints": list(constraints),
            "monotone_constraints_method": "advanced",
            "deterministic": True,
            "force_row_wise": True,
            "seed": seed,
            "num_threads": self.threads,
            "verbose": -1,
        }


@dataclass(frozen=True)
class Challenger:
    """A fitted booster plus the category codes it was trained with."""

    schema: FeatureSchema
    categories: Mapping[str, Mapping[str, int]]
    constraints: tuple[int, ...]
    trees: int
    booster: lightgbm.Booster = field(repr=False)

    def matrix(self, frame: pandas.DataFrame) -> FloatArray:
        """Model input: numbers as floats, categories as codes (unseen or missing: NaN)."""
        return _matrix(self.schema, self.categories, frame)

    def row_matrix(self, values: Sequence[object]) -> FloatArray:
        """A 1-row model input from values in model order (see ``FeatureSchema.row``)."""
        row = [
            float(v)  # type: ignore[arg-type]
            if kind == "numeric"
            else _code(v, self.categories[name])
            for v, name, kind in zip(values, self.schema.names, self.schema.kinds, strict=True)
        ]
        return np.array([row], dtype=float)

    def logit_of_matrix(self, matrix: FloatArray) -> FloatArray:
        return np.asarray(self.booster.predict(matrix, raw_score=True), dtype=float)

    def contributions_of_matrix(self, matrix: FloatArray) -> FloatArray:
        """Log-odds SHAP per feature (positive = riskier); the last column is the base value."""
        return np.asarray(self.booster.predict(matrix, pred_contrib=True), dtype=float)

    def predict_pd(self, frame: pandas.DataFrame) -> FloatArray:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logit_of_matrix(self.matrix(frame)))))

    def contributions(self, frame: pandas.DataFrame) -> pandas.DataFrame:
        """TreeSHAP values in log-odds of bad, one column per feature (plus ``base``)."""
        values = self.contributions_of_matrix(self.matrix(frame))
        return pandas.DataFrame(values, columns=[*self.schema.names, "base"], index=frame.index)


def monotone_directions(
    names: Sequence[str],
    kinds: Sequence[FeatureKind],
    declared: Mapping[str, int],
    trends: Mapping[str, int],
) -> tuple[int, ...]:
    """The constraint of each feature: declared, else the numeric trend, else 0."""
    unknown = sorted(set(declared) - set(names))
    if unknown:
        raise InvalidInput(
            f"declared direction for unknown feature {unknown[0]!r}", field="declared_directions"
        )
    return tuple(
        _sign(declared[n]) if n in declared else (trends.get(n, 0) if k == "numeric" else 0)
        for n, k in zip(names, kinds, strict=True)
    )


def fit_challenger(
    data: TrainingData,
    *,
    seed: int,
    trends: Mapping[str, int] | None = None,
    declared_directions: Mapping[str, int] | None = None,
    settings: ChallengerSettings | None = None,
) -> Challenger:
    """Fit LightGBM with monotone constraints; trees chosen by inner early stopping."""
    chosen = settings or ChallengerSettings()
    schema = FeatureSchema.of(data.kinds)
    constraints = monotone_directions(
        schema.names, schema.kinds, declared_directions or {}, trends or {}
    )
    categories = {
        n: _category_codes(schema.text_column(data.features, n))
        for n, k in data.kinds.items()
        if k == "categorical"
    }
    matrix = _matrix(schema, categories, data.features)
    params = chosen.params(constraints, seed)
    trees = _trees_by_early_stopping(
        matrix, data.y, schema, params=params, settings=chosen, seed=seed
    )
    booster = lightgbm.train(params, _dataset(matrix, data.y, schema), num_boost_round=trees)
    return Challenger(schema, categories, constraints, trees, booster)


def _trees_by_early_stopping(
    matrix: FloatArray,
    y: npt.NDArray[np.int_],
    schema: FeatureSchema,
    *,
    params: dict[str, Any],
    settings: ChallengerSettings,
    seed: int,
) -> int:
    """Trees at the best mean AUC over stratified inner folds (less noisy than one split)."""
    folds = StratifiedKFold(n_splits=settings.inner_folds, shuffle=True, random_state=seed)
    history = lightgbm.cv(
        params,
        _dataset(matrix, y, schema),
        num_boost_round=settings.max_trees,
        folds=list(folds.split(matrix, y)),
        callbacks=[lightgbm.early_stopping(settings.early_stopping, verbose=False)],
    )
    curve: list[float] = history["valid auc-mean"]  # type: ignore[assignment]
    return max(len(curve), 10)


def _dataset(
    matrix: FloatArray,
    y: npt.NDArray[np.int_],
    schema: FeatureSchema,
    reference: lightgbm.Dataset | None = None,
) -> lightgbm.Dataset:
    categorical = [i for i, k in enumerate(schema.kinds) if k == "categorical"]
    return lightgbm.Dataset(
        matrix,
        label=y,
        feature_name=[f"f{i}" for i in range(len(schema.names))],
        categorical_feature=categorical,
        reference=reference,
        free_raw_data=False,
        params={"verbose": -1},
    )


def _matrix(
    schema: FeatureSchema, categories: Mapping[str, Mapping[str, int]], frame: pandas.DataFrame
) -> FloatArray:
    columns = [
        schema.numeric_column(frame, name)
        if kind == "numeric"
        else _codes(schema.text_column(frame, name), categories[name])
        for name, kind in zip(schema.names, schema.kinds, strict=True)
    ]
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def _category_codes(values: npt.NDArray[np.object_]) -> dict[str, int]:
    """Codes by descending frequency (ties by name), so the mapping is deterministic."""
    counts = pandas.Series([v for v in values if v is not None]).value_counts()
    ordered = sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    return {str(name): code for code, (name, _) in enumerate(ordered)}


def _codes(values: npt.NDArray[np.object_], codes: Mapping[str, int]) -> FloatArray:
    return np.array([_code(v, codes) for v in values], dtype=float)


def _code(value: object, codes: Mapping[str, int]) -> float:
    if value is None:
        return math.nan
    return float(codes.get(str(value), math.nan))


def _sign(direction: int) -> int:
    if direction not in (-1, 0, 1):
        raise InvalidInput("a declared direction is -1, 0 or +1", field="declared_directions")
    return direction
