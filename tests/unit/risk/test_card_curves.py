"""The model card's curves are thinned to about 101 points for the page, and the KS
curve keeps the point where the KS statistic was measured: the chart's KS line stood
at the thinned curve's own largest gap, which can be another threshold."""

from __future__ import annotations

import numpy as np

from autolend.risk.card import CURVE_POINTS, _thin
from autolend.risk.metrics import ks, ks_curve


def test_the_thinned_ks_curve_keeps_the_largest_gap_of_the_whole_curve() -> None:
    rng = np.random.default_rng(3)
    y = (rng.uniform(size=5_000) < 0.2).astype(int)
    pd_ = np.clip(0.2 + 0.15 * (y - 0.2) + rng.normal(0, 0.2, y.size), 0, 1)
    curve = ks_curve(y, pd_)
    assert len(curve.x) > 10 * CURVE_POINTS  # thinned for real
    thinned = _thin(curve)
    gaps = np.asarray(thinned["y"]) - np.asarray(thinned["x"])
    assert abs(float(gaps.max()) - ks(y, pd_)) < 1e-4
    assert len(thinned["x"]) <= CURVE_POINTS + 1
    assert thinned["x"][0] == round(curve.x[0], 5) and thinned["x"][-1] == round(curve.x[-1], 5)
    assert thinned["threshold"] == sorted(thinned["threshold"], reverse=True)


def test_a_short_curve_is_kept_whole() -> None:
    curve = ks_curve([0, 1, 0, 1], [0.1, 0.8, 0.3, 0.6])
    assert len(_thin(curve)["x"]) == len(curve.x)
