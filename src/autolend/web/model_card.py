"""The model card: one HTML body for the web page and the standalone file.

``autolend model card NAME`` writes :func:`standalone_card` (its own small style sheet,
no script, no network), and the risk pages include the same body inside the layout.
Everything shown comes from the registry entry's metadata (:mod:`autolend.services.models`).

Said in the card's language: a feature by its name in words beside its column
(:func:`autolend.risk.reasons.feature_name`; a feature the catalogue does not name by its
column only), the reason-code method in words beside its code, and each note on how a
column was read from its code and ``details`` (a note stored before the details were kept
shows its English text, marked ``lang="en"``), and a scorecard bin of categories by their
names (``gig`` -> 灵活就业: :mod:`autolend.web.category_names`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from autolend.risk.reasons import SCORECARD_METHOD, SHAP_METHOD, feature_name
from autolend.web.category_names import category_label
from autolend.web.i18n import list_separator, translations
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

__all__ = ["card_context", "column_note_rows", "feature_label", "instant_of", "standalone_card"]


def N_(message: str) -> str:  # noqa: N802 - the marker name Babel extracts
    """Mark a message for the catalogues without translating it here."""
    return message


# The reason-code methods (risk/model.py CreditModel.reason_method) in words; another code
# shows as it is.
REASON_METHOD_NAMES: Mapping[str, str] = {
    SCORECARD_METHOD: N_("Points each feature lost against its best scorecard bin"),
    SHAP_METHOD: N_("The boosted trees' largest adverse TreeSHAP values"),
    f"{SCORECARD_METHOD}+ensemble": N_(
        "Points each feature lost against its best scorecard bin, from the scorecard half "
        "of the ensemble"
    ),
}
# Each column note's sentence (risk/columns.py ColumnNote.text says the same in English),
# and the details it needs; "numbers_in_text" with values that are not numbers has its own.
NOTE_TEXTS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "no_values": (N_("%(column)s: left out, it has no values"), ()),
    "single_value": (N_("%(column)s: left out, every row holds %(value)s"), ("value",)),
    "too_many_levels": (
        N_(
            "%(column)s: left out, %(levels)s distinct values in %(rows)s rows are too many to "
            "learn from (at most %(most)s); group them into fewer categories"
        ),
        ("levels", "rows", "most"),
    ),
    "not_about_the_applicant": (
        N_(
            "%(column)s: left out, it describes %(who)s, not the applicant; a decline's "
            "reasons must be about the applicant, so it may not move their score either"
        ),
        ("who",),
    ),
    "numbers_in_text": (N_("%(column)s: numbers written as text, read as numbers"), ("unread",)),
    "unread_numbers_in_text": (
        N_(
            "%(column)s: numbers written as text, read as numbers; %(unread)s values that are "
            "not numbers (e.g. %(example)s) read as missing"
        ),
        ("unread", "example"),
    ),
    "infinite_values": (N_("%(column)s: %(count)s infinite values read as missing"), ("count",)),
    "protected_attribute": (
        N_(
            "%(column)s: left out, it records %(what)s, a protected attribute: no decision "
            "may use it (the fairness report can still group by it)"
        ),
        ("what",),
    ),
    "protected_attribute_studied": (
        N_(
            "%(column)s: records %(what)s, a protected attribute, studied as a feature as "
            "asked; model train leaves it out"
        ),
        ("what",),
    ),
    # risk/note_texts.py (dates, ids, number formats, the target)
    "date_values": (
        N_(
            "%(column)s: left out, it holds dates; a model should not learn the calendar "
            "(every later month would be new to it): use it as --month-col to monitor the "
            "model by month"
        ),
        (),
    ),
    "durations_in_days": (N_("%(column)s: durations read as numbers of days"), ()),
    "sequential_id": (
        N_(
            "%(column)s: left out, its values are unique and increase row by row: an "
            "identifier (a row or application number), not something about the applicant"
        ),
        (),
    ),
    "synthetic_truth": (
        N_(
            "%(column)s: left out, it is the synthetic data's true probability of default, "
            "which no lender knows"
        ),
        (),
    ),
    "unreadable_numbers": (
        N_(
            "%(column)s: left out, its values look like numbers but %(unread)s of %(present)s "
            "cannot be read as numbers (e.g. %(example)s); write them as plain numbers "
            "(1234.5)"
        ),
        ("unread", "present", "example"),
    ),
    "percentages": (
        N_("%(column)s: percentages read as fractions (%(example)s read as %(value)s)"),
        ("example", "value"),
    ),
    "currency_symbols": (
        N_("%(column)s: amounts written with %(symbols)s read as numbers"),
        ("symbols",),
    ),
    "separates_the_classes": (
        N_(
            "%(column)s: alone separates bad from good almost perfectly (AUC %(auc)s on the "
            "training data); it may be known only after the outcome (days past due, a "
            "collection status): keep it only if it is known when the applicant applies, else "
            "leave it out (--exclude)"
        ),
        ("auc",),
    ),
    "bad_value_guessed": (
        N_(
            "%(column)s: no bad value given; %(value)s read as bad and %(other)s as good "
            "(--bad to say otherwise)"
        ),
        ("value", "other"),
    ),
    "rows_without_target": (
        N_("%(column)s: %(count)s rows without a target value were left out"),
        ("count",),
    ),
}
# Whom a column left out describes (risk/reasons.py NOT_ABOUT_THE_APPLICANT).
WHO_NAMES: Mapping[str, str] = {"the dealer": N_("the dealer")}
# What protected attribute a column records (risk/reasons.py PROTECTED_ATTRIBUTES).
WHAT_NAMES: Mapping[str, str] = {
    "sex": N_("sex"), "sex and marital status": N_("sex and marital status"),
    "marital status": N_("marital status"), "race": N_("race"),
    "ethnicity": N_("ethnicity"), "religion": N_("religion"),
    "national origin": N_("national origin"),
}  # fmt: skip


def feature_label(feature: str, locale: str) -> str | None:
    """A feature's name in words in ``locale`` (``"Share of credit limits in use"``,
    ``"信用额度使用率"``), or ``None`` where the catalogue does not name it."""
    names = feature_name(feature)
    if names is None:
        return None
    if locale == "zh_CN":
        return names[1]
    english = names[0].removeprefix("the ")
    return english[:1].upper() + english[1:]


def column_note_rows(
    notes: list[Mapping[str, Any]], gettext: Callable[[str], str]
) -> list[dict[str, Any]]:
    """The card's column notes, each with its ``text`` in the card's language and ``lang``
    ``"en"`` where only the stored English text could be shown (a note without details)."""
    rows = []
    for note in notes:
        text = _note_text(note, gettext)
        shown = {"text": note.get("text", ""), "lang": "en"} if text is None else {"text": text}
        rows.append({**note, "lang": None, **shown})
    return rows


def _note_text(note: Mapping[str, Any], gettext: Callable[[str], str]) -> str | None:
    details: dict[str, Any] = dict(note.get("details") or {})
    code = str(note.get("code"))
    if code == "numbers_in_text" and details.get("unread"):
        code = "unread_numbers_in_text"
    named = (("who", WHO_NAMES), ("what", WHAT_NAMES))
    if code not in NOTE_TEXTS or any(k in details and details[k] not in n for k, n in named):
        return None
    message, needed = NOTE_TEXTS[code]
    if any(key not in details for key in needed):
        return None
    values = {k: f"{v:,}" if isinstance(v, int) else str(v) for k, v in details.items()}
    for key, names in named:
        if key in details:
            values[key] = gettext(names[details[key]])
    return gettext(message) % {**values, "column": note.get("column", "")}


def instant_of(text: object) -> datetime | None:
    """A stored ISO 8601 instant (``"2026-11-29T17:49:32.269873+00:00"``) as a datetime
    for the ``when`` filter; anything else (an entry from before it was stored) ``None``."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def card_context(meta: Mapping[str, Any], locale: str = "en") -> dict[str, Any]:
    """What the card templates need in ``locale``: the metadata, its charts and its words."""
    card = meta["card"]
    metrics = card["metrics"]
    gettext = translations(locale).gettext
    method = REASON_METHOD_NAMES.get(card["reason_method"])
    return {
        "meta": meta,
        "card": card,
        "column_notes": column_note_rows(card.get("columns") or [], gettext),
        "reason_method_words": None if method is None else gettext(method),
        "feature_label": lambda feature: feature_label(feature, locale),
        # A bin of categories in words (``used, new`` -> 二手车、新车), else as it is.
        "bin_label": lambda text: category_label(text, gettext, list_separator(locale)),
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
    # The command line's card (``autolend model card``) writes its training time the ISO
    # way whatever the lender's pack: a file handed on, not a page of the lender's. The
    # web page renders the same body through the Renderer, in the lender's date style
    # (``12/01/2026 3:05 PM`` on a US lender's English page).
    env = build_environment(locale, zone)
    html_lang = "zh-CN" if locale == "zh_CN" else locale
    return env.get_template("model_card.html").render(
        card_context(meta, locale), html_lang=html_lang
    )
