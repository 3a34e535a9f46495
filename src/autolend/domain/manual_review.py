"""A person's decline (人工拒绝) of a referred or pending case, as a stored decision.

An automatic decline carries an adverse-action notice (:class:`~autolend.domain.decision.
AdverseAction`); so does a decline by an underwriter (or by the second person of a large
approval). :func:`declined_by_person` turns the stored decision into a decline: the
underwriter's reason is the first principal reason (free text, the same in both
languages, after a fixed lead-in), then the decision's own reasons about the applicant
(the credit report's, the model's, the structure's: "no credit history", "debt-service
ratio above the limit"), at most 4 in all. The reasons why the case went to a person
(:data:`REFERRAL_ONLY`: the report could not be obtained, the score could not be
computed, the amount is reviewed by a person) are no reasons for declining it, so the
notice leaves them out (the decision's rule hits keep them). The notice names the credit
bureau unless the decision could not use a report (``bureau_unavailable``: it then says
no report was used); no rate, no counter-offers.

>>> from autolend.domain.decision_rules import ReasonText
>>> referred = Decision(Outcome.REFER, (), None, None, None, None, None,
...     (ReasonText("amount_needs_review", "Loans above 300000.00 are reviewed by a person",
...                 "贷款金额超过300000.00元，需人工审核"),
...      ReasonText("no_credit_file", "No credit history", "无信用记录")), None, None, (),
...     None, "default", 1)
>>> declined = declined_by_person(referred, "the employer could not be confirmed",
...     date(2026, 11, 28))
>>> declined.outcome.value, [r.code for r in declined.adverse_action.reasons]
('decline', ['manual_decline', 'no_credit_file'])
>>> print(declined.adverse_action.text("en").splitlines()[3])
1. Declined after review by a person: the employer could not be confirmed
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.domain.adverse_notice import may_state
from autolend.domain.decision import MAX_REASONS, NOT_REASONS, Decision, Outcome, adverse_action
from autolend.domain.decision_rules import DECLINE, REFER, ReasonText, RuleHit

__all__ = [
    "MANUAL_DECLINE", "REFERRAL_ONLY", "RETURNED", "approved_reasons", "declined_by_person",
    "returned_to_review",
]  # fmt: skip

MANUAL_DECLINE = "manual_decline"
RETURNED = "returned_to_review"
_NO_REPORT = "bureau_unavailable"
REFERRAL_ONLY = frozenset(
    {_NO_REPORT, "score_unavailable", "no_model", "amount_needs_review", RETURNED}
)
"""Reasons a case was referred that say nothing about the applicant's credit: the bureau
did not answer (``bureau_unavailable``), the model could not score
(``score_unavailable``) or none is registered for the application's currency
(``no_model``), the policy has a person review loans above an amount
(``amount_needs_review``), a second person sent an approval back to review
(``returned_to_review``). Not principal reasons of a decline (Reg B 1002.9)."""


def declined_by_person(decision: Decision, reason: str, day: date) -> Decision:
    """``decision`` declined on ``day`` by a person for ``reason``, with its notice."""
    hit = RuleHit(MANUAL_DECLINE, "review", DECLINE,
                  f"Declined after review by a person: {reason}",
                  f"经人工审核拒绝：{reason}")  # fmt: skip
    own = tuple(r for r in decision.reasons if r.code not in REFERRAL_ONLY | {MANUAL_DECLINE})
    reasons = (hit.reason(), *own)[:MAX_REASONS]
    consulted = all(h.rule != _NO_REPORT for h in decision.rule_hits)
    notice = adverse_action(
        day, Outcome.DECLINE, reasons, consulted=consulted, pack_code=decision.pack_code
    )  # the decision's pack's notice
    return replace(
        decision,
        outcome=Outcome.DECLINE,
        rule_hits=(*decision.rule_hits, hit),
        reasons=reasons,
        annual_rate=None,
        counter_offers=(),
        adverse_action=notice,
    )


def approved_reasons(decision: Decision) -> tuple[ReasonText, ...]:
    """The reasons an approval by a person keeps: what held the score back, without the
    rules that only sent the case to a person ("the credit report has little history; a
    person will review" read as still pending under "Approved"), nor those of
    :data:`REFERRAL_ONLY`."""
    referred = {h.rule for h in decision.rule_hits if h.effect == REFER}
    return tuple(r for r in decision.reasons if r.code not in referred | REFERRAL_ONLY)


def returned_to_review(decision: Decision, risk_based_rate: Decimal | None) -> Decision:
    """The approval ``decision`` a second person refused, as the case goes back to the
    review queue: a referral again (not a decline: the customer is not refused for
    what one underwriter proposed and another did not confirm), at the case's
    ``risk_based_rate``, its reasons the one that says it was sent back, then the
    referral rules' own and what held the score back (at most 4). What was proposed and
    why it was refused are the caller's to keep, for staff.

    >>> from autolend.domain.decision_rules import ReasonText
    >>> pending = Decision(Outcome.APPROVE, (RuleHit("thin_file", "bureau", REFER,
    ...     "The credit report has little history; a person will review",
    ...     "征信记录较少，将转人工审核"),), None, None, None, None, None, (),
    ...     Decimal("0.0549"), None, (), None, "default", 1)
    >>> back = returned_to_review(pending, Decimal("0.0899"))
    >>> back.outcome.value, back.annual_rate, [r.code for r in back.reasons]
    ('refer', Decimal('0.0899'), ['returned_to_review', 'thin_file'])
    """
    hit = RuleHit(RETURNED, "review", REFER,
                  "An approval was sent back for another review by a second underwriter",
                  "审批意见经双人复核退回，待重新人工审核")  # fmt: skip
    hits = (*(h for h in decision.rule_hits if h.rule != RETURNED), hit)
    referred = [h.reason() for h in hits if h.effect == REFER and h.rule not in NOT_REASONS]
    stated = [r for r in referred if may_state(r.code, decision.pack_code)]
    texts = [stated[-1], *stated[:-1], *decision.reasons]
    unique = list({r.code: r for r in reversed(texts)}.values())[::-1]
    return replace(decision, outcome=Outcome.REFER, rule_hits=hits,
                   reasons=tuple(unique[:MAX_REASONS]), annual_rate=risk_based_rate)  # fmt: skip
