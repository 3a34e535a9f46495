"""One monitoring run of a credit model over a window of applications, as JSON-ready data.

Rules:

- **Score PSI**: the window is scored with the model (:meth:`CreditModel.score_batch`) and its
  points are counted in the deciles of the model card's ``psi_baseline`` (the training
  population's score edges and shares), then ``PSI = Σ (w - b) · ln(w / b)`` with an empty
  bin's share counted as ``1e-4`` (:mod:`autolend.risk.monitoring`).
- **Feature PSI**: only against a baseline frame (e.g. the development sample); without one
  the report holds the score's PSI only.  A numeric feature is read on both sides as the
  model reads it (:mod:`autolend.risk.columns`: ``"1,234"`` is 1234, infinities missing),
  so numbers written as text are binned as numbers, not counted as thousands of categories.
- **Performance by month**: AUC, KS and bad rate per month on the rows whose outcome is
  known (a missing target means "not observed yet").
- **Fairness**: where a group column is given (a protected attribute the lender holds),
  approval = a grade in ``approve_grades`` (default A-C, i.e. PD at or below 10 %); the
  group must not be a model feature (it never drives a decision).
- **Outcomes**: a target value is bad (the training bad value), good (its pair: 0 for 1,
  "good" for "bad", false/no; else the one other value the window holds) or not observed
  yet: ``"pending"`` in a 0/1 window is counted in ``outcomes`` and left out of performance.
  A window none of whose target values is bad or good is refused (labels of another
  scheme: "bad"/"good" for a model trained on 0/1).  Without a target column (``None``)
  the report is PSI only, with a note that performance needs outcomes.
- **Status**: the worst of the score's and the features' PSI statuses; below
  :data:`MIN_WINDOW_ROWS` rows the window is too small to judge: ``verdict`` "too few
  rows", the score PSI's status too, and the stored status is "stable" (never watch / act).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.columns import read_numbers
from autolend.risk.fairness import fairness_report
from autolend.risk.model import CreditModel
from autolend.risk.monitoring import (
    EPSILON,
    PsiBin,
    PsiResult,
    feature_stability,
    performance_by_month,
    psi_status,
)

__all__ = ["DEFAULT_APPROVE_GRADES", "MonitoringInput", "monitoring_report", "score_psi"]

DEFAULT_APPROVE_GRADES = ("A", "B", "C")
STATUS_ORDER = ("stable", "watch", "act")
DEFAULT_BAD_LABELS = frozenset({"bad", "1", "true", "yes", "default"})
# The good value paired with each bad one (as compared: see _text).
GOOD_OF_BAD = {"1": "0", "true": "false", "yes": "no", "bad": "good"}
# Fewer rows than this and a PSI says nothing: one row lands in one decile, PSI 8.28 "act";
# 30 rows put about 3 in each of the ten score bands, the least a share can be read from.
MIN_WINDOW_ROWS = 30
TOO_FEW_ROWS = "too few rows"


@dataclass(frozen=True)
class MonitoringInput:
    """The window (and optional baseline frame) and which columns mean what."""

    window: pd.DataFrame
    baseline: pd.DataFrame | None = None
    month_col: str | None = "application_month"
    target_col: str | None = "bad"
    bad_label: str | None = None
    group_col: str | None = None
    approve_grades: tuple[str, ...] = DEFAULT_APPROVE_GRADES


def score_psi(
    scores: Sequence[float] | np.ndarray[Any, Any], baseline: Mapping[str, Any]
) -> PsiResult:
    """The PSI of window ``scores`` against a card's ``psi_baseline`` (inner edges, shares,
    and the training rows per bin; a card of before the counts were kept has none, and
    its bins' baseline counts read None, not 0)."""
    edges = np.asarray(baseline["edges"], dtype=float)
    base_share = np.asarray(baseline["shares"], dtype=float)
    values = np.asarray(scores, dtype=float)
    if values.size == 0:
        raise InvalidInput("the window has no rows", field="data")
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=edges.size + 1)
    win_share = counts / values.size
    b_safe = np.where(base_share <= 0, EPSILON, base_share)
    w_safe = np.where(counts == 0, EPSILON, win_share)
    terms = (w_safe - b_safe) * np.log(w_safe / b_safe)
    labels = _labels(edges)
    kept = baseline.get("counts")
    base_counts: list[int | None] = [int(c) for c in kept] if kept else [None] * len(labels)
    table = tuple(
        PsiBin(label, bc, int(c), float(b), float(w), float(t))
        for label, bc, c, b, w, t in zip(
            labels, base_counts, counts, base_share, win_share, terms, strict=True
        )
    )
    psi = float(max(terms.sum(), 0.0))
    total = sum(int(c) for c in kept) if kept else None
    return PsiResult("numeric", psi, psi_status(psi), total, int(values.size), table)


def _labels(edges: np.ndarray[Any, Any]) -> list[str]:
    if edges.size == 0:
        return ["all"]
    text = [f"{e:.6g}" for e in edges]
    inner = [f"[{lo}, {hi})" for lo, hi in pairwise(text)]
    return [f"< {text[0]}", *inner, f">= {text[-1]}"]


def monitoring_report(
    model: CreditModel, card: Mapping[str, Any], given: MonitoringInput
) -> dict[str, Any]:
    """The report of ``given.window`` for ``model`` (see the module rules)."""
    features = list(model.schema.names)
    if given.group_col is not None and given.group_col in features:
        raise InvalidInput(
            f"{given.group_col!r} is a model feature; fairness monitoring needs an attribute "
            "the model does not use",
            field="group",
        )
    window = given.window.reset_index(drop=True)
    scored = model.score_batch(window)
    score = score_psi(scored["score"].to_numpy(), card["psi_baseline"])
    feature_psi = _feature_psi(given, window, model)
    outcome, counted = _outcomes(window, given)
    approved = scored["grade"].isin(given.approve_grades).astype(int)
    statuses = [score.status, *(f["status"] for f in feature_psi)]
    return {
        "model": {"name": model.name, "version": model.model_version},
        "window": _window_summary(window, scored, approved, given),
        "baseline": {"kind": "file" if given.baseline is not None else "training"},
        **_verdict(len(window), max(statuses, key=STATUS_ORDER.index), score.as_dict()),
        "feature_psi": feature_psi,
        "performance": _performance(window, scored, outcome, given),
        "bad_rate_by_month": _bad_rate_by_month(window, outcome, given),
        "fairness": _fairness(window, approved, outcome, given),
        "outcomes": counted,
        "notes": _outcome_notes(counted),
    }


def _verdict(rows: int, status: str, score: dict[str, Any]) -> dict[str, Any]:
    """``status``, ``verdict`` and ``score_psi``: a window of fewer than MIN_WINDOW_ROWS rows
    is "too few rows" (10 rows, PSI 8.28: not "act"), stored as "stable"."""
    if rows >= MIN_WINDOW_ROWS:
        return {"status": status, "verdict": status, "score_psi": score}
    return {
        "status": "stable",
        "verdict": TOO_FEW_ROWS,
        "score_psi": {**score, "status": TOO_FEW_ROWS},
    }


def _outcome_notes(counted: dict[str, Any] | None) -> list[str]:
    """What the outcomes leave unsaid: none given, or values neither bad nor good."""
    if counted is None:
        return ["no target column: score PSI only; AUC, KS and bad rates need outcomes"]
    if not counted["unknown"]:
        return []
    shown = ", ".join(repr(v) for v in counted["unknown_values"])
    return [f"{counted['unknown']:,} rows with a target value neither bad nor good ({shown}) "
            "were counted as not observed yet"]  # fmt: skip


def _feature_psi(
    given: MonitoringInput, window: pd.DataFrame, model: CreditModel
) -> list[dict[str, Any]]:
    if given.baseline is None:
        return []
    numeric = [n for n, k in model.features.items() if k == "numeric"]
    rows = feature_stability(
        _numbers_read(given.baseline, numeric),
        _numbers_read(window, numeric),
        list(model.schema.names),
    )
    return sorted((r.as_dict() for r in rows), key=lambda r: -float(r["psi"]))


def _numbers_read(frame: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """``frame`` with its numeric features as floats (a missing column is named later)."""
    read = {n: read_numbers(frame[n]).values for n in numeric if n in frame.columns}
    return frame.assign(**read)


def _outcomes(
    window: pd.DataFrame, given: MonitoringInput
) -> tuple[pd.Series | None, dict[str, Any] | None]:
    """1 bad, 0 good, NaN not observed yet (missing, or neither bad nor good: "pending"),
    with the counts; (None, None) without a target column.  See the module's rules."""
    if given.target_col is None:
        return None, None
    if given.target_col not in window.columns:
        raise InvalidInput(f"no target column {given.target_col!r} in the window", field="target")
    texts = [None if pd.isna(v) else _text(v) for v in window[given.target_col]]
    bads, goods = _label_sets({t for t in texts if t is not None}, given.bad_label)
    values = [np.nan if t is None or t not in bads | goods else float(t in bads) for t in texts]
    unknown = sorted({t for t in texts if t is not None and t not in bads | goods})
    known = sum(1 for v in values if not np.isnan(v))
    if texts and known == 0 and unknown:
        raise InvalidInput(
            f"no value of {given.target_col!r} in the window is the model's bad "
            f"({', '.join(sorted(bads))}) or good ({', '.join(sorted(goods)) or '?'}) value: "
            f"it holds {', '.join(repr(u) for u in unknown[:5])}",
            field="target",
        )
    count = sum(1 for t in texts if t is not None and t not in bads | goods)
    counted = {"observed": known, "unknown": count, "unknown_values": unknown[:5]}
    return pd.Series(values, index=window.index, dtype=float), counted


def _label_sets(present: set[str], bad_label: str | None) -> tuple[set[str], set[str]]:
    """The bad and the good values as compared: bad "1" -> ({"1"}, {"0"}); bad "2" of a
    window holding 1 and 2 -> ({"2"}, {"1"}) (the one other value); no bad value kept
    (an old model) -> the usual bad and good words."""
    bads = {_text(bad_label)} if bad_label is not None else set(DEFAULT_BAD_LABELS)
    goods = {GOOD_OF_BAD[b] for b in bads if b in GOOD_OF_BAD}
    others = present - bads
    if not goods and len(others) == 1:
        goods = others
    elif not goods and others:
        raise InvalidInput(
            f"cannot tell which target value means good: the bad value is "
            f"{', '.join(sorted(bads))} and the window also holds "
            f"{', '.join(repr(o) for o in sorted(others)[:5])}",
            field="target",
        )
    return bads, goods


def _text(value: object) -> str:
    """An outcome label as compared: ``1``, ``1.0`` and ``"1.0"`` are ``"1"``; ``"Bad "`` is
    ``"bad"`` (a target read with blanks is float, so its bad value is recorded as "1.0")."""
    text = str(value).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _months(window: pd.DataFrame, given: MonitoringInput) -> pd.Series | None:
    if given.month_col is None:
        return None
    if given.month_col not in window.columns:
        raise InvalidInput(f"no month column {given.month_col!r} in the window", field="month")
    return month_labels(window[given.month_col])


# A date or a month at the start of a value: "2026-03", "2026/3/17", "2026-03-17 10:04:00",
# "2026.03", "2026年3月17日"; the year and the month are kept.
_DATED = r"^\s*(\d{4})[-/.年](\d{1,2})(?!\d)"


def month_labels(values: pd.Series) -> pd.Series:
    """Each row's month as ``YYYY-MM``, so a window dated by day is reported by month:
    ``"2026-03-17"``, ``"2026/3/5 10:00"`` and a timestamp of 17 March 2026 give
    ``"2026-03"`` / ``"2026-03"`` / ``"2026-03"``; a value that is no date (``"Q1"``) stays
    as it is written."""
    text = values.astype(str)
    parts = text.str.extract(_DATED)
    dated = parts[0].notna()
    months = parts[0] + "-" + parts[1].str.zfill(2)
    return text.where(~dated, months)


def _window_summary(
    window: pd.DataFrame, scored: pd.DataFrame, approved: pd.Series, given: MonitoringInput
) -> dict[str, Any]:
    months = _months(window, given)
    return {
        "rows": len(window),
        "first_month": None if months is None else str(months.min()),
        "last_month": None if months is None else str(months.max()),
        "mean_pd": round(float(scored["pd"].mean()), 6),
        "mean_score": round(float(scored["score"].mean()), 2),
        "approval_rate": round(float(approved.mean()), 6),
        "approve_grades": list(given.approve_grades),
    }


def _performance(
    window: pd.DataFrame, scored: pd.DataFrame, outcome: pd.Series | None, given: MonitoringInput
) -> list[dict[str, Any]]:
    months = _months(window, given)
    if outcome is None or months is None:
        return []
    known = outcome.notna()
    if not known.any():
        return []
    frame = pd.DataFrame(
        {"month": months[known], "bad": outcome[known].astype(int), "pd": scored["pd"][known]}
    )
    rows = performance_by_month(frame, month_col="month", target_col="bad", pd_col="pd")
    return [r.as_dict() for r in rows]


def _bad_rate_by_month(
    window: pd.DataFrame, outcome: pd.Series | None, given: MonitoringInput
) -> list[dict[str, Any]]:
    months = _months(window, given)
    if outcome is None or months is None:
        return []
    frame = pd.DataFrame({"month": months, "bad": outcome})
    grouped = frame.groupby("month")["bad"].agg(["count", "size", "mean"])
    return [
        {
            "month": str(month),
            "applications": int(row["size"]),
            "observed": int(row["count"]),
            "bad_rate": None if row["count"] == 0 else round(float(row["mean"]), 6),
        }
        for month, row in grouped.iterrows()
    ]


def _fairness(
    window: pd.DataFrame, approved: pd.Series, outcome: pd.Series | None, given: MonitoringInput
) -> dict[str, Any] | None:
    if given.group_col is None:
        return None
    if given.group_col not in window.columns:
        raise InvalidInput(f"no group column {given.group_col!r} in the window", field="group")
    if window[given.group_col].isna().all():
        raise InvalidInput(
            f"the group column {given.group_col!r} is empty: no row has a group", field="group"
        )
    frame = pd.DataFrame(
        {
            "group": window[given.group_col],
            "approved": approved,
            "bad": outcome if outcome is not None else np.nan,
        }
    )
    report = fairness_report(frame, group_col="group", approved_col="approved", bad_col="bad")
    return {**report.as_dict(), "group_col": given.group_col}
