"""The consents an application is filed with are the regulation pack's: CN asks PIPL's
consent to process personal information and, separately, sensitive personal information;
US asks the consent to process the applicant's information under the lender's GLBA
privacy notice, never PIPL's separate consent (which PIPL, not binding a US lender, alone
requires). The bureau query stays optional under both."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from autolend.domain.application import check_new_application, parse_application
from autolend.domain.consent import ConsentKind, filing_consents, missing_for_filing
from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import CN_PACK, US_PACK
from tests.unit.domain.test_new_application_rules import body as cn_body

AS_OF = date(2026, 11, 28)

US_BODY: dict[str, Any] = {
    "channel": "dealer", "product_code": "US_NEW", "term_months": 60,
    "down_payment": "8000.00",
    "applicants": [{"role": "borrower", "name": "John Smith", "id_number": "123-45-6788",
                    "birth_date": "1985-04-12", "mobile": "(614) 555-0100",
                    "address": "123 Main St, Springfield, IL 62701",
                    "employment": "salaried", "monthly_income": "9000.00"}],
    "vehicle": {"make": "Ford", "model": "Escape", "energy": "ice", "condition": "new",
                "price": "35000.00"},
}  # fmt: skip


def consents(*kinds: str) -> list[dict[str, str]]:
    return [{"kind": kind, "text_version": "v1"} for kind in kinds]


def us_body(*kinds: str) -> dict[str, Any]:
    return copy.deepcopy(US_BODY) | {"consents": consents(*kinds)}


def test_the_packs_state_their_filing_consents_cn_with_pipls_separate_one() -> None:
    assert filing_consents(CN_PACK) == (ConsentKind.DATA_PROCESSING, ConsentKind.SENSITIVE_DATA)
    assert filing_consents(US_PACK) == (ConsentKind.DATA_PROCESSING,)
    given = [ConsentKind.BUREAU_QUERY, ConsentKind.DATA_PROCESSING]
    assert missing_for_filing(given, CN_PACK) == (ConsentKind.SENSITIVE_DATA,)
    assert missing_for_filing(given, US_PACK) == ()


@pytest.mark.parametrize("kinds", [("bureau_query", "data_processing"), ("data_processing",)])
def test_a_us_application_is_filed_without_the_sensitive_data_consent(
    kinds: tuple[str, ...],
) -> None:
    data = parse_application(us_body(*kinds), as_of=AS_OF, pack="US")
    check_new_application(data)  # no refusal
    assert data.pack == "US"


def test_a_us_application_without_the_privacy_notice_consent_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_new_application(parse_application(us_body("bureau_query"), as_of=AS_OF, pack="US"))
    error = caught.value
    assert error.field == "consents"
    assert "privacy notice" in error.message and "sensitive" not in error.message
    assert error.message.endswith("(missing: consent to the processing of personal data)")
    assert error.message_zh and "隐私声明" in error.message_zh and "敏感" not in error.message_zh


def test_a_cn_application_without_the_sensitive_data_consent_is_still_refused() -> None:
    data = parse_application(cn_body(consents=consents("bureau_query", "data_processing")),
                             as_of=AS_OF)  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        check_new_application(data)
    assert caught.value.field == "consents"
    assert caught.value.message.endswith(
        "(missing: separate consent to the processing of sensitive data)"
    )
    assert caught.value.message_zh and "单独授权" in caught.value.message_zh
