"""ECharts options and labels of the portfolio page (:mod:`autolend.web.routes_portfolio`).

Amounts go to the charts as decimal strings of the major unit ("1234.56"), shares as
percentages with two decimals ("52.26"); the page's tables show the same figures. The
charts are the book's main currency's (``PortfolioOverview.currency``): amounts of two
currencies are never added, the page names the loans left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from autolend.domain.money import Money
from autolend.services.portfolio_views import PortfolioOverview, RollPeriod
from autolend.web.charts import FONT_STACK, JsonObject, Translate

__all__ = [
    "amount_axis",
    "bucket_chart",
    "bucket_labels",
    "class_chart",
    "class_labels",
    "flag_label",
    "roll_chart",
    "roll_rows",
    "stage_chart",
    "unclassified_label",
    "whole_percent",
    "yuan",
]

BAR = "#2563eb"
CLASS_COLOURS = ("#16a34a", "#65a30d", "#d97706", "#ea580c", "#dc2626")
UNCLASSIFIED_COLOUR = "#94a3b8"
STAGE_COLOURS = ("#16a34a", "#d97706", "#dc2626")
# A chart box narrower than this is a phone's: the charts drop what does not fit there
# (ECharts applies a ``media`` entry by the chart's own width, again on every resize).
NARROW = {"maxWidth": 480}


def yuan(minor: int, currency: str = "CNY") -> str:
    """Minor units of ``currency`` as a decimal string: ``yuan(123456)`` is "1234.56"."""
    return Money.of_minor(minor, currency).to_api()


def bucket_labels(gettext: Translate) -> list[str]:
    """current, 1-30, 31-60, 61-90, 91-180, 181+ days past due, translated."""
    return [
        gettext("Not past due"), gettext("1–30 days"), gettext("31–60 days"),
        gettext("61–90 days"), gettext("91–180 days"), gettext("181+ days"),
    ]  # fmt: skip


def class_labels(gettext: Translate) -> list[str]:
    """正常 关注 次级 可疑 损失 (five-tier class), translated."""
    return [
        gettext("Normal"), gettext("Special mention"), gettext("Substandard"),
        gettext("Doubtful"), gettext("Loss"),
    ]  # fmt: skip


def unclassified_label(gettext: Translate) -> str:
    """The loans with no five-tier class (their pack has none: US), translated."""
    return gettext("Not classified (pack without the five-tier class)")


def flag_label(flag: str, gettext: Translate) -> str:
    """An early-warning flag's name (``missed_first_payment`` ...), translated."""
    labels = {
        "missed_first_payment": gettext("Missed first payment"),
        "rolled_worse": gettext("Rolled to a worse bucket"),
        "partial_payment": gettext("Partial payment"),
        "bureau_alert": gettext("Credit bureau alert"),
        "low_collateral": gettext("Low collateral cover"),
    }
    return labels.get(flag, flag)


def _base() -> JsonObject:
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
    }


def amount_axis(name: str, currency: str, gettext: Translate) -> str:
    """A value axis's name with the currency its amounts are in, so that a reader knows
    the unit: ``amount_axis("Balance", "CNY", ...)`` is "Balance (CNY)" (余额（CNY）)."""
    return gettext("%(name)s (%(currency)s)") % {"name": name, "currency": currency}


def amount_y_axis(name: str, currency: str, gettext: Translate) -> JsonObject:
    """A value axis of amounts, named with its currency (:func:`amount_axis`). The name
    starts at the axis line and runs right, over the plot: centred on the axis, as
    ECharts places it, a long one (预期信用损失（CNY）) ran off the card's left edge."""
    return {"type": "value", "name": amount_axis(name, currency, gettext),
            "nameTextStyle": {"align": "left"}}  # fmt: skip


def bucket_chart(view: PortfolioOverview, gettext: Translate) -> JsonObject:
    """Principal outstanding by delinquency bucket (bars); every bucket's name shows
    (slanted), where ECharts would hide every other one on a narrow card."""
    return {
        **_base(),
        "xAxis": {"type": "category", "data": bucket_labels(gettext),
                  "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": amount_y_axis(gettext("Balance"), view.currency, gettext),
        "series": [
            {"name": gettext("Balance"), "type": "bar", "barMaxWidth": 40,
             "itemStyle": {"color": BAR},
             "data": [yuan(line.balance_minor, view.currency) for line in view.buckets]},
        ],
    }  # fmt: skip


def _slice(name: str, minor: int, currency: str, colour: str) -> JsonObject:
    """One slice of the pie. A class with no balance has no slice to point at: its name
    stays in the legend, off the ring, where the names of three empty classes piled up
    on one another at the top."""
    item: JsonObject = {
        "name": name,
        "value": yuan(minor, currency),
        "itemStyle": {"color": colour},
    }
    if minor == 0:
        item |= {"label": {"show": False}, "labelLine": {"show": False}}
    return item


def class_chart(view: PortfolioOverview, gettext: Translate) -> JsonObject:
    """The five-tier distribution of the balance (pie), and the balance of loans with
    no five-tier class as a grey slice when there is any. On a phone the slices go
    unlabelled (the legend names them): beside the ring, "Special mention" was cut to
    "Spe..."."""
    data = [
        _slice(label, line.balance_minor, view.currency, colour)
        for label, line, colour in zip(class_labels(gettext), view.classes, CLASS_COLOURS,
                                       strict=True)
    ]  # fmt: skip
    if view.unclassified.loans:
        data.append(_slice(unclassified_label(gettext), view.unclassified.balance_minor,
                           view.currency, UNCLASSIFIED_COLOUR))  # fmt: skip
    unlabelled = {"label": {"show": False}, "labelLine": {"show": False}}
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [{"name": gettext("Five-tier class"), "type": "pie",
                    "radius": ["35%", "65%"], "data": data}],
        "media": [{"query": NARROW, "option": {"series": [unlabelled]}}],
    }  # fmt: skip


def stage_chart(view: PortfolioOverview, gettext: Translate) -> JsonObject:
    """ECL by IFRS 9 stage (bars)."""
    names = [gettext("Stage %(n)s") % {"n": s.stage} for s in view.stages]
    data = [
        {"value": yuan(s.ecl_minor, view.currency), "itemStyle": {"color": colour}}
        for s, colour in zip(view.stages, STAGE_COLOURS, strict=True)
    ]
    return {
        **_base(),
        "xAxis": {"type": "category", "data": names},
        "yAxis": amount_y_axis(gettext("ECL"), view.currency, gettext),
        "series": [{"name": gettext("ECL"), "type": "bar", "barMaxWidth": 40, "data": data}],
    }


def roll_rows(roll: RollPeriod) -> list[list[str] | None]:
    """Each start bucket's row of the roll-rate matrix as percentages with two decimals
    (its buckets at the end, then "paid off or closed"), or None for a bucket that had no
    balance at the start: nothing rolled from it, which "0.00" would misstate as nothing
    rolling. A row ``(Decimal("0.9103"), ...)`` is ``["91.03", ...]``."""
    matrix = roll.matrix
    return [
        [f"{value * 100:.2f}" for value in (*row, gone)] if balance else None
        for row, gone, balance in zip(matrix.rows, matrix.gone, matrix.balance, strict=True)
    ]


def whole_percent(value: str) -> str:
    """A percentage with two decimals rounded half up to a whole one, for a cell too
    narrow for the decimals: ``whole_percent("91.50")`` is "92", "0.49" is "0"."""
    return str(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP))


def _cells(roll: RollPeriod) -> list[list[Any]]:
    """The heat map's points ``[column, row, percent, whole percent]``; a bucket with
    nothing to roll has none, so its row stays blank instead of reading 0.00%."""
    cells: list[list[Any]] = []
    for y, row in enumerate(roll_rows(roll)):
        cells.extend([x, y, value, whole_percent(value)] for x, value in enumerate(row or ()))
    return cells


def roll_chart(roll: RollPeriod, gettext: Translate) -> JsonObject:
    """The roll-rate matrix of one month pair as a heat map: rows the bucket at the
    first month-end, columns the bucket at the second (and "paid off or closed").
    Cells, tooltips and the colour key read as percentages ("91.03%"), not bare numbers;
    on a phone, where seven cells of "91.03%" ran into one another, a cell reads in whole
    percent ("91%", smaller) and the column names slant further, the tooltip and the
    table below keeping the decimals."""
    labels = bucket_labels(gettext)
    columns: Sequence[str] = [*labels, gettext("Paid off or closed")]
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "tooltip": {"position": "top", "formatter": "{a}: {@[2]}%"},
        "grid": {"left": 8, "right": 16, "top": 8, "bottom": 56, "containLabel": True},
        "xAxis": {"type": "category", "data": columns, "splitArea": {"show": True},
                  "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "category", "data": labels, "inverse": True,
                  "splitArea": {"show": True}},
        "visualMap": {"min": 0, "max": 100, "dimension": 2, "calculable": True,
                      "orient": "horizontal",
                      "left": "center", "bottom": 0, "formatter": "{value}%",
                      "inRange": {"color": ["#f8fafc", "#fde68a", "#dc2626"]}},
        "series": [{"name": gettext("Roll rate"), "type": "heatmap", "data": _cells(roll),
                    "label": {"show": True, "formatter": "{@[2]}%"}}],
        "media": [{"query": NARROW, "option": {
            "xAxis": {"axisLabel": {"rotate": 60, "fontSize": 10}},
            "series": [{"label": {"formatter": "{@[3]}%", "fontSize": 9}}]}}],
    }  # fmt: skip
