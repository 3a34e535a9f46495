"""ECharts options of the monitoring page, built from a stored monitoring report.

Embedded as JSON and drawn by ``static/app.js`` like the home chart (:mod:`autolend.web.charts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autolend.web.category_names import category_label
from autolend.web.charts import FONT_STACK, JsonObject, Translate
from autolend.web.group_names import group_value_label
from autolend.web.i18n import list_separator
from autolend.web.model_card import feature_label

PSI_WATCH = 0.1
PSI_ACT = 0.25
STATUS_COLOURS = {"stable": "#16a34a", "watch": "#d97706", "act": "#dc2626"}
_UNJUDGED = "#64748b"  # a window too small to judge ("too few rows"): grey
LINE_COLOURS = ("#2563eb", "#9333ea")


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the chart is built."""
    return message


def _base() -> JsonObject:
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis"},
    }


def feature_rows(
    report: Mapping[str, Any], locale: str, gettext: Translate
) -> list[dict[str, Any]]:
    """The PSI table's rows: each feature with its name in ``locale`` (``None`` where the
    catalogue does not name it), PSI, status and its bins (label, counts, baseline and window
    shares, contribution ``(w - b) · ln(w / b)``), as the report stored them, each bin with
    its ``name`` in words where its label is a category named (``gig`` -> 灵活就业)."""
    separator = list_separator(locale)

    def named(item: Mapping[str, Any]) -> dict[str, Any]:
        return {**item, "name": category_label(str(item["label"]), gettext, separator)}

    return [
        {**row, "label": feature_label(row["feature"], locale),
         "bins": [named(b) for b in row.get("bins") or []]}
        for row in report["feature_psi"]
    ]  # fmt: skip


def psi_chart(report: Mapping[str, Any], gettext: Translate, locale: str = "en") -> JsonObject:
    """PSI of the score and of each feature (by its name in words where the catalogue has
    one) as bars coloured by status, with the 0.1 and 0.25 lines (watch, act)."""
    features = [
        {**r, "feature": feature_label(r["feature"], locale) or r["feature"]}
        for r in report["feature_psi"]
    ]
    rows = [{"feature": gettext("Score"), **report["score_psi"]}, *features]
    marks = [
        {"xAxis": PSI_WATCH, "name": gettext("Watch"), "lineStyle": {"color": "#d97706"}},
        {"xAxis": PSI_ACT, "name": gettext("Act"), "lineStyle": {"color": "#dc2626"}},
    ]
    top = max([PSI_ACT * 1.2, *(float(r["psi"]) for r in rows)])
    return {
        **_base(),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        # The axis name under the ticks: at the end it ran past the chart's right edge.
        "grid": {**_base()["grid"], "bottom": 28},
        "xAxis": {
            "type": "value",
            "max": round(top, 3),
            "name": "PSI",
            "nameLocation": "middle",
            "nameGap": 26,
        },
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
                        "itemStyle": {"color": STATUS_COLOURS.get(r["status"], _UNJUDGED)},
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


def _months(report: Mapping[str, Any]) -> list[str]:
    """Every month of the window with applications (those without outcomes too), in order."""
    months = {r["month"] for r in report["bad_rate_by_month"]}
    return sorted(months | {r["month"] for r in report["performance"]})


def month_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per month for the table under the charts: applications, outcomes known,
    bads, bad rate, mean PD, AUC and KS, and ``why`` a month has no AUC and KS
    (``no_outcomes`` yet, ``only_goods`` or ``only_bads``; ``None`` when it has them)."""
    applications = {r["month"]: r for r in report["bad_rate_by_month"]}
    performance = {r["month"]: r for r in report["performance"]}
    rows = []
    for month in _months(report):
        counts, measured = applications.get(month, {}), performance.get(month)
        row = {
            "month": month,
            "applications": counts.get("applications"),
            "observed": counts.get("observed"),
            "bads": None,
            "bad_rate": counts.get("bad_rate"),
            "mean_pd": None,
            "auc": None,
            "ks": None,
            "why": "no_outcomes",
        }
        if measured is not None:
            row |= {k: measured[k] for k in ("bads", "bad_rate", "mean_pd", "auc", "ks")}
            row["why"] = _why(measured)
        rows.append(row)
    return rows


def _why(measured: Mapping[str, Any]) -> str | None:
    if measured["auc"] is not None:
        return None
    return "only_goods" if measured["bads"] == 0 else "only_bads"


def performance_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """AUC and KS by month over every month of the window: a month without both goods and
    bads (or with no outcome yet) is a gap, explained in the table under the charts."""
    by_month = {r["month"]: r for r in report["performance"]}
    months = _months(report)
    series = [
        {
            "name": label,
            "type": "line",
            "connectNulls": False,
            "data": [_rounded(by_month.get(m, {}).get(key), 4) for m in months],
            "itemStyle": {"color": colour},
        }
        for (key, label), colour in zip((("auc", "AUC"), ("ks", "KS")), LINE_COLOURS, strict=True)
    ]
    return {
        **_base(),
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "min": 0, "max": 1, "name": "AUC / KS"},
        "series": series,
    }


def _rounded(value: Any, digits: int, scale: float = 1.0) -> float | None:
    return None if value is None else round(scale * float(value), digits)


def bad_rate_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """Observed bad rate by month, and the mean PD of the same rows beside it (a gap where
    no outcome has arrived yet)."""
    rows = month_rows(report)
    return {
        **_base(),
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": [r["month"] for r in rows]},
        "yAxis": {"type": "value", "min": 0, "name": "%"},
        "series": [
            {
                "name": gettext("Bad rate (%)"),
                "type": "bar",
                "barMaxWidth": 18,
                "data": [_rounded(r["bad_rate"], 2, 100) for r in rows],
                "itemStyle": {"color": "#dc2626"},
            },
            {
                "name": gettext("Mean PD (%)"),
                "type": "line",
                "connectNulls": False,
                "data": [_rounded(r["mean_pd"], 2, 100) for r in rows],
                "itemStyle": {"color": "#2563eb"},
            },
        ],
    }


RATE_SERIES = (
    ("false_positive_rate", _("False-positive rate (%)"), "#d97706"),
    ("false_negative_rate", _("False-negative rate (%)"), "#7c3aed"),
)


def approval_chart(report: Mapping[str, Any], gettext: Translate) -> JsonObject:
    """Approval rate by group (%), flagged groups (four-fifths rule) in red, beside each
    group's error rates (%) where outcomes are known; each bar's label to one decimal like
    the table (5 of 6 approved: 83.3, not 83.33)."""
    groups = report["fairness"]["groups"] if report.get("fairness") else []
    column = str(report["fairness"]["group_col"]) if report.get("fairness") else ""
    approval = {
        "name": gettext("Approval rate (%)"),
        "type": "bar",
        "barMaxWidth": 40,
        "itemStyle": {"color": "#2563eb"},
        "data": [
            {
                "value": round(100 * float(g["approval_rate"]), 1),
                "itemStyle": {"color": "#dc2626" if g["flagged"] else "#2563eb"},
            }
            for g in groups
        ],
        "label": {"show": True, "position": "top"},
    }
    errors = [
        {
            "name": gettext(label),
            "type": "bar",
            "barMaxWidth": 40,
            "itemStyle": {"color": colour},
            "data": [_rounded(g.get(key), 1, 100) for g in groups],
            "label": {"show": True, "position": "top"},
        }
        for key, label, colour in RATE_SERIES
        if any(g.get(key) is not None for g in groups)
    ]
    return {
        **_base(),
        # Three legend entries fill the top line: the plot (and its "%") starts under them.
        "legend": {"top": 0},
        "grid": {**_base()["grid"], "top": 60},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {
            "type": "category",
            "data": [group_value_label(column, str(g["group"]), gettext) for g in groups],
        },
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "series": [approval, *errors],
    }


def monitoring_charts(
    report: Mapping[str, Any], gettext: Translate, locale: str = "en"
) -> dict[str, JsonObject]:
    """Every chart of one report, by key (``psi``, ``performance``, ``bad_rate``,
    ``approval``); a chart without data is left out."""
    charts = {"psi": psi_chart(report, gettext, locale)}
    if any(r["auc"] is not None for r in report["performance"]):
        charts["performance"] = performance_chart(report, gettext)
    if any(r["bad_rate"] is not None for r in report["bad_rate_by_month"]):
        charts["bad_rate"] = bad_rate_chart(report, gettext)
    if report.get("fairness"):
        charts["approval"] = approval_chart(report, gettext)
    return charts
