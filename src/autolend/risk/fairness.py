"""Fairness monitoring: approval and error rates across groups of a protected attribute.

For monitoring only.  The attribute (e.g. ``gender``) is held, where the lender holds it at
all, to *measure* outcomes after the fact; it is never an input to a score, a price or a
decision.

Per group: ``count``; ``approval_rate`` (approved / all); ``bad_rate_approved`` (bads among
the approved); ``false_positive_rate`` (good applicants declined / all goods) and
``false_negative_rate`` (bad applicants approved / all bads).  A rate with an empty
denominator is None.  Rows whose outcome is missing (e.g. declined applicants never observed)
count for the approval rate only.  The reference group is the largest (ties: first label).
**Four-fifths rule**: ``approval_ratio = approval_rate / reference approval_rate``; a ratio
below 0.8 is flagged.  For each rate the report names the group furthest from the reference.

>>> frame = pd.DataFrame({"g": list("MMMMMMFFFF"), "ok": [1, 1, 1, 1, 1, 0, 1, 1, 0, 0],
...                       "bad": [0, 0, 0, 0, 1, 1, 0, 0, 0, 1]})
>>> report = fairness_report(frame, group_col="g", approved_col="ok", bad_col="bad")
>>> report.reference_group, [(g.group, round(g.approval_ratio, 2)) for g in report.groups]
('M', [('F', 0.6), ('M', 1.0)])
>>> report.flagged_groups
('F',)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput

__all__ = ["FOUR_FIFTHS", "RATES", "FairnessReport", "GroupFairness", "RateGap", "fairness_report"]

FOUR_FIFTHS = 0.8
RATES = ("approval_rate", "bad_rate_approved", "false_positive_rate", "false_negative_rate")
MISSING = "missing"


@dataclass(frozen=True)
class GroupFairness:
    """The outcomes of one group and its four-fifths ratio against the reference group."""

    group: str
    count: int
    approval_rate: float
    bad_rate_approved: float | None
    false_positive_rate: float | None
    false_negative_rate: float | None
    approval_ratio: float | None
    flagged: bool


@dataclass(frozen=True)
class RateGap:
    """The group whose ``rate`` lies furthest from the reference's; ``gap = value - reference``."""

    rate: str
    group: str
    value: float
    reference_value: float
    gap: float


@dataclass(frozen=True)
class FairnessReport:
    """Per-group outcomes, the reference group, the largest gap per rate, and flagged groups."""

    group_col: str
    reference_group: str
    groups: tuple[GroupFairness, ...]
    largest_gaps: tuple[RateGap, ...]
    flagged_groups: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return {
            **asdict(self),
            "groups": [asdict(g) for g in self.groups],
            "largest_gaps": [asdict(g) for g in self.largest_gaps],
            "flagged_groups": list(self.flagged_groups),
        }


def fairness_report(
    frame: pd.DataFrame, *, group_col: str, approved_col: str, bad_col: str
) -> FairnessReport:
    """The fairness report of ``frame`` by ``group_col`` (see the module rule)."""
    for name in (group_col, approved_col, bad_col):
        if name not in frame.columns:
            raise InvalidInput(f"{name!r} is not a column of the frame", field=name)
    if frame.empty:
        raise InvalidInput("the frame has no rows", field=group_col)
    groups = np.array([MISSING if pd.isna(v) else str(v) for v in frame[group_col]], dtype=object)
    approved = _flags(frame[approved_col], approved_col, allow_missing=False)
    bad = _flags(frame[bad_col], bad_col, allow_missing=True)
    labels = sorted(set(groups))
    counts = {label: int((groups == label).sum()) for label in labels}
    reference = max(labels, key=lambda label: counts[label])  # first label among equals
    rates = {label: _rates(approved[groups == label], bad[groups == label]) for label in labels}
    ref_approval = rates[reference]["approval_rate"]
    assert ref_approval is not None
    table = tuple(_group_row(label, counts[label], rates[label], ref_approval) for label in labels)
    gaps = tuple(gap for rate in RATES if (gap := _largest_gap(rate, rates, reference)) is not None)
    flagged = tuple(row.group for row in table if row.flagged)
    return FairnessReport(group_col, reference, table, gaps, flagged)


def _flags(column: pd.Series, field: str, *, allow_missing: bool) -> np.ndarray[Any, Any]:
    """0/1 (or boolean) values as floats, missing as NaN where allowed."""
    numeric = pd.to_numeric(column, errors="coerce")
    values = numeric.to_numpy(dtype=float, na_value=np.nan)
    valid = np.isin(values, (0.0, 1.0)) | (allow_missing & column.isna().to_numpy())
    if not valid.all():
        allowed = "0, 1 or missing" if allow_missing else "0 or 1"
        raise InvalidInput(f"{field!r} must hold only {allowed}", field=field)
    return np.asarray(values, dtype=float)


def _share(numerator: np.ndarray[Any, Any], denominator: np.ndarray[Any, Any]) -> float | None:
    total = int(denominator.sum())
    return float((numerator & denominator).sum() / total) if total else None


def _rates(approved: np.ndarray[Any, Any], bad: np.ndarray[Any, Any]) -> dict[str, float | None]:
    ok, is_bad, is_good = approved == 1, bad == 1, bad == 0
    known = ok & ~np.isnan(bad)
    return {
        "approval_rate": float(ok.mean()),
        "bad_rate_approved": _share(is_bad, known),
        "false_positive_rate": _share(~ok, is_good),
        "false_negative_rate": _share(ok, is_bad),
    }


def _group_row(
    label: str, count: int, rates: dict[str, float | None], ref_approval: float
) -> GroupFairness:
    approval = rates["approval_rate"]
    assert approval is not None
    ratio = approval / ref_approval if ref_approval > 0 else None
    flagged = ratio is not None and ratio < FOUR_FIFTHS
    return GroupFairness(
        label,
        count,
        approval,
        rates["bad_rate_approved"],
        rates["false_positive_rate"],
        rates["false_negative_rate"],
        ratio,
        flagged,
    )


def _largest_gap(
    rate: str, rates: dict[str, dict[str, float | None]], reference: str
) -> RateGap | None:
    ref_value = rates[reference][rate]
    if ref_value is None:
        return None
    candidates = [
        (abs(value - ref_value), label, value)
        for label, row in rates.items()
        if label != reference and (value := row[rate]) is not None
    ]
    if not candidates:
        return None
    _, label, value = max(candidates, key=lambda c: c[0])  # first label among equals
    return RateGap(rate, label, value, ref_value, value - ref_value)
