"""The decision engine: each rule of decide, in order, on the demo catalogue's products."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolend.domain.application import ApplicationInput, parse_application
from autolend.domain.bureau import ReportSummary
from autolend.domain.deal_ceiling import ceiling_rate, within_ceiling
from autolend.domain.decision import (
    BUREAU_NAME,
    AdverseAction,
    Decision,
    DecisionFacts,
    FraudSignals,
    ModelScore,
    Outcome,
    ReasonText,
    decide,
)
from autolend.domain.decision_codec import decision_from_dict, decision_to_dict
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.decision_rules import deal_request
from autolend.domain.identity import resident_id_check_character
from autolend.domain.money import Money
from autolend.domain.product_catalogue import (
    OEM_ZERO,
    STANDARD_NEW,
    USED_CAR,
    YOUNG_FIRST,
)
from autolend.domain.products import Product

AS_OF = date(2026, 11, 28)
CLEAN_FRAUD = FraudSignals(0, 0, False)
MODEL_REASONS = (
    ReasonText("DEBT_SERVICE_RATIO", "Monthly debts are high for the income", "月负债相对收入较高"),
    ReasonText("BUREAU_INQUIRIES_6M", "Many recent credit applications", "近期贷款申请较多"),
)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def resident_id(birth: date) -> str:
    first17 = f"110105{birth:%Y%m%d}001"
    return first17 + resident_id_check_character(first17)


def application(
    *, born: date = date(1988, 1, 1), income: str = "20000.00", down: str = "50000.00",
    price: str = "200000.00", term: int = 36, condition: str = "new", amount: str | None = None,
    employment: str = "salaried", guarantor: bool = False, first_time_buyer: bool = False,
) -> ApplicationInput:  # fmt: skip
    borrower = {"role": "borrower", "name": "王五", "id_number": resident_id(born),
                "mobile": "13800138000", "address": "上海", "employment": employment,
                "monthly_income": income, "monthly_obligations": "1000.00",
                "first_time_buyer": first_time_buyer}  # fmt: skip
    parties = [borrower]
    if guarantor:
        parties.append(borrower | {"role": "guarantor", "id_number": resident_id(date(1970, 5, 5))})
    body = {
        "channel": "dealer", "product_code": "STD_NEW", "term_months": term,
        "down_payment": down, "amount": amount, "applicants": parties,
        "vehicle": {"make": "Geely", "model": "Galaxy", "energy": "ice", "condition": condition,
                    "price": price, "dealer_id": 3},
        "consents": [{"kind": "bureau_query", "text_version": "v1"}],
    }  # fmt: skip
    return parse_application(body, as_of=AS_OF)


def report(**changes: Any) -> ReportSummary:
    values: dict[str, Any] = dict(
        accounts=3, open_accounts=2, total_outstanding_minor=0, monthly_obligations_minor=0,
        worst_months_overdue=0, months_overdue_any=0, months_overdue_90_plus=0,
        inquiries_6m=1, inquiries_12m=2, thin_file=False, red_flags=(),
    )  # fmt: skip
    return ReportSummary(**(values | changes))


def score(pd: str = "0.03") -> ModelScore:
    return ModelScore(Decimal(pd), 640, "B", "default@3", "scorecard_points", MODEL_REASONS)


def facts(
    app: ApplicationInput | None = None, *, product: Product = STANDARD_NEW,
    bureau: ReportSummary | None = None, bureau_error: str | None = None,
    model: ModelScore | None = None, fraud: FraudSignals = CLEAN_FRAUD, no_score: bool = False,
    unknown_to_the_bureau: bool = False,
) -> DecisionFacts:  # fmt: skip
    if not unknown_to_the_bureau:
        bureau = bureau if bureau is not None or bureau_error else report()
    model = None if no_score else (model or score())
    app = app or application()
    return DecisionFacts(app, product, bureau, bureau_error, model, fraud, AS_OF)


def rules(decision: Decision) -> list[str]:
    return [hit.rule for hit in decision.rule_hits]


def test_a_clean_application_with_a_low_pd_is_approved_at_its_bands_rate() -> None:
    decision = decide(facts(), DEFAULT_POLICY)
    assert decision.outcome is Outcome.APPROVE
    assert rules(decision) == []
    # PD 0.03 -> band (0.04, 0.25): 3.99 % + 0.25 x (8.99 - 3.99) % = 5.24 %
    assert decision.annual_rate == Decimal("0.0524")
    assert decision.adverse_action is None and decision.counter_offers == ()
    assert decision.reasons == MODEL_REASONS
    assert decision.model_version == "default@3" and decision.policy_name == "default"


def test_the_affordable_maximum_keeps_the_dsr_within_the_products_limit() -> None:
    decision = decide(facts(), DEFAULT_POLICY)
    assert decision.max_amount is not None
    # 50 % of 20,000.00 less 1,000.00 existing leaves 9,000.00 a month: over 36 months
    # at 5.24 % that finances about 300,000 (9,000 x 33.3 annuity factor).
    assert cny("280000") < decision.max_amount < cny("310000")


@pytest.mark.parametrize(
    ("fraud", "rule"),
    [
        (FraudSignals(0, 0, True), "blacklist"),
        (FraudSignals(4, 0, False), "velocity_id"),
        (FraudSignals(0, 4, False), "velocity_mobile"),
    ],
)
def test_the_blacklist_and_velocity_decline_before_anything_else(
    fraud: FraudSignals, rule: str
) -> None:
    decision = decide(facts(fraud=fraud), DEFAULT_POLICY)
    assert decision.outcome is Outcome.DECLINE
    assert rules(decision) == [rule]
    assert decision.annual_rate is None
    assert decision.adverse_action is not None
    assert decision.adverse_action.reasons[0].code == rule


def test_velocity_at_the_limit_is_allowed() -> None:
    assert decide(facts(fraud=FraudSignals(3, 3, False)), DEFAULT_POLICY).outcome is Outcome.APPROVE


def test_an_unavailable_bureau_refers_the_application_and_never_declines_it() -> None:
    decision = decide(facts(bureau_error="bureau timed out"), DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER
    assert rules(decision) == ["bureau_unavailable"]
    assert decision.annual_rate is not None


def test_an_applicant_unknown_to_the_bureau_is_a_thin_file_not_an_unavailable_bureau() -> None:
    """The bureau answered "no record" (its 404): the case used to be referred as "the
    credit report could not be obtained", which was not so. It is referred as a file
    with no credit history, and a notice (here for a decline on the score) names the
    bureau whose answer was used."""
    unknown = facts(unknown_to_the_bureau=True)
    decision = decide(unknown, DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER
    assert rules(decision) == ["no_credit_file"]
    assert decision.reasons[0].code == "no_credit_file"
    assert "无信贷历史" in decision.reasons[0].text_zh
    declined = decide(facts(unknown_to_the_bureau=True, model=score("0.30")), DEFAULT_POLICY)
    assert declined.outcome is Outcome.DECLINE and declined.adverse_action is not None
    assert declined.adverse_action.bureau == BUREAU_NAME
    assert rules(declined) == ["no_credit_file", "credit_risk_decline"]


def test_a_policy_scoring_thin_files_lets_the_score_decide_an_applicant_without_one() -> None:
    scoring = replace(DEFAULT_POLICY, thin_file="score")
    decision = decide(facts(unknown_to_the_bureau=True), scoring)
    assert decision.outcome is Outcome.APPROVE and rules(decision) == []
    # A bureau that could not be asked still refers, whatever the thin-file option.
    assert rules(decide(facts(bureau_error="timeout"), scoring)) == ["bureau_unavailable"]


@pytest.mark.parametrize(
    ("bureau", "outcome", "rule"),
    [
        (report(worst_months_overdue=3, months_overdue_any=3), Outcome.DECLINE,
         "bureau_delinquency"),
        (report(red_flags=("written_off",)), Outcome.DECLINE, "bureau_red_flag"),
        (report(worst_months_overdue=1, months_overdue_any=2), Outcome.REFER,
         "bureau_late_payments"),
        (report(inquiries_6m=6), Outcome.REFER, "bureau_inquiries"),
        (report(thin_file=True, accounts=0, open_accounts=0), Outcome.REFER, "thin_file"),
    ],
)  # fmt: skip
def test_bureau_red_flags_decline_or_refer_as_the_policy_says(
    bureau: ReportSummary, outcome: Outcome, rule: str
) -> None:
    decision = decide(facts(bureau=bureau), DEFAULT_POLICY)
    assert decision.outcome is outcome
    assert rule in rules(decision)


def test_a_policy_that_scores_thin_files_approves_a_thin_file_with_a_low_pd() -> None:
    policy = replace(DEFAULT_POLICY, thin_file="score")
    decision = decide(facts(bureau=report(thin_file=True)), policy)
    assert decision.outcome is Outcome.APPROVE


def test_debt_the_bureau_reports_above_the_declared_debt_counts_in_the_dsr() -> None:
    heavy = report(monthly_obligations_minor=900_000)  # 9,000.00 a month elsewhere
    decision = decide(facts(bureau=heavy), DEFAULT_POLICY)
    assert "dsr_above_cap" in rules(decision)


@pytest.mark.parametrize(
    ("model", "outcome", "rule"),
    [
        (None, Outcome.REFER, "score_unavailable"),
        (score("0.06"), Outcome.APPROVE, None),
        (score("0.10"), Outcome.REFER, "credit_risk_refer"),
        (score("0.18"), Outcome.DECLINE, "credit_risk_decline"),
    ],
)
def test_the_score_cut_offs_approve_refer_or_decline(
    model: ModelScore | None, outcome: Outcome, rule: str | None
) -> None:
    decision = decide(facts(model=model, no_score=model is None), DEFAULT_POLICY)
    assert decision.outcome is outcome
    assert rules(decision) == ([rule] if rule else [])


def test_a_decline_by_the_model_gives_the_models_plain_reasons_never_the_score() -> None:
    decision = decide(facts(model=score("0.25")), DEFAULT_POLICY)
    assert decision.adverse_action is not None
    assert decision.reasons == MODEL_REASONS
    for reason in decision.reasons:
        assert "score" not in reason.text_en.lower()


def test_no_score_prices_at_the_top_of_the_range() -> None:
    decision = decide(facts(no_score=True), DEFAULT_POLICY)
    assert decision.annual_rate == STANDARD_NEW.rate_max


@pytest.mark.parametrize(
    ("app", "product", "rule"),
    [
        (application(born=date(1988, 1, 1), first_time_buyer=True), YOUNG_FIRST,
         "age_at_application"),
        (application(employment="retired"), STANDARD_NEW, "employment_not_allowed"),
        (application(condition="used", price="100000.00", down="40000.00"), STANDARD_NEW,
         "condition_not_allowed"),
    ],
)  # fmt: skip
def test_product_knock_outs_no_structure_can_fix_decline(
    app: ApplicationInput, product: Product, rule: str
) -> None:
    decision = decide(facts(app, product=product), DEFAULT_POLICY)
    assert decision.outcome is Outcome.DECLINE
    assert rule in rules(decision)
    assert decision.counter_offers == ()
    assert decision.reasons[0].code == rule


def test_a_used_car_over_36_months_is_referred_with_a_shorter_term_counter_offer() -> None:
    app = application(condition="used", price="100000.00", down="40000.00", term=48)
    decision = decide(facts(app, product=USED_CAR), DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER
    assert {"term_not_offered", "term_above_cap"} <= set(rules(decision))
    kinds = {offer.kind: offer for offer in decision.counter_offers}
    assert kinds["shorter_term"].term_months == 36
    assert decision.adverse_action is not None


def test_a_used_car_above_70_percent_ltv_gets_a_larger_down_payment_counter_offer() -> None:
    app = application(condition="used", price="100000.00", down="20000.00")
    decision = decide(facts(app, product=USED_CAR), DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER
    offer = next(o for o in decision.counter_offers if o.kind == "larger_down_payment")
    assert offer.down_payment is not None and offer.down_payment >= cny("30000.00")


def test_a_used_car_over_36_months_with_20_percent_down_is_offered_both_fixes_at_once() -> None:
    app = application(condition="used", price="100000.00", down="20000.00", term=48)
    decision = decide(facts(app, product=USED_CAR), DEFAULT_POLICY)
    assert decision.outcome is Outcome.REFER
    offer = next(o for o in decision.counter_offers if o.kind == "larger_down_payment")
    assert offer.term_months == 36
    assert offer.down_payment is not None and offer.down_payment >= cny("30000.00")


def test_a_counter_offer_for_a_policy_dsr_breach_meets_the_policy_limit() -> None:
    tight = replace(DEFAULT_POLICY, max_dsr=Decimal("0.30"))
    app = application(income="12000.00")
    decision = decide(facts(app), tight)
    offer = next(o for o in decision.counter_offers if o.kind == "larger_down_payment")
    assert offer.down_payment is not None and offer.down_payment > app.down_payment
    assert decision.max_amount is not None and decision.max_amount < app.financed


def test_a_dsr_above_the_limit_gets_a_lower_amount_and_a_guarantor_counter_offer() -> None:
    decision = decide(facts(application(income="9000.00")), DEFAULT_POLICY)
    assert "dsr_above_cap" in rules(decision)
    kinds = {offer.kind for offer in decision.counter_offers}
    assert {"lower_amount", "larger_down_payment", "guarantor"} <= kinds
    lower = next(o for o in decision.counter_offers if o.kind == "lower_amount")
    assert decision.max_amount is not None and lower.amount is not None
    assert lower.amount <= decision.max_amount


def test_an_applicant_with_a_guarantor_is_not_offered_another_one() -> None:
    decision = decide(facts(application(income="9000.00", guarantor=True)), DEFAULT_POLICY)
    assert "guarantor" not in {offer.kind for offer in decision.counter_offers}


def test_when_no_structure_fits_the_conditions_become_a_decline() -> None:
    decision = decide(facts(application(income="1200.00")), DEFAULT_POLICY)
    assert decision.outcome is Outcome.DECLINE
    assert "no_structure_fits" in rules(decision)


def test_a_policy_dsr_tighter_than_the_products_applies() -> None:
    app = application(income="12000.00")
    assert decide(facts(app), DEFAULT_POLICY).outcome is Outcome.APPROVE
    tight = replace(DEFAULT_POLICY, max_dsr=Decimal("0.30"))
    assert "dsr_above_cap" in rules(decide(facts(app), tight))


def test_an_amount_above_the_policys_review_level_is_referred() -> None:
    policy = replace(DEFAULT_POLICY, refer_amount_above=cny("100000.00"))
    decision = decide(facts(), policy)
    assert decision.outcome is Outcome.REFER
    assert rules(decision) == ["amount_needs_review"]


def test_a_loan_above_300_000_needs_a_second_approver() -> None:
    big = application(price="500000.00", down="150000.00", income="60000.00")
    assert decide(facts(big), DEFAULT_POLICY).second_approval_required
    assert not decide(facts(), DEFAULT_POLICY).second_approval_required


def test_a_zero_percent_promotion_is_priced_inside_its_contract_rate_range() -> None:
    app = application(down="70000.00")
    decision = decide(facts(app, product=OEM_ZERO), DEFAULT_POLICY)
    assert decision.outcome is Outcome.APPROVE
    assert decision.annual_rate is not None
    assert OEM_ZERO.rate_min <= decision.annual_rate <= OEM_ZERO.rate_max


def test_reasons_are_at_most_four_with_the_knock_outs_first() -> None:
    bureau = report(inquiries_6m=9, thin_file=True, worst_months_overdue=1, months_overdue_any=1)
    app = application(income="9000.00", employment="retired")
    decision = decide(facts(app, bureau=bureau, model=score("0.12")), DEFAULT_POLICY)
    assert len(decision.reasons) == 4
    assert decision.reasons[0].code == "employment_not_allowed"
    assert all(reason.code != "DEBT_SERVICE_RATIO" for reason in decision.reasons[:3])


def test_the_rate_is_lowered_until_the_apr_is_within_the_cost_ceiling() -> None:
    # A 3,000.00 loan carrying the 1,500.00 GPS fee costs far above 24 % at any rate.
    tiny = deal_request(STANDARD_NEW, price=cny("4000"), down_payment=cny("1000"),
                        term_months=12, rate=STANDARD_NEW.rate_max, start=AS_OF)  # fmt: skip
    assert not within_ceiling(tiny, "CN")
    assert ceiling_rate(STANDARD_NEW, tiny, "CN") is None
    normal = replace(tiny, vehicle_price=cny("200000"), down_payment=cny("50000"))
    assert ceiling_rate(STANDARD_NEW, normal, "CN") == STANDARD_NEW.rate_max


def test_the_adverse_action_notice_reads_in_both_languages_with_the_applicants_rights() -> None:
    decision = decide(facts(fraud=FraudSignals(0, 0, True)), DEFAULT_POLICY)
    notice = decision.adverse_action
    assert notice is not None
    english, chinese = notice.text("en"), notice.text("zh-CN")
    assert "PIPL Art. 24" in english and "free copy" in english
    assert "个人信息保护法" in chinese and "禁入名单" in chinese
    assert "2026-11-28" in english


@pytest.mark.parametrize(
    "decision_facts",
    [
        facts(),
        facts(fraud=FraudSignals(0, 0, True)),
        facts(application(income="9000.00")),
        facts(bureau_error="timeout", no_score=True),
    ],
)
def test_a_decision_round_trips_through_its_json_exactly(decision_facts: DecisionFacts) -> None:
    decision = decide(decision_facts, DEFAULT_POLICY)
    assert decision_from_dict(decision_to_dict(decision)) == decision


@settings(max_examples=25, deadline=None)
@given(pd=st.decimals(min_value=0, max_value=Decimal("0.06"), places=4))
def test_an_approved_decisions_rate_is_always_inside_the_product_range(pd: Decimal) -> None:
    decision = decide(facts(model=score(str(pd))), DEFAULT_POLICY)
    assert decision.outcome is Outcome.APPROVE
    assert decision.annual_rate is not None
    assert STANDARD_NEW.rate_min <= decision.annual_rate <= STANDARD_NEW.rate_max


def test_the_notice_names_the_bureau_in_its_own_language() -> None:
    reason = ReasonText("blacklist", "On the exclusion list", "在禁入名单中")
    notice = AdverseAction(date(2026, 11, 28), Outcome.DECLINE, (reason,), BUREAU_NAME)
    assert "本次审批使用的征信报告：中国人民银行征信中心。" in notice.text("zh_CN")
    assert "PBOC" not in notice.text("zh_CN")
    assert "Credit report used: PBOC Credit Reference Center." in notice.text("en")


def test_a_models_reason_from_the_catalogue_reads_as_a_sentence_beside_the_rules() -> None:
    # risk/reasons.py writes phrases in lower case; the list and the notice showed them
    # beside the rules' capitalised sentences.
    phrase = ReasonText("DSR", "monthly debt payments are high compared with income", "负债高")
    model = ModelScore(Decimal("0.25"), 600, "D", "default@3", "scorecard_points", (phrase,))
    decision = decide(facts(model=model), DEFAULT_POLICY)
    assert decision.adverse_action is not None
    said = [r.text_en for r in decision.reasons]
    assert "Monthly debt payments are high compared with income" in said
    assert "1. Monthly debt payments" in decision.adverse_action.text("en")
    assert [r.text_zh for r in decision.reasons if r.code == "DSR"] == ["负债高"]
