"""ECharts options for the home page and the application's offers, built from service data,
and the name of a money axis every chart gives it (:func:`money_axis_name`).

The option is embedded in the page as JSON (``<script type="application/json">``) and drawn
by ``static/app.js``; nothing is fetched from a CDN and no inline script runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from babel.numbers import get_currency_symbol

from autolend.domain.access import Actor
from autolend.domain.audit import AuditRecord
from autolend.web.i18n import HOME_SYMBOLS

Translate = Callable[[str], str]
JsonObject = dict[str, Any]

MAX_BARS = 10
FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
)
BAR_COLOUR = "#2563eb"


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where the chart is built."""
    return message


PERMISSION_AREAS: tuple[tuple[str, str], ...] = (
    ("customer:", _("Customers")),
    ("pii:", _("Personal data")),
    ("user:", _("Users")),
    ("audit:", _("Audit")),
    ("metrics:", _("Metrics")),
)


def bar_chart(categories: list[str], values: list[int], series_name: str) -> JsonObject:
    """A horizontal bar chart option (long category names stay readable)."""
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "grid": {"left": 8, "right": 24, "top": 16, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "data": categories,
            "inverse": True,
            "axisLabel": {"interval": 0},
        },
        "series": [
            {
                "name": series_name,
                "type": "bar",
                "data": values,
                "barMaxWidth": 22,
                "itemStyle": {"color": BAR_COLOUR, "borderRadius": [0, 4, 4, 0]},
                "label": {"show": True, "position": "right"},
            }
        ],
    }


def audit_actions_chart(records: Iterable[AuditRecord], gettext: Translate) -> JsonObject:
    """Audit records per action (the ``MAX_BARS`` most frequent), most frequent first."""
    counts = Counter(record.event.action for record in records)
    top = counts.most_common(MAX_BARS)
    return bar_chart([name for name, _n in top], [n for _name, n in top], gettext("Records"))


def permissions_chart(actor: Actor, gettext: Translate) -> JsonObject:
    """How many permissions the actor holds in each area (customers, users, audit ...)."""
    held = [p.value for p in actor.permissions]
    counts = [sum(1 for p in held if p.startswith(prefix)) for prefix, _label in PERMISSION_AREAS]
    labels = [gettext(label) for _prefix, label in PERMISSION_AREAS]
    return bar_chart(labels, counts, gettext("Permissions"))


def currency_sign(currency: str, locale: str) -> str:
    """The currency's sign as the page's amounts write it: ``¥`` in every language (as
    :data:`~autolend.web.i18n.HOME_SYMBOLS` says), other currencies the locale's.

    >>> currency_sign("CNY", "en"), currency_sign("USD", "en"), currency_sign("USD", "zh_CN")
    ('¥', '$', 'US$')
    """
    return HOME_SYMBOLS.get(currency) or get_currency_symbol(currency, locale)


def money_axis_name(what: str, sign: str, gettext: Translate) -> str:
    """A money axis's name: what it measures and in what, ``"Total cost ($)"`` (总成本（¥）
    in Chinese, the page's own brackets); a bare scale of numbers left the reader to guess
    the currency and which line it belongs to.

    >>> money_axis_name("Balance left", "¥", lambda message: message)
    'Balance left (¥)'
    """
    return gettext(_("%(what)s (%(sign)s)")) % {"what": what, "sign": sign}


def offers_chart(offers: list[dict[str, Any]], gettext: Translate, locale: str) -> dict[str, Any]:
    """Bars of each offer's total cost of credit (interest + fees), option by option, on
    an axis named with the offers' currency as ``locale``'s page writes it: "Total cost
    ($)" on an English US page, 总成本（US$） on a Chinese one, 总成本（¥） under CN. The
    name runs right from the top of the axis, so a long one stays on the card."""
    label = gettext(_("Total cost"))
    sign = currency_sign(offers[0]["currency"], locale) if offers else ""
    axis = {"type": "value", "name": money_axis_name(label, sign, gettext),
            "nameTextStyle": {"align": "left"}}  # fmt: skip
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 70, "right": 16, "top": 36, "bottom": 30},
        "xAxis": {"type": "category",
                  "data": [gettext(_("Option %(n)s")) % {"n": o["option"]} for o in offers]},
        "yAxis": axis,
        "series": [{"name": label, "type": "bar", "barMaxWidth": 48,
                    "itemStyle": {"color": BAR_COLOUR},
                    "data": [float(o["total_cost"]) for o in offers]}],
    }  # fmt: skip
