"""The jurisdiction facts the code used to hard-code as module constants keyed by pack
code now live in the regulation pack; each CN and US value is pinned here to what the
code held before (APPENDIX_J_PACKS, CECL_PACKS, FIVE_TIER_PACKS, NO_UPPER_AGE_PACKS,
DEFAULT_UPPER_AGES, ECOA_PACKS, US_NOT_REASONS, US_NOTICE, the calculator's market,
US_IDENTITY_PACKS, the contract's ``pack == "US"``, the repayment channels' OFFERED and
ACCEPTED, LTV_CAPS and the application form's FORM_LOOKS)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from autolend.batch.book_domain import PACK_CODES
from autolend.domain.adverse_notice import BUREAU_NAME, NEVER_REASONS, bureau_for, may_state
from autolend.domain.application_parts import DocumentKind
from autolend.domain.regulation import CN_PACK, US_PACK, FormLook, RegulationPack, pack_for

# US_NOT_REASONS as it was: never stated under the US pack.
OLD_US_NOT_REASONS = NEVER_REASONS | frozenset({
    "AGE", "AGE_IN_YEARS", "APPLICANT_AGE", "AGE_AT_APPLICATION", "AGE_AT_MATURITY",
    "SEX", "GENDER", "MARITAL_STATUS", "PERSONAL_STATUS", "NATIONALITY", "NATIONAL_ORIGIN",
    "CITIZENSHIP", "RACE", "COLOR", "COLOUR", "RELIGION",
})  # fmt: skip

# LTV_CAPS as it was: (pack, condition, energy) -> [(since, cap, confidence)].
_CN_2017, _CN_2024 = date(2017, 10, 13), date(2024, 4, 1)
_US_SINCE = [(date(2000, 1, 1), Decimal("1.25"), "?")]
OLD_LTV_CAPS = {
    ("CN", "new", "ice"): [(_CN_2017, Decimal("0.80"), "sec"), (_CN_2024, Decimal("1.00"), "sec")],
    ("CN", "new", "nev"): [(_CN_2017, Decimal("0.85"), "sec"), (_CN_2024, Decimal("1.00"), "sec")],
    ("CN", "used", "ice"): [(_CN_2017, Decimal("0.70"), "sec")],
    ("CN", "used", "nev"): [(_CN_2017, Decimal("0.70"), "sec")],
    ("US", "new", "ice"): _US_SINCE,
    ("US", "new", "nev"): _US_SINCE,
    ("US", "used", "ice"): _US_SINCE,
    ("US", "used", "nev"): _US_SINCE,
}


def ltv_table(pack: RegulationPack) -> dict[tuple[str, str, str], list[tuple[date, Decimal, str]]]:
    return {
        (pack.code, cap.condition, cap.energy): [
            (entry.since, entry.value, entry.confidence) for entry in cap.history
        ]
        for cap in pack.ltv_caps
    }


def test_the_us_pack_discloses_the_appendix_j_apr_and_the_cn_pack_the_pboc_one() -> None:
    assert (CN_PACK.apr_method, US_PACK.apr_method) == ("pboc", "appendix_j")


def test_only_the_us_pack_provisions_under_cecl_with_lifetime_ecl() -> None:
    assert (CN_PACK.provisioning, US_PACK.provisioning) == ("ifrs9", "cecl")
    assert [pack_for(code).lifetime_ecl for code in PACK_CODES] == [False, True]


def test_only_the_cn_pack_has_the_five_tier_class() -> None:
    assert [pack_for(code).five_tier_classes for code in PACK_CODES] == [True, False]


def test_a_cn_product_defaults_to_60_and_65_and_a_us_one_has_no_upper_age() -> None:
    assert CN_PACK.default_upper_ages == (60, 65)
    assert US_PACK.default_upper_ages is None


def test_the_us_notice_is_the_ecoa_one_and_bars_the_reg_b_bases() -> None:
    assert (CN_PACK.adverse_notice, US_PACK.adverse_notice) == ("pipl", "ecoa")
    assert NEVER_REASONS | US_PACK.notice_barred_reasons == OLD_US_NOT_REASONS
    assert CN_PACK.notice_barred_reasons == frozenset()


@pytest.mark.parametrize("code", sorted(OLD_US_NOT_REASONS | {"AGE", "INCOME", "age"}))
def test_which_reasons_a_notice_may_state_is_as_before(code: str) -> None:
    assert may_state(code, "US") is (code.upper() not in OLD_US_NOT_REASONS)
    assert may_state(code, "CN") is (code.upper() not in NEVER_REASONS)


def test_the_us_notice_names_the_sandbox_bureau_and_the_cfpb() -> None:
    bureau = US_PACK.credit_bureau
    assert bureau.name == (
        "AutoLend Sandbox Credit Bureau (demo only, not a consumer reporting agency)"
    )
    assert bureau.address == "1 Sandbox Way, Demo City, ST 00000 (demo address)"
    assert bureau.phone == "(555) 010-0100 (demo number)"
    assert US_PACK.supervising_agency == (
        "Consumer Financial Protection Bureau, 1700 G Street NW, Washington, DC 20552"
    )
    assert bureau_for("US") == bureau.name


def test_the_cn_notice_names_the_pboc_credit_reference_center_and_no_agency() -> None:
    assert BUREAU_NAME == "PBOC Credit Reference Center (中国人民银行征信中心)"
    assert bureau_for("CN") == CN_PACK.credit_bureau.name == BUREAU_NAME
    assert CN_PACK.supervising_agency is None


def test_only_the_cn_cost_ceiling_is_law_and_late_payments_go_to_the_pboc_there() -> None:
    assert (CN_PACK.cost_ceiling_is_law, US_PACK.cost_ceiling_is_law) == (True, False)
    assert (CN_PACK.credit_reporting, US_PACK.credit_reporting) == ("pboc", "fcra")


def test_each_pack_speaks_its_own_language() -> None:
    assert (CN_PACK.locale, US_PACK.locale) == ("zh_CN", "en")


def test_only_the_us_pack_knows_its_applicants_by_a_taxpayer_id() -> None:
    assert (CN_PACK.identity_scheme, US_PACK.identity_scheme) == ("resident_id", "taxpayer_id")


def test_only_the_us_pack_lays_its_contract_out_as_the_truth_in_lending_one() -> None:
    assert (CN_PACK.contract_form, US_PACK.contract_form) == ("cn_loan", "us_tila")


def test_each_pack_offers_and_accepts_the_repayment_channels_it_did() -> None:
    assert CN_PACK.repayment_channels == (
        "bank_transfer", "cash", "direct_debit", "wechat_pay", "alipay",
    )  # fmt: skip
    assert CN_PACK.also_accepted_channels == ()
    assert US_PACK.repayment_channels == ("ach", "card", "check", "wire", "cash")
    assert US_PACK.also_accepted_channels == ("bank_transfer",)


def test_each_pack_caps_the_ltv_as_the_old_table_did() -> None:
    assert ltv_table(CN_PACK) | ltv_table(US_PACK) == OLD_LTV_CAPS


def test_each_pack_gives_the_application_form_the_look_it_had() -> None:
    assert CN_PACK.form_look == FormLook("", "60000.00", "200000.00", 18, None, 11, False, "nev")
    us_look = FormLook(" ($)", "8000.00", "35000.00", 11, "123-45-6789", 17, True, "ice")
    documents = ("driving_licence", "income_proof", "bank_statement", "vehicle_invoice")
    assert US_PACK.form_look == replace(
        us_look, document_kinds=documents, licence_is_photo_id=True,
        farming_is_self_employment=True, date_style="mdy", postal_address="us",
    )  # fmt: skip


def test_only_the_cn_form_offers_the_resident_id_cards_sides_and_a_farmer() -> None:
    """The US application offered "ID card, front/back" and a "Farmer": a US applicant
    shows a driver's license or state ID, and farming is self-employment there."""
    assert CN_PACK.form_look.document_kinds == tuple(kind.value for kind in DocumentKind)
    assert {"id_front", "id_back"}.isdisjoint(US_PACK.form_look.document_kinds)
    assert set(US_PACK.form_look.document_kinds) < {kind.value for kind in DocumentKind}
    assert not CN_PACK.form_look.licence_is_photo_id and US_PACK.form_look.licence_is_photo_id
    assert US_PACK.form_look.farming_is_self_employment
    assert not CN_PACK.form_look.farming_is_self_employment


def test_the_us_pack_names_the_debt_ratio_dti_and_states_specific_reasons_first() -> None:
    assert (CN_PACK.debt_ratio_name, US_PACK.debt_ratio_name) == ("DSR", "DTI")
    assert (CN_PACK.specific_reasons_first, US_PACK.specific_reasons_first) == (False, True)
