"""The evidence of a model card, as plain JSON-ready data.

Everything is measured on *out-of-fold* PDs (each row scored by a model that did not see
it; see :func:`autolend.risk.model.train_model`) after calibration, so the curves show how
the model ranks and how well its PDs match observed bad rates on data it was not fitted on.

- ROC: false-positive rate against true-positive rate, thinned to at most 101 points.
- KS: at each PD threshold, the share of bads and of goods at or above it; KS is the
  largest gap.  E.g. if 60 % of bads and 20 % of goods score a PD >= 8 %, the gap there
  is 0.40.
- Reliability: ten equal-count PD bins, mean predicted PD against observed bad rate, of
  the same cross-fitted calibrated PDs as the Brier score (each row calibrated by a map
  fitted without it), so the two agree: the final map applied to the rows it was fitted on
  showed isotonic steps matching their own bad rates exactly (0.68 % against 0.68 %).
- Brier: calibrated (cross-fitted) and raw; the raw one only where the raw score is a PD
  (``None`` for a champion + forest ensemble, whose raw score is a mean rank position).
- Score distribution: points on the scorecard scale in 20 equal-width bins, goods and
  bads apart.
- PSI baseline: the decile edges and shares of the scores the *final* model gives this
  population (the development sample, as deployed), the baseline that monitoring compares
  later applications with (PSI 0.1 watch, 0.25 act).  Out-of-fold scores would not do: the
  fold models are not the model that scores applications, so a window equal to the
  development sample must read PSI 0 against this baseline.
- Top features: the scorecard's points range per feature (best bin minus worst bin), and
  the challenger's total gain per feature.
- Columns: how the data's columns were read where not as-is (left out, and why; numbers
  written as text), e.g. ``{"column": "notes", "code": "no_values", "left_out": true,
  "text": "notes: left out, it has no values"}``; a note that cites numbers or a value keeps
  them in ``details`` too (``{"levels": 300, "rows": 3000, "most": 150}``), so the pages can
  say it in their language (a card stored before has the English ``text`` only).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import numpy.typing as npt

from autolend.risk.dataset import TrainingData
from autolend.risk.metrics import CurvePoints, ks_curve, roc_points
from autolend.risk.model import CreditModel

__all__ = ["model_card"]

FloatArray = npt.NDArray[np.float64]
CURVE_POINTS = 101
SCORE_BINS = 20


def model_card(model: CreditModel, data: TrainingData, oof_pd: FloatArray) -> dict[str, Any]:
    """The card's numbers for ``model`` from its out-of-fold raw scores ``oof_pd`` (PDs; mean
    rank positions for a champion + forest ensemble), calibrated here like a live score."""
    y = np.asarray(data.y)
    calibrated = model.calibration.calibrator.apply(oof_pd)
    clipped = np.clip(calibrated, 1e-9, 1 - 1e-9)
    scores = np.asarray(model.scaling.score_of_logit(np.log(clipped / (1 - clipped))))
    return {
        "name": model.name,
        "primary": model.primary,
        "reason_method": model.reason_method,
        "calibration_method": model.calibration.method,
        "metrics": _metrics(model),
        "features": _features(model),
        "scaling": asdict(model.scaling),
        "grades": {"upper_pd": list(model.grades.upper_pd), "grades": list(model.grades.grades)},
        "roc": _thin(roc_points(y, calibrated)),
        "ks_curve": _thin(ks_curve(y, calibrated)),
        "reliability": [asdict(b) for b in model.calibration.reliability],
        "score_distribution": _score_distribution(scores, y),
        "psi_baseline": _psi_baseline(
            np.asarray(model.score_batch(data.features)["score"], dtype=float)
        ),
        "bins": _bins(model),
        "top_features": _top_features(model),
        "columns": [note.as_dict() for note in data.notes],
    }


def _metrics(model: CreditModel) -> dict[str, Any]:
    m = model.metrics
    return {
        "auc": round(m.auc, 4),
        "gini": round(m.gini, 4),
        "ks": round(m.ks, 4),
        "brier": round(m.brier, 5),
        "brier_raw": None if _raw_is_rank(model) else round(model.calibration.brier_raw, 5),
        "rows": m.rows,
        "bad_rate": round(m.bad_rate, 4),
        "candidate_auc": dict(m.candidate_auc),
    }


def _raw_is_rank(model: CreditModel) -> bool:
    """Whether the primary's raw score is a rank position in (0, 1), not a PD: the champion +
    forest ensemble (a model from before the forest averages two PDs)."""
    return model.primary == "ensemble" and model.forest is not None


def _features(model: CreditModel) -> list[dict[str, Any]]:
    constraints = dict(zip(model.schema.names, model.challenger.constraints, strict=True))
    return [
        {"name": name, "kind": kind, "direction": constraints[name]}
        for name, kind in zip(model.schema.names, model.schema.kinds, strict=True)
    ]


def _thin(curve: CurvePoints) -> dict[str, list[float]]:
    """At most :data:`CURVE_POINTS` points (one more where needed), always keeping the
    first, the last and the point of the largest gap ``y - x`` (the KS statistic's, so
    the chart's KS line stands where the card's KS was measured, not at the thinned
    curve's own largest gap)."""
    count = len(curve.x)
    widest = int(np.argmax(np.asarray(curve.y) - np.asarray(curve.x))) if count else 0
    evenly = np.linspace(0, count - 1, min(count, CURVE_POINTS)).round().astype(int)
    keep = np.unique(np.append(evenly, widest)) if count else evenly
    return {
        "x": [round(curve.x[i], 5) for i in keep],
        "y": [round(curve.y[i], 5) for i in keep],
        "threshold": [round(curve.threshold[i], 5) for i in keep],
    }


def _score_distribution(scores: FloatArray, y: npt.NDArray[np.int_]) -> dict[str, list[float]]:
    edges = np.linspace(float(scores.min()), float(scores.max()) + 1e-9, SCORE_BINS + 1)
    good, _ = np.histogram(scores[y == 0], bins=edges)
    bad, _ = np.histogram(scores[y == 1], bins=edges)
    return {
        "edges": [round(float(e), 1) for e in edges],
        "good": [int(v) for v in good],
        "bad": [int(v) for v in bad],
    }


def _psi_baseline(scores: FloatArray) -> dict[str, list[float] | list[int]]:
    edges = np.unique(np.quantile(scores, np.linspace(0, 1, 11)))
    inner = edges[1:-1]
    counts = np.bincount(np.searchsorted(inner, scores, side="right"), minlength=len(inner) + 1)
    return {
        "edges": [round(float(e), 3) for e in inner],
        "shares": [round(float(c) / len(scores), 6) for c in counts],
        "counts": [int(c) for c in counts],
    }


def _bins(model: CreditModel) -> list[dict[str, Any]]:
    table = model.champion.scorecard_table()
    grouped: list[dict[str, Any]] = []
    for feature in model.schema.names:
        rows = table[table["feature"] == feature]
        grouped.append(
            {
                "feature": feature,
                "rows": [
                    {
                        "bin": str(r["bin"]),
                        "count": int(r["count"]),
                        "event_rate": round(float(r["event_rate"]), 4),
                        "woe": round(float(r["woe"]), 4),
                        "points": round(float(r["points"]), 1),
                    }
                    for _, r in rows.iterrows()
                ],
            }
        )
    return grouped


def _top_features(model: CreditModel) -> list[dict[str, Any]]:
    table = model.champion.scorecard_table()
    spread = table.groupby("feature")["points"].agg(lambda p: float(p.max() - p.min()))
    gain = model.challenger.booster.feature_importance(importance_type="gain")
    total_gain = float(np.sum(gain)) or 1.0
    rows = [
        {
            "feature": name,
            "points_range": round(float(spread.get(name, 0.0)), 1),
            "gain_share": round(float(g) / total_gain, 4),
        }
        for name, g in zip(model.schema.names, gain, strict=True)
    ]
    return sorted(rows, key=lambda r: (-r["points_range"], -r["gain_share"]))
