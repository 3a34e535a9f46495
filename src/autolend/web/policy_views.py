"""What the policy page shows: the credit policy in force in words, a proposed policy read
from the page's text box, and a simulation's figures, outcome moves and chart.

The figures are :class:`~autolend.domain.policy_simulation.PolicyFigures` side by side
(current, proposed, proposed minus current), as ``autolend policy simulate`` prints them.
Example: with ``approve_max_pd`` lowered from 0.06 to 0.01, a row reads "Approved 1 / 0 /
-1" and the chart shows one bar moving from approved to referred.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from autolend.domain.decision import Outcome
from autolend.domain.decision_policy import Policy, parse_policy, policy_to_dict
from autolend.domain.errors import InvalidInput
from autolend.domain.policy_simulation import FIGURES, OUTCOMES, figure_text
from autolend.services.policy_simulation import Simulation
from autolend.web.charts import FONT_STACK

Translate = Callable[[str], str]

__all__ = ["figure_rows", "moves_view", "outcome_chart", "policy_rows", "policy_text",
           "proposed_policy"]  # fmt: skip

MAX_POLICY_TEXT = 100_000
"""Characters of JSON the text box takes (a policy is about 1,000)."""


def _(message: str) -> str:
    """Marks a message for extraction; translated where the page is built."""
    return message


LABELS = {
    "applications": _("Applications replayed"), "approved": _("Approved"),
    "referred": _("Referred"), "declined": _("Declined"), "approval_rate": _("Approval rate"),
    "refer_rate": _("Refer rate"), "decline_rate": _("Decline rate"),
    "expected_bad_rate": _("Expected bad rate (mean PD of the approved)"),
    "approved_volume": _("Approved volume (%(currency)s)"),
}  # fmt: skip
"""Each figure's label (:data:`~autolend.domain.policy_simulation.FIGURES` gives the order)."""
OUTCOME_NAMES = {Outcome.APPROVE: _("Approve"), Outcome.REFER: _("Refer"),
                 Outcome.DECLINE: _("Decline")}  # fmt: skip
RULES: tuple[tuple[str, str], ...] = (
    ("approve_max_pd", _("Approve when the PD is at most")),
    ("decline_min_pd", _("Decline when the PD is at least")),
    ("max_dsr", _("Debt-service ratio at most (each product's own limit applies too)")),
    (
        "decline_worst_months_overdue",
        _("Decline when the bureau's worst delinquency reaches (months overdue)"),
    ),
    ("refer_late_months_24m", _("Refer with late months in the last 24 months")),
    ("refer_inquiries_6m", _("Refer with bureau inquiries in the last 6 months")),
    ("max_applications_per_id_30d", _("Applications per resident ID in 30 days at most")),
    ("max_applications_per_mobile_30d", _("Applications per mobile number in 30 days at most")),
    ("blacklist", _("On the blacklist")),
    ("bureau_unavailable", _("Bureau unavailable")),
    ("thin_file", _("Thin bureau file")),
    ("second_approval_above", _("A second person approves above")),
    ("refer_amount_above", _("Refer amounts above")),
)


def policy_text(policy: Policy) -> str:
    """The policy as the JSON the text box starts from (``autolend policy show``'s)."""
    return json.dumps(policy_to_dict(policy), ensure_ascii=False, indent=2)


def proposed_policy(text: str) -> Policy:
    """The policy in the text box; a 422 naming ``policy`` (or the policy's own field,
    as ``policy.approve_max_pd``) when it is no JSON object or breaks a rule."""
    if not text.strip():
        raise InvalidInput("paste the proposed policy (JSON)", field="policy",
                           message_zh="请粘贴拟用的授信政策（JSON）")  # fmt: skip
    if len(text) > MAX_POLICY_TEXT:
        raise InvalidInput(f"the policy is longer than {MAX_POLICY_TEXT:,} characters",
                           field="policy", message_zh="政策内容过长")  # fmt: skip
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InvalidInput(f"the policy is not valid JSON: {error}", field="policy",
                           message_zh=f"政策不是有效的 JSON：{error}") from None  # fmt: skip
    if not isinstance(data, dict):
        raise InvalidInput("the policy must be a JSON object ({...})", field="policy",
                           message_zh="政策须为 JSON 对象（{...}）")  # fmt: skip
    try:
        return parse_policy(data)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=f"policy.{error.field}",
                           message_zh=error.message_zh) from None  # fmt: skip


def _rule_value(value: Any, gettext: Translate) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{Decimal(amount):,.2f} {currency}"
                         for currency, amount in value.items()) or "—"  # fmt: skip
    if value in ("decline", "refer", "approve"):
        return gettext(OUTCOME_NAMES[Outcome(value)])
    return str(value)


def policy_rows(policy: Policy, gettext: Translate) -> list[dict[str, str]]:
    """The policy's rules in words, one row each, then its pricing bands."""
    data = policy_to_dict(policy)
    rows = [{"key": key, "label": gettext(label), "value": _rule_value(data[key], gettext)}
            for key, label in RULES]  # fmt: skip
    for band in data["pricing"]:
        position = f"{Decimal(band['position']) * 100:.0f}%"
        rows.append({
            "key": "pricing",
            "label": gettext("Price at %(position)s of the product's rate range up to PD")
            % {"position": position},
            "value": band["max_pd"],
        })  # fmt: skip
    return rows


def figure_rows(result: Simulation, gettext: Translate) -> list[dict[str, str]]:
    """Each figure under the policy in force, the proposed one, and the difference."""
    c = result.comparison
    differences = c.differences()
    currency = c.current.approved_volume.currency.code  # the replayed applications' own
    return [
        {"key": name, "label": gettext(LABELS[name]) % {"currency": currency}
         if kind == "money" else gettext(LABELS[name]), "kind": kind,
         "current": figure_text(getattr(c.current, name), kind),
         "proposed": figure_text(getattr(c.proposed, name), kind),
         "difference": figure_text(differences.get(name), kind, signed=True)}
        for name, kind in FIGURES
    ]  # fmt: skip


def moves_view(result: Simulation, gettext: Translate) -> dict[str, Any]:
    """The outcome matrix: rows the policy in force, columns the proposed one."""
    c = result.comparison
    names = [gettext(OUTCOME_NAMES[o]) for o in OUTCOMES]
    rows = [{"name": gettext(OUTCOME_NAMES[before]),
             "cells": [{"count": c.moved(before, after), "moved": before is not after}
                       for after in OUTCOMES]}
            for before in OUTCOMES]  # fmt: skip
    return {"names": names, "rows": rows, "moved": c.moved_total,
            "mismatches": c.stored_mismatches, "skipped": len(result.skipped)}  # fmt: skip


def outcome_chart(result: Simulation, gettext: Translate) -> dict[str, Any]:
    """Applications approved, referred and declined under each policy (grouped bars)."""
    c = result.comparison
    sides = ((gettext("Policy in force"), c.current, "#94a3b8"),
             (gettext("Proposed policy"), c.proposed, "#2563eb"))  # fmt: skip
    return {
        "textStyle": {"fontFamily": FONT_STACK},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 48, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "xAxis": {"type": "category", "data": [gettext(OUTCOME_NAMES[o]) for o in OUTCOMES]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": name, "type": "bar", "barMaxWidth": 40, "itemStyle": {"color": colour},
             "label": {"show": True, "position": "top"},
             "data": [figures.approved, figures.referred, figures.declined]}
            for name, figures, colour in sides
        ],
    }  # fmt: skip
