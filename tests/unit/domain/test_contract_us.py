"""A US loan's contract (:mod:`autolend.domain.contract_us`): the federal box first,
then the schedule, late charge, security interest and prepayment, none of the CN
contract's Chinese-law content; the CN contract is laid out as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from autolend.domain.contract import ConsentLine, ContractFacts, build_document, example_facts
from autolend.domain.contract_us import dollars, example_us_facts
from autolend.domain.errors import InvalidInput

US = example_us_facts()


def headings(facts: ContractFacts = US) -> list[str]:
    return [s.heading for s in build_document(facts, "en").sections]


def test_a_us_contract_opens_with_the_federal_box_then_schedule_late_charge_security_prepayment(
) -> None:  # fmt: skip
    assert headings()[:5] == [
        "1. Truth-in-Lending Disclosures",
        "2. Payment schedule",
        "3. Late charge",
        "4. Security interest",
        "5. Prepayment",
    ]
    box = build_document(US, "en").sections[0].lines
    assert [line.split(" (")[0] for line in box[1:]] == [
        "ANNUAL PERCENTAGE RATE", "FINANCE CHARGE", "Amount Financed", "Total of Payments",
        "Total Sale Price",
    ]  # fmt: skip
    assert box[2].endswith(": $4,594.23") and box[5].endswith(": $29,594.23")


def test_a_us_contract_names_the_borrower_only_and_has_no_penalty_ceiling_or_mortgage() -> None:
    text = build_document(replace(US, borrower_id="110105********002X"), "en").text()
    assert "Borrower: John Smith" in text.splitlines()
    for chinese_law in ("resident ID", "002X", "enalty interest", "penalty rate",
                        "compound", "cost ceiling", "mortgage"):  # fmt: skip
        assert chinese_law not in text, chinese_law


def test_a_us_contract_leaves_out_the_separate_consent_to_sensitive_data() -> None:
    given = datetime(2026, 1, 10, tzinfo=ZoneInfo("America/New_York"))  # the lender's clock
    consents = (ConsentLine("data_processing", "v1", given), ConsentLine("sensitive_data", "v1",
                                                                         given))  # fmt: skip
    lines = build_document(replace(US, consents=consents), "en").lines()
    assert [line for line in lines if "text version" in line] == [
        "Use of your personal information (text version v1), given 01/10/2026 12:00 AM "
        "(Eastern Time)"
    ]


def test_interest_after_a_late_payment_appears_only_with_an_uplift() -> None:
    """The US pack has uplift 0 and no compounding, so no such section; an uplift the
    facts carry is stated as a rate on overdue principal, never as compounding."""
    assert not any("Interest after" in h for h in headings())
    lines = build_document(replace(US, penalty_uplift=Decimal("0.5")), "en").lines()
    assert "Overdue principal bears interest at 9.00% a year from the day after its due date." in (
        lines
    )
    assert not any("nterest bears interest" in line for line in lines)


def test_the_late_charge_states_its_days_and_amount_in_dollars() -> None:
    one = build_document(replace(US, late_fee=("15.00", 1)), "en").lines()
    assert "If a payment is 1 day or more late, you will be charged $15.00." in one
    none = build_document(replace(US, late_fee=None), "en").sections[2].lines
    assert none == ("No late charge.",)


def test_a_prepayment_fee_is_stated_with_its_trade_in_waiver_and_no_refund() -> None:
    facts = replace(US, prepayment_rate=Decimal("0.02"), trade_in_waived=True)
    lines = build_document(facts, "en").sections[4].lines
    assert lines[:2] == (
        "If you pay off early, you will have to pay a prepayment fee of 2.00% of the "
        "principal you pay early.",
        "The prepayment fee is waived when you pay off on a trade-in.",
    )
    assert lines[2].startswith("If you pay off early, you will not be entitled to a refund")


def test_the_payment_schedule_is_runs_of_equal_payments() -> None:
    assert build_document(US, "en").sections[1].lines == (
        "59 payments of $483.32, due monthly from 02/15/2026 to 12/15/2030",
        "1 payment of $483.35, due 01/15/2031",
    )


def test_a_us_contract_in_chinese_keeps_the_federal_terms_beside_the_chinese() -> None:
    doc = build_document(US, "zh_CN")
    assert doc.sections[0].heading == "一、诚实借贷披露（Truth-in-Lending Disclosures）"
    assert "年利率（ANNUAL PERCENTAGE RATE，以年利率表示的信贷成本）：7.01%" in doc.lines()
    assert "身份证" not in doc.text() and "罚息" not in doc.text()


def test_a_us_contract_in_another_language_is_refused_naming_the_locale() -> None:
    with pytest.raises(InvalidInput) as refused:
        build_document(US, "fr")
    assert refused.value.field == "locale"


def test_a_cn_contract_keeps_its_ten_sections() -> None:
    assert build_document(example_facts(), "en").sections[5].heading == "6. Penalty interest"
    assert len(build_document(example_facts(), "zh_CN").sections) == 10


def test_dollars_groups_thousands_and_keeps_another_currency_as_given() -> None:
    assert (dollars("4594.23"), dollars("0.00"), dollars("12.00", "CNY")) == (
        "$4,594.23", "$0.00", "12.00 CNY",
    )  # fmt: skip
