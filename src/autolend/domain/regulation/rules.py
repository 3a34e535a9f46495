"""The shapes of regulation rules and how an effective-dated value is looked up."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Generic, Literal, TypeVar

from autolend.domain.date_text import DateStyle
from autolend.domain.daycount import DayCount
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money

T = TypeVar("T")


@dataclass(frozen=True)
class Effective(Generic[T]):
    """A value in force from ``since`` (inclusive) until the next entry's ``since``."""

    since: date
    value: T
    source: str
    confidence: str = "sec"


def in_force(history: Sequence[Effective[T]], on: date, rule: str) -> T:
    """The value of ``rule`` in force on ``on``: the last entry with ``since <= on``.

    History [(2024-01-01, a), (2025-05-20, b)]: on 2025-05-19 -> a, on 2025-05-20 -> b.
    """
    found: Effective[T] | None = None
    for entry in sorted(history, key=lambda e: e.since):
        if entry.since <= on:
            found = entry
    if found is None:
        raise InvalidInput(f"no {rule} rule in force on {on.isoformat()}", field="as_of")
    return found.value


@dataclass(frozen=True)
class CostCeiling:
    """Comprehensive cost ceiling: every borrower cost (interest, fees, penalty) as an
    annual rate must stay at or below ``ceiling``; warn from ``warn_at``."""

    ceiling: Decimal
    warn_at: Decimal


@dataclass(frozen=True)
class PenaltyUplift:
    """Penalty rate = contract rate x (1 + uplift), uplift within [low, high]."""

    low: Decimal
    high: Decimal
    default: Decimal


@dataclass(frozen=True)
class TermLimits:
    """Longest term in months, extensions included."""

    new_car_months: int
    used_car_months: int


@dataclass(frozen=True)
class LoanPrimeRate:
    one_year: Decimal
    five_year: Decimal


@dataclass(frozen=True)
class BureauContact:
    """A credit bureau as an adverse-action notice names it: name, address and telephone
    (FCRA 615(a)(2) asks for all three; the CN notice states the name only)."""

    name: str
    address: str = ""
    phone: str = ""


PBOC_CREDIT_REFERENCE_CENTER = BureauContact("PBOC Credit Reference Center (中国人民银行征信中心)")
"""The CN credit bureau (征信业管理条例 2013)."""


@dataclass(frozen=True)
class LtvCap:
    """The LTV ceiling (a fraction of the LTV price base) of one vehicle condition
    (``new`` | ``used``) and energy (``ice`` | ``nev``), effective-dated. Example: CN's
    used NEV, 70 % since the 2017 rules: ``LtvCap("used", "nev", (Effective(date(2017,
    10, 13), Decimal("0.70"), "2017 auto-loan rules"),))``."""

    condition: str
    energy: str
    history: tuple[Effective[Decimal], ...]


@dataclass(frozen=True)
class FormLook:
    """How the application form asks under a pack: the mark after an amount's label (none
    under CN, as the form always read), example amounts, the ID's and phone's lengths and
    example, whether a date of birth is asked (a US taxpayer ID carries none) and the
    energy offered first. Example: CN's is :data:`CN_FORM_LOOK`, ``FormLook("",
    "60000.00", "200000.00", 18, None, 11, False, "nev")``.

    Then the documents an application offers to upload, in order (values of
    ``DocumentKind``; CN the resident ID card's two sides first, US none: no national ID
    card), whether the driving licence is the photo ID ("Driver's license or state ID")
    and whether farming is offered as self-employment: the credit models know a
    ``farmer`` (the US one is trained on the same population), so the value stays and
    only its label changes ("Self-employed (agriculture)").

    Last, how the pack's English pages and documents write a date and a time of day
    (``date_style``, :mod:`autolend.domain.date_text`): ``iso`` 2026-12-01 and 15:05 (CN;
    pages in Chinese always), ``mdy`` 12/01/2026 and 3:05 PM (US: MM/DD/YYYY, as US
    lenders' disclosures write it, on the 12-hour clock).

    And how the address is asked (``postal_address``): ``one_line``, one free text (CN);
    ``us``, street, city, state (the 50 states and DC) and ZIP, written into the one
    ``address`` the application keeps as ``123 Main St, Springfield, IL 62701``
    (:mod:`autolend.domain.address_us`)."""

    money_mark: str
    down_payment_example: str
    price_example: str
    id_maxlength: int
    id_example: str | None
    mobile_maxlength: int
    asks_birth_date: bool
    energy: str
    document_kinds: tuple[str, ...] = (
        "id_front", "id_back", "income_proof", "bank_statement", "vehicle_invoice",
        "driving_licence",
    )  # fmt: skip
    licence_is_photo_id: bool = False
    farming_is_self_employment: bool = False
    date_style: DateStyle = "iso"
    postal_address: Literal["one_line", "us"] = "one_line"


_AUTO_LOAN_RULES_2017 = date(2017, 10, 13)
_SET_BY_LENDER = "PBOC & NFRA 2024-04: set by the lender"


def _cn_new_car_cap(until_2024: str) -> tuple[Effective[Decimal], ...]:
    """A CN new car's cap: the 2017 rules' until the 2024-04 notice left it to the lender
    (its product catalogue, audited), so the pack's ceiling is 100 % since."""
    return (
        Effective(_AUTO_LOAN_RULES_2017, Decimal(until_2024), "2017 auto-loan rules"),
        Effective(date(2024, 4, 1), Decimal("1.00"), _SET_BY_LENDER),
    )


_CN_USED_CAR_CAP = (Effective(_AUTO_LOAN_RULES_2017, Decimal("0.70"), "2017 auto-loan rules"),)
# Self-use new cars 80 % (ICE) / 85 % (NEV), used cars 70 % throughout.
CN_LTV_CAPS = (
    LtvCap("new", "ice", _cn_new_car_cap("0.80")),
    LtvCap("new", "nev", _cn_new_car_cap("0.85")),
    LtvCap("used", "ice", _CN_USED_CAR_CAP),
    LtvCap("used", "nev", _CN_USED_CAR_CAP),
)
# 代扣 is direct_debit.
CN_REPAYMENT_CHANNELS = ("bank_transfer", "cash", "direct_debit", "wechat_pay", "alipay")
# An 18-character resident ID and an 11-digit mobile; amounts in yuan, NEV first.
CN_FORM_LOOK = FormLook("", "60000.00", "200000.00", 18, None, 11, False, "nev")


@dataclass(frozen=True)
class RegulationPack:
    """One jurisdiction's rules as data; every field defaults to the CN value, so a pack
    states only where it differs. Sources: shared/domain/REGULATION.md, row in quotes.

    * ``cost_ceilings``, ``penalty_uplifts``, ``term_limits``, ``loan_prime_rates``:
      effective-dated, read with ``pack.<rule>(on)`` (rows "comprehensive cost ceiling",
      "penalty interest", "max term incl. extensions", "1-year / 5-year LPR").
    * ``cost_ceiling_is_law``: whether the cost ceiling is law (CN: "comprehensive cost
      ceiling for licensed lenders") or only the lender's own maximum (US: no federal cap
      for purchase-money auto loans, row "military lending"); the calculator says which.
    * ``day_count_basis``: days in the year of the daily rate (CN 360, row "day count").
    * ``compounds_overdue_interest``: unpaid interest bears the penalty rate (CN 复利, row
      "penalty interest"); US practice charges a late fee instead.
    * ``late_fee_pyramiding_allowed``: False where a late fee may not fall on a payment
      short only by earlier late fees (US: 16 CFR 444.4).
    * ``apr_method``: the disclosed APR. ``pboc``: IRR with the first period in days of its
      own regular period (row "APR disclosure (年化利率)", PBOC [2021] No. 3);
      ``appendix_j``: Reg Z's actuarial APR, odd days over a 30-day month (US row "APR").
    * ``provisioning``: ``ifrs9`` (IFRS 9 / CAS 22: 12-month ECL in stage 1) or ``cecl``
      (lifetime ECL from day one, no 12-month stage); section "Provisioning (both)".
    * ``five_tier_classes``: loans take the five-tier class 正常 .. 损失 (row "five-tier
      class by DPD", 商业银行金融资产风险分类办法); US loans none.
    * ``default_upper_ages``: the upper age limits (at application, at maturity) a product
      that sets none takes (CN 60 / 65: the lender's default, no REGULATION.md row);
      None: no upper age limit, and a product may not set one (US: Reg B 1002.6(b)(2),
      age may not count against an elderly applicant).
    * ``adverse_notice``: the notice's form. ``pipl``: the bureau used and the rights to an
      explanation and a human review (PIPL Art. 24, row "personal information"); ``ecoa``:
      the ECOA statement and the FCRA 615(a) items (US row "adverse action", Reg B 1002.9).
    * ``notice_barred_reasons``: reason codes a notice may not state, beyond those barred
      under every pack (US: Reg B 1002.6(b) and 1002.5 prohibited bases: age, sex, marital
      status, national origin, race, colour, religion).
    * ``credit_bureau``: the bureau a notice names as the one whose report was used (CN
      the PBOC Credit Reference Center; US a sandbox bureau, labelled as such: the demo
      has no real one).
    * ``credit_reporting``: where late payments are reported. ``pboc``: the PBOC Credit
      Reference Center (row "negative data", 征信业管理条例 2013); ``fcra``: the consumer
      reporting agencies (US row "credit reporting").
    * ``supervising_agency``: the federal agency an ECOA notice names as administering
      compliance for this creditor (Reg B 1002.9(b)(1), appendix A); None under CN.
    * ``identity_scheme``: how applicants are known. ``resident_id``: the CN resident ID
      (it carries the birth date) and a mainland mobile; ``taxpayer_id``: a US SSN or
      ITIN, a birth date given beside it and a NANP phone (:mod:`autolend.domain.identity`).
    * ``contract_form``: the contract document. ``cn_loan``: the CN auto-loan contract
      (:mod:`autolend.domain.contract`); ``us_tila``: the Truth-in-Lending one (12 CFR
      1026.18, :mod:`autolend.domain.contract_us`).
    * ``repayment_channels``: how a borrower's money reaches the lender, in the order the
      loan page offers them; ``also_accepted_channels``: taken but not offered (US:
      ``bank_transfer``, the channel every US loan's money carried before packs had any).
    * ``ltv_caps``: the LTV ceiling of each vehicle condition and energy (rows "max LTV,
      self-use ICE / self-use NEV" and "... used car"); a condition and energy without
      one has no cap to check a product against, so the product is refused.
    * ``form_look``: the application form's look under the pack (:class:`FormLook`).
    * ``debt_ratio_name``: what the rule texts call monthly debt over monthly income (CN
      ``DSR``, debt service ratio; US ``DTI``, debt-to-income, as US lenders and the
      CFPB say it): "(DTI 63% > 45%)".
    * ``specific_reasons_first``: a decline's specific reasons (the DTI, LTV, term or
      amount that no structure could fix) come before the catch-all "no down payment,
      term or amount fits" (US: Reg B 1002.9(b)(2) does not take a general statement as a
      reason); CN's notice lists them as it always did, the catch-all first.
    * ``filing_consents``: the consents (values of ``ConsentKind``) every party gives
      before an application is filed (:func:`autolend.domain.consent.missing_for_filing`).
      CN: ``data_processing`` and, separately, ``sensitive_data`` (PIPL Art. 13, 29:
      income, obligations and the resident ID are sensitive personal information); US:
      ``data_processing`` alone, the consent to process the applicant's information under
      the lender's GLBA privacy notice (PIPL does not bind a US lender). The bureau query
      is optional under both: without it the decision refers the case to a person.
    """

    code: str
    name: str
    currency: str
    locale: str
    timezone: str
    cost_ceilings: tuple[Effective[CostCeiling], ...]
    penalty_uplifts: tuple[Effective[PenaltyUplift], ...]
    term_limits: tuple[Effective[TermLimits], ...]
    loan_prime_rates: tuple[Effective[LoanPrimeRate], ...] = ()
    cost_ceiling_is_law: bool = True
    day_count_basis: int = 360
    compounds_overdue_interest: bool = True
    late_fee_pyramiding_allowed: bool = True
    apr_method: Literal["pboc", "appendix_j"] = "pboc"
    provisioning: Literal["ifrs9", "cecl"] = "ifrs9"
    five_tier_classes: bool = True
    default_upper_ages: tuple[int, int] | None = (60, 65)
    adverse_notice: Literal["pipl", "ecoa"] = "pipl"
    notice_barred_reasons: frozenset[str] = frozenset()
    credit_bureau: BureauContact = PBOC_CREDIT_REFERENCE_CENTER
    credit_reporting: Literal["pboc", "fcra"] = "pboc"
    supervising_agency: str | None = None
    identity_scheme: Literal["resident_id", "taxpayer_id"] = "resident_id"
    contract_form: Literal["cn_loan", "us_tila"] = "cn_loan"
    repayment_channels: tuple[str, ...] = CN_REPAYMENT_CHANNELS
    also_accepted_channels: tuple[str, ...] = ()
    ltv_caps: tuple[LtvCap, ...] = CN_LTV_CAPS
    form_look: FormLook = CN_FORM_LOOK
    debt_ratio_name: str = "DSR"
    specific_reasons_first: bool = False
    filing_consents: tuple[str, ...] = ("data_processing", "sensitive_data")

    @property
    def lifetime_ecl(self) -> bool:
        """Whether every loan's allowance is lifetime ECL whatever its stage (CECL)."""
        return self.provisioning == "cecl"

    def cost_ceiling(self, on: date) -> CostCeiling:
        return in_force(self.cost_ceilings, on, "cost ceiling")

    def penalty_uplift(self, on: date) -> PenaltyUplift:
        return in_force(self.penalty_uplifts, on, "penalty uplift")

    def term_limits_on(self, on: date) -> TermLimits:
        return in_force(self.term_limits, on, "term limit")

    def lpr(self, on: date) -> LoanPrimeRate:
        return in_force(self.loan_prime_rates, on, "loan prime rate")

    @property
    def day_count(self) -> DayCount:
        """The day count of a loan made under the pack: ``day_count_basis`` days a year.
        15 days on 100,000.00 at 12 % accrue 100,000.00 x 0.12 x 15 / 360 = 500.00 under
        CN (ACT/360) and 100,000.00 x 0.12 x 15 / 365 = 493.15 under US (ACT/365).

        >>> from autolend.domain.regulation import CN_PACK, US_PACK
        >>> CN_PACK.day_count.value, US_PACK.day_count.value
        ('ACT/360', 'ACT/365')
        """
        return DayCount.ACT_360 if self.day_count_basis == 360 else DayCount.ACT_365

    @property
    def uses_taxpayer_id(self) -> bool:
        """Whether the pack's people are known by a US taxpayer ID (SSN or ITIN), a birth
        date beside it and a NANP phone, not a resident ID that holds the birth date.

        >>> from autolend.domain.regulation import CN_PACK, US_PACK
        >>> US_PACK.uses_taxpayer_id, CN_PACK.uses_taxpayer_id
        (True, False)
        """
        return self.identity_scheme == "taxpayer_id"

    def ltv_cap(self, condition: str, energy: str, on: date) -> Decimal | None:
        """The LTV ceiling in force on ``on``; None when the pack has none for the
        condition and energy (the caller names the field at fault).

        >>> from autolend.domain.regulation import CN_PACK
        >>> day = date(2026, 1, 1)
        >>> CN_PACK.ltv_cap("used", "nev", day), CN_PACK.ltv_cap("demo", "ice", day)
        (Decimal('0.70'), None)
        """
        for cap in self.ltv_caps:
            if (cap.condition, cap.energy) == (condition, energy):
                return in_force(cap.history, on, "LTV cap")
        return None


def cost_cap_amount(principal: Money, ceiling: Decimal, days: int, basis: int = 360) -> Money:
    """The most a borrower may be charged in total (interest, fees, penalty) on
    ``principal`` over ``days`` under an annual ceiling, read as simple interest and
    rounded down to the fen (never past the cap).

    Example: 100,000.00 at 24 % over 90 days on a 360-day year: 100,000 x 0.24 x 90 / 360
    = 6,000.00.

    >>> cost_cap_amount(Money.parse("100000", "CNY"), Decimal("0.24"), 90).to_api()
    '6000.00'
    >>> cost_cap_amount(Money.parse("12000", "CNY"), Decimal("0.24"), 32).to_api()
    '256.00'
    """
    if days < 0:
        raise InvalidInput("days must not be negative", field="days")
    if principal.is_negative():
        raise InvalidInput("principal must not be negative", field="principal")
    # Exact: multiply before dividing, then round down once (0.24 x 32 / 360 has no finite
    # decimal form, so a Decimal factor would lose the last fen).
    cap = Fraction(principal.minor) * Fraction(ceiling) * days / basis
    return Money(math.floor(cap), principal.currency)
