"""What an adverse-action notice may say, and in which words, by regulation pack.

**Reasons.** A principal reason never names a protected attribute: under every pack not
``PERSONAL_STATUS_AND_SEX`` or ``FOREIGN_WORKER`` (:data:`NEVER_REASONS`: sex, marital
status, national origin: the applicant cannot act on them and no law asks for them), nor
any of the pack's ``notice_barred_reasons`` (US: nothing about age, sex, marital status
or national origin either: Reg B 1002.6(b)(2) forbids using age against an elderly
applicant, 1002.6(b)(1) and 1002.5 the other bases). Codes are compared case-blind: the
model's reason for feature ``age`` is ``AGE``, the product rule's ``age_at_maturity``.

>>> may_state("AGE", "CN"), may_state("AGE", "US"), may_state("FOREIGN_WORKER", "CN")
(True, False, False)

The one age a US notice states is capacity: Reg B 1002.6(b)(2)(i) lets a creditor
consider age to learn whether the applicant can enter into a binding contract, so an
applicant under the age of majority declined for it is told so, in those words and
without their age (:func:`capacity_hit`).

**Words.** By the pack's ``adverse_notice`` form. ``pipl`` (CN): the PBOC Credit
Reference Center and PIPL Art. 24. ``ecoa`` (US): the ECOA statement (1002.9(b)(1)) and,
where a consumer report was used, the FCRA 615(a) items: the bureau's name, address and
telephone number, that it did not make the decision, the free report within 60 days, the
right to dispute. The bureau's contact is the pack's ``credit_bureau`` (the US demo has no
real bureau, so it names a sandbox one, labelled as such) and the agency its
``supervising_agency``.

>>> print(notice_rights("en", "US", bureau_for("US"))[0])  # doctest: +ELLIPSIS
Our decision was based in whole or in part on information in a consumer report from: ...
"""

from __future__ import annotations

from typing import Final

from autolend.domain.decision_rules import DECLINE, RuleHit
from autolend.domain.eligibility import AGE_OF_MAJORITY
from autolend.domain.regulation import CN_PACK, BureauContact, pack_for

__all__ = [
    "BUREAU_NAME", "NEVER_REASONS", "UNDER_AGE_OF_MAJORITY", "bureau_for", "capacity_hit",
    "may_state", "notice_rights", "notice_words",
]  # fmt: skip

BUREAU_NAME = CN_PACK.credit_bureau.name
# The notice names the bureau in its own language (the stored name holds both).
_BUREAU_IN = {BUREAU_NAME: {"zh": "中国人民银行征信中心", "en": "PBOC Credit Reference Center"}}

NEVER_REASONS: Final = frozenset({"PERSONAL_STATUS_AND_SEX", "FOREIGN_WORKER"})
"""Reason codes no notice states, under any pack (protected attributes)."""


def may_state(code: str, pack_code: str) -> bool:
    """Whether a notice under ``pack_code`` may give the reason ``code`` (see above)."""
    barred = NEVER_REASONS | pack_for(pack_code).notice_barred_reasons
    return code.upper() not in barred


UNDER_AGE_OF_MAJORITY = "under_age_of_majority"
_NO_CAPACITY = (
    "The applicant has not reached the age of majority (legal capacity to contract)",
    "申请人未达到成年年龄（不具备订立合同的完全民事行为能力）",
)


def capacity_hit(hit: RuleHit, age: int, pack_code: str) -> RuleHit:
    """The age-at-application ``hit`` restated as the applicant's capacity to contract
    where the pack's notice may not state age (US) and the applicant, ``age`` years old,
    is under :data:`~autolend.domain.eligibility.AGE_OF_MAJORITY`; any other hit as is.

    Else a minor declined under US read a notice with no reason at all (the age rule is
    barred), which 1002.9(a)(2) does not allow. A 40-year-old outside a product's age
    range keeps ``age_at_application``, still never stated; under CN, whose notice may
    state age, nothing changes.

    >>> said = RuleHit("age_at_application", "birth_date", DECLINE, "age 16", "16岁")
    >>> capacity_hit(said, 16, "US").rule, capacity_hit(said, 16, "CN").rule
    ('under_age_of_majority', 'age_at_application')
    >>> capacity_hit(said, 40, "US").rule
    'age_at_application'
    """
    if hit.rule != "age_at_application" or age >= AGE_OF_MAJORITY or may_state(hit.rule, pack_code):
        return hit
    return RuleHit(UNDER_AGE_OF_MAJORITY, hit.field, DECLINE, *_NO_CAPACITY)


def bureau_for(pack_code: str) -> str:
    """The name the notice stores for the bureau whose report was used."""
    return pack_for(pack_code).credit_bureau.name


_CN = {
    "en": {
        "title": "Notice of credit decision", "decline": "We cannot approve your application "
        "as submitted.", "refer": "We can consider your application on other terms.",
        "approve": "Your application is approved.", "reasons": "Principal reasons:",
        "bureau": "Credit report used: {name}.", "no_bureau": "No credit report was used.",
        "rights": "You may ask us to explain this decision and to have it reviewed by a "
        "person (PIPL Art. 24). You may get a free copy of your credit report from the "
        "credit reference centre and dispute any error in it.",
    },
    "zh": {
        "title": "信贷审批结果通知", "decline": "很抱歉，您提交的申请未能获批。",
        "refer": "您的申请可按其他条件重新考虑。", "approve": "您的申请已获批。",
        "reasons": "主要原因：", "bureau": "本次审批使用的征信报告：{name}。",
        "no_bureau": "本次审批未使用征信报告。",
        "rights": "您有权要求我们对本决定作出说明，并要求人工复核（《个人信息保护法》第二十四条）。"
        "您可以向征信机构免费获取本人信用报告，并对其中的错误提出异议。",
    },
}  # fmt: skip

_OUTCOMES = ("decline", "refer", "approve", "reasons")
"""The words of the outcome, the same under every pack."""
_SAID = {lang: {key: _CN[lang][key] for key in _OUTCOMES} for lang in _CN}

_US = {
    "en": _SAID["en"] | {
        "title": "Notice of action taken",
        "no_bureau": "No consumer report was used in this decision.",
        "fcra": (
            "Our decision was based in whole or in part on information in a consumer report "
            "from: {name}, {address}, telephone {phone}.",
            "{name} did not make this decision and cannot tell you the specific reasons "
            "for it.",
            "You have the right to a free copy of your report from {name} if you ask for it "
            "within 60 days of receiving this notice.",
            "You have the right to dispute with {name} the accuracy or completeness of any "
            "information in the report it furnished.",
        ),
        "ecoa": "NOTICE: The federal Equal Credit Opportunity Act prohibits creditors from "
        "discriminating against credit applicants on the basis of race, color, religion, "
        "national origin, sex, marital status, age (provided the applicant has the capacity "
        "to enter into a binding contract); because all or part of the applicant's income "
        "derives from any public assistance program; or because the applicant has in good "
        "faith exercised any right under the Consumer Credit Protection Act. The federal "
        "agency that administers compliance with this law concerning this creditor is: "
        "{agency}.",
    },
    "zh": _SAID["zh"] | {
        "title": "不利决定通知", "no_bureau": "本次决定未使用消费者信用报告。",
        "fcra": (
            "本次决定全部或部分基于以下消费者信用报告机构提供的报告：{name}，地址：{address}，"
            "电话：{phone}。",
            "{name}并未作出本决定，也无法告知本决定的具体原因。",
            "您有权在收到本通知后60天内向{name}免费索取您的报告。",
            "您有权就报告中任何信息的准确性或完整性向{name}提出异议。",
        ),
        "ecoa": "通知：美国联邦《平等信贷机会法》禁止债权人以种族、肤色、宗教、国籍、性别、"
        "婚姻状况、年龄（申请人须具有订立有效合同的能力）为由，或因申请人的全部或部分收入"
        "来自公共援助项目，或因申请人善意行使《消费者信贷保护法》规定的任何权利，而歧视信贷"
        "申请人。负责监督本债权人遵守该法的联邦机构为：{agency}。",
    },
}  # fmt: skip


def notice_words(lang: str, pack_code: str) -> dict[str, str]:
    """The notice's fixed words (title, outcome, reasons heading) in ``lang`` (zh / en)."""
    words = (_US if pack_for(pack_code).adverse_notice == "ecoa" else _CN)[lang]
    return {k: v for k, v in words.items() if isinstance(v, str)}


def notice_rights(lang: str, pack_code: str, bureau: str | None) -> list[str]:
    """The lines after the reasons: the bureau used (or none) and the applicant's rights."""
    pack = pack_for(pack_code)
    if pack.adverse_notice != "ecoa":
        words = _CN[lang]
        name = _BUREAU_IN.get(bureau, {}).get(lang, bureau) if bureau else None
        used = words["bureau"].format(name=name) if name else words["no_bureau"]
        return [used, words["rights"]]
    us = _US[lang]
    ecoa = str(us["ecoa"]).format(agency=pack.supervising_agency)
    if not bureau:
        return [str(us["no_bureau"]), ecoa]
    known = pack.credit_bureau
    contact = known if known.name == bureau else BureauContact(bureau, "-", "-")
    fcra = [line.format(name=contact.name, address=contact.address, phone=contact.phone)
            for line in us["fcra"]]  # fmt: skip
    return [*fcra, ecoa]
