"""A third pack follows its data, not its code: a copy of the US pack under another code
(``UZ``) is a US pack in every fact that used to be keyed by ``"US"`` (identity, contract,
repayment channels, LTV caps), a copy of CN (``CZ``) a CN pack, and a pack with facts of its
own gets its own. A code no pack has still takes CN's rules where it always did."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.contract import build_document, example_facts
from autolend.domain.contract_us import example_us_facts
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import uses_taxpayer_id, validate_person_id, validate_phone
from autolend.domain.product_caps import ltv_cap
from autolend.domain.regulation import CN_PACK, US_PACK, Effective, LtvCap
from autolend.domain.repayment_channels import check_channel, offered_channels
from tests.support.third_pack import register

DAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def third_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, replace(US_PACK, code="UZ"))
    register(monkeypatch, replace(CN_PACK, code="CZ"))


def test_a_copy_of_the_us_pack_knows_applicants_by_ssn_and_a_us_phone() -> None:
    assert uses_taxpayer_id("UZ")
    assert validate_person_id("123-45-6788", pack="UZ", as_of=DAY) == "123456788"
    assert validate_phone("614-555-0100", pack="UZ") == "+16145550100"


def test_a_copy_of_the_cn_pack_knows_applicants_by_resident_id_and_mobile() -> None:
    assert not uses_taxpayer_id("CZ")
    assert validate_person_id("11010519491231002x", pack="CZ", as_of=DAY) == "11010519491231002X"
    with pytest.raises(InvalidInput):
        validate_person_id("123-45-6788", pack="CZ", as_of=DAY)


def test_a_copy_of_the_us_pack_makes_the_truth_in_lending_contract() -> None:
    us_lines = build_document(example_us_facts(), "en").lines()
    assert build_document(replace(example_us_facts(), pack="UZ"), "en").lines() == us_lines


def test_a_copy_of_the_cn_pack_makes_the_cn_contract() -> None:
    cn_lines = build_document(example_facts(), "zh_CN").lines()
    assert build_document(replace(example_facts(), pack="CZ"), "zh_CN").lines() == cn_lines


def test_a_copy_of_a_pack_offers_its_channels_and_refuses_the_other_packs() -> None:
    assert offered_channels("UZ") == offered_channels("US")
    assert offered_channels("CZ") == offered_channels("CN")
    assert check_channel("bank_transfer", "UZ") == "bank_transfer"  # accepted, not offered
    for channel, pack in (("wechat_pay", "UZ"), ("ach", "CZ")):
        with pytest.raises(InvalidInput) as refused:
            check_channel(channel, pack)
        assert refused.value.field == "channel"
        assert f"a {pack} loan" in refused.value.message


def test_a_copy_of_a_pack_caps_the_ltv_as_its_original() -> None:
    assert ltv_cap("UZ", "used", "nev", DAY) == Decimal("1.25")
    assert ltv_cap("CZ", "new", "nev", date(2023, 5, 1)) == Decimal("0.85")
    assert ltv_cap("CZ", "used", "ice", DAY) == Decimal("0.70")


def test_a_pack_with_its_own_channels_and_caps_gets_those(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own_cap = LtvCap("new", "ice", (Effective(date(2020, 1, 1), Decimal("0.90"), "test"),))
    register(monkeypatch, replace(CN_PACK, code="OW", repayment_channels=("lockbox",),
                                  ltv_caps=(own_cap,)))  # fmt: skip
    assert offered_channels("OW") == ("lockbox",)
    assert ltv_cap("OW", "new", "ice", DAY) == Decimal("0.90")
    with pytest.raises(InvalidInput) as refused:
        ltv_cap("OW", "used", "ice", DAY)  # the pack has no cap for used cars
    assert refused.value.field == "pack"
    with pytest.raises(InvalidInput):
        check_channel("wechat_pay", "OW")  # CN's channel, not this pack's


def test_a_code_no_pack_has_still_takes_cns_rules_where_it_always_did() -> None:
    assert validate_phone("13800138000", pack="XX") == "13800138000"
    assert offered_channels("XX") == offered_channels("CN")
    assert check_channel("ach", "XX") == "ach"  # no pack: no channels to mix
    assert build_document(replace(example_facts(), pack="XX"), "en").title == "Auto Loan Contract"
    with pytest.raises(InvalidInput) as refused:
        ltv_cap("XX", "new", "ice", DAY)
    assert refused.value.field == "pack"
