"""ECharts options of the monitoring page, built from a stored monitoring report.

Embedded as JSON and drawn by ``static/app.js`` like the home chart (:mod:`autolend.web.charts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autolend.web.charts import FONT_STACK, JsonObject, Translate

PSI_WATCH = 0.1
PSI_ACT = 0.25
STATUS_COLOURS = {"stable": "#16a34a", "watch": "#d97706", "act": "#dc2626"}
LINE_COLOURS = ("#2563eb", "#9333ea")


def _base() -> JsonObject:
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
    }


def psi_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """PSI of the score and of each feature as bars coloured by status, with the 0.1 and
    0.25 lines (watch, act)."""
    rows = [{"feature": gettext("Score"), **report["score_psi"]}, *report["feature_psi"]]
    marks = [
        {"xAxis": PSI_WATCH, "name": gettext("Watch"), "lineStyle": {"color": "#d97706"}},
        {"xAxis": PSI_ACT, "name": gettext("Act"), "lineStyle": {"color": "#dc2626"}},
    ]
    top = max([PSI_ACT * 1.2, *(float(r["psi"]) for r in rows)])
    return {
        **_base(),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "value", "max": round(top, 3)},
        # Every feature named: ECharts would drop every other label when they crowd.
        "yAxis": {
            "type": "category",
            "data": [r["feature"] for r in rows],
            "inverse": True,
            "axisLabel": {"interval": 0},
        },
        "series": [
            {
                "name": "PSI",
                "type": "bar",
                "barMaxWidth": 16,
                "data": [
                    {
                        "value": round(float(r["psi"]), 4),
                        "itemStyle": {"color": STATUS_COLOURS[r["status"]]},
                    }
                    for r in rows
                ],
                # Labelled at the top ("Watch 0.1"): at the foot they sat on the axis's
                # own tick labels.
                "markLine": {
                    "symbol": "none",
                    "silent": True,
                    "data": marks,
                    "label": {"formatter": "{b} {c}", "position": "start"},
                },
            }
        ],
    }


def performance_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """AUC and KS by month (months without both goods and bads are gaps)."""
    rows = report["performance"]
    series = [
        {
            "name": label,
            "type": "line",
            "connectNulls": False,
            "data": [None if r[key] is None else round(float(r[key]), 4) for r in rows],
            "itemStyle": {"color": colour},
        }
        for (key, label), colour in zip((("auc", "AUC"), ("ks", "KS")), LINE_COLOURS, strict=True)
    ]
    return {
        **_base(),
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": [r["month"] for r in rows]},
        "yAxis": {"type": "value", "min": 0, "max": 1, "name": gettext("Measure")},
        "series": series,
    }


def bad_rate_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """Observed bad rate by month (a gap where no outcome has arrived yet)."""
    rows = report["bad_rate_by_month"]
    values = [None if r["bad_rate"] is None else round(100 * float(r["bad_rate"]), 2) for r in rows]
    return {
        **_base(),
        "xAxis": {"type": "category", "data": [r["month"] for r in rows]},
        "yAxis": {"type": "value", "min": 0, "name": "%"},
        "series": [
            {
                "name": gettext("Bad rate (%)"),
                "type": "bar",
                "barMaxWidth": 18,
                "data": values,
                "itemStyle": {"color": "#dc2626"},
            }
        ],
    }


def approval_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """Approval rate by group (%), flagged groups (four-fifths rule) in red; each bar's label
    to one decimal like the table beside it (5 of 6 approved: 83.3, not 83.33)."""
    groups = report["fairness"]["groups"] if report.get("fairness") else []
    return {
        **_base(),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "category", "data": [g["group"] for g in groups]},
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "series": [
            {
                "name": gettext("Approval rate (%)"),
                "type": "bar",
                "barMaxWidth": 40,
                "data": [
                    {
                        "value": round(100 * float(g["approval_rate"]), 1),
                        "itemStyle": {"color": "#dc2626" if g["flagged"] else "#2563eb"},
                    }
                    for g in groups
                ],
                "label": {"show": True, "position": "top"},
            }
        ],
    }


def monitoring_charts(report: Mapping[str, Any], gettext: Translate) -> dict[str, JsonObject]:
    """Every chart of one report, by key (``psi``, ``performance``, ``bad_rate``,
    ``approval``); a chart without data is left out."""
    charts = {"psi": psi_chart(report, gettext)}
    if report["performance"]:
        charts["performance"] = performance_chart(report, gettext)
    if report["bad_rate_by_month"]:
        charts["bad_rate"] = bad_rate_chart(report, gettext)
    if report.get("fairness"):
        charts["approval"] = approval_chart(report, gettext)
    return charts
