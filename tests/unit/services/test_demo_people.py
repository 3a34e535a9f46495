"""The demo book's synthetic borrowers: well-formed and distinct resident IDs that no
other demo person has, and the module's worked example."""

from __future__ import annotations

import doctest
from datetime import date

from autolend.bureau_sandbox.reports import build_report
from autolend.domain.bureau import summarize
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


def test_the_demo_borrowers_own_bureau_file_is_clean_so_self_service_can_reach_offers() -> None:
    name, area, born, sequence, _phone, _account, income = DEMO_CUSTOMERS[0]
    report = build_report(demo_resident_id(area, born, sequence), name, date(2026, 11, 28))
    assert report is not None
    summary = summarize(report)
    assert summary.months_overdue_any == 0 and not summary.red_flags
    # Other debts well under the products' 40-45 % debt-service caps of the stated income.
    assert report["totals"]["monthly_obligations"] * 100 < income * 0.2
