"""Which steps the application page offers: accepting an offer is the applicant's side's
(the borrower, the application's dealer, the staff member who filed it for a walk-in),
never the underwriter who decided it; without the car's VIN, which the service requires,
the page leads to the VIN form instead."""

from __future__ import annotations

from typing import Any

import pytest

from autolend.domain.access import Actor, Role
from autolend.web.application_steps import allowed_steps

DEALER = Actor(5, "dealer", (Role.DEALER,), dealer_id=1)
OTHER_DEALER = Actor(7, "dealer2", (Role.DEALER,), dealer_id=2)
BORROWER = Actor(8, "borrower", (Role.BORROWER,))
UNDERWRITER = Actor(6, "underwriter", (Role.UNDERWRITER,))
SERVICING = Actor(9, "servicing", (Role.SERVICING,))


def view(status: str = "approved", vin: str | None = "LGXCE6CB3N0123459", channel: str = "dealer",
         moves: tuple[tuple[str, int], ...] = ()) -> dict[str, Any]:  # fmt: skip
    """An application as the page reads it; filed by the dealer's user or the borrower
    (its ``create`` move), then ``moves``."""
    filer = DEALER if channel == "dealer" else BORROWER
    history = (("create", filer.user_id), *moves)
    return {"status": status, "dealer_id": 1 if channel == "dealer" else None,
            "channel": channel, "vehicle": {"vin": vin},
            "events": [{"action": a, "actor_user_id": who} for a, who in history]}  # fmt: skip


@pytest.mark.parametrize("status", ["approved", "counter_offered"])
def test_the_applications_dealer_and_its_borrower_are_offered_to_accept(status: str) -> None:
    assert allowed_steps(DEALER, view(status))["accept"]
    assert allowed_steps(BORROWER, view(status, channel="borrower"))["accept"]


@pytest.mark.parametrize("actor", [UNDERWRITER, SERVICING, OTHER_DEALER])
def test_no_one_else_is_offered_the_borrowers_choice(actor: Actor) -> None:
    steps = allowed_steps(actor, view())
    assert not steps["accept"] and not steps["accept_after_vin"]


@pytest.mark.parametrize("status", ["referred", "pending_second", "accepted", "declined"])
def test_an_offer_is_accepted_only_once_approved(status: str) -> None:
    steps = allowed_steps(DEALER, view(status))
    assert not steps["accept"] and not steps["accept_after_vin"]


def test_without_the_vin_the_page_leads_to_the_vin_form_instead_of_the_button() -> None:
    steps = allowed_steps(DEALER, view(vin=None))
    assert (steps["accept"], steps["accept_after_vin"], steps["vin"]) == (False, True, True)


def test_the_underwriter_who_filed_for_a_walk_in_is_offered_it_unless_they_reviewed_it() -> None:
    walk_in = view(channel="borrower") | {"events": [{"action": "create", "actor_user_id": 6}]}
    assert allowed_steps(UNDERWRITER, walk_in)["accept"]
    reviewed = walk_in | {"events": [*walk_in["events"], {"action": "review", "actor_user_id": 6}]}
    assert not allowed_steps(UNDERWRITER, reviewed)["accept"]


@pytest.mark.parametrize("move", ["review", "second_approval"])
def test_a_dealer_user_who_also_reviewed_the_application_is_not_offered_to_accept(
    move: str,
) -> None:
    both = Actor(10, "dealer-underwriter", (Role.DEALER, Role.UNDERWRITER), dealer_id=1)
    steps = allowed_steps(both, view(moves=((move, 10),)))
    assert not steps["accept"] and not steps["accept_after_vin"]
    assert allowed_steps(both, view())["accept"]


def review_steps(actor: Actor, case: dict[str, Any]) -> set[str]:
    steps = allowed_steps(actor, case)
    return {k for k in ("review", "confirm", "another_decides", "another_confirms") if steps[k]}


def test_the_underwriter_who_filed_a_case_is_told_another_decides_it_not_offered_the_form() -> None:
    filed = view("referred", channel="borrower") | {
        "events": [{"action": "create", "actor_user_id": 6}]
    }
    assert review_steps(UNDERWRITER, filed) == {"another_decides"}
    assert review_steps(Actor(11, "underwriter2", (Role.UNDERWRITER,)), filed) == {"review"}
    assert review_steps(UNDERWRITER, view("referred")) == {"review"}  # the dealer filed it


def test_the_second_approval_form_is_for_another_than_the_filer_and_the_first_reviewer() -> None:
    waiting = view("pending_second", moves=(("review", 6),))
    assert review_steps(UNDERWRITER, waiting) == {"another_confirms"}
    assert review_steps(Actor(11, "underwriter2", (Role.UNDERWRITER,)), waiting) == {"confirm"}
    both = Actor(10, "dealer-underwriter", (Role.DEALER, Role.UNDERWRITER), dealer_id=1)
    filed = waiting | {"events": [{"action": "create", "actor_user_id": 10},
                                  {"action": "review", "actor_user_id": 6}]}  # fmt: skip
    assert review_steps(both, filed) == {"another_decides"}
    assert review_steps(DEALER, waiting) == set()  # not a reviewer: nothing said
