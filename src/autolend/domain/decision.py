"""The credit decision (审批决定): approve, refer to a person, or decline, with reasons.

:func:`decide` applies a :class:`~autolend.domain.decision_policy.Policy` to the facts
of one application, in this order (every rule that fires is kept as a RuleHit):

1. blacklist and 30-day velocity of the ID and mobile -> decline, nothing else runs;
2. pricing: the model's PD picks a pricing band, i.e. a rate inside the product's range
   (no score: ``rate_max``), lowered in 0.25-point steps until the APR with every fee is
   within the pack's total cost ceiling; impossible -> decline (``cost_ceiling``);
3. the product's knock-outs (:func:`~autolend.domain.product_rules.check_request` at that
   rate, the DSR limit the tighter of product and policy, existing debt the larger of
   declared and reported). A broken rule another structure can fix (down payment, LTV,
   DSR, term) is a *condition*: the decision is **refer with counter-offers** (each
   re-checked against the product), so a person or the customer can take one; when no
   structure fits it becomes a decline. Other product rules (age, employment, vehicle
   ...) decline;
4. bureau: unavailable -> refer (never decline, never lost); no record of the applicant
   -> refer as a thin file (``no_credit_file``) unless the policy scores thin files; red
   flags per the policy;
5. the score: none -> refer; PD at or above ``decline_min_pd`` -> decline; above
   ``approve_max_pd`` -> refer;
6. amount: above ``refer_amount_above`` -> refer; ``max_amount`` by affordability (the
   largest amount financed whose DSR stays within the limit at the rate and term).

The outcome is the worst effect (decline > refer/condition > approve). Reasons (at most
4, zh/en): the knock-out hits first, then the model's own reasons. A decline or a
counter-offer carries an :class:`AdverseAction` notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from autolend.domain.application import ApplicationInput
from autolend.domain.bureau import ReportSummary
from autolend.domain.deal_ceiling import ceiling_rate
from autolend.domain.decision_policy import Policy
from autolend.domain.decision_rules import (
    CONDITION,
    DECLINE,
    REFER,
    CounterOffer,
    FraudSignals,
    ModelScore,
    ReasonText,
    RuleHit,
    bureau_hits,
    bureau_unavailable_hit,
    counter_offers,
    deal_request,
    fraud_hits,
    max_financed,
    no_credit_file_hit,
    product_request,
    risk_based_rate,
    score_hits,
    violation_hit,
    with_dsr_limit,
)
from autolend.domain.money import Money
from autolend.domain.product_rules import ProductRequest, check_request
from autolend.domain.products import Product
from autolend.domain.quote import QuoteRequest
from autolend.domain.score_features import existing_debt

__all__ = [
    "AdverseAction", "CounterOffer", "Decision", "DecisionFacts", "FraudSignals", "ModelScore",
    "Outcome", "ReasonText", "RuleHit", "decide", "decision_from_dict", "decision_to_dict",
]  # fmt: skip

MAX_REASONS = 4
BUREAU_NAME = "PBOC Credit Reference Center (中国人民银行征信中心)"
# The notice names the bureau in its own language (the stored name holds both).
_BUREAU_IN = {BUREAU_NAME: {"zh": "中国人民银行征信中心", "en": "PBOC Credit Reference Center"}}
_NOT_REASONS = frozenset({"credit_risk_decline", "credit_risk_refer"})  # the model's own


class Outcome(StrEnum):
    APPROVE = "approve"
    REFER = "refer"
    DECLINE = "decline"


@dataclass(frozen=True)
class DecisionFacts:
    """Everything one decision reads; ``bureau`` None with ``bureau_error`` when the
    report could not be had, and None without an error when the bureau answered that it
    holds no record of the applicant (:func:`no_record`)."""

    application: ApplicationInput
    product: Product
    bureau: ReportSummary | None
    bureau_error: str | None
    score: ModelScore | None
    fraud: FraudSignals
    as_of: date
    pack_code: str = "CN"


_NOTICE = {
    "en": {
        "title": "Notice of credit decision", "decline": "We cannot approve your application "
        "as submitted.", "refer": "We can consider your application on other terms.",
        "approve": "Your application is approved.", "reasons": "Principal reasons:",
        "bureau": "Credit report used: {name}.", "no_bureau": "No credit report was used.",
        "rights": "You may ask us to explain this decision and to have it reviewed by a "
        "person (PIPL Art. 24). You may get a free copy of your credit report from the "
        "credit reference centre and dispute any error in it.",
    },
    "zh": {
        "title": "信贷审批结果通知", "decline": "很抱歉，您提交的申请未能获批。",
        "refer": "您的申请可按其他条件重新考虑。", "approve": "您的申请已获批。",
        "reasons": "主要原因：", "bureau": "本次审批使用的征信报告：{name}。",
        "no_bureau": "本次审批未使用征信报告。",
        "rights": "您有权要求我们对本决定作出说明，并要求人工复核（《个人信息保护法》第二十四条）。"
        "您可以向征信机构免费获取本人信用报告，并对其中的错误提出异议。",
    },
}  # fmt: skip


@dataclass(frozen=True)
class AdverseAction:
    """The notice a decline or counter-offer sends: up to 4 principal reasons, the
    bureau used and the applicant's rights."""

    notice_date: date
    outcome: Outcome
    reasons: tuple[ReasonText, ...]
    bureau: str | None

    def text(self, locale: str) -> str:
        """The notice in ``zh-CN`` (any ``zh``) or English.

        >>> reason = ReasonText("blacklist", "On the exclusion list", "在禁入名单中")
        >>> notice = AdverseAction(date(2026, 11, 28), Outcome.DECLINE, (reason,), None)
        >>> print(notice.text("en").splitlines()[3])
        1. On the exclusion list
        """
        lang = "zh" if locale.lower().startswith("zh") else "en"
        words = _NOTICE[lang]
        lines = [f"{words['title']} ({self.notice_date.isoformat()})", words[self.outcome]]
        lines.append(words["reasons"])
        for n, reason in enumerate(self.reasons, start=1):
            lines.append(f"{n}. {reason.text_zh if lang == 'zh' else reason.text_en}")
        if self.bureau:
            name = _BUREAU_IN.get(self.bureau, {}).get(lang, self.bureau)
            bureau = words["bureau"].format(name=name)
        else:
            bureau = words["no_bureau"]
        return "\n".join([*lines, bureau, words["rights"]])


@dataclass(frozen=True)
class Decision:
    """The stored decision; see the module docstring for how it is reached."""

    outcome: Outcome
    rule_hits: tuple[RuleHit, ...]
    pd: Decimal | None
    score: int | None
    grade: str | None
    model_version: str | None
    reason_method: str | None
    reasons: tuple[ReasonText, ...]
    annual_rate: Decimal | None
    max_amount: Money | None
    counter_offers: tuple[CounterOffer, ...]
    adverse_action: AdverseAction | None
    policy_name: str
    policy_version: int
    second_approval_required: bool = False


def _outcome(hits: list[RuleHit]) -> Outcome:
    effects = {hit.effect for hit in hits}
    if DECLINE in effects:
        return Outcome.DECLINE
    return Outcome.REFER if effects & {REFER, CONDITION} else Outcome.APPROVE


def _reasons(hits: list[RuleHit], score: ModelScore | None) -> tuple[ReasonText, ...]:
    order = {DECLINE: 0, CONDITION: 1, REFER: 2}
    ranked = sorted((h for h in hits if h.rule not in _NOT_REASONS), key=lambda h: order[h.effect])
    texts = [hit.reason() for hit in ranked] + list(score.reasons if score else ())
    unique = list({reason.code: reason for reason in reversed(texts)}.values())[::-1]
    return tuple(unique[:MAX_REASONS])


def _effective_limit(product: Product, policy: Policy) -> Decimal:
    limit = product.eligibility.max_dsr
    return limit if policy.max_dsr is None else min(limit, policy.max_dsr)


def _checked(facts: DecisionFacts, policy: Policy) -> Product:
    """The product whose rules apply: its DSR limit the tighter of its own and the policy's."""
    return with_dsr_limit(facts.product, _effective_limit(facts.product, policy))


def _structure_hits(facts: DecisionFacts, policy: Policy, rate: Decimal) -> list[RuleHit]:
    request = _as_requested(facts, rate)
    return [violation_hit(v) for v in check_request(_checked(facts, policy), request, facts.as_of)]


def _as_requested(facts: DecisionFacts, rate: Decimal) -> ProductRequest:
    """The product request for the structure the applicant asked for."""
    app = facts.application
    return product_request(app, existing_debt(app, facts.bureau), down_payment=app.down_payment,
                           term_months=app.term_months, amount=app.amount, rate=rate)  # fmt: skip


def _quote_request(facts: DecisionFacts, rate: Decimal) -> QuoteRequest:
    app = facts.application
    price = app.vehicle.price
    return deal_request(facts.product, price=price, down_payment=price - app.financed,
                        term_months=app.term_months, rate=rate, start=facts.as_of)  # fmt: skip


def _priced_rate(facts: DecisionFacts, policy: Policy) -> Decimal | None:
    """The risk-based rate capped by the cost ceiling (None: no rate fits the ceiling)."""
    score = facts.score
    position = policy.band_for(score.pd).position if score else Decimal(1)
    rate = risk_based_rate(facts.product, position)
    return ceiling_rate(facts.product, _quote_request(facts, rate), facts.pack_code)


def no_record(facts: DecisionFacts) -> bool:
    """Whether the bureau answered and holds no record of the applicant (no report and
    no error), as opposed to a bureau that could not be asked or did not answer."""
    return facts.bureau is None and facts.bureau_error is None


def _review_hits(facts: DecisionFacts, policy: Policy) -> list[RuleHit]:
    """Bureau, score and amount rules."""
    bureau = facts.bureau
    if no_record(facts):
        hits = [no_credit_file_hit()] if policy.thin_file == REFER else []
    elif bureau is None:
        hits = [bureau_unavailable_hit(facts.bureau_error)]
    else:
        hits = bureau_hits(
            bureau, decline_worst=policy.decline_worst_months_overdue,
            refer_late_months=policy.refer_late_months_24m,
            refer_inquiries=policy.refer_inquiries_6m, thin_file=policy.thin_file,
        )  # fmt: skip
    hits += score_hits(facts.score, approve_max=policy.approve_max_pd,
                       decline_min=policy.decline_min_pd)  # fmt: skip
    above = policy.refer_amount_above
    if above is not None and facts.application.financed > above:
        hits.append(RuleHit("amount_needs_review", "amount", REFER,
                            f"Loans above {above.to_api()} are reviewed by a person",
                            f"贷款金额超过{above.to_api()}元，需人工审核"))  # fmt: skip
    return hits


def _counters(facts: DecisionFacts, policy: Policy, rate: Decimal, hits: list[RuleHit],
              affordable: Money | None) -> tuple[CounterOffer, ...]:  # fmt: skip
    app = facts.application
    rules = {hit.rule for hit in hits if hit.effect == CONDITION}
    if not rules or any(hit.effect == DECLINE for hit in hits):
        return ()
    return counter_offers(_checked(facts, policy), _as_requested(facts, rate), facts.as_of,
                          rules=rules, affordable=affordable,
                          has_guarantor=bool(app.guarantors))  # fmt: skip


def _affordable(facts: DecisionFacts, policy: Policy, rate: Decimal) -> Money:
    app = facts.application
    most = max_financed(_quote_request(facts, rate), app.household_income,
                        existing_debt(app, facts.bureau),
                        _effective_limit(facts.product, policy))  # fmt: skip
    return min(most, facts.product.max_amount)


_NO_STRUCTURE = RuleHit("no_structure_fits", "amount", DECLINE,
                        "No down payment, term or amount under this product fits the rules",
                        "在本产品下没有可行的首付、期限或金额方案")  # fmt: skip
_CEILING = RuleHit("cost_ceiling", "annual_rate", DECLINE,
                   "The loan's total cost would exceed the legal ceiling",
                   "贷款综合成本将超过法定上限")  # fmt: skip


def decide(facts: DecisionFacts, policy: Policy) -> Decision:
    """Approve, refer or decline ``facts`` under ``policy``; see the module docstring."""
    hits = fraud_hits(facts.fraud, max_per_id=policy.max_applications_per_id_30d,
                      max_per_mobile=policy.max_applications_per_mobile_30d)  # fmt: skip
    rate = None if hits else _priced_rate(facts, policy)
    counters: tuple[CounterOffer, ...] = ()
    affordable = None
    if not hits and rate is None:
        hits.append(_CEILING)
    elif rate is not None:
        hits += _structure_hits(facts, policy, rate) + _review_hits(facts, policy)
        affordable = _affordable(facts, policy, rate)
        counters = _counters(facts, policy, rate, hits, affordable)
        effects = {h.effect for h in hits}
        if CONDITION in effects and DECLINE not in effects and not counters:
            hits.append(_NO_STRUCTURE)
    return _decision(facts, policy, hits=hits, rate=rate, affordable=affordable, counters=counters)


def _decision(
    facts: DecisionFacts, policy: Policy, *, hits: list[RuleHit], rate: Decimal | None,
    affordable: Money | None, counters: tuple[CounterOffer, ...],
) -> Decision:  # fmt: skip
    outcome, score = _outcome(hits), facts.score
    reasons = _reasons(hits, score)
    notice = None
    if outcome is Outcome.DECLINE or counters:
        # The bureau's "no record" was used too: the notice names who said it.
        consulted = facts.bureau is not None or no_record(facts)
        bureau = BUREAU_NAME if consulted else None
        notice = AdverseAction(facts.as_of, outcome, reasons, bureau)
    return Decision(
        outcome=outcome, rule_hits=tuple(hits), pd=score.pd if score else None,
        score=score.score if score else None, grade=score.grade if score else None,
        model_version=score.model_version if score else None,
        reason_method=score.reason_method if score else None, reasons=reasons,
        annual_rate=None if outcome is Outcome.DECLINE else rate, max_amount=affordable,
        counter_offers=counters, adverse_action=notice,
        policy_name=policy.name, policy_version=policy.version,
        second_approval_required=facts.application.financed > policy.second_approval_above,
    )  # fmt: skip


# --- JSON ------------------------------------------------------------------------------


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
    return {"notice_date": notice.notice_date.isoformat(), "outcome": notice.outcome.value,
            "reasons": [_reason(r) for r in notice.reasons], "bureau": notice.bureau}  # fmt: skip


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
    }  # fmt: skip


def _reasons_back(items: Any) -> tuple[ReasonText, ...]:
    return tuple(ReasonText(r["code"], r["text_en"], r["text_zh"]) for r in items)


def _notice_back(data: Any) -> AdverseAction | None:
    if data is None:
        return None
    return AdverseAction(date.fromisoformat(data["notice_date"]), Outcome(data["outcome"]),
                         _reasons_back(data["reasons"]), data["bureau"])  # fmt: skip


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
    )  # fmt: skip
