"""The model card's charts and tables as a validator reads them: every chart with its axes
named and its ticks labelled in the card's language, the KS of the chart the same as the
summary's, the KS curve against the share of applicants, and PDs written as percentages."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

from autolend.risk.metrics import ks_curve, reliability_table, roc_points
from autolend.web.i18n import translations
from autolend.web.model_card import standalone_card
from autolend.web.svg_charts import LEFT, WIDTH, ks_chart, reliability_chart


def _outcomes() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rng = np.random.default_rng(7)
    pd_ = rng.uniform(0.01, 0.4, 2_000)
    return (rng.uniform(0, 1, pd_.size) < pd_).astype(int), pd_


def _curve(points: Any) -> dict[str, list[float]]:
    return {"x": list(points.x), "y": list(points.y), "threshold": list(points.threshold)}


def _meta() -> dict[str, Any]:
    """Registry metadata around a card built from plain arrays (no model trained)."""
    y, pd_ = _outcomes()
    roc = roc_points(y, pd_)
    card = {
        "name": "plain", "primary": "champion", "reason_method": "scorecard_points_lost_v1",
        "calibration_method": "platt",
        "metrics": {"auc": round(float(roc_auc_score(y, pd_)), 4), "gini": 0.3, "ks": 0.2345,
                    "brier": 0.1, "brier_raw": 0.1, "rows": int(y.size),
                    "bad_rate": float(y.mean()), "candidate_auc": {"champion": 0.65}},
        "scaling": {"base_points": 600.0, "base_odds": 50.0, "pdo": 20.0},
        "roc": {"x": list(roc.x), "y": list(roc.y)},
        "ks_curve": _curve(ks_curve(y, pd_)),
        "reliability": [{"lower": b.lower, "upper": b.upper, "count": b.count,
                         "mean_pd": b.mean_pd, "bad_rate": b.bad_rate}
                        for b in reliability_table(y, pd_)],
        "score_distribution": {"edges": [450.0, 550.0, 650.0], "good": [10, 30], "bad": [8, 2]},
        "psi_baseline": {"edges": [500.0, 600.0], "shares": [0.3, 0.4, 0.3]},
        "bins": [], "top_features": [], "columns": [],
    }  # fmt: skip
    return {
        "version": 1, "artifact_sha256": "a" * 64, "trained_at": "2026-11-30T09:30:00+00:00",
        "data": {"file": "book.csv", "sha256": "b" * 64, "target": "bad", "excluded": [],
                 "protected": []},
        "training_seconds": 1.0, "libraries": {"autolend": "0"}, "card": card,
    }  # fmt: skip


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<figure data-chart="(\w+)">(.*?)</figure>', html, re.S))


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_card_chart_names_both_axes_in_the_cards_language_and_labels_its_ticks(
    locale: str,
) -> None:
    gettext = translations(locale).gettext
    figures = _figures(standalone_card(_meta(), locale))
    titles = {
        "roc": ("False-positive rate", "True-positive rate"),
        "ks": ("Share of applicants, highest PD first", "Share of bads or goods"),
        "calibration": ("Mean PD", "Observed bad rate"),
        "score": ("Score (points)", "Share of its class"),
    }
    assert set(figures) == set(titles)
    for kind, (x_title, y_title) in titles.items():
        svg = figures[kind]
        assert re.search(rf'data-axis-title="x">{re.escape(gettext(x_title))}<', svg), kind
        assert re.search(rf'data-axis-title="y">{re.escape(gettext(y_title))}<', svg), kind
        for axis in ("x", "y"):
            ticks = re.search(rf'data-axis="{axis}">(.*?)</g>', svg, re.S)
            assert ticks and len(re.findall(r"<text ", ticks[1])) == 3, (kind, axis)
    assert ">0%<" in figures["roc"] and ">100%<" in figures["roc"]
    assert ">450<" in figures["score"] and ">650<" in figures["score"]


def test_the_ks_of_the_chart_is_the_ks_of_the_summary() -> None:
    # Before, the caption showed the largest gap of the thinned curve (0.379 beside 0.3810).
    html = standalone_card(_meta(), "en")
    assert re.search(r"<th>KS</th><td[^>]*>0\.2345</td>", html)
    assert re.search(r"<span data-ks>0\.2345</span>", _figures(html)["ks"])


def test_the_ks_curve_runs_along_the_share_of_applicants_at_or_above_each_threshold() -> None:
    y, pd_ = _outcomes()
    curve = _curve(ks_curve(y, pd_))
    chart = ks_chart(curve, float(y.mean()), 0.2)
    drawn = [float(point.split(",")[0]) for point in chart["bads"].split()]
    # Independently: the share of all applicants whose PD is at or above each threshold.
    share = [float(np.mean(pd_ >= t)) for t in curve["threshold"]]
    expected = [round(LEFT + s * WIDTH, 1) for s in share]
    assert drawn == pytest.approx(expected, abs=0.11)


def test_the_calibration_table_writes_its_pd_bounds_as_percentages_like_its_rates() -> None:
    html = standalone_card(_meta(), "en")
    table = re.search(r'<table data-table="calibration">(.*?)</table>', html, re.S)
    assert table is not None
    first = re.findall(r'<td class="num">([^<]*)</td>', table[1])[:5]
    assert all(cell.endswith("%") for i, cell in enumerate(first) if i != 2), first
    assert re.fullmatch(r"\d+\.\d\d%", first[0]) and re.fullmatch(r"\d+\.\d\d%", first[1])


def test_the_calibration_chart_stops_at_100_percent_however_bad_the_worst_band() -> None:
    """Its axis ran to 110 % (10 % above the worst band's rate): no rate exceeds 100 %."""
    chart = reliability_chart(
        [{"mean_pd": 0.5, "bad_rate": 0.2}, {"mean_pd": 0.95, "bad_rate": 1.0}]
    )
    assert chart["top_percent"] == 100.0
    assert reliability_chart([{"mean_pd": 0.1, "bad_rate": 0.2}])["top_percent"] == 22.0
