"""Small inline SVG charts for the model card.

The card must read the same in the browser, in a saved HTML file and on paper, with no
script and no network, so its charts are drawn here as SVG shapes (the template places
them, with the axis titles in the page's language).  Coordinates: a ``WIDTH`` x ``HEIGHT``
plot inside margins wide enough for the tick labels (left and bottom) and the axis titles;
``x`` and ``y`` in data units are mapped linearly, ``y`` upwards.  Every chart carries its
``ticks``: where each tick label goes and what it reads, percentages written as ``"50%"``
like the tables beside them.

>>> plot = Plot(0, 1, 0, 1)
>>> plot.point(0.5, 0.5)
(206.0, 112.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 300, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 12, 44
SVG_WIDTH, SVG_HEIGHT = LEFT + WIDTH + RIGHT, TOP + HEIGHT + BOTTOM
FRAME = {"x": LEFT, "y": TOP, "width": WIDTH, "height": HEIGHT}


@dataclass(frozen=True)
class Plot:
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        span_x = (self.x_max - self.x_min) or 1.0
        span_y = (self.y_max - self.y_min) or 1.0
        px = LEFT + (x - self.x_min) / span_x * WIDTH
        py = TOP + HEIGHT - (y - self.y_min) / span_y * HEIGHT
        return round(px, 1), round(py, 1)

    def polyline(self, xs: Sequence[float], ys: Sequence[float]) -> str:
        return " ".join(
            f"{px},{py}" for px, py in (self.point(x, y) for x, y in zip(xs, ys, strict=True))
        )

    def ticks(
        self, xs: Sequence[tuple[float, str]], ys: Sequence[tuple[float, str]]
    ) -> dict[str, list[dict[str, Any]]]:
        """Tick labels: ``x`` ones under the plot, ``y`` ones left of it (``at`` in pixels)."""
        return {
            "x": [{"at": self.point(v, self.y_min)[0], "label": label} for v, label in xs],
            "y": [{"at": self.point(self.x_min, v)[1], "label": label} for v, label in ys],
        }


def percent(share: float) -> str:
    """A share as the tables write it: ``0.5`` -> ``"50%"``, ``0.293`` -> ``"29.3%"``."""
    return f"{share * 100:.1f}".removesuffix(".0") + "%"


def _share_ticks(top: float) -> list[tuple[float, str]]:
    return [(top * k / 2, percent(top * k / 2)) for k in range(3)]


def unit_curves(*series: tuple[Sequence[float], Sequence[float]]) -> dict[str, Any]:
    """Curves on the unit square (ROC): the diagonal first, then each curve; both axes in %."""
    plot = Plot(0.0, 1.0, 0.0, 1.0)
    lines = [plot.polyline([0.0, 1.0], [0.0, 1.0])] + [plot.polyline(x, y) for x, y in series]
    return {"lines": lines, "ticks": plot.ticks(_share_ticks(1.0), _share_ticks(1.0))}


def ks_chart(curve: dict[str, list[float]], bad_rate: float, ks: float) -> dict[str, Any]:
    """Cumulative share of bads and of goods at or above each PD threshold (highest PD
    first), against the share of all applicants at or above it (``bad_rate`` x bads' share
    + the goods' share x the rest), with the line where the two are furthest apart.  The
    figure shown is the card's ``ks``; the drawn curve is thinned but keeps the point of
    that largest gap (``risk.card._thin``; a card made before it did may fall short)."""
    plot = Plot(0.0, 1.0, 0.0, 1.0)
    goods, bads = curve["x"], curve["y"]
    xs = [bad_rate * b + (1 - bad_rate) * g for g, b in zip(goods, bads, strict=True)]
    gaps = [b - g for g, b in zip(goods, bads, strict=True)]
    at = max(range(len(gaps)), key=gaps.__getitem__) if gaps else 0
    return {
        "goods": plot.polyline(xs, goods),
        "bads": plot.polyline(xs, bads),
        "ks_line": (plot.point(xs[at], goods[at]), plot.point(xs[at], bads[at])) if gaps else None,
        "ks": f"{ks:.4f}",
        "ticks": plot.ticks(_share_ticks(1.0), _share_ticks(1.0)),
    }


def reliability_chart(rows: Sequence[dict[str, float]]) -> dict[str, Any]:
    """Mean predicted PD (x) against observed bad rate (y), with the diagonal."""
    top = min(max([0.05] + [max(r["mean_pd"], r["bad_rate"]) for r in rows]) * 1.1, 1.0)
    plot = Plot(0.0, top, 0.0, top)
    return {
        "diagonal": plot.polyline([0.0, top], [0.0, top]),
        "points": [plot.point(r["mean_pd"], r["bad_rate"]) for r in rows],
        "line": plot.polyline([r["mean_pd"] for r in rows], [r["bad_rate"] for r in rows]),
        "top_percent": round(top * 100, 1),
        "ticks": plot.ticks(_share_ticks(top), _share_ticks(top)),
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
        left = LEFT + i * slot
        for offset, share, kind in ((0.1, g, "good"), (0.5, b, "bad")):
            height = share / top * HEIGHT
            bars.append(
                {
                    "x": round(left + offset * slot, 1),
                    "y": round(TOP + HEIGHT - height, 1),
                    "width": round(0.4 * slot, 1),
                    "height": round(height, 1),
                    "kind": kind,
                }
            )
    edges = distribution["edges"]
    low, high = (edges[0], edges[-1]) if edges else (0, 0)
    plot = Plot(low, high, 0.0, top)
    middle = (low + high) / 2
    score_ticks = [(v, f"{v:.0f}") for v in (low, middle, high)]
    return {
        "bars": bars,
        "low": low,
        "high": high,
        "ticks": plot.ticks(score_ticks, _share_ticks(top)),
    }
