"""A credit decision as JSON and back (:func:`decision_to_dict`, :func:`decision_from_dict`):
decimals and amounts as strings, so a stored decision reads back exactly; a CN record
keeps the form it had before decisions carried their pack (no ``pack_code`` key).

>>> from autolend.domain.decision import Decision, Outcome
>>> decision = Decision(Outcome.REFER, (), None, None, None, None, "none", (), None, None,
...                     (), None, "default", 1)
>>> decision_from_dict(decision_to_dict(decision)) == decision
True
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from autolend.domain.decision import AdverseAction, Decision, Outcome
from autolend.domain.decision_rules import CounterOffer, ReasonText, RuleHit
from autolend.domain.money import Money

__all__ = ["decision_from_dict", "decision_to_dict"]


def _money(value: Money | None) -> dict[str, str] | None:
    return None if value is None else {"amount": value.to_api(), "currency": value.currency.code}


def _money_back(data: Any) -> Money | None:
    return None if data is None else Money.parse(data["amount"], data["currency"])


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_back(text: Any) -> Decimal | None:
    return None if text is None else Decimal(text)


def _reason(reason: ReasonText) -> dict[str, str]:
    return {"code": reason.code, "text_en": reason.text_en, "text_zh": reason.text_zh}


def _counter(offer: CounterOffer) -> dict[str, Any]:
    return {"kind": offer.kind, "down_payment": _money(offer.down_payment),
            "term_months": offer.term_months, "amount": _money(offer.amount),
            "text_en": offer.text_en, "text_zh": offer.text_zh}  # fmt: skip


def _notice(notice: AdverseAction | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    data = {"notice_date": notice.notice_date.isoformat(), "outcome": notice.outcome.value,
            "reasons": [_reason(r) for r in notice.reasons], "bureau": notice.bureau}  # fmt: skip
    return data | _pack(notice.pack_code)


def _pack(code: str) -> dict[str, str]:
    """The pack's key, stored only off the default (a CN record keeps its old form)."""
    return {} if code == "CN" else {"pack_code": code}


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """The decision as JSON (decimals and amounts as strings); :func:`decision_from_dict`
    gives it back exactly."""
    d = decision
    return {
        "outcome": d.outcome.value,
        "rule_hits": [{"rule": h.rule, "field": h.field, "effect": h.effect,
                       "message_en": h.message_en, "message_zh": h.message_zh}
                      for h in d.rule_hits],
        "pd": _decimal(d.pd), "score": d.score, "grade": d.grade,
        "model_version": d.model_version, "reason_method": d.reason_method,
        "reasons": [_reason(r) for r in d.reasons], "annual_rate": _decimal(d.annual_rate),
        "max_amount": _money(d.max_amount),
        "counter_offers": [_counter(c) for c in d.counter_offers],
        "adverse_action": _notice(d.adverse_action),
        "policy_name": d.policy_name, "policy_version": d.policy_version,
        "second_approval_required": d.second_approval_required,
    } | _pack(d.pack_code)  # fmt: skip


def _reasons_back(items: Any) -> tuple[ReasonText, ...]:
    return tuple(ReasonText(r["code"], r["text_en"], r["text_zh"]) for r in items)


def _notice_back(data: Any) -> AdverseAction | None:
    if data is None:
        return None
    return AdverseAction(date.fromisoformat(data["notice_date"]), Outcome(data["outcome"]),
                         _reasons_back(data["reasons"]), data["bureau"],
                         data.get("pack_code", "CN"))  # fmt: skip


def decision_from_dict(data: dict[str, Any]) -> Decision:
    """The decision stored by :func:`decision_to_dict`."""
    counters = tuple(
        CounterOffer(c["kind"], _money_back(c["down_payment"]), c["term_months"],
                     _money_back(c["amount"]), c["text_en"], c["text_zh"])
        for c in data["counter_offers"]
    )  # fmt: skip
    return Decision(
        outcome=Outcome(data["outcome"]),
        rule_hits=tuple(RuleHit(**hit) for hit in data["rule_hits"]),
        pd=_decimal_back(data["pd"]), score=data["score"], grade=data["grade"],
        model_version=data["model_version"], reason_method=data["reason_method"],
        reasons=_reasons_back(data["reasons"]), annual_rate=_decimal_back(data["annual_rate"]),
        max_amount=_money_back(data["max_amount"]), counter_offers=counters,
        adverse_action=_notice_back(data["adverse_action"]),
        policy_name=data["policy_name"], policy_version=data["policy_version"],
        second_approval_required=data.get("second_approval_required", False),
        pack_code=data.get("pack_code", "CN"),
    )  # fmt: skip
