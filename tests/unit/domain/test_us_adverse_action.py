"""Declines under the US pack: no upper age limit, no reason about a protected basis, and
a notice carrying the ECOA statement and the FCRA 615(a) items (CN unchanged)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autolend.domain.adverse_notice import may_state
from autolend.domain.application import ApplicationInput, parse_application
from autolend.domain.bureau import ReportSummary
from autolend.domain.decision import (
    BUREAU_NAME,
    DecisionFacts,
    FraudSignals,
    ModelScore,
    Outcome,
    ReasonText,
    decide,
)
from autolend.domain.decision_codec import decision_from_dict, decision_to_dict
from autolend.domain.decision_policy import DEFAULT_POLICY, Policy
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import resident_id_check_character
from autolend.domain.manual_review import declined_by_person
from autolend.domain.money import Money
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_rules import ProductRequest, check_request
from autolend.domain.products import Eligibility, Employment, Energy, Product, VehicleCondition
from autolend.domain.regulation import US_PACK

AS_OF = date(2026, 11, 28)
BORN_1958 = date(1958, 6, 1)  # 68 on AS_OF, 73 at the end of 60 months
WORKING = (Employment.SALARIED, Employment.SELF_EMPLOYED)
US_NEW = replace(
    STANDARD_NEW, code="US_NEW", pack="US", currency="USD", fees=(),
    min_amount=Money.parse("5000", "USD"), max_amount=Money.parse("80000", "USD"),
    penalty_uplift=Decimal(0), eligibility=Eligibility(employment=WORKING),
)  # fmt: skip
AGE_AND_BASES = (
    ReasonText("AGE", "applicant age falls in a higher-risk group", "申请人年龄处于风险较高的区间"),
    ReasonText("PERSONAL_STATUS_AND_SEX", "the personal status group carries higher risk", "x"),
    ReasonText("FOREIGN_WORKER", "foreign-worker status carries higher risk", "x"),
    ReasonText("DEBT_SERVICE_RATIO", "monthly debt payments are high", "每月债务还款额偏高"),
    ReasonText("LTV", "the loan is large compared with the vehicle's value", "贷款金额偏高"),
)


def resident_id(birth: date) -> str:
    first17 = f"110105{birth:%Y%m%d}001"
    return first17 + resident_id_check_character(first17)


def application(
    currency: str, *, born: date = BORN_1958, income: str = "9000.00"
) -> ApplicationInput:
    """The same person under either pack: a US applicant gives an SSN and their birth date."""
    borrower = {"role": "borrower", "name": "Pat Doe", "id_number": resident_id(born),
                "mobile": "13800138000", "address": "1 Main St", "employment": "salaried",
                "monthly_income": income, "monthly_obligations": "300.00"}  # fmt: skip
    if currency == "USD":
        borrower |= {"id_number": "123-45-6788", "mobile": "6145550100",
                     "birth_date": born.isoformat()}  # fmt: skip
    body = {
        "channel": "dealer", "product_code": "US_NEW", "term_months": 60,
        "down_payment": "8000.00", "applicants": [borrower],
        "vehicle": {"make": "Ford", "model": "Focus", "energy": "ice", "condition": "new",
                    "price": "35000.00", "dealer_id": 3},
        "consents": [{"kind": "bureau_query", "text_version": "v1"}],
    }  # fmt: skip
    return parse_application(body, as_of=AS_OF, currency=currency)


def report(**changes: Any) -> ReportSummary:
    values: dict[str, Any] = dict(
        accounts=3, open_accounts=2, total_outstanding_minor=0, monthly_obligations_minor=0,
        worst_months_overdue=0, months_overdue_any=0, months_overdue_90_plus=0,
        inquiries_6m=1, inquiries_12m=2, thin_file=False, red_flags=(),
    )  # fmt: skip
    return ReportSummary(**(values | changes))


def policy(product: Product) -> Policy:
    """The default policy decides either pack (its thresholds hold per currency)."""
    del product
    return DEFAULT_POLICY


def facts(product: Product, *, pd: str = "0.5", income: str = "9000.00") -> DecisionFacts:
    """A declined applicant (PD above the cut-off) born in 1958, with the model's reasons
    led by age and two protected attributes."""
    score = ModelScore(Decimal(pd), 420, "H", "default@3", "scorecard_points", AGE_AND_BASES)
    app = application(product.currency, income=income)
    return DecisionFacts(app, product, report(), None, score, FraudSignals(0, 0, False), AS_OF,
                         product.pack)  # fmt: skip


def test_a_us_product_has_no_upper_age_limit_by_default() -> None:
    assert US_NEW.eligibility.max_age is None and US_NEW.eligibility.max_age_at_maturity is None
    assert STANDARD_NEW.eligibility.max_age == 60  # CN keeps 60 and 65
    assert STANDARD_NEW.eligibility.max_age_at_maturity == 65


@pytest.mark.parametrize("name", ["max_age", "max_age_at_maturity"])
def test_a_us_product_with_an_upper_age_limit_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        replace(US_NEW, eligibility=replace(US_NEW.eligibility, **{name: 70}))  # type: ignore[arg-type]
    assert caught.value.field == f"eligibility.{name}"
    with pytest.raises(InvalidInput) as moved:  # a CN product's limits moved to the US pack
        replace(US_NEW, eligibility=STANDARD_NEW.eligibility)
    assert moved.value.field == "eligibility.max_age"


def test_a_cn_products_age_limits_are_checked_once_the_pack_fills_them_in() -> None:
    with pytest.raises(InvalidInput) as caught:
        replace(STANDARD_NEW, eligibility=Eligibility(min_age=62, employment=WORKING))
    assert caught.value.field == "eligibility.max_age"  # 62 > the default 60


def broken(product: Product) -> set[str]:
    """The product rules a 68-year-old's 60-month request breaks."""

    def money(text: str) -> Money:
        return Money.parse(text, product.currency)

    request = ProductRequest(
        vehicle_price=money("35000"), down_payment=money("8000"), term_months=60,
        condition=VehicleCondition.NEW, energy=Energy.ICE, birth_date=BORN_1958,
        employment=Employment.SALARIED, monthly_income=money("9000"),
        annual_rate=product.rate_min,
    )  # fmt: skip
    return {v.rule for v in check_request(product, request, AS_OF)}


def test_a_68_year_old_breaks_no_age_rule_of_a_us_product_but_does_of_a_cn_one() -> None:
    assert not broken(US_NEW) & {"age_at_application", "age_at_maturity"}
    assert {"age_at_application", "age_at_maturity"} <= broken(STANDARD_NEW)


def test_a_us_decline_states_no_reason_about_age_sex_or_national_origin() -> None:
    decision = decide(facts(US_NEW), policy(US_NEW))
    assert decision.outcome is Outcome.DECLINE
    codes = [r.code for r in decision.reasons]
    assert codes == ["DEBT_SERVICE_RATIO", "LTV"]  # the next reasons move up
    assert decision.adverse_action is not None
    assert [r.code for r in decision.adverse_action.reasons] == codes
    lines = decision.adverse_action.text("en").splitlines()
    assert lines[3:5] == ["1. Monthly debt payments are high",
                          "2. The loan is large compared with the vehicle's value"]  # fmt: skip
    assert not any("68" in line or "higher-risk group" in line for line in lines)


def test_a_cn_decline_still_states_age_but_never_sex_or_foreign_worker_status() -> None:
    cn = replace(STANDARD_NEW, eligibility=Eligibility(min_age=18, max_age=80,
                 max_age_at_maturity=85, employment=WORKING))  # fmt: skip
    codes = [r.code for r in decide(facts(cn), policy(cn)).reasons]
    assert "AGE" in codes and {"PERSONAL_STATUS_AND_SEX", "FOREIGN_WORKER"}.isdisjoint(codes)


def test_the_us_notice_carries_the_ecoa_statement_and_the_fcra_items() -> None:
    notice = decide(facts(US_NEW), policy(US_NEW)).adverse_action
    assert notice is not None and notice.pack_code == "US"
    text, bureau = notice.text("en"), US_PACK.credit_bureau
    assert "Equal Credit Opportunity Act" in text and "marital status, age" in text
    assert str(US_PACK.supervising_agency) in text
    assert bureau.name in text and bureau.address in text and bureau.phone in text
    assert "did not make this decision" in text
    assert "free copy of your report" in text and "within 60 days" in text
    assert "right to dispute" in text
    assert "sandbox" in bureau.name.lower()  # no real bureau in the demo: labelled
    for cn_word in ("PBOC", "PIPL", "Credit Reference"):
        assert cn_word not in text
    chinese = notice.text("zh-CN")
    assert "平等信贷机会法" in chinese and "60天" in chinese and "征信中心" not in chinese


def test_the_cn_notice_is_unchanged() -> None:
    notice = decide(facts(STANDARD_NEW), policy(STANDARD_NEW)).adverse_action
    assert notice is not None and notice.pack_code == "CN" and notice.bureau == BUREAU_NAME
    assert "PIPL Art. 24" in notice.text("en") and "Equal Credit" not in notice.text("en")
    assert "pack_code" not in decision_to_dict(decide(facts(STANDARD_NEW), policy(STANDARD_NEW)))


def test_a_us_decision_and_a_persons_decline_of_it_keep_the_us_notice() -> None:
    decision = decide(facts(US_NEW, pd="0.12"), policy(US_NEW))  # referred to a person
    assert decision_from_dict(decision_to_dict(decision)) == decision
    declined = declined_by_person(decision, "income could not be verified", AS_OF)
    assert declined.adverse_action is not None
    assert declined.adverse_action.bureau == US_PACK.credit_bureau.name
    assert "Equal Credit Opportunity Act" in declined.adverse_action.text("en")
    assert decision_from_dict(decision_to_dict(declined)) == declined


@pytest.mark.parametrize(
    ("code", "cn", "us"),
    [("AGE", True, False), ("age_at_maturity", True, False), ("AGE_IN_YEARS", True, False),
     ("PERSONAL_STATUS_AND_SEX", False, False), ("FOREIGN_WORKER", False, False),
     ("MARITAL_STATUS", True, False), ("LTV", True, True), ("VEHICLE_AGE", True, True)],
)  # fmt: skip
def test_which_reasons_a_notice_may_state_by_pack(code: str, cn: bool, us: bool) -> None:
    assert (may_state(code, "CN"), may_state(code, "US")) == (cn, us)


def test_a_us_decline_no_structure_could_fix_names_the_dti_first_and_cn_keeps_its_order() -> None:
    """500.00 a month cannot carry any structure: under US the notice's first reason is
    the specific one, in US words (debt-to-income), before the catch-all Reg B 1002.9(b)(2)
    does not take as a reason; CN keeps the catch-all first and its DSR."""
    us = decide(facts(US_NEW, pd="0.03", income="500.00"), policy(US_NEW))
    assert us.outcome is Outcome.DECLINE and us.adverse_action is not None
    codes = [r.code for r in us.adverse_action.reasons]
    assert codes[:2] == ["dsr_above_cap", "no_structure_fits"]
    assert us.reasons[0].text_en.endswith("(DTI 162% > 50%)")
    assert "DSR" not in us.adverse_action.text("en")
    ages = Eligibility(max_age=80, max_age_at_maturity=85, employment=WORKING)
    cn = replace(STANDARD_NEW, fees=(), min_amount=Money.parse("5000", "CNY"), eligibility=ages)
    declined = decide(facts(cn, pd="0.03", income="500.00"), policy(cn))
    assert [r.code for r in declined.reasons][:2] == ["no_structure_fits", "dsr_above_cap"]
    assert declined.reasons[1].text_en.endswith("(DSR 162% > 50%)")
