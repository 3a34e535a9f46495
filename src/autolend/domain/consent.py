"""Consents (授权): what a customer agreed to, under which text, and until when.

The credit-reporting regulation (征信业管理条例 Art. 13, 14, 18) requires the subject's written
consent before any bureau query; PIPL Art. 29 a separate consent for sensitive personal data.
Under the US pack the bureau query is the FCRA 604(a)(2) written authorization to obtain a
consumer report, and the data-processing consent the applicant's consent under the lender's
GLBA privacy notice; PIPL's separate consent has no US counterpart.
A consent is recorded with the version of the text the customer saw. It is *active* from the
instant it was granted until it expires or is revoked, whichever comes first. A bureau-query
consent expires after :data:`BUREAU_QUERY_VALIDITY` unless it states another expiry.

>>> from datetime import UTC, datetime
>>> granted = datetime(2026, 1, 1, tzinfo=UTC)
>>> expiry = default_expiry(ConsentKind.BUREAU_QUERY, granted)
>>> expiry.date().isoformat()
'2026-04-01'
>>> is_active(granted, expiry, None, at=datetime(2026, 3, 31, tzinfo=UTC))
True
>>> is_active(granted, expiry, None, at=datetime(2026, 4, 1, tzinfo=UTC))
False
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import RegulationPack

BUREAU_QUERY_VALIDITY = timedelta(days=90)


class ConsentKind(StrEnum):
    BUREAU_QUERY = "bureau_query"  # 征信查询授权
    DATA_PROCESSING = "data_processing"  # 个人信息处理
    SENSITIVE_DATA = "sensitive_data"  # 敏感个人信息 (separate consent)


def filing_consents(pack: RegulationPack) -> tuple[ConsentKind, ...]:
    """What every party of an application filed under ``pack`` must have agreed to before
    their personal data is processed (the pack's ``filing_consents``). CN: the processing
    of their personal information and, separately, of their sensitive personal
    information (PIPL Art. 13, 29: income, obligations and the resident ID are sensitive;
    征信业管理条例 Art. 13: consent before income data is collected). US: the processing of
    their information under the lender's GLBA privacy notice; PIPL does not apply. The
    bureau query is optional under both: without it the decision refers the case to a
    person.

    >>> from autolend.domain.regulation import CN_PACK, US_PACK
    >>> [k.value for k in filing_consents(CN_PACK)], [k.value for k in filing_consents(US_PACK)]
    (['data_processing', 'sensitive_data'], ['data_processing'])
    """
    return tuple(ConsentKind(kind) for kind in pack.filing_consents)


def missing_for_filing(
    given: Iterable[ConsentKind], pack: RegulationPack
) -> tuple[ConsentKind, ...]:
    """The :func:`filing_consents` of ``pack`` not among ``given``, in their order.

    >>> from autolend.domain.regulation import CN_PACK, US_PACK
    >>> [k.value for k in missing_for_filing([ConsentKind.BUREAU_QUERY], CN_PACK)]
    ['data_processing', 'sensitive_data']
    >>> missing_for_filing([ConsentKind.SENSITIVE_DATA, ConsentKind.DATA_PROCESSING], CN_PACK)
    ()
    >>> missing_for_filing([ConsentKind.DATA_PROCESSING], US_PACK)
    ()
    """
    kinds = set(given)
    return tuple(kind for kind in filing_consents(pack) if kind not in kinds)


_NAMES: dict[ConsentKind, tuple[str, str]] = {
    ConsentKind.BUREAU_QUERY: ("consent to a credit-bureau query", "征信查询授权"),
    ConsentKind.DATA_PROCESSING: ("consent to the processing of personal data",
                                  "个人信息处理授权"),
    ConsentKind.SENSITIVE_DATA: ("separate consent to the processing of sensitive data",
                                 "敏感个人信息处理单独授权"),
}  # fmt: skip


def consent_names(kinds: Iterable[ConsentKind]) -> tuple[str, str]:
    """``kinds`` in words, in English and in Chinese, as a refusal lists them.

    >>> consent_names([ConsentKind.DATA_PROCESSING, ConsentKind.SENSITIVE_DATA])[1]
    '个人信息处理授权、敏感个人信息处理单独授权'
    """
    listed = [_NAMES[kind] for kind in kinds]
    return "; ".join(en for en, _zh in listed), "、".join(zh for _en, zh in listed)


def missing_filing_consents(given: Iterable[ConsentKind], pack: RegulationPack) -> None:
    """Refuse (422 on ``consents``, in both languages, the missing ones in words) an
    application without the pack's filing consents (:func:`missing_for_filing`); the
    message names the separate consent where the pack asks one.

    >>> from autolend.domain.regulation import CN_PACK
    >>> try:
    ...     missing_filing_consents([ConsentKind.DATA_PROCESSING], CN_PACK)
    ... except InvalidInput as refused:
    ...     print(refused.message.split("(")[1])
    missing: separate consent to the processing of sensitive data)
    """
    missing = missing_for_filing(given, pack)
    if not missing:
        return
    en, zh = consent_names(missing)
    if ConsentKind.SENSITIVE_DATA in filing_consents(pack):
        raise InvalidInput(
            "an application is filed with the applicant's consents to the processing of "
            f"their personal data and, separately, of their sensitive data (missing: {en})",
            field="consents",
            message_zh="提交申请须取得申请人对个人信息处理的授权及对敏感个人信息处理的单独授权"
            f"（缺少：{zh}）",
        )
    raise InvalidInput(
        "an application is filed with the applicant's consent to the processing of their "
        f"information under the lender's privacy notice (missing: {en})",
        field="consents",
        message_zh=f"提交申请须取得申请人依据贷款机构隐私声明处理其个人信息的同意（缺少：{zh}）",
    )


class ConsentRequired(InvalidInput):
    """An action needs a consent the customer has not (or no longer) given (HTTP 422)."""

    code = "consent_required"


def parse_kind(text: str, *, field: str = "kind") -> ConsentKind:
    """The consent kind named by ``text``; an unknown one is an error listing the known ones."""
    try:
        return ConsentKind(text)
    except ValueError:
        known = ", ".join(k.value for k in ConsentKind)
        raise InvalidInput(f"unknown consent kind {text!r}; known: {known}", field=field) from None


def default_expiry(kind: ConsentKind, granted_at: datetime) -> datetime | None:
    """When a consent of this kind lapses if the text states nothing else (None: never)."""
    return granted_at + BUREAU_QUERY_VALIDITY if kind is ConsentKind.BUREAU_QUERY else None


def is_active(
    granted_at: datetime, expires_at: datetime | None, revoked_at: datetime | None, *, at: datetime
) -> bool:
    """Granted at or before ``at``, not expired at ``at`` and not revoked by then."""
    if granted_at > at:
        return False
    if expires_at is not None and at >= expires_at:
        return False
    return revoked_at is None or revoked_at > at
