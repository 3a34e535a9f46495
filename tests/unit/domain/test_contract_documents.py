"""The contract document, its registry chain and the one-time-code rules (pure domain)."""

from __future__ import annotations

import doctest
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from autolend.domain import contract, contract_registry, signing
from autolend.domain.contract import (
    ConsentLine,
    FeeLine,
    build_document,
    example_facts,
    percent,
)
from autolend.domain.contract_registry import (
    GENESIS_HASH,
    RegistryEvent,
    registry_next,
    verify_registry,
)
from autolend.domain.errors import InvalidInput
from autolend.domain.signing import (
    MAX_ATTEMPTS,
    OTP_TTL,
    Challenge,
    judge,
    new_code,
    normalised_code,
)

AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("module", [contract, contract_registry, signing])
def test_the_worked_examples_in_the_docstrings_hold(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_both_languages_carry_the_same_ten_sections() -> None:
    zh, en = build_document(example_facts(), "zh_CN"), build_document(example_facts(), "en")
    assert len(zh.sections) == len(en.sections) == 10
    assert "抵押" in zh.text() and "mortgage" in en.text()


def test_an_unknown_locale_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        build_document(example_facts(), "fr")
    assert error.value.field == "locale"


def test_the_penalty_rate_is_the_contract_rate_raised_by_the_uplift() -> None:
    facts = replace(example_facts(), nominal_rate=Decimal("0.10"), penalty_uplift=Decimal("0.3"))
    assert "penalty rate 13.00% a year" in build_document(facts, "en").text()


def test_a_late_fee_is_stated_beside_the_penalty_with_its_days_and_the_ceiling() -> None:
    facts = replace(example_facts(), late_fee=("50.00", 15))
    assert "满 15 日仍未足额偿还的，就该期一次性收取逾期违约金 50.00 CNY" in (
        build_document(facts, "zh_CN").text()
    )
    english = build_document(facts, "en").text()
    assert "not paid in full 15 days after its due date is charged a late fee of 50.00" in english
    assert "late fee" not in build_document(example_facts(), "en").text()


def test_a_late_fee_after_one_day_says_one_day_not_one_days() -> None:
    """The English contract read "not paid in full 1 days after its due date"."""
    english = build_document(replace(example_facts(), late_fee=("50.00", 1)), "en").text()
    assert "not paid in full 1 day after its due date is charged a late fee of 50.00" in english
    assert "1 days" not in english
    chinese = build_document(replace(example_facts(), late_fee=("50.00", 1)), "zh_CN").text()
    assert "满 1 日仍未足额偿还的" in chinese


def test_a_prepayment_fee_is_stated_with_its_rate_and_the_trade_in_waiver() -> None:
    facts = replace(example_facts(), prepayment_rate=Decimal("0.02"), trade_in_waived=True)
    text = build_document(facts, "zh_CN").text()
    assert "提前偿还本金的 2.00%" in text and "以旧换新" in text


def test_an_interest_subsidy_states_the_borrowers_rate_and_who_pays_the_rest() -> None:
    facts = replace(example_facts(), nominal_rate=Decimal("0.0399"),
                    customer_rate=Decimal("0.0299"), subsidiser="oem")  # fmt: skip
    assert "借款人按年利率 2.99% 承担利息，与合同利率的差额由汽车厂商向贷款人支付" in (
        build_document(facts, "zh_CN").text()
    )
    assert "pays interest at 2.99% a year; the car maker pays" in build_document(facts, "en").text()
    assert "贴息" not in build_document(example_facts(), "zh_CN").text()


def test_fees_and_consents_are_named_in_the_contracts_language_not_by_their_codes() -> None:
    """The zh-CN contract read "origination：1400.00 CNY" and "bureau_query（文本版本 v1）"."""
    given = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    facts = replace(
        example_facts(),
        fees=(FeeLine("origination", "1400.00", "upfront"), FeeLine("GPS", "30.00", "monthly"),
              FeeLine("Dealer handling", "200.00", "upfront")),
        consents=(ConsentLine("bureau_query", "v1", given),
                  ConsentLine("sensitive_data", "v1", given)),
    )  # fmt: skip
    zh, en = build_document(facts, "zh_CN").text(), build_document(facts, "en").text()
    assert "手续费：1400.00 CNY" in zh and "GPS 服务费：30.00 CNY" in zh
    assert "征信查询授权（文本版本 v1）" in zh and "敏感个人信息处理单独同意" in zh
    assert "Origination fee: 1400.00 CNY" in en and "Credit bureau query (text version v1)" in en
    assert "Dealer handling" in zh  # a fee the lender named itself keeps its name
    assert "origination" not in zh and "bureau_query" not in zh


def test_a_financed_fee_says_it_is_in_the_principal_and_credit_insurance_is_named() -> None:
    """The GPS fee financed into the loan read "（放款时一次收取）" like a fee paid in cash,
    and the senior loan's monthly premium, booked under its servicing kind, read
    "insurance：70.00 CNY"."""
    facts = replace(
        example_facts(),
        fees=(FeeLine("origination", "1400.00", "upfront"), FeeLine("gps", "1500.00", "financed"),
              FeeLine("insurance", "70.00", "monthly")),
    )  # fmt: skip
    zh, en = build_document(facts, "zh_CN").text(), build_document(facts, "en").text()
    assert "手续费：1400.00 CNY（签约时支付，经销商代收，放款时从放款金额中扣除）" in zh
    assert "GPS 服务费：1500.00 CNY（计入贷款本金，随每期还款偿还）" in zh
    assert "信用保险费：70.00 CNY（每期随还款收取）" in zh and "insurance" not in zh
    assert (
        "GPS service fee: 1500.00 CNY (added to the principal, repaid with the installments)" in en
    )
    assert "Credit insurance premium: 70.00 CNY (with every installment)" in en


def test_percent_rounds_half_up_to_two_places() -> None:
    assert percent(Decimal("0.126825")) == "12.68%"
    assert percent(Decimal("0.126850")) == "12.69%"


def _chain(n: int) -> list[contract_registry.RegistryEntry]:
    entries, head = [], None
    for k in range(n):
        head = registry_next(head, RegistryEvent(k, f"loan:{k}", "issued", "a" * 64, 1, AT))
        entries.append(head)
    return entries


def test_an_empty_registry_verifies_against_the_genesis_head() -> None:
    assert verify_registry([], (0, GENESIS_HASH)).ok


def test_an_edited_entry_is_named_by_its_sequence_number() -> None:
    entries = _chain(3)
    entries[1] = replace(entries[1], body=replace(entries[1].body, sha256="b" * 64))
    report = verify_registry(entries, (3, entries[2].hash))
    assert report.first_bad_seq == 2
    assert report.problem == "registry entry 2 was altered (its hash does not match its content)"


def test_a_truncated_registry_is_caught_by_its_head() -> None:
    entries = _chain(3)
    report = verify_registry(entries[:2], (3, entries[2].hash))
    assert report.first_bad_seq == 3


def test_a_code_has_six_digits() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150


def test_the_fifth_wrong_attempt_locks_and_a_locked_code_takes_no_more_attempts() -> None:
    state = Challenge(AT + OTP_TTL, 0, "open")
    for _ in range(MAX_ATTEMPTS - 1):
        verdict = judge(state, matched=False, as_of=AT)
        assert verdict.outcome == "wrong"
        state = Challenge(state.expires_at, verdict.attempts, "open")
    assert judge(state, matched=False, as_of=AT).outcome == "locked"
    assert judge(Challenge(AT + OTP_TTL, 5, "locked"), matched=True, as_of=AT).outcome == "locked"


def test_a_code_is_good_until_just_before_its_expiry() -> None:
    state = Challenge(AT + OTP_TTL, 0, "open")
    just_before = AT + OTP_TTL - timedelta(microseconds=1)
    assert judge(state, matched=True, as_of=just_before).outcome == "signed"
    assert judge(state, matched=True, as_of=AT + OTP_TTL).outcome == "expired"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("042917", "042917"), ("０４２９１７", "042917"), (" 042 917 ", "042917"),
     ("042-917", "042917"), ("04291", None), ("0429177", None), ("04a917", None),
     ("٠٤٢٩١٧", None), ("", None), (None, None)],
    ids=["plain", "full-width", "spaces", "dash", "short", "long", "letter", "arabic-indic",
         "empty", "none"],
)  # fmt: skip
def test_a_code_is_read_as_typed_with_full_width_digits_spaces_and_dashes(
    typed: str | None, code: str | None
) -> None:
    assert normalised_code(typed) == code
