"""A person's decline carries an adverse-action notice like the automatic one: the
underwriter's reason first, then the decision's own about the applicant (not why the case
went to a person), at most 4, in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from autolend.domain.decision import (
    BUREAU_NAME,
    Decision,
    Outcome,
    ReasonText,
    decide,
)
from autolend.domain.decision_codec import decision_from_dict, decision_to_dict
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.manual_review import MANUAL_DECLINE, approved_reasons, declined_by_person
from autolend.domain.money import Money
from tests.unit.domain.test_decision import facts, report, score

DAY = date(2026, 12, 1)
REASON = "the employer could not be confirmed"


def referred(*, bureau_error: str | None = None) -> Decision:
    """A referral: PD 10 % is between the approve (6 %) and decline (18 %) cut-offs; with
    a bureau error, no report was used."""
    decision = decide(facts(bureau_error=bureau_error, model=score("0.10")), DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER and decision.adverse_action is None
    return decision


def test_a_manual_decline_has_a_notice_with_the_underwriters_reason_first() -> None:
    decision = referred()
    declined = declined_by_person(decision, REASON, DAY)
    notice = declined.adverse_action
    assert notice is not None and notice.outcome is Outcome.DECLINE and notice.notice_date == DAY
    assert [r.code for r in notice.reasons] == [
        MANUAL_DECLINE,
        *[r.code for r in decision.reasons],
    ][:4]
    assert notice.bureau == BUREAU_NAME  # the report was used
    assert notice.text("en").splitlines()[3] == f"1. Declined after review by a person: {REASON}"
    assert notice.text("zh-CN").splitlines()[3] == f"1. 经人工审核拒绝：{REASON}"
    assert declined.outcome is Outcome.DECLINE and declined.annual_rate is None
    assert declined.reasons == notice.reasons and declined.rule_hits[-1].rule == MANUAL_DECLINE
    assert decision_from_dict(decision_to_dict(declined)) == declined


def test_without_a_report_the_notice_says_none_was_used() -> None:
    declined = declined_by_person(referred(bureau_error="timed out"), REASON, DAY)
    assert declined.adverse_action is not None and declined.adverse_action.bureau is None
    assert "No credit report was used." in declined.adverse_action.text("en")


def test_the_notice_keeps_at_most_four_reasons_and_drops_the_counter_offers() -> None:
    many = tuple(ReasonText(f"r{n}", f"reason {n}", f"原因{n}") for n in range(5))
    decision = replace(referred(), reasons=many)
    declined = declined_by_person(decision, REASON, DAY)
    assert declined.adverse_action is not None
    assert [r.code for r in declined.adverse_action.reasons] == [MANUAL_DECLINE, "r0", "r1", "r2"]
    assert declined.counter_offers == ()


@pytest.mark.parametrize(
    ("referral", "process"),
    [
        (decide(facts(bureau_error="timed out", model=score("0.10")), DEFAULT_POLICY),
         "bureau_unavailable"),
        (decide(facts(no_score=True), DEFAULT_POLICY), "score_unavailable"),
        (decide(facts(), replace(DEFAULT_POLICY, refer_amount_above=Money.parse("100000", "CNY"))),
         "amount_needs_review"),
    ],
    ids=["bureau_down", "no_score", "amount_reviewed_by_a_person"],
)  # fmt: skip
def test_a_manual_decline_gives_the_applicants_reasons_not_why_the_case_was_referred(
    referral: Decision, process: str
) -> None:
    """A report that could not be obtained is why a person looked, not why they declined:
    the notice gives the person's reason and the applicant's own (the model's reasons,
    the report's); the decision's rule hits still record the referral."""
    assert referral.outcome is Outcome.REFER and process in [r.code for r in referral.reasons]
    declined = declined_by_person(referral, REASON, DAY)
    assert declined.adverse_action is not None
    codes = [r.code for r in declined.adverse_action.reasons]
    kept = [r.code for r in referral.reasons if r.code != process]
    assert codes == [MANUAL_DECLINE, *kept][:4]
    assert declined.reasons == declined.adverse_action.reasons
    assert process in [hit.rule for hit in declined.rule_hits]
    assert "a person will review" not in declined.adverse_action.text("en")


def test_an_approval_by_a_person_keeps_the_score_reasons_not_why_it_was_referred() -> None:
    """Approved after review, the page listed "The credit report has little history; a
    person will review" under "Approved"."""
    thin = decide(facts(bureau=report(thin_file=True), model=score("0.03")), DEFAULT_POLICY)
    assert thin.outcome is Outcome.REFER
    codes = [r.code for r in thin.reasons]
    assert "thin_file" in codes
    kept = [r.code for r in approved_reasons(thin)]
    assert kept == [c for c in codes if c != "thin_file"] and kept
