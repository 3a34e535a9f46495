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
5. the score: none -> refer (no model for the application's currency: ``no_model``,
   never another currency's model); PD at or above ``decline_min_pd`` -> decline; above
   ``approve_max_pd`` -> refer;
6. amount: above ``refer_amount_above`` -> refer; ``max_amount`` by affordability (the
   largest amount financed whose DSR stays within the limit at the rate and term).

The outcome is the worst effect (decline > refer/condition > approve). Reasons (at most
4, zh/en): the knock-out hits first, then the model's own reasons, less any the pack's
notice may not state (:func:`~autolend.domain.adverse_notice.may_state`: never sex,
marital status or national origin; under the US pack never age either, save a minor's
lack of capacity to contract: :func:`~autolend.domain.adverse_notice.capacity_hit`). A
decline or a counter-offer carries an :class:`AdverseAction` notice in the pack's words
(CN: PBOC report, PIPL; US: ECOA statement, FCRA 615(a) items).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from autolend.domain.adverse_notice import (
    BUREAU_NAME,
    bureau_for,
    capacity_hit,
    may_state,
    notice_rights,
    notice_words,
)
from autolend.domain.application import ApplicationInput
from autolend.domain.bureau import ReportSummary
from autolend.domain.date_text import DateStyle, day_text
from autolend.domain.deal_ceiling import ceiling_rate
from autolend.domain.decision_policy import Policy, needs_second_person
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
    grouped,
    max_financed,
    no_credit_file_hit,
    product_request,
    risk_based_rate,
    score_hits,
    violation_hit,
    with_dsr_limit,
    zh_amount,
)
from autolend.domain.money import Money
from autolend.domain.product_rules import ProductRequest, age_on, check_request
from autolend.domain.products import Product
from autolend.domain.quote import QuoteRequest
from autolend.domain.regulation import pack_for
from autolend.domain.score_features import existing_debt
from autolend.domain.vehicle_financing import vin_in_use_hit

__all__ = [
    "BUREAU_NAME", "NOT_REASONS", "AdverseAction", "CounterOffer", "Decision", "DecisionFacts",
    "FraudSignals", "ModelScore", "Outcome", "ReasonText", "RuleHit", "adverse_action", "decide",
    "no_model_hit",
]  # fmt: skip

MAX_REASONS = 4
NOT_REASONS = frozenset({"credit_risk_decline", "credit_risk_refer"})  # the model's own


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
    no_model_for: str | None = None  # the currency no credit model is registered for


@dataclass(frozen=True)
class AdverseAction:
    """The notice a decline or counter-offer sends: up to 4 principal reasons, the
    bureau used and the applicant's rights, in the words of the pack (``pack_code``)."""

    notice_date: date
    outcome: Outcome
    reasons: tuple[ReasonText, ...]
    bureau: str | None
    pack_code: str = "CN"

    def text(self, locale: str, style: DateStyle = "iso") -> str:
        """The notice in ``zh-CN`` (any ``zh``) or English, dated in ``style`` (the
        page's: ``11/28/2026`` on a US lender's English page, else ``2026-11-28``).

        >>> reason = ReasonText("blacklist", "On the exclusion list", "在禁入名单中")
        >>> notice = AdverseAction(date(2026, 11, 28), Outcome.DECLINE, (reason,), None)
        >>> print(notice.text("en").splitlines()[3])
        1. On the exclusion list
        >>> notice.text("en", "mdy").splitlines()[0].endswith("(11/28/2026)")
        True
        """
        lang = "zh" if locale.lower().startswith("zh") else "en"
        words = notice_words(lang, self.pack_code)
        dated = day_text(self.notice_date, style)
        lines = [f"{words['title']} ({dated})", words[self.outcome]]
        lines.append(words["reasons"])
        for n, reason in enumerate(self.reasons, start=1):
            lines.append(f"{n}. {reason.text_zh if lang == 'zh' else reason.text_en}")
        return "\n".join([*lines, *notice_rights(lang, self.pack_code, self.bureau)])


def adverse_action(
    day: date, outcome: Outcome, reasons: tuple[ReasonText, ...], *, consulted: bool,
    pack_code: str,
) -> AdverseAction:  # fmt: skip
    """The notice of ``outcome`` on ``day`` under ``pack_code``, naming the pack's bureau
    when a report was ``consulted``; reasons the pack's notice may not state are left out
    (:func:`~autolend.domain.adverse_notice.may_state`)."""
    kept = tuple(r for r in reasons if may_state(r.code, pack_code))
    bureau = bureau_for(pack_code) if consulted else None
    return AdverseAction(day, outcome, kept, bureau, pack_code)


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
    pack_code: str = "CN"


def _outcome(hits: list[RuleHit]) -> Outcome:
    effects = {hit.effect for hit in hits}
    if DECLINE in effects:
        return Outcome.DECLINE
    return Outcome.REFER if effects & {REFER, CONDITION} else Outcome.APPROVE


def _reasons(
    hits: list[RuleHit], score: ModelScore | None, pack_code: str
) -> tuple[ReasonText, ...]:
    order = {DECLINE: 0, CONDITION: 1, REFER: 2}
    # The catch-all "no structure fits" ranks with the conditions it follows (appended
    # after them) where the notice must give specific reasons first (US: Reg B).
    catch_all = _NO_STRUCTURE.rule if pack_for(pack_code).specific_reasons_first else None
    ranked = sorted(
        (h for h in hits if h.rule not in NOT_REASONS),
        key=lambda h: order[CONDITION if h.rule == catch_all else h.effect],
    )
    texts = [hit.reason() for hit in ranked] + [
        _as_sentence(r) for r in (score.reasons if score else ())
    ]
    unique = list({reason.code: reason for reason in reversed(texts)}.values())[::-1]
    # Before the cut to 4, so a reason barred by the pack leaves room for the next one.
    return tuple([r for r in unique if may_state(r.code, pack_code)][:MAX_REASONS])


def _as_sentence(reason: ReasonText) -> ReasonText:
    """A model's reason begins with a capital, as the rules' reasons do: the catalogue
    writes phrases ("monthly debt payments are high ...") that the list and the notice
    show as sentences beside "The product is not available on this date".

    >>> _as_sentence(ReasonText("DSR", "debt is high", "负债高")).text_en
    'Debt is high'
    """
    return replace(reason, text_en=reason.text_en[:1].upper() + reason.text_en[1:])


def _effective_limit(product: Product, policy: Policy) -> Decimal:
    limit = product.eligibility.max_dsr
    return limit if policy.max_dsr is None else min(limit, policy.max_dsr)


def _checked(facts: DecisionFacts, policy: Policy) -> Product:
    """The product whose rules apply: its DSR limit the tighter of its own and the policy's."""
    return with_dsr_limit(facts.product, _effective_limit(facts.product, policy))


def _structure_hits(facts: DecisionFacts, policy: Policy, rate: Decimal) -> list[RuleHit]:
    request = _as_requested(facts, rate)
    broken = check_request(_checked(facts, policy), request, facts.as_of)
    # A minor's age rule as the notice may state it (US: capacity to contract).
    age = age_on(request.birth_date, facts.as_of)
    return [capacity_hit(violation_hit(v), age, facts.pack_code) for v in broken]


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
    if facts.no_model_for is not None:
        hits.append(no_model_hit(facts.no_model_for))
    else:
        hits += score_hits(facts.score, approve_max=policy.approve_max_pd,
                           decline_min=policy.decline_min_pd)  # fmt: skip
    if facts.fraud.vin_financed_by is not None:
        hits.append(vin_in_use_hit())
    above = policy.refer_amount_above
    if above is not None and facts.application.financed > above:
        hits.append(RuleHit("amount_needs_review", "amount", REFER,
                            f"Loans above {grouped(above)} are reviewed by a person",
                            f"贷款金额超过{zh_amount(above)}，需人工审核"))  # fmt: skip
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


_ZH_CURRENCY = {"CNY": "人民币", "USD": "美元"}


def no_model_hit(currency: str) -> RuleHit:
    """No credit model is registered for the application's currency: referred, never
    scored with another currency's model (one trained on yuan reads $9,000.00 as 9,000
    yuan). E.g. USD: "No credit model is registered for USD amounts ..." /
    "暂无适用于美元金额的信用评分模型 ..."."""
    zh = _ZH_CURRENCY.get(currency, currency)
    return RuleHit("no_model", "score", REFER,
                   f"No credit model is registered for {currency} amounts, so the "
                   "application was not scored; a person will review",
                   f"暂无适用于{zh}金额的信用评分模型，本申请未评分，将转人工审核")  # fmt: skip


_NO_STRUCTURE = RuleHit("no_structure_fits", "amount", DECLINE,
                        "No down payment, term or amount under this product fits the rules",
                        "在本产品下没有可行的首付、期限或金额方案")  # fmt: skip
_CEILING = RuleHit("cost_ceiling", "annual_rate", DECLINE,
                   "The loan's total cost would exceed the legal ceiling",
                   "贷款综合成本将超过法定上限")  # fmt: skip


def decide(facts: DecisionFacts, policy: Policy) -> Decision:
    """Approve, refer or decline ``facts`` under ``policy``; see the module docstring."""
    # The policy's money thresholds in the application's currency (USD under the US pack).
    policy = policy.in_currency(facts.application.financed.currency.code)
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
    reasons = _reasons(hits, score, facts.pack_code)
    notice = None
    if outcome is Outcome.DECLINE or counters:
        # The bureau's "no record" was used too: the notice names who said it.
        consulted = facts.bureau is not None or no_record(facts)
        notice = adverse_action(facts.as_of, outcome, reasons, consulted=consulted,
                                pack_code=facts.pack_code)  # fmt: skip
    return Decision(
        outcome=outcome, rule_hits=tuple(hits), pd=score.pd if score else None,
        score=score.score if score else None, grade=score.grade if score else None,
        model_version=score.model_version if score else None,
        reason_method=score.reason_method if score else None, reasons=reasons,
        annual_rate=None if outcome is Outcome.DECLINE else rate, max_amount=affordable,
        counter_offers=counters, adverse_action=notice,
        policy_name=policy.name, policy_version=policy.version,
        second_approval_required=needs_second_person(facts.application.financed,
                                                     policy.second_approval_above),
        pack_code=facts.pack_code,
    )  # fmt: skip
