"""The demo book's synthetic borrowers: well-formed and distinct resident IDs that no
other demo person has, and the module's worked example."""

from __future__ import annotations

import doctest
from datetime import date

from autolend.domain.identity import validate_resident_id
from autolend.services import demo_people
from autolend.services.demo import DEMO_CUSTOMERS, demo_resident_id
from autolend.services.demo_applications import DEMO_PEOPLE, demo_application_body
from autolend.services.demo_people import synthetic_person

AS_OF = date(2026, 11, 29)


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(demo_people).failed == 0


def test_five_thousand_borrowers_have_valid_distinct_ids_and_mobiles_no_other_demo_person_has(
) -> None:  # fmt: skip
    people = [synthetic_person(n) for n in range(5_000)]
    for person in people[:500]:
        validate_resident_id(person.id_number, as_of=AS_OF)  # raises on a bad one
    assert len({p.id_number for p in people}) == len({p.phone for p in people}) == 5_000
    others = {demo_resident_id(area, born, seq) for _, area, born, seq, *_ in DEMO_CUSTOMERS}
    others |= {
        demo_application_body(n, 1)["applicants"][0]["id_number"] for n in range(len(DEMO_PEOPLE))
    }
    assert not others & {p.id_number for p in people}
