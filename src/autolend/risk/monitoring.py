"""Post-loan model monitoring (贷后管理): population stability and performance by month.

**Population stability index.** Bin the baseline (the development sample), count the window
(recent applicants) in the same bins, and sum over bins

    PSI = Σ (w - b) · ln(w / b)

with ``b`` and ``w`` the baseline and window shares of a bin; an empty bin's share counts as
``ε = 1e-4`` so the logarithm stays finite.  Numeric values get up to ``bins`` quantile bins of
the baseline (ties merge bins; values outside the baseline range fall in the end bins) plus a
``missing`` bin when either side has missing values; categorical values get one bin per
category seen on either side (missing values as ``missing``).  Baseline shares (0.5, 0.5)
against window shares (0.6, 0.4) give 0.1 · ln(1.2) - 0.1 · ln(0.8) = 0.0405.

**Status** (:func:`psi_status`): below 0.1 ``stable``; from 0.1 ``watch``; from 0.25 ``act``.

>>> result = population_stability(["a"] * 5 + ["b"] * 5, ["a"] * 6 + ["b"] * 4)
>>> round(result.psi, 4), result.status
(0.0405, 'stable')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score, roc_curve  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput

__all__ = [
    "EPSILON",
    "PSI_ACT",
    "PSI_WATCH",
    "FeaturePsi",
    "MonthPerformance",
    "PsiBin",
    "PsiResult",
    "feature_stability",
    "performance_by_month",
    "population_stability",
    "psi_status",
]

PSI_WATCH = 0.1
PSI_ACT = 0.25
EPSILON = 1e-4
MISSING = "missing"
Status = Literal["stable", "watch", "act"]
Kind = Literal["numeric", "categorical"]


@dataclass(frozen=True)
class PsiBin:
    """One bin: counts and shares on each side and its term ``(w - b) · ln(w / b)``."""

    label: str
    baseline_count: int | None  # None: a score baseline kept as shares only
    window_count: int
    baseline_share: float
    window_share: float
    contribution: float


@dataclass(frozen=True)
class PsiResult:
    """The PSI of one variable, its status and the per-bin table."""

    kind: Kind
    psi: float
    status: Status
    baseline_count: int | None
    window_count: int
    bins: tuple[PsiBin, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return {**asdict(self), "bins": [asdict(b) for b in self.bins]}


@dataclass(frozen=True)
class FeaturePsi:
    """The stability of one feature (or of the score, ``is_score``) between two frames."""

    feature: str
    is_score: bool
    result: PsiResult

    @property
    def psi(self) -> float:
        return self.result.psi

    @property
    def status(self) -> Status:
        return self.result.status

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return {"feature": self.feature, "is_score": self.is_score, **self.result.as_dict()}


@dataclass(frozen=True)
class MonthPerformance:
    """Discrimination and bad rate of one month; AUC and KS are None (see ``note``) if one class."""

    month: str
    count: int
    bads: int
    bad_rate: float
    auc: float | None
    ks: float | None
    mean_pd: float | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return asdict(self)


def psi_status(psi: float) -> Status:
    """``stable`` below 0.1, ``watch`` from 0.1, ``act`` from 0.25.

    >>> psi_status(0.0999), psi_status(0.1), psi_status(0.25)
    ('stable', 'watch', 'act')
    """
    if not np.isfinite(psi) or psi < 0:
        raise InvalidInput(f"a PSI is a finite number >= 0, got {psi!r}", field="psi")
    if psi >= PSI_ACT:
        return "act"
    return "watch" if psi >= PSI_WATCH else "stable"


def population_stability(
    baseline: Any,
    window: Any,
    *,
    bins: int = 10,
    kind: Literal["auto", "numeric", "categorical"] = "auto",
) -> PsiResult:
    """The PSI of ``window`` against ``baseline`` (any 1-D values; see the module rule).

    ``kind="auto"`` treats numbers (not booleans) as numeric and everything else as categories.

    >>> population_stability(list(range(100)), list(range(100))).psi
    0.0
    """
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
        raise InvalidInput(f"bins must be a whole number >= 2, got {bins!r}", field="bins")
    base, win = _series(baseline, "baseline"), _series(window, "window")
    resolved = _resolve_kind(base, win, kind)
    if resolved == "numeric":
        labels, base_counts, win_counts = _numeric_counts(base, win, bins)
    else:
        labels, base_counts, win_counts = _categorical_counts(base, win)
    return _psi_table(resolved, labels, base_counts, win_counts)


def _series(values: Any, field: str) -> pd.Series:
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if series.empty:
        raise InvalidInput(f"{field} has no values", field=field)
    return series.reset_index(drop=True)


def _resolve_kind(base: pd.Series, win: pd.Series, kind: str) -> Kind:
    if kind == "categorical":
        return "categorical"
    numeric = all(
        pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) for s in (base, win)
    )
    if kind == "numeric" and not numeric:
        raise InvalidInput("numeric PSI needs numeric values on both sides", field="kind")
    if kind not in {"auto", "numeric"}:
        raise InvalidInput(f"kind {kind!r} is not auto, numeric or categorical", field="kind")
    return "numeric" if numeric else "categorical"


def _numeric_counts(
    base: pd.Series, win: pd.Series, bins: int
) -> tuple[list[str], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    b = base.to_numpy(dtype=float, na_value=np.nan)
    w = win.to_numpy(dtype=float, na_value=np.nan)
    b_missing, w_missing = np.isnan(b), np.isnan(w)
    edges = _quantile_edges(b[~b_missing], bins)
    size = len(edges) + 1
    b_counts = np.bincount(np.searchsorted(edges, b[~b_missing], side="right"), minlength=size)
    w_counts = np.bincount(np.searchsorted(edges, w[~w_missing], side="right"), minlength=size)
    labels = _interval_labels(edges)
    if b_missing.any() or w_missing.any():
        labels.append(MISSING)
        b_counts = np.append(b_counts, b_missing.sum())
        w_counts = np.append(w_counts, w_missing.sum())
    return labels, b_counts, w_counts


def _quantile_edges(values: np.ndarray[Any, Any], bins: int) -> np.ndarray[Any, Any]:
    """Interior cut points: unique baseline quantiles above the minimum (ties merge bins)."""
    if values.size == 0:
        return np.empty(0)
    cuts = np.unique(np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1]))
    return np.asarray(cuts[cuts > values.min()], dtype=float)


def _interval_labels(edges: np.ndarray[Any, Any]) -> list[str]:
    if edges.size == 0:
        return ["all"]
    text = [f"{e:.6g}" for e in edges]
    inner = [f"[{lo}, {hi})" for lo, hi in pairwise(text)]
    return [f"< {text[0]}", *inner, f">= {text[-1]}"]


def _categorical_counts(
    base: pd.Series, win: pd.Series
) -> tuple[list[str], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    b_keys, w_keys = _category_keys(base), _category_keys(win)
    labels = sorted(set(b_keys) | set(w_keys))
    b_counts = b_keys.value_counts().reindex(labels, fill_value=0).to_numpy()
    w_counts = w_keys.value_counts().reindex(labels, fill_value=0).to_numpy()
    return labels, b_counts, w_counts


def _category_keys(values: pd.Series) -> pd.Series:
    return pd.Series([MISSING if pd.isna(v) else str(v) for v in values], dtype=object)


def _psi_table(
    kind: Kind,
    labels: Sequence[str],
    base_counts: np.ndarray[Any, Any],
    win_counts: np.ndarray[Any, Any],
) -> PsiResult:
    b_total, w_total = int(base_counts.sum()), int(win_counts.sum())
    b_share, w_share = base_counts / b_total, win_counts / w_total
    b_safe = np.where(base_counts == 0, EPSILON, b_share)
    w_safe = np.where(win_counts == 0, EPSILON, w_share)
    terms = (w_safe - b_safe) * np.log(w_safe / b_safe)
    table = tuple(
        PsiBin(label, int(bc), int(wc), float(bs), float(ws), float(t))
        for label, bc, wc, bs, ws, t in zip(
            labels, base_counts, win_counts, b_share, w_share, terms, strict=True
        )
    )
    psi = float(max(terms.sum(), 0.0))
    return PsiResult(kind, psi, psi_status(psi), b_total, w_total, table)


def feature_stability(
    baseline_frame: pd.DataFrame,
    window_frame: pd.DataFrame,
    features: Sequence[str],
    *,
    score_col: str | None = None,
    bins: int = 10,
) -> list[FeaturePsi]:
    """The PSI of each feature, in the order given, then of ``score_col`` (the model score).

    >>> base = pd.DataFrame({"tier": [1, 1, 2, 2], "score": [600, 610, 620, 630]})
    >>> [(f.feature, f.status) for f in feature_stability(base, base, ["tier"], score_col="score")]
    [('tier', 'stable'), ('score', 'stable')]
    """
    columns = [(name, False) for name in features]
    if score_col is not None:
        columns.append((score_col, True))
    for name, _ in columns:
        for side, frame in (("baseline", baseline_frame), ("window", window_frame)):
            if name not in frame.columns:
                raise InvalidInput(f"{name!r} is not a column of the {side} frame", field=name)
    return [
        FeaturePsi(
            name,
            is_score,
            population_stability(baseline_frame[name], window_frame[name], bins=bins),
        )
        for name, is_score in columns
    ]


def performance_by_month(
    frame: pd.DataFrame,
    *,
    month_col: str = "application_month",
    target_col: str = "bad",
    score_col: str | None = None,
    pd_col: str | None = None,
) -> list[MonthPerformance]:
    """AUC, KS, bad rate and count per month, months in order.

    Give exactly one of ``score_col`` (points: higher is safer) or ``pd_col`` (higher is
    riskier).  KS is the largest gap between the bads' and the goods' cumulative shares, bads
    ahead (signed: a month the model ranks backwards reads KS near 0).
    A month with only goods (or only bads) reports ``auc=None, ks=None`` and a ``note``.

    >>> f = pd.DataFrame({"m": ["2025-01"] * 4, "bad": [0, 0, 1, 1], "pd": [.1, .2, .3, .4]})
    >>> [(p.month, p.auc, p.ks) for p in performance_by_month(f, month_col="m", pd_col="pd")]
    [('2025-01', 1.0, 1.0)]
    """
    if (score_col is None) == (pd_col is None):
        raise InvalidInput("give exactly one of score_col or pd_col", field="score_col")
    value_col = score_col if score_col is not None else pd_col
    assert value_col is not None
    for name in (month_col, target_col, value_col):
        if name not in frame.columns:
            raise InvalidInput(f"{name!r} is not a column of the frame", field=name)
    target = _binary_target(frame[target_col], target_col)
    values = _floats(frame[value_col])
    if np.isnan(values).any():
        raise InvalidInput(f"{value_col!r} must be numbers, none missing", field=value_col)
    risk = values if pd_col is not None else -values
    months = frame[month_col].astype(str).to_numpy()
    return [
        _month_performance(str(m), target[months == m], risk[months == m], pd_col is not None)
        for m in sorted(set(months))
    ]


def _floats(column: pd.Series) -> np.ndarray[Any, Any]:
    """Numbers as floats; missing values and text both become NaN."""
    return np.asarray(pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan))


def _binary_target(column: pd.Series, field: str) -> np.ndarray[Any, Any]:
    values = _floats(column)
    if not np.isin(values, (0.0, 1.0)).all():
        raise InvalidInput(f"{field!r} must hold only 0 and 1", field=field)
    return np.asarray(values, dtype=np.int64)


def _month_performance(
    month: str, target: np.ndarray[Any, Any], risk: np.ndarray[Any, Any], is_pd: bool
) -> MonthPerformance:
    count, bads = int(target.size), int(target.sum())
    mean_pd = float(risk.mean()) if is_pd else None
    if bads in {0, count}:
        only = "bads" if bads else "goods"
        note = f"only {only} in {month}: AUC and KS need both goods and bads"
        return MonthPerformance(month, count, bads, bads / count, None, None, mean_pd, note)
    fpr, tpr, _ = roc_curve(target, risk)
    auc = float(roc_auc_score(target, risk))
    ks = float(max(np.max(tpr - fpr), 0.0))  # signed: a reversed ranking reads 0, not 1
    return MonthPerformance(month, count, bads, bads / count, auc, ks, mean_pd, None)
