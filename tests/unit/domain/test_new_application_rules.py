"""The rules a new application passes on top of parsing: one person one party, and the
data-processing and sensitive-data consents given (the bureau query stays optional)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from autolend.domain.application import check_new_application, parse_application
from autolend.domain.decision import DecisionFacts, FraudSignals, Outcome, decide
from autolend.domain.decision_policy import DEFAULT_POLICY
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.product_catalogue import STANDARD_NEW
from tests.unit.domain.test_decision import report, score

AS_OF = date(2026, 11, 28)
SAMPLE_ID = "11010519491231002X"
OTHER_ID = "110105198801010014"
ALL_CONSENTS = [{"kind": kind, "text_version": "v1"}
                for kind in ("bureau_query", "data_processing", "sensitive_data")]  # fmt: skip


def borrower(income: str = "6000.00") -> dict[str, Any]:
    return {"role": "borrower", "name": "张三", "id_number": SAMPLE_ID,
            "mobile": "13800138000", "address": "北京市朝阳区", "employment": "salaried",
            "monthly_income": income, "monthly_obligations": "0.00"}  # fmt: skip


def body(*parties: dict[str, Any], consents: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "channel": "dealer", "product_code": "STD_NEW", "term_months": 36,
        "down_payment": "40000.00", "applicants": list(parties or [borrower()]),
        "vehicle": {"make": "BYD", "model": "Seal", "energy": "nev", "condition": "new",
                    "price": "200000.00"},
        "consents": copy.deepcopy(ALL_CONSENTS if consents is None else consents),
    }  # fmt: skip


def refusal(data: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_new_application(parse_application(data, as_of=AS_OF))
    return caught.value


@pytest.mark.parametrize("role", ["co_borrower", "guarantor"])
def test_the_borrower_named_again_as_another_party_is_refused_at_the_second_mention(
    role: str,
) -> None:
    other = borrower("8000.00") | {"role": role, "id_number": OTHER_ID}
    check_new_application(parse_application(body(borrower(), other), as_of=AS_OF))
    again = borrower("20000.00") | {"role": role, "id_number": SAMPLE_ID.lower()}
    error = refusal(body(borrower(), again))
    assert error.field == "applicants[1].id_number"
    assert error.message == "the same person cannot be two parties of one application"
    assert error.message_zh and "同一人" in error.message_zh


def test_a_person_named_twice_earns_once_so_the_dsr_decline_stands() -> None:
    """The audit's case: 6,000.00 alone is declined for DSR; the same ID again as a
    co-borrower with 20,000.00 made it 26,000.00 and the case was approved. A stored
    application (re-read without the filing rules) counts the person once."""
    alone = parse_application(body(borrower()), as_of=AS_OF)
    twice = parse_application(
        body(borrower(), borrower("20000.00") | {"role": "co_borrower"}), as_of=AS_OF
    )
    assert twice.household_income == alone.household_income == Money.parse("6000.00", "CNY")
    assert twice.household_obligations == alone.household_obligations

    def decided(app: Any) -> Outcome:
        facts = DecisionFacts(app, STANDARD_NEW, report(), None, score(),
                              FraudSignals(0, 0, False), AS_OF)  # fmt: skip
        return decide(facts, DEFAULT_POLICY).outcome

    assert decided(alone) is Outcome.DECLINE and decided(twice) is Outcome.DECLINE


WORDS = {
    "sensitive_data": ("separate consent to the processing of sensitive data",
                       "敏感个人信息处理单独授权"),
    "data_processing": ("consent to the processing of personal data", "个人信息处理授权"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("kinds", "missing"),
    [
        ([], "data_processing, sensitive_data"),
        (["bureau_query", "data_processing"], "sensitive_data"),
        (["bureau_query", "sensitive_data"], "data_processing"),
    ],
)
def test_filing_without_the_data_processing_or_sensitive_data_consent_names_consents(
    kinds: list[str], missing: str
) -> None:
    """The bureau-query consent is optional: without it the decision refers the case."""
    optional = [c for c in ALL_CONSENTS if c["kind"] != "bureau_query"]
    check_new_application(parse_application(body(consents=optional), as_of=AS_OF))
    error = refusal(body(consents=[{"kind": k, "text_version": "v1"} for k in kinds]))
    assert error.field == "consents"
    # the consent in words, never its code (found 2027-02: "missing: sensitive_data")
    en = "; ".join(WORDS[kind][0] for kind in missing.split(", "))
    zh = "、".join(WORDS[kind][1] for kind in missing.split(", "))
    assert error.message.endswith(f"(missing: {en})") and "_" not in error.message
    assert error.message_zh and f"缺少：{zh}" in error.message_zh
