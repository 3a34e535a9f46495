"""A person's decline (人工拒绝) of a referred or pending case, as a stored decision.

An automatic decline carries an adverse-action notice (:class:`~autolend.domain.decision.
AdverseAction`); so does a decline by an underwriter (or by the second person of a large
approval). :func:`declined_by_person` turns the stored decision into a decline: the
underwriter's reason is the first principal reason (free text, the same in both
languages, after a fixed lead-in), then the decision's own reasons, at most 4 in all; the
notice names the credit bureau unless the decision could not use a report
(``bureau_unavailable``); no rate, no counter-offers.

>>> from autolend.domain.decision_rules import ReasonText
>>> referred = Decision(Outcome.REFER, (), None, None, None, None, None,
...     (ReasonText("no_credit_file", "No credit history", "无信用记录"),), None, None, (),
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

from autolend.domain.decision import (
    BUREAU_NAME,
    MAX_REASONS,
    AdverseAction,
    Decision,
    Outcome,
)
from autolend.domain.decision_rules import DECLINE, RuleHit

__all__ = ["MANUAL_DECLINE", "declined_by_person"]

MANUAL_DECLINE = "manual_decline"
_NO_REPORT = "bureau_unavailable"


def declined_by_person(decision: Decision, reason: str, day: date) -> Decision:
    """``decision`` declined on ``day`` by a person for ``reason``, with its notice."""
    hit = RuleHit(MANUAL_DECLINE, "review", DECLINE,
                  f"Declined after review by a person: {reason}",
                  f"经人工审核拒绝：{reason}")  # fmt: skip
    own = tuple(r for r in decision.reasons if r.code != MANUAL_DECLINE)
    reasons = (hit.reason(), *own)[:MAX_REASONS]
    consulted = all(h.rule != _NO_REPORT for h in decision.rule_hits)
    notice = AdverseAction(day, Outcome.DECLINE, reasons, BUREAU_NAME if consulted else None)
    return replace(
        decision,
        outcome=Outcome.DECLINE,
        rule_hits=(*decision.rule_hits, hit),
        reasons=reasons,
        annual_rate=None,
        counter_offers=(),
        adverse_action=notice,
    )
