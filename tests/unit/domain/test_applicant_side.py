"""The one rule of who accepts an application's offer (the service and the page both ask
it): the filer or the dealer it came through, holding ``application:create``; never a
person who reviewed or second-approved it, whatever else they are."""

from __future__ import annotations

import doctest

import pytest

from autolend.domain import applicant_side as module
from autolend.domain.access import Actor, Role
from autolend.domain.applicant_side import (
    ApplicantSide,
    applicant_side,
    check_may_review,
    may_accept,
    may_review,
)
from autolend.domain.errors import PermissionDenied

DEALER = Actor(5, "dealer", (Role.DEALER,), dealer_id=1)
UNDERWRITER = Actor(6, "underwriter", (Role.UNDERWRITER,))


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(module).failed == 0


def test_a_dealer_accepts_only_what_came_through_it_not_a_borrowers_own_naming_it() -> None:
    through = applicant_side(channel="dealer", dealer_id=1, moves=[("create", 6)])
    named = applicant_side(channel="borrower", dealer_id=1, moves=[("create", 8)])
    assert may_accept(DEALER, through) and not may_accept(DEALER, named)


@pytest.mark.parametrize("move", ["review", "second_approval"])
def test_a_reviewer_who_filed_it_too_is_refused_in_both_languages(move: str) -> None:
    side = applicant_side(channel="borrower", dealer_id=None, moves=[("create", 6), (move, 6)])
    with pytest.raises(PermissionDenied) as refused:
        module.check_may_accept(UNDERWRITER, side)
    assert "reviewed this application" in refused.value.message
    assert refused.value.message_zh is not None and "审核人员" in refused.value.message_zh


def test_a_role_that_files_nothing_never_accepts_even_as_the_filer() -> None:
    servicing = Actor(9, "servicing", (Role.SERVICING,))
    assert not may_accept(servicing, ApplicantSide(filed_by=9, dealer_id=None))


def test_the_filer_named_outright_outranks_the_history() -> None:
    """The service passes the row's ``created_by``; the page reads the ``create`` move."""
    side = applicant_side(channel="borrower", dealer_id=None, moves=[], filed_by=6)
    assert side.filed_by == 6 and may_accept(UNDERWRITER, side)


def test_the_filer_never_reviews_and_is_refused_in_both_languages() -> None:
    side = applicant_side(channel="borrower", dealer_id=None, moves=[], filed_by=6)
    assert not may_review(UNDERWRITER, side)
    assert may_review(Actor(7, "underwriter2", (Role.UNDERWRITER,)), side)
    with pytest.raises(PermissionDenied) as refused:
        check_may_review(UNDERWRITER, side)
    assert "another underwriter must decide it" in refused.value.message
    assert refused.value.message_zh is not None and "另一位审核人员" in refused.value.message_zh


def test_one_who_reviewed_a_case_does_not_give_its_second_approval() -> None:
    side = applicant_side(channel="dealer", dealer_id=1, moves=[("create", 5), ("review", 6)])
    assert not may_review(UNDERWRITER, side)
    assert not may_review(DEALER, applicant_side(channel="dealer", dealer_id=1, moves=[]))


def test_a_case_sent_back_at_the_second_approval_is_decided_anew_by_either_underwriter() -> None:
    """The second person's refusal sends the case back to review: the one who proposed
    the approval, and the one who refused it, may decide it again (each decision still
    needs another person to confirm it); both stay its reviewers for the closing duties."""
    back = [("create", 5), ("review", 6), ("second_approval", 7)]
    side = applicant_side(channel="dealer", dealer_id=1, moves=back)
    assert may_review(UNDERWRITER, side) and side.reviewed_by == {6, 7}
    again = applicant_side(channel="dealer", dealer_id=1, moves=[*back, ("review", 7)])
    assert not may_review(Actor(7, "u2", (Role.UNDERWRITER,)), again)
    assert may_review(UNDERWRITER, again)
