"""Forest member: a size-bounded random forest, and the rank average joining it to the champion.

Rule (forest): scikit-learn's random forest with square-root feature sampling (its default)
and three bounds that make the artifact and the scoring time independent of how many rows
it was trained on: a fixed 300 trees, at least 5 rows per leaf (no leaf memorises one
applicant) and at most 8 levels.  So a tree has at most 2**9 - 1 = 511 nodes and the whole
forest at most 153,300 nodes (about 4.3 MB at 28 bytes a node) whatever the data; on 1,000
rows it is about 30,000 nodes (under 1 MB).  Numeric features are imputed with the training
median, categories one-hot (missing or unseen: all zeros).  The fitted trees are copied into
one flat node array and walked for all trees at once, so one application scores in a
fraction of a millisecond and a single score equals the batch score exactly.

Rule (ensemble): each member's PD becomes its position among that member's training PDs
(the champion's fitted PDs; the forest's out-of-bag PDs, i.e. each training row scored only
by trees that did not see it), as a mid-rank smoothed into (0, 1), PDs compared to 12
decimal places; the ensemble score is the mean of the two positions.  Positions put the
members on one scale (a forest's PDs are squeezed towards the bad rate, so a plain PD average
would let the scorecard dominate); calibration then turns the score into a PD.  E.g. a PD
above 3 of the champion's 4 training PDs sits at position (3 + 3 + 1) / (2 * 5) = 0.7.

>>> Quantiles.of(np.array([0.1, 0.2, 0.3, 0.4])).position(np.array([0.35]))
array([0.7])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]
from sklearn.ensemble import RandomForestClassifier  # type: ignore[import-untyped]

from autolend.risk.dataset import TrainingData
from autolend.risk.features import FeatureSchema

__all__ = ["Forest", "ForestSettings", "Quantiles", "fit_forest", "rank_average"]

FloatArray = npt.NDArray[np.float64]
_NODE_ARRAYS = {
    "feature": np.int32,
    "threshold": np.float64,
    "left": np.int32,
    "right": np.int32,
    "leaf_pd": np.float64,
}
_DIGITS = 12  # PDs equal to 12 places tie, so a last-bit difference cannot move a rank


@dataclass(frozen=True)
class ForestSettings:
    """Fixed bounds, not tuned per data set: tree count, rows per leaf, depth."""

    trees: int = 300
    min_leaf: int = 5
    max_depth: int = 8
    threads: int = 1

    @property
    def max_nodes(self) -> int:
        """The most nodes the forest can hold, whatever the number of training rows."""
        return int(self.trees * (2 ** (self.max_depth + 1) - 1))


@dataclass(frozen=True, eq=False)
class Quantiles:
    """A member's reference PDs; ``position`` is a PD's smoothed mid-rank among them."""

    sorted_values: FloatArray = field(repr=False)

    @classmethod
    def of(cls, values: FloatArray) -> Quantiles:
        return cls(np.sort(np.round(np.asarray(values, dtype=float), _DIGITS)))

    def position(self, values: FloatArray) -> FloatArray:
        rounded = np.round(np.asarray(values, dtype=float), _DIGITS)
        below = np.searchsorted(self.sorted_values, rounded, side="left")
        upto = np.searchsorted(self.sorted_values, rounded, side="right")
        return np.asarray((below + upto + 1) / (2 * (len(self.sorted_values) + 1)), dtype=float)


def rank_average(members: Sequence[tuple[Quantiles, FloatArray]]) -> FloatArray:
    """The mean position of each member's PDs among its own reference PDs."""
    return np.asarray(np.mean([q.position(p) for q, p in members], axis=0), dtype=float)


@dataclass(frozen=True, eq=False)
class Forest:
    """Imputation and one-hot layout, the trees as flat arrays, and the out-of-bag PDs."""

    schema: FeatureSchema
    medians: tuple[float, ...]
    levels: tuple[tuple[str, ...], ...]
    trees: dict[str, npt.NDArray[np.generic]] = field(repr=False)
    reference: Quantiles = field(repr=False)

    @property
    def nodes(self) -> int:
        return len(self.trees["leaf_pd"])

    def matrix(self, frame: pandas.DataFrame) -> FloatArray:
        columns = [self.schema.numeric_column(frame, n) for n in self._names("numeric")]
        texts = [self.schema.text_column(frame, n) for n in self._names("categorical")]
        return self._layout(columns, texts, len(frame))

    def row_matrix(self, values: Sequence[object]) -> FloatArray:
        """A 1-row input from values in model order (see ``FeatureSchema.row``): the same
        layout as :meth:`matrix` (numbers, the training median for a missing one, then one
        0 / 1 column per category level), built in plain Python, as a few dozen one-element
        NumPy operations cost more than the trees' walk for one applicant."""
        pairs = list(zip(self.schema.kinds, values, strict=True))
        numbers = [float(v) if v is not None else math.nan  # type: ignore[arg-type]
                   for k, v in pairs if k == "numeric"]  # fmt: skip
        row = [m if math.isnan(x) else x for x, m in zip(numbers, self.medians, strict=True)]
        texts = [v for k, v in pairs if k == "categorical"]
        for text, levels in zip(texts, self.levels, strict=True):
            row.extend(1.0 if text == level else 0.0 for level in levels)
        return np.array([row], dtype=float).reshape(1, -1)

    def pd_of_matrix(self, matrix: FloatArray) -> FloatArray:
        """Mean leaf probability of bad over all trees, walking every tree at once."""
        t = self.trees
        # scikit-learn compares float32 inputs with its thresholds; do the same.
        x = matrix.astype(np.float32).astype(np.float64)
        rows = np.arange(len(x))[:, None]
        node = np.broadcast_to(t["roots"], (len(x), len(t["roots"])))
        for _ in range(int(t["depth"])):
            goes_left = x[rows, t["feature"][node]] <= t["threshold"][node]
            node = np.where(goes_left, t["left"][node], t["right"][node])
        return np.asarray(t["leaf_pd"][node].mean(axis=1), dtype=float)

    def predict_pd(self, frame: pandas.DataFrame) -> FloatArray:
        return self.pd_of_matrix(self.matrix(frame))

    def _names(self, kind: str) -> list[str]:
        pairs = zip(self.schema.names, self.schema.kinds, strict=True)
        return [n for n, k in pairs if k == kind]

    def _layout(
        self, columns: list[FloatArray], texts: list[npt.NDArray[np.object_]], rows: int
    ) -> FloatArray:
        parts = [
            np.where(np.isnan(c), m, c)[:, None] for c, m in zip(columns, self.medians, strict=True)
        ]
        for text, levels in zip(texts, self.levels, strict=True):
            if levels:  # none when the rows fitted hold no value of it (a sparse column's fold)
                parts.append(np.stack([text == level for level in levels], axis=1).astype(float))
        return np.hstack(parts) if parts else np.empty((rows, 0))


def fit_forest(data: TrainingData, *, seed: int, settings: ForestSettings | None = None) -> Forest:
    """Fit the forest on all rows; keep its out-of-bag PDs as the rank reference."""
    chosen = settings or ForestSettings()
    schema = FeatureSchema.of(data.kinds)
    numeric = [n for n, k in data.kinds.items() if k == "numeric"]
    medians = tuple(_median(schema.numeric_column(data.features, n)) for n in numeric)
    levels = tuple(
        tuple(sorted({v for v in schema.text_column(data.features, n) if v is not None}))
        for n, k in data.kinds.items()
        if k == "categorical"
    )
    shell = Forest(schema, medians, levels, {}, Quantiles.of(np.zeros(1)))
    forest = RandomForestClassifier(
        n_estimators=chosen.trees,
        min_samples_leaf=chosen.min_leaf,
        max_depth=chosen.max_depth,
        max_features="sqrt",
        oob_score=True,
        n_jobs=chosen.threads,
        random_state=seed,
    ).fit(shell.matrix(data.features), data.y)
    out_of_bag = np.nan_to_num(forest.oob_decision_function_[:, 1], nan=data.bad_rate)
    return Forest(schema, medians, levels, _flat_trees(forest), Quantiles.of(out_of_bag))


def _flat_trees(forest: RandomForestClassifier) -> dict[str, npt.NDArray[np.generic]]:
    """All trees' nodes in one array (children as global indices); a leaf points to itself."""
    grown = [e.tree_ for e in forest.estimators_]
    roots = np.cumsum([0] + [t.node_count for t in grown[:-1]])
    parts: dict[str, list[npt.NDArray[np.generic]]] = {k: [] for k in _NODE_ARRAYS}
    for root, tree in zip(roots, grown, strict=True):
        leaf = tree.children_left == -1
        nodes = root + np.arange(tree.node_count)
        value = tree.value[:, 0, :]
        parts["feature"].append(np.where(leaf, 0, tree.feature))
        parts["threshold"].append(tree.threshold)
        parts["left"].append(np.where(leaf, nodes, root + tree.children_left))
        parts["right"].append(np.where(leaf, nodes, root + tree.children_right))
        parts["leaf_pd"].append(value[:, 1] / value.sum(axis=1))
    out = {k: np.concatenate(v).astype(_NODE_ARRAYS[k]) for k, v in parts.items()}
    out["roots"] = roots.astype(np.int32)
    out["depth"] = np.array(max(t.max_depth for t in grown))
    return out


def _median(values: FloatArray) -> float:
    present = values[~np.isnan(values)]
    return float(np.median(present)) if len(present) else 0.0
