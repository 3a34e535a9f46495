"""ECharts options of the loan calculator: principal and interest per month, and the
same deal over each term the pack allows (CN 12 to 60 months, US to 84).

Built from :class:`~autolend.domain.quote.Quote` objects, embedded in the page as JSON
(``<script type="application/json">``) and drawn by ``static/app.js``; labels arrive
translated through ``gettext``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from autolend.domain.money import Money
from autolend.domain.quote import Quote
from autolend.web.charts import FONT_STACK, Translate, currency_sign, money_axis_name
from autolend.web.i18n import format_money

JsonObject = dict[str, Any]

PRINCIPAL_COLOUR = "#2563eb"
INTEREST_COLOUR = "#f59e0b"
BALANCE_COLOUR = "#64748b"
CHOSEN_COLOUR = "#1d4ed8"
OTHER_TERM_COLOUR = "#93c5fd"
_AXIS_LABEL = {"color": "#6b7280"}
_SPLIT_LINE = {"lineStyle": {"color": "#eef0f4"}}
# A chart narrower than this is on a phone (ECharts applies ``media`` by its own width).
NARROW = {"maxWidth": 480}


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the chart is built."""
    return message


def yuan(minor: int) -> float:
    """Minor units as a number of yuan for a chart (display only, never for sums)."""
    return float(Decimal(minor).scaleb(-2))


def _money_axis(name: str, position: str = "left") -> JsonObject:
    return {
        "type": "value",
        "name": name,
        "nameGap": 12,
        "position": position,
        "nameTextStyle": _AXIS_LABEL,
        "axisLabel": _AXIS_LABEL,
        "splitLine": _SPLIT_LINE if position == "left" else {"show": False},
    }


def _frame(categories: list[str], series: list[JsonObject]) -> JsonObject:
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "animationDuration": 400,
        "grid": {"left": 8, "right": 8, "top": 48, "bottom": 8, "containLabel": True},
        "legend": {"top": 0, "left": 0, "itemWidth": 14, "itemHeight": 10},
        # Rich-text tooltips are drawn on the canvas: HTML ones would need inline styles,
        # which the Content Security Policy refuses.
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, "renderMode": "richText"},
        "xAxis": {"type": "category", "data": categories, "axisLabel": _AXIS_LABEL},
        "series": series,
    }


def schedule_chart(quote: Quote, gettext: Translate, locale: str) -> JsonObject:
    """Stacked bars of each payment's principal and interest (left axis, named "Monthly
    payment"), and the balance left (right axis, named so)."""
    rows = quote.schedule.rows
    principal, interest = gettext(_("Principal")), gettext(_("Interest"))
    balance = gettext(_("Balance left"))
    bar: JsonObject = {"type": "bar", "stack": "payment", "barMaxWidth": 18}
    series = [
        {**bar, "name": principal, "data": [yuan(r.principal) for r in rows],
         "itemStyle": {"color": PRINCIPAL_COLOUR}},
        {**bar, "name": interest, "data": [yuan(r.interest) for r in rows],
         "itemStyle": {"color": INTEREST_COLOUR, "borderRadius": [3, 3, 0, 0]}},
        {"type": "line", "name": balance, "yAxisIndex": 1, "showSymbol": False,
         "smooth": True, "data": [yuan(r.closing_balance) for r in rows],
         "lineStyle": {"color": BALANCE_COLOUR, "width": 2, "type": "dashed"},
         "itemStyle": {"color": BALANCE_COLOUR}},
    ]  # fmt: skip
    option = _frame([str(r.n) for r in rows], series)
    sign = currency_sign(quote.monthly_payment.currency.code, locale)
    option["yAxis"] = [
        _money_axis(money_axis_name(gettext(_("Monthly payment")), sign, gettext)),
        _money_axis(money_axis_name(balance, sign, gettext), position="right"),
    ]
    option["xAxis"] |= {"name": gettext(_("Month")), "nameLocation": "middle", "nameGap": 26,
                        "nameTextStyle": _AXIS_LABEL}  # fmt: skip
    option["grid"]["bottom"] = 28
    return option


def _money_label(amount: Money, locale: str) -> JsonObject:
    """A bar's label: its amount as the table under the chart writes it ("¥9,092.81",
    not the bare "9092.81" ECharts would print)."""
    return {"formatter": format_money(amount.to_api(), amount.currency.code, locale)}


def terms_chart(
    comparison: Sequence[Quote], chosen: int, gettext: Translate, locale: str
) -> JsonObject:
    """The monthly payment (bars, the chosen term darker, each labelled with its amount
    in ``locale``) and the total interest (line) of the same deal over each term. Every
    term is named under its bar; on a phone the names slant and a bar's amount shows
    only where it does not run into its neighbour's."""
    label = gettext(_("%(months)s months"))
    categories = [label % {"months": q.request.term_months} for q in comparison]
    bars = [
        {"value": yuan(q.monthly_payment.minor),
         "label": _money_label(q.monthly_payment, locale),
         "itemStyle": {"color": CHOSEN_COLOUR if q.request.term_months == chosen
                       else OTHER_TERM_COLOUR}}
        for q in comparison
    ]  # fmt: skip
    payment, interest = gettext(_("Monthly payment")), gettext(_("Total interest"))
    series = [
        {"type": "bar", "name": payment, "data": bars, "barMaxWidth": 42,
         "itemStyle": {"color": CHOSEN_COLOUR, "borderRadius": [4, 4, 0, 0]},
         "label": {"show": True, "position": "top", "color": "#374151", "fontSize": 11}},
        {"type": "line", "name": interest, "yAxisIndex": 1,
         "data": [yuan(q.total_interest.minor) for q in comparison], "symbolSize": 8,
         "lineStyle": {"color": INTEREST_COLOUR, "width": 3},
         "itemStyle": {"color": INTEREST_COLOUR}},
    ]  # fmt: skip
    option = _frame(categories, series)
    sign = currency_sign(comparison[0].monthly_payment.currency.code, locale)
    option["yAxis"] = [
        _money_axis(money_axis_name(payment, sign, gettext)),
        _money_axis(money_axis_name(interest, sign, gettext), position="right"),
    ]
    option["xAxis"]["axisLabel"] = {**_AXIS_LABEL, "interval": 0}
    option["media"] = [
        {
            "query": NARROW,
            "option": {
                "xAxis": {"axisLabel": {"rotate": 30, "fontSize": 10}},
                "series": [{"label": {"fontSize": 10}, "labelLayout": {"hideOverlap": True}}],
            },
        }
    ]
    return option
