"""Optimal binning (optbinning) frozen into plain lookups: value -> bin -> weight of evidence.

Rule: a numeric value falls in bin ``i`` when ``splits[i-1] <= x < splits[i]``; a category
falls in the group that holds it.  After the regular bins come ``Missing`` (missing values)
and, for categorical features, ``Unseen`` (categories not met in training, neutral WoE 0).
A feature with no values in the rows fitted (a sparse column in one fold) gets one neutral
bin for any value and ``Missing``, all WoE 0: it can neither help nor hurt there.
WoE follows optbinning: ``ln(share of goods / share of bads)``, so a higher WoE is safer.

>>> bins = FeatureBins("age", "numeric", splits=(30.0,), groups=(), labels=("<30", ">=30",
...     "Missing"), woe=(-0.5, 0.4, 0.0), counts=(40, 60, 0), event_rates=(0.4, 0.2, 0.0))
>>> (bins.index_one(29.0), bins.index_one(30.0), bins.index_one(float("nan")), bins.trend)
(0, 1, 2, -1)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas  # type: ignore[import-untyped]
from optbinning import BinningProcess  # type: ignore[import-untyped]

from autolend.risk.dataset import FeatureKind, TrainingData
from autolend.risk.features import FeatureSchema

__all__ = ["FeatureBins", "fit_bins"]


@dataclass(frozen=True)
class FeatureBins:
    """One feature's bins: labels, WoE, training counts and bad rates (``Missing`` last)."""

    name: str
    kind: FeatureKind
    splits: tuple[float, ...]
    groups: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...]
    woe: tuple[float, ...]
    counts: tuple[int, ...]
    event_rates: tuple[float, ...]

    @property
    def regular(self) -> int:
        """How many value bins come before ``Missing`` (and ``Unseen``)."""
        return len(self.splits) + 1 if self.kind == "numeric" else len(self.groups)

    @property
    def trend(self) -> int:
        """+1 if the bad rate rises with the value, -1 if it falls; 0 when it does neither
        (a peak or a valley), is flat, or the feature is categorical."""
        if self.kind != "numeric":
            return 0
        rates = [
            r for r, n in zip(self.event_rates[: self.regular], self.counts, strict=False) if n
        ]
        steps = np.diff(rates)
        if len(rates) < 2 or math.isclose(rates[0], rates[-1]):
            return 0
        if (steps >= 0).all():
            return 1
        return -1 if (steps <= 0).all() else 0

    def index(
        self, values: npt.NDArray[np.float64] | npt.NDArray[np.object_]
    ) -> npt.NDArray[np.intp]:
        """Bin of each value (vectorised)."""
        if self.kind == "numeric":
            numbers = np.asarray(values, dtype=float)
            found = np.searchsorted(np.asarray(self.splits), numbers, side="right")
            return np.where(np.isnan(numbers), self.regular, found).astype(np.intp)
        lookup = self._category_lookup()
        return np.fromiter((self._category(v, lookup) for v in values), np.intp, len(values))

    def index_one(self, value: object) -> int:
        """Bin of one value (a float for numeric features, text or ``None`` otherwise)."""
        if self.kind == "numeric":
            number = float(value)  # type: ignore[arg-type]
            if math.isnan(number):
                return self.regular
            return int(np.searchsorted(self.splits, number, side="right"))
        return self._category(value, self._category_lookup())

    def _category_lookup(self) -> dict[str, int]:
        cached: dict[str, int] | None = self.__dict__.get("_lookup")
        if cached is None:
            cached = {c: i for i, group in enumerate(self.groups) for c in group}
            object.__setattr__(self, "_lookup", cached)
        return cached

    def _category(self, value: object, lookup: dict[str, int]) -> int:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.regular
        return lookup.get(str(value), self.regular + 1)


def fit_bins(
    data: TrainingData, *, min_bin_size: float = 0.05, numeric_trend: str = "auto"
) -> tuple[FeatureBins, ...]:
    """Fit optbinning on ``data``; each numeric feature's shape chosen by optbinning.

    ``"auto"`` lets optbinning pick, per feature and from the training rows only, the shape
    with the most information: rising, falling, or one peak / valley (e.g. risk highest for
    mid-sized loans).  Measured on German credit (repeated 5x5 CV), this beat forcing every
    feature monotonic (``"auto_asc_desc"``) by about 0.003 AUC.
    """
    schema = FeatureSchema.of(data.kinds)
    frame = _binning_frame(data.features, schema)
    # optbinning fails outright ("0 sample(s)") on a feature without a single value.
    fitted = [n for n in schema.names if frame[n].notna().any()]
    categorical = [n for n in fitted if data.kinds[n] == "categorical"]
    params = {n: {"monotonic_trend": numeric_trend} for n in fitted if data.kinds[n] == "numeric"}
    process = BinningProcess(
        fitted,
        categorical_variables=categorical,
        min_bin_size=min_bin_size,
        binning_fit_params=params,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fitted:
            process.fit(frame[fitted], data.y)
        return tuple(
            _frozen(process.get_binned_variable(n), n, data.kinds[n])
            if n in fitted
            else _neutral(n, data.kinds[n], data.rows, data.bad_rate)
            for n in schema.names
        )


def _binning_frame(features: pandas.DataFrame, schema: FeatureSchema) -> pandas.DataFrame:
    columns: dict[str, object] = {}
    for name, kind in zip(schema.names, schema.kinds, strict=True):
        if kind == "numeric":
            columns[name] = schema.numeric_column(features, name)
        else:
            columns[name] = pandas.Series(schema.text_column(features, name), dtype=object)
    return pandas.DataFrame(columns)


def _neutral(name: str, kind: FeatureKind, rows: int, bad_rate: float) -> FeatureBins:
    """All rows ``Missing``; any value met later falls in a bin (or ``Unseen``) of WoE 0."""
    if kind == "numeric":
        labels, counts, rates = ("(-inf, inf)", "Missing"), (0, rows), (0.0, bad_rate)
    else:
        labels, counts, rates = ("Missing", "Unseen"), (rows, 0), (bad_rate, 0.0)
    return FeatureBins(name, kind, (), (), labels, (0.0, 0.0), counts, rates)


def _frozen(binned: object, name: str, kind: FeatureKind) -> FeatureBins:
    """Regular bins, then ``Missing`` (optbinning's ``Special`` bin is unused: no codes)."""
    table = binned.binning_table.build()  # type: ignore[attr-defined]
    table = table[(table.index != "Totals") & (table["Bin"].astype(str) != "Special")]
    splits = list(binned.splits)  # type: ignore[attr-defined]
    groups: tuple[tuple[str, ...], ...] = ()
    numeric_splits: tuple[float, ...] = ()
    if kind == "numeric":
        numeric_splits = tuple(float(s) for s in splits)
        labels = [str(b) for b in table["Bin"]]
    else:
        groups = tuple(tuple(str(c) for c in group) for group in splits)
        labels = [", ".join(group) for group in groups] + ["Missing"]
    counts = [int(c) for c in table["Count"]]
    woe = [float(w) for w in table["WoE"]]
    rates = [float(r) if n else 0.0 for r, n in zip(table["Event rate"], counts, strict=True)]
    if kind == "categorical":
        labels, woe = [*labels, "Unseen"], [*woe, 0.0]
        counts, rates = [*counts, 0], [*rates, 0.0]
    return FeatureBins(
        name, kind, numeric_splits, groups, tuple(labels), tuple(woe), tuple(counts), tuple(rates)
    )
