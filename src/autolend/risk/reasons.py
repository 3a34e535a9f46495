"""Reason codes: the features that hurt an applicant most, in plain English and Chinese.

Rules:
- scorecard (``scorecard_points_lost_v1``): points each feature lost against its best bin;
  the top 4 with a loss above zero, largest first.
- challenger (``treeshap_adverse_v1``): the 4 largest positive (adverse) TreeSHAP values in
  log-odds of bad, largest first.
Texts come from a catalogue; a feature it does not know still gets a sentence naming it.
A feature the applicant gave no value for keeps its code but says that no information was
given on it, in words:
the catalogue's sentence ("a high share of available credit limits is in use") would be
untrue of an applicant without a credit card whose missing value cost points.
A feature about someone other than the applicant (the dealer: :data:`NOT_ABOUT_THE_APPLICANT`)
has no sentence the applicant could act on, so it must never be a reason; and because the
reasons must be the factors that actually moved the score, such a feature is not scored
either: training leaves it out with a note (:mod:`autolend.risk.columns`). A model trained
before that rule still names it with the catalogue's sentence, so its reasons stay faithful.
A protected attribute (:data:`PROTECTED_ATTRIBUTES`: ``personal_status_and_sex``,
``foreign_worker``; sex, marital status, national origin) is never a reason either, under
any pack: the top 4 are taken among the other features. (The notice's own rules, by pack,
are :func:`autolend.domain.adverse_notice.may_state`: the US pack bars age too.)
A reason's code is the feature's name in capitals, letters and digits kept (in any script)
and every run of other characters one ``_``: ``credit.amount`` -> ``CREDIT_AMOUNT``,
``月收入`` -> ``月收入``; a name with no letter or digit gets ``FEATURE_`` and the first
8 hex digits of its SHA-256, so distinct features never share the bare ``FEATURE``.

>>> [r.code for r in scorecard_reasons(("ltv", "age"), [12.5, 0.0])]
['LTV']
>>> [r.code for r in scorecard_reasons(("foreign_worker", "ltv"), [20.0, 3.0])]
['LTV']
>>> explain("月收入 (元)").code, explain("%").code
('月收入_元', 'FEATURE_BBF3F11C')
>>> explain("debt_service_ratio").text_en
'monthly debt payments are high compared with income'
>>> scorecard_reasons(("credit_utilisation",), [9.0], missing={"credit_utilisation"})[0].text_en
'no information was given on the share of credit limits in use'
>>> not_about_the_applicant("Dealer ID"), not_about_the_applicant("ltv")
('the dealer', None)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "NOT_ABOUT_THE_APPLICANT",
    "PROTECTED_ATTRIBUTES",
    "SCORECARD_METHOD",
    "SHAP_METHOD",
    "Explanation",
    "Reason",
    "explain",
    "explain_missing",
    "feature_name",
    "not_about_the_applicant",
    "protected_attribute",
    "protected_features",
    "scorecard_reasons",
    "shap_reasons",
]

SCORECARD_METHOD = "scorecard_points_lost_v1"
SHAP_METHOD = "treeshap_adverse_v1"
TOP = 4

_CATALOGUE: dict[str, tuple[str, str]] = {
    # synthetic auto-loan applicants
    "age": ("applicant age falls in a higher-risk group", "申请人年龄处于风险较高的区间"),
    "monthly_income": ("monthly income is low", "月收入偏低"),
    # Comparative: an approved applicant with 84 months read "only a short time" (the
    # best bin starts near 135 months; a reason is points lost against the best bin).
    "income_stability_months": (
        "income has been stable for less time than the lowest-risk applicants' income",
        "收入稳定时长不及风险最低的申请人",
    ),
    "employment_type": ("the type of employment carries higher risk", "就业类型风险较高"),
    "existing_debt_payments": ("existing monthly debt payments are high", "现有每月债务还款额较高"),
    "debt_service_ratio": (
        "monthly debt payments are high compared with income",
        "每月债务还款额相对收入偏高",
    ),
    "bureau_delinquencies_24m": (
        "late payments on the credit report in the last 24 months",
        "近24个月征信报告有逾期记录",
    ),
    "bureau_inquiries_6m": (
        "many credit enquiries in the last 6 months",
        "近6个月征信查询次数较多",
    ),
    "credit_utilisation": (
        "a high share of available credit limits is in use",
        "信用额度使用率偏高",
    ),
    "down_payment_ratio": (
        "the down payment is small compared with the vehicle price",
        "首付比例偏低",
    ),
    "ltv": ("the loan is large compared with the vehicle's value", "贷款金额相对车辆价值偏高"),
    "term_months": ("the loan term is long", "贷款期限较长"),
    "vehicle_condition": (
        "the vehicle's condition (new or used) carries higher risk",
        "车辆新旧状况风险较高",
    ),
    "vehicle_energy": ("the vehicle's energy type carries higher risk", "车辆能源类型风险较高"),
    "vehicle_price": ("the vehicle's price band carries higher risk", "车辆价格区间风险较高"),
    # Not a reason any more (NOT_ABOUT_THE_APPLICANT): the sentence of models trained before.
    "dealer_id": ("loans through this dealer have performed worse", "该经销商渠道的贷款表现较差"),
    "city_tier": ("the city of residence carries higher risk", "所在城市级别风险较高"),
    "first_time_buyer": (
        "no previous car purchase or car loan on record",
        "首次购车，缺少购车或车贷记录",
    ),
    # UCI Statlog German credit (dots or underscores)
    "status_of_existing_checking_account": (
        "the current account balance is low or the account is new",
        "支票账户余额偏低或账户状况欠佳",
    ),
    "duration_in_month": ("the loan duration is long", "贷款期限较长"),
    "credit_history": ("past repayment history is less favourable", "过往还款记录欠佳"),
    "purpose": ("the purpose of the loan carries higher risk", "贷款用途风险较高"),
    "credit_amount": (
        "the credit amount falls in a higher-risk range",
        "贷款金额处于风险较高的区间",
    ),
    "savings_account_and_bonds": ("savings and bonds are low", "储蓄及债券较少"),
    "present_employment_since": ("time in the current job is short", "现职工作年限较短"),
    "installment_rate_in_percentage_of_disposable_income": (
        "installments are high compared with disposable income",
        "分期还款额占可支配收入的比例偏高",
    ),
    "personal_status_and_sex": (
        "the personal status group carries higher risk",
        "个人婚姻状况类别风险较高",
    ),
    "other_debtors_or_guarantors": ("no co-applicant or guarantor", "没有共同借款人或担保人"),
    "present_residence_since": ("time at the current address is short", "现住址居住时间较短"),
    "property": ("little property to fall back on", "名下可作保障的财产较少"),
    "age_in_years": ("applicant age falls in a higher-risk group", "申请人年龄处于风险较高的区间"),
    "other_installment_plans": ("other installment plans are running", "存在其他分期付款计划"),
    "housing": ("the housing situation carries higher risk", "住房状况风险较高"),
    "number_of_existing_credits_at_this_bank": (
        "the number of existing loans at this bank is less favourable",
        "在本行现有贷款笔数欠佳",
    ),
    "job": ("the job category carries higher risk", "职业类别风险较高"),
    "number_of_people_being_liable_to_provide_maintenance_for": (
        "the number of dependants is less favourable",
        "需抚养人数欠佳",
    ),
    "telephone": ("no telephone registered in the applicant's name", "本人名下未登记电话"),
    "foreign_worker": ("foreign-worker status carries higher risk", "外籍劳工身份风险较高"),
}


# Features (catalogue keys) that describe someone other than the applicant, and whom: the
# dealer who sells the car, however a lender's file spells its column.
NOT_ABOUT_THE_APPLICANT: Mapping[str, str] = {
    "dealer": "the dealer",
    "dealer_id": "the dealer",
    "dealer_code": "the dealer",
    "dealer_name": "the dealer",
}


# Features (catalogue keys) that are protected attributes, and which: never a reason.
PROTECTED_ATTRIBUTES: Mapping[str, str] = {
    "personal_status_and_sex": "sex and marital status",
    "foreign_worker": "national origin",
    "gender": "sex", "sex": "sex",
    "marital_status": "marital status",
    "race": "race", "ethnicity": "ethnicity", "ethnic_group": "ethnicity",
    "religion": "religion",
    "nationality": "national origin", "national_origin": "national origin",
}  # fmt: skip


def protected_attribute(feature: str) -> str | None:
    """What protected attribute ``feature`` records (``"Gender"`` -> ``"sex"``), else
    None: a lender's file may hold one for the fairness report, never for decisions."""
    return PROTECTED_ATTRIBUTES.get(_key(feature))


def protected_features(features: Iterable[str]) -> list[str]:
    """The ``features`` that record a protected attribute, each with what it records.

    >>> protected_features(["income", "Gender", "ltv"])
    ['Gender: sex']
    """
    return [f"{name}: {what}" for name in features
            if (what := protected_attribute(name)) is not None]  # fmt: skip


@dataclass(frozen=True)
class Explanation:
    """A feature's stable reason code and its sentence in each language."""

    code: str
    text_en: str
    text_zh: str


@dataclass(frozen=True)
class Reason:
    """One adverse factor: ``points_lost`` (scorecard) or ``shap_value`` (log-odds, challenger)."""

    code: str
    feature: str
    text_en: str
    text_zh: str
    points_lost: float | None = None
    shap_value: float | None = None


def explain(feature: str) -> Explanation:
    """Code and texts of a feature: ``credit.amount`` and ``credit_amount`` are the same."""
    key = _key(feature)
    code = key.upper() or f"FEATURE_{_digest(feature.strip())}"
    known = _CATALOGUE.get(key)
    if known is not None:
        return Explanation(code, *known)
    return Explanation(
        code,
        f"the value of {feature} is less favourable than for most approved applicants",
        f"{feature} 的取值不如大多数获批申请人",
    )


# What a feature is, in words, for the sentence of a value not given (the catalogue says
# what a value costs); another feature is named by its column, underscores as spaces.
_NAMES: dict[str, tuple[str, str]] = {
    "income_stability_months": ("how long the income has been stable", "收入稳定时长"),
    "credit_utilisation": ("the share of credit limits in use", "信用额度使用率"),
    "monthly_income": ("monthly income", "月收入"),
    "existing_debt_payments": ("existing monthly debt payments", "现有每月债务还款额"),
    "employment_type": ("the type of employment", "就业类型"),
    "bureau_delinquencies_24m": ("late payments in the last 24 months", "近24个月逾期记录"),
    "bureau_inquiries_6m": ("credit enquiries in the last 6 months", "近6个月征信查询次数"),
    "city_tier": ("the city of residence", "所在城市"),
}


def explain_missing(feature: str) -> Explanation:
    """A feature whose value the applicant did not give: the same code, and a sentence that
    says so instead of the catalogue's (an applicant without a credit card was told "a high
    share of available credit limits is in use" when the missing bin cost points), naming
    the feature in words: "no information was given on how long the income has been
    stable" / "未提供收入稳定时长的信息" (not the column ``income_stability_months``)."""
    code = explain(feature).code
    column = feature.strip().replace("_", " ")
    en = _NAMES.get(_key(feature), (column, column))[0]
    # Any feature the pages name has a Chinese name: a Chinese reason never reads
    # "未提供debt service ratio的信息" (the English stays as it was: the reason's words).
    zh = (feature_name(feature) or (column, column))[1]
    return Explanation(code, f"no information was given on {en}", f"未提供{zh}的信息")


# What the catalogue's other features are, in words, for the pages that show a feature (a
# bin table, a PSI table): names only, never in a reason (explain_missing keeps _NAMES, so
# no reason's text changes). Reviewed: German credit's columns in the words of its data
# dictionary, and "installment" spelt as the glossary spells it.
_MORE_NAMES: dict[str, tuple[str, str]] = {
    "age": ("age", "年龄"),
    "debt_service_ratio": ("monthly debt payments compared with income", "债务收入比"),
    "down_payment_ratio": ("the down payment compared with the vehicle price", "首付比例"),
    "ltv": ("the loan-to-value ratio", "贷款价值比"),
    "term_months": ("the loan term in months", "贷款期限（月）"),
    "vehicle_condition": ("the vehicle condition (new or used)", "车辆新旧状况"),
    "vehicle_energy": ("the vehicle energy type", "车辆能源类型"),
    "vehicle_price": ("the vehicle price", "车辆价格"),
    "dealer_id": ("the dealer", "经销商"),
    "first_time_buyer": ("first-time buyer", "首次购车"),
    "status_of_existing_checking_account": ("the current account's status", "支票账户状况"),
    "duration_in_month": ("the loan duration in months", "贷款期限（月）"),
    "credit_history": ("past repayment history", "过往还款记录"),
    "purpose": ("the purpose of the loan", "贷款用途"),
    "credit_amount": ("the credit amount", "贷款金额"),
    "savings_account_and_bonds": ("savings and bonds", "储蓄及债券"),
    "present_employment_since": ("time in the current job", "现职工作年限"),
    "installment_rate_in_percentage_of_disposable_income": (
        "installments as a share of disposable income",
        "分期还款额占可支配收入的比例",
    ),
    "personal_status_and_sex": ("personal status and sex", "婚姻状况与性别"),
    "other_debtors_or_guarantors": ("co-applicants and guarantors", "共同借款人或担保人"),
    "present_residence_since": ("time at the current address", "现住址居住时间"),
    "property": ("property", "名下财产"),
    "age_in_years": ("age in years", "年龄（岁）"),
    "other_installment_plans": ("other installment plans", "其他分期付款计划"),
    "housing": ("the housing situation", "住房状况"),
    "number_of_existing_credits_at_this_bank": (
        "the number of existing loans at this bank",
        "在本行现有贷款笔数",
    ),
    "job": ("the job category", "职业类别"),
    "number_of_people_being_liable_to_provide_maintenance_for": (
        "the number of dependants",
        "需抚养人数",
    ),
    "telephone": ("a telephone in the applicant's name", "本人名下登记电话"),
    "foreign_worker": ("foreign-worker status", "外籍劳工身份"),
}


def feature_name(feature: str) -> tuple[str, str] | None:
    """What ``feature`` is, in words, in English and in Chinese, as the reasons name it;
    ``None`` for a feature the catalogue does not know (show its column).

    >>> feature_name("Credit Utilisation"), feature_name("branch")
    (('the share of credit limits in use', '信用额度使用率'), None)
    """
    key = _key(feature)
    return _NAMES.get(key) or _MORE_NAMES.get(key)


def not_about_the_applicant(feature: str) -> str | None:
    """Whom ``feature`` describes instead of the applicant (``"the dealer"``), else None."""
    return NOT_ABOUT_THE_APPLICANT.get(_key(feature))


def _key(feature: str) -> str:
    """The catalogue key: ``"Credit.Amount "`` -> ``credit_amount``."""
    # [\W_] is Unicode-aware: on an ASCII name it is exactly the old [^0-9a-z] (so codes
    # and catalogue keys stay), and it keeps Chinese names apart instead of all "FEATURE".
    return re.sub(r"[\W_]+", "_", feature.strip().lower()).strip("_")


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8].upper()


def scorecard_reasons(
    features: Sequence[str],
    points_lost: Sequence[float] | npt.NDArray[np.float64],
    missing: Collection[str] = frozenset(),
) -> tuple[Reason, ...]:
    """Top 4 features by points lost against their best bin (losses above zero only); a
    feature named in ``missing`` (no value given) says so (:func:`explain_missing`)."""
    return tuple(
        _reason(features[j], features[j] in missing, points_lost=round(float(loss), 2))
        for j, loss in _top_positive(_unprotected(features, points_lost))
    )


def shap_reasons(
    features: Sequence[str],
    contributions: Sequence[float] | npt.NDArray[np.float64],
    missing: Collection[str] = frozenset(),
) -> tuple[Reason, ...]:
    """Top 4 features by positive SHAP value (they pushed the PD up); ``missing`` as above."""
    return tuple(
        _reason(features[j], features[j] in missing, shap_value=round(float(value), 4))
        for j, value in _top_positive(_unprotected(features, contributions))
    )


def _unprotected(
    features: Sequence[str], values: Sequence[float] | npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """``values`` with a protected attribute's set to 0, so it is never among the top."""
    array = np.array(values, dtype=float)
    for j, name in enumerate(features[: len(array)]):
        if _key(name) in PROTECTED_ATTRIBUTES:
            array[j] = 0.0
    return array


def _top_positive(values: Sequence[float] | npt.NDArray[np.float64]) -> list[tuple[int, float]]:
    array = np.asarray(values, dtype=float)
    order = np.argsort(-array, kind="stable")[:TOP]
    return [(int(j), float(array[j])) for j in order if array[j] > 1e-9]


def _reason(feature: str, missing: bool, **measure: float) -> Reason:
    text = explain_missing(feature) if missing else explain(feature)
    return Reason(text.code, feature, text.text_en, text.text_zh, **measure)
