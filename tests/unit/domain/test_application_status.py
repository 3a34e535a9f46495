"""The application's state machine refuses a move with a reason in English and Chinese."""

from __future__ import annotations

import pytest

from autolend.domain.application_status import Action, ApplicationStatus, check_transition
from autolend.domain.errors import Conflict


@pytest.mark.parametrize("status", [ApplicationStatus.SIGNED, ApplicationStatus.DISBURSED])
def test_signing_a_signed_contract_again_says_it_is_signed_not_that_an_offer_is_missing(
    status: ApplicationStatus,
) -> None:
    with pytest.raises(Conflict) as refused:
        check_transition(status, Action.SIGN)
    assert (
        refused.value.message == f"the contract is already signed (status: {status_word(status)})"
    )
    assert refused.value.message_zh is not None
    assert refused.value.message_zh.startswith("合同已签署（状态：")


def status_word(status: ApplicationStatus) -> str:
    """The words a refusal names ``status`` by (codes with words of their own)."""
    return {"pending_second": "waiting for a second approval", "referred": "referred to a person",
            "counter_offered": "counter-offered",
            "accepted": "offer accepted"}.get(status.value, status.value)  # fmt: skip


def test_every_refused_move_is_said_in_chinese_too_with_the_status_by_its_chinese_name() -> None:
    for action in Action:
        for status in ApplicationStatus:
            try:
                check_transition(status, action)
            except Conflict as refused:
                assert f"(status: {status_word(status)})" in refused.message
                assert "_" not in refused.message  # a status in words, never its code
                assert refused.message_zh is not None and "（状态：" in refused.message_zh
                assert not any(c.isascii() and c.isalpha() for c in refused.message_zh)


@pytest.mark.parametrize(
    "status", [ApplicationStatus.ACCEPTED, ApplicationStatus.SIGNING, ApplicationStatus.SIGNED]
)
def test_an_accepted_or_signed_application_may_be_withdrawn_until_the_money_leaves(
    status: ApplicationStatus,
) -> None:
    check_transition(status, Action.WITHDRAW)


@pytest.mark.parametrize("status", [ApplicationStatus.DISBURSED, ApplicationStatus.DECLINED])
def test_a_withdrawal_after_the_loan_was_paid_out_is_refused_in_both_languages(
    status: ApplicationStatus,
) -> None:
    with pytest.raises(Conflict) as refused:
        check_transition(status, Action.WITHDRAW)
    assert refused.value.message == (
        f"the application can no longer be withdrawn (status: {status_word(status)})"
    )
    assert refused.value.message_zh is not None
    assert refused.value.message_zh.startswith("该申请已无法撤回（状态：")
