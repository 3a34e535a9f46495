"""A borrower who names someone else is told so in the words of the pack: a US applicant
gives an SSN or ITIN, not a "resident ID" (身份证号), which is what they were told; a CN
applicant is told as before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from autolend.domain.access import Actor, Role
from autolend.domain.errors import InvalidInput
from autolend.services.application_checks import check_self_application
from autolend.services.ports import CustomerRow, SealedFields
from tests.unit.domain.test_us_adverse_action import application

BORROWER = Actor(7, "borrower", (Role.BORROWER,))
# Someone a dealer registered: not the borrower's own profile.
THEIRS = CustomerRow(
    3, "index", None, 1, SealedFields("k", b"", {}), 2, datetime(2026, 1, 1, tzinfo=UTC)
)


class _Customers:
    """A borrower who has a profile of their own already."""

    def list_reachable(self, **_: Any) -> list[CustomerRow]:
        return [THEIRS]


class _Uow:
    customers = _Customers()


# Each pack's words for the ID a customer is known by (US: the application form's label).
ID_WORDS = pytest.mark.parametrize(
    ("currency", "id_en", "id_zh"),
    [("USD", "SSN or ITIN", "社会安全号码或个人纳税识别号（SSN/ITIN）"),
     ("CNY", "resident ID", "身份证号")],
    ids=["us", "cn"],
)  # fmt: skip


@ID_WORDS
def test_naming_another_customer_is_refused_in_the_packs_words(
    currency: str, id_en: str, id_zh: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_self_application(_Uow(), BORROWER, application(currency), THEIRS)  # type: ignore[arg-type]
    assert refused.value.field == "applicants[0].id_number"
    assert refused.value.message.startswith(f"this {id_en} belongs to another customer")
    assert (refused.value.message_zh or "").startswith(f"该{id_zh}属于其他客户")


@ID_WORDS
def test_a_borrower_with_a_profile_naming_someone_new_is_told_to_use_their_own_id(
    currency: str, id_en: str, id_zh: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_self_application(_Uow(), BORROWER, application(currency), None)  # type: ignore[arg-type]
    assert refused.value.message.endswith(f"use the {id_en} in your details")
    assert (refused.value.message_zh or "").endswith(f"请使用“我的资料”中的{id_zh}")
