"""The China (default) and United States packs. Values and sources: shared/domain/REGULATION.md.

Where a rule is marked ``?`` (unverified) it stays configurable by the lender and the UI
says so; none of the values below is a code branch.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from autolend.domain.regulation.rules import (
    BureauContact,
    CostCeiling,
    Effective,
    FormLook,
    LoanPrimeRate,
    LtvCap,
    PenaltyUplift,
    RegulationPack,
    TermLimits,
)

_LONG_AGO = date(2000, 1, 1)

CN_PACK = RegulationPack(
    code="CN",
    name="中华人民共和国 / People's Republic of China",
    currency="CNY",
    locale="zh_CN",
    timezone="Asia/Shanghai",
    cost_ceilings=(
        Effective(
            _LONG_AGO,
            CostCeiling(ceiling=Decimal("0.24"), warn_at=Decimal("0.20")),
            "SPC 2017 financial-trial opinion para. 2; NFRA 2025 internet-lending notice",
        ),
    ),
    penalty_uplifts=(
        Effective(
            date(2004, 1, 1),
            PenaltyUplift(low=Decimal("0.3"), high=Decimal("0.5"), default=Decimal("0.5")),
            "PBOC 2003 rate notice (penalty 30 %..50 % over the contract rate)",
        ),
    ),
    term_limits=(
        Effective(
            date(2017, 10, 13),
            TermLimits(new_car_months=60, used_car_months=36),
            "汽车贷款管理办法 2017",
        ),
    ),
    loan_prime_rates=(
        Effective(date(2024, 10, 21), LoanPrimeRate(Decimal("0.031"), Decimal("0.036")), "NIFC"),
        Effective(date(2025, 5, 20), LoanPrimeRate(Decimal("0.030"), Decimal("0.035")), "NIFC"),
    ),
    day_count_basis=360,
    compounds_overdue_interest=True,  # unpaid interest compounds at the penalty rate
    # The other facts are RegulationPack's defaults, which are CN's.
)

# Reg B 1002.6(b)(2), 1002.6(b)(1) and 1002.5: bases a US notice never gives as a reason.
_REG_B_BASES = frozenset({
    "AGE", "AGE_IN_YEARS", "APPLICANT_AGE", "AGE_AT_APPLICATION", "AGE_AT_MATURITY",
    "SEX", "GENDER", "MARITAL_STATUS", "PERSONAL_STATUS", "NATIONALITY", "NATIONAL_ORIGIN",
    "CITIZENSHIP", "RACE", "COLOR", "COLOUR", "RELIGION",
})  # fmt: skip

# No regulatory LTV cap (lender policy, marked ?): 125 % allows negative equity.
_US_LTV_CAP = (Effective(_LONG_AGO, Decimal("1.25"), "lender policy", "?"),)

# "+1 (614) 555-0100" is 17 characters; "123-45-6789" 11. A driver's license or state ID
# is the photo ID (no national ID card and its two sides); farming is self-employment.
# Dates MM/DD/YYYY and times on the 12-hour clock, as US disclosures write them.
_US_FORM_LOOK = FormLook(
    " ($)", "8000.00", "35000.00", 11, "123-45-6789", 17, True, "ice",
    ("driving_licence", "income_proof", "bank_statement", "vehicle_invoice"),
    licence_is_photo_id=True, farming_is_self_employment=True, date_style="mdy",
    postal_address="us",  # street, city, state and ZIP
)  # fmt: skip

US_PACK = RegulationPack(
    code="US",
    name="United States",
    currency="USD",
    locale="en",
    timezone="America/New_York",
    # No general federal usury ceiling for purchase-money auto loans; the lender's own
    # limit applies (36 % is the common consumer benchmark; MLA excludes auto purchase).
    cost_ceilings=(
        Effective(
            _LONG_AGO,
            CostCeiling(ceiling=Decimal("0.36"), warn_at=Decimal("0.30")),
            "lender policy (no federal cap; MLA 36 % MAPR does not bind purchase-money auto)",
            confidence="?",
        ),
    ),
    cost_ceiling_is_law=False,
    penalty_uplifts=(
        Effective(
            _LONG_AGO,
            PenaltyUplift(low=Decimal("0"), high=Decimal("0"), default=Decimal("0")),
            "US practice charges a late fee, not penalty interest",
            confidence="?",
        ),
    ),
    term_limits=(
        Effective(
            _LONG_AGO, TermLimits(new_car_months=84, used_car_months=72), "lender policy", "?"
        ),
    ),
    day_count_basis=365,
    # A late fee, not penalty or compound interest: overdue interest bears nothing more.
    compounds_overdue_interest=False,
    # 16 CFR 444.4: no late charge on a full, timely payment short only by earlier late fees.
    late_fee_pyramiding_allowed=False,
    apr_method="appendix_j",  # 12 CFR 1026.22 and Appendix J
    provisioning="cecl",  # lifetime ECL from day one
    five_tier_classes=False,  # the five-tier class is a CN rule
    default_upper_ages=None,  # Reg B 1002.6(b)(2): no upper age limit
    adverse_notice="ecoa",  # Reg B 1002.9 with the FCRA 615(a) items
    notice_barred_reasons=_REG_B_BASES,
    # The demo has no real bureau: a sandbox one, labelled as such.
    credit_bureau=BureauContact(
        "AutoLend Sandbox Credit Bureau (demo only, not a consumer reporting agency)",
        "1 Sandbox Way, Demo City, ST 00000 (demo address)",
        "(555) 010-0100 (demo number)",
    ),
    credit_reporting="fcra",
    # A nonbank auto lender under CFPB supervision (sec); another creditor names its own.
    supervising_agency="Consumer Financial Protection Bureau, 1700 G Street NW, "
    "Washington, DC 20552",
    identity_scheme="taxpayer_id",  # SSN or ITIN, a birth date beside it, a NANP phone
    contract_form="us_tila",  # 12 CFR 1026.18 disclosures first
    repayment_channels=("ach", "card", "check", "wire", "cash"),  # card: debit or credit
    also_accepted_channels=("bank_transfer",),  # carried every US loan's money before
    ltv_caps=tuple(
        LtvCap(condition, energy, _US_LTV_CAP)
        for condition in ("new", "used")
        for energy in ("ice", "nev")
    ),
    form_look=_US_FORM_LOOK,
    debt_ratio_name="DTI",  # debt-to-income, as US underwriting says it
    specific_reasons_first=True,  # Reg B 1002.9(b)(2): specific reasons, not a catch-all
    # PIPL's separate consent to sensitive data has no US counterpart: the applicant
    # consents under the lender's GLBA privacy notice (bureau query: FCRA 604(a)(2)).
    filing_consents=("data_processing",),
)


def pack_code_for_currency(currency: str) -> str | None:
    """The code of the pack whose currency is ``currency``, None when no pack's is.

    >>> pack_code_for_currency("USD"), pack_code_for_currency("CNY"), pack_code_for_currency("EUR")
    ('US', 'CN', None)
    """
    found = [pack.code for pack in (CN_PACK, US_PACK) if pack.currency == currency.upper()]
    return found[0] if found else None
