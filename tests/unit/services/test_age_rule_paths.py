"""An age rule's 422 names the field the birth date was read from: a US applicant gives
``birth_date`` beside their SSN, so the path is ``applicants[i].birth_date``; a CN
applicant's birth date is inside the resident ID, so it stays ``applicants[i].id_number``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from autolend.domain.application import ApplicationInput, PartyRole
from autolend.domain.errors import InvalidInput
from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.products import Product
from autolend.services.application_checks import body_path, hard_limits
from tests.unit.domain.test_us_adverse_action import AS_OF, US_NEW, application

MINOR = date(AS_OF.year - 16, 6, 1)  # 16 on AS_OF: breaks every product's minimum age
AGE_RULES = frozenset({"age_at_application", "age_at_maturity"})


def guarantor_first(data: ApplicationInput) -> ApplicationInput:
    """The same application with a guarantor listed before the borrower."""
    guarantor = replace(data.borrower, role=PartyRole.GUARANTOR, id_number="x")
    return replace(data, parties=(guarantor, data.borrower))


@pytest.mark.parametrize(
    ("product", "field"),
    [(US_NEW, "birth_date"), (STANDARD_NEW, "id_number")],
    ids=["us_birth_date", "cn_resident_id"],
)
def test_an_age_rule_names_where_the_birth_date_was_given(product: Product, field: str) -> None:
    data = application(product.currency, born=MINOR)
    with pytest.raises(InvalidInput) as caught:
        hard_limits(product, data, AS_OF, rules=AGE_RULES)
    assert caught.value.field == f"applicants[0].{field}"
    assert body_path("birth_date", guarantor_first(data)) == f"applicants[1].{field}"


def test_the_other_borrower_fields_keep_their_own_names_under_either_pack() -> None:
    for currency in ("USD", "CNY"):
        data = guarantor_first(application(currency))
        assert body_path("employment", data) == "applicants[1].employment"
        assert body_path("monthly_income", data) == "applicants[1].monthly_income"
        assert body_path("energy", data) == "vehicle.energy"
