"""Small inline SVG charts for the model card.

The card must read the same in the browser, in a saved HTML file and on paper, with no
script and no network, so its charts are drawn here as SVG shapes (the template places
them).  Coordinates: a ``WIDTH`` x ``HEIGHT`` plot inside a margin; ``x`` and ``y`` in
data units are mapped linearly, ``y`` upwards.

>>> plot = Plot(0, 1, 0, 1)
>>> plot.point(0.5, 0.5)
(170.0, 115.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, MARGIN = 300, 200, 20
SVG_WIDTH, SVG_HEIGHT = WIDTH + 2 * MARGIN, HEIGHT + 2 * MARGIN


@dataclass(frozen=True)
class Plot:
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        span_x = (self.x_max - self.x_min) or 1.0
        span_y = (self.y_max - self.y_min) or 1.0
        px = MARGIN + (x - self.x_min) / span_x * WIDTH
        py = MARGIN + HEIGHT - (y - self.y_min) / span_y * HEIGHT
        return round(px, 1), round(py, 1)

    def polyline(self, xs: Sequence[float], ys: Sequence[float]) -> str:
        return " ".join(
            f"{px},{py}" for px, py in (self.point(x, y) for x, y in zip(xs, ys, strict=True))
        )


def unit_curves(*series: tuple[Sequence[float], Sequence[float]]) -> list[str]:
    """Polylines of curves on the unit square (ROC, KS), plus the diagonal first."""
    plot = Plot(0.0, 1.0, 0.0, 1.0)
    return [plot.polyline([0.0, 1.0], [0.0, 1.0])] + [plot.polyline(x, y) for x, y in series]


def ks_chart(curve: dict[str, list[float]]) -> dict[str, Any]:
    """Cumulative share of bads and goods by PD threshold (highest PD first), and the KS
    line where they are furthest apart."""
    plot = Plot(0.0, 1.0, 0.0, 1.0)
    xs = [i / max(len(curve["x"]) - 1, 1) for i in range(len(curve["x"]))]
    gaps = [b - g for g, b in zip(curve["x"], curve["y"], strict=True)]
    at = max(range(len(gaps)), key=gaps.__getitem__) if gaps else 0
    return {
        "goods": plot.polyline(xs, curve["x"]),
        "bads": plot.polyline(xs, curve["y"]),
        "ks_line": (plot.point(xs[at], curve["x"][at]), plot.point(xs[at], curve["y"][at]))
        if gaps
        else None,
        "ks": round(max(gaps), 3) if gaps else 0.0,
    }


def reliability_chart(rows: Sequence[dict[str, float]]) -> dict[str, Any]:
    """Mean predicted PD (x) against observed bad rate (y), with the diagonal."""
    top = max([0.05] + [max(r["mean_pd"], r["bad_rate"]) for r in rows]) * 1.1
    plot = Plot(0.0, top, 0.0, top)
    return {
        "diagonal": plot.polyline([0.0, top], [0.0, top]),
        "points": [plot.point(r["mean_pd"], r["bad_rate"]) for r in rows],
        "line": plot.polyline([r["mean_pd"] for r in rows], [r["bad_rate"] for r in rows]),
        "top_percent": round(top * 100, 1),
    }


def histogram_chart(distribution: dict[str, list[float]]) -> dict[str, Any]:
    """Side-by-side bars of goods and bads per score bin, each as a share of its class."""
    good, bad = distribution["good"], distribution["bad"]
    total_good, total_bad = sum(good) or 1, sum(bad) or 1
    shares = [(g / total_good, b / total_bad) for g, b in zip(good, bad, strict=True)]
    top = max([0.01] + [max(pair) for pair in shares]) * 1.1
    slot = WIDTH / max(len(shares), 1)
    bars = []
    for i, (g, b) in enumerate(shares):
        left = MARGIN + i * slot
        for offset, share, kind in ((0.1, g, "good"), (0.5, b, "bad")):
            height = share / top * HEIGHT
            bars.append(
                {
                    "x": round(left + offset * slot, 1),
                    "y": round(MARGIN + HEIGHT - height, 1),
                    "width": round(0.4 * slot, 1),
                    "height": round(height, 1),
                    "kind": kind,
                }
            )
    edges = distribution["edges"]
    return {"bars": bars, "low": edges[0] if edges else 0, "high": edges[-1] if edges else 0}
