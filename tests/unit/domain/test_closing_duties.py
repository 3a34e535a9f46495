"""The one rule of who closes a loan (the services and the pages ask it): the borrower,
the dealer the application came through or servicing signs, servicing pays out; never
a person who reviewed the application or gave its second approval, whatever else they
are, and never a dealer merely named on a borrower's own online application."""

from __future__ import annotations

import pytest

from autolend.domain.access import Actor, Role
from autolend.domain.applicant_side import ApplicantSide, applicant_side
from autolend.domain.closing_duties import (
    check_may_disburse,
    check_may_sign,
    may_disburse,
    may_sign,
)
from autolend.domain.errors import PermissionDenied

BOTH = Actor(7, "both", (Role.UNDERWRITER, Role.SERVICING))
SERVICING = Actor(8, "servicing", (Role.SERVICING,))
DEALER = Actor(4, "dealer", (Role.DEALER,), dealer_id=1)


@pytest.mark.parametrize("move", ["review", "second_approval"])
def test_whoever_decided_it_is_refused_signing_and_paying_out_in_both_languages(
    move: str,
) -> None:
    side = applicant_side(channel="dealer", dealer_id=1, moves=[("create", 4), (move, 7)])
    with pytest.raises(PermissionDenied) as signing:
        check_may_sign(BOTH, side, borrower=None)
    with pytest.raises(PermissionDenied) as paying:
        check_may_disburse(BOTH, side)
    assert "you reviewed this application" in signing.value.message
    assert "审核人员不能经办签署" in (signing.value.message_zh or "")
    assert "another servicing staff member must disburse it" in paying.value.message
    assert "须由其他贷后服务人员放款" in (paying.value.message_zh or "")
    assert may_sign(SERVICING, side, borrower=None) and may_disburse(SERVICING, side)


def test_a_dealer_signs_what_came_through_it_not_a_borrowers_own_naming_it() -> None:
    through = applicant_side(channel="dealer", dealer_id=1, moves=[("create", 4)])
    named = applicant_side(channel="borrower", dealer_id=1, moves=[("create", 5)])
    assert may_sign(DEALER, through, borrower=5) and not may_sign(DEALER, named, borrower=5)
    assert may_sign(Actor(5, "b", (Role.BORROWER,)), named, borrower=5)


def test_a_loan_booked_without_an_application_is_signed_by_its_own_dealer() -> None:
    assert may_sign(DEALER, ApplicantSide(filed_by=None, dealer_id=1), borrower=None)


def test_who_is_no_signer_at_all_is_told_so_before_anything_about_reviewing() -> None:
    underwriter = Actor(7, "u", (Role.UNDERWRITER,))
    side = ApplicantSide(filed_by=4, dealer_id=1, reviewed_by=frozenset({7}))
    with pytest.raises(PermissionDenied) as refused:
        check_may_sign(underwriter, side, borrower=None)
    assert refused.value.message.startswith("only the borrower, their dealer or servicing")
    assert not may_disburse(underwriter, side)
