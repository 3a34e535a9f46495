"""The model card: one HTML body for the web page and the standalone file.

``autolend model card NAME`` writes :func:`standalone_card` (its own small style sheet,
no script, no network), and the risk pages include the same body inside the layout.
Everything shown comes from the registry entry's metadata (:mod:`autolend.services.models`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from autolend.web.render import build_environment
from autolend.web.svg_charts import (
    FRAME,
    SVG_HEIGHT,
    SVG_WIDTH,
    histogram_chart,
    ks_chart,
    reliability_chart,
    unit_curves,
)

__all__ = ["card_context", "instant_of", "standalone_card"]


def instant_of(text: object) -> datetime | None:
    """A stored ISO 8601 instant (``"2026-11-29T17:49:32.269873+00:00"``) as a datetime
    for the ``when`` filter; anything else (an entry from before it was stored) ``None``."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def card_context(meta: Mapping[str, Any]) -> dict[str, Any]:
    """What the card templates need: the metadata and its charts."""
    card = meta["card"]
    metrics = card["metrics"]
    return {
        "meta": meta,
        "card": card,
        "trained_at": instant_of(meta.get("trained_at")),
        "svg_width": SVG_WIDTH,
        "svg_height": SVG_HEIGHT,
        "frame": FRAME,
        "roc_chart": unit_curves((card["roc"]["x"], card["roc"]["y"])),
        "ks_chart": ks_chart(card["ks_curve"], float(metrics["bad_rate"]), float(metrics["ks"])),
        "reliability_chart": reliability_chart(card["reliability"]),
        "score_chart": histogram_chart(card["score_distribution"]),
        "scale": _scale(card.get("scaling")),
    }


def _scale(scaling: Mapping[str, float] | None) -> dict[str, str] | None:
    """The points scale in words' numbers: ``{"base_points": 600.0, "base_odds": 50.0,
    "pdo": 20.0}`` -> ``{"points": "600", "odds": "50", "pdo": "20"}`` (62.5 stays 62.5)."""
    if not scaling:
        return None
    keys = {"points": "base_points", "odds": "base_odds", "pdo": "pdo"}
    return {
        shown: f"{float(scaling[key]):,.4f}".rstrip("0").rstrip(".") for shown, key in keys.items()
    }


def standalone_card(meta: Mapping[str, Any], locale: str, zone: str = "Asia/Shanghai") -> str:
    """The whole card as one self-contained HTML document in ``locale``."""
    env = build_environment(locale, zone)
    html_lang = "zh-CN" if locale == "zh_CN" else locale
    return env.get_template("model_card.html").render(card_context(meta), html_lang=html_lang)
