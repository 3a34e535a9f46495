"""Application intake: a well-formed body parses; each bad input names its JSON path."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from autolend.domain.application import (
    Channel,
    DocumentKind,
    PartyRole,
    check_document,
    parse_application,
)
from autolend.domain.consent import ConsentKind
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.products import Employment, Energy, VehicleCondition

AS_OF = date(2026, 11, 28)
# GB 11643-1999's own sample ID (its check character X is worked in identity.py).
SAMPLE_ID = "11010519491231002X"
# A second valid ID: 110105 19880101 001 + check character computed by the standard's rule.
OTHER_ID = "110105198801010014"


def body() -> dict[str, Any]:
    return {
        "channel": "dealer", "product_code": "STD_NEW", "term_months": 36,
        "down_payment": "30000.00", "amount": None,
        "applicants": [{
            "role": "borrower", "name": "张三", "id_number": SAMPLE_ID.lower(),
            "mobile": "138 0013 8000", "address": "北京市朝阳区", "email": None,
            "employment": "salaried", "monthly_income": "20000.00",
            "income_documented": False, "monthly_obligations": "1500.00",
            "first_time_buyer": False, "favourite_colour": "blue",
        }],
        "vehicle": {"vin": "1M8GDM9AXKP042788", "make": "BYD", "model": "Seal",
                    "energy": "nev", "condition": "new", "price": "200000.00",
                    "reference_price": None, "dealer_id": 1},
        "consents": [{"kind": "bureau_query", "text_version": "v1"},
                     {"kind": "data_processing", "text_version": "v1"}],
    }  # fmt: skip


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def co_borrower(role: str = "co_borrower") -> dict[str, Any]:
    party: dict[str, Any] = copy.deepcopy(body()["applicants"][0])
    party.update(role=role, id_number=OTHER_ID, monthly_income="8000.00",
                 monthly_obligations="500.00")  # fmt: skip
    return party


def refused(data: dict[str, Any]) -> str | None:
    with pytest.raises(InvalidInput) as error:
        parse_application(data, as_of=AS_OF)
    return error.value.field


def test_a_well_formed_dealer_application_parses_with_normalised_identity() -> None:
    application = parse_application(body(), as_of=AS_OF)
    borrower = application.borrower
    assert application.channel is Channel.DEALER
    assert borrower.role is PartyRole.BORROWER
    assert borrower.id_number == SAMPLE_ID
    assert borrower.birth_date == date(1949, 12, 31)
    assert borrower.mobile == "13800138000"
    assert borrower.employment is Employment.SALARIED
    assert application.vehicle.energy is Energy.NEV
    assert application.vehicle.condition is VehicleCondition.NEW
    assert application.consents[0].kind is ConsentKind.BUREAU_QUERY
    assert application.financed == cny("170000.00")


def test_a_requested_amount_below_price_less_down_payment_is_what_is_financed() -> None:
    data = body() | {"amount": "150000.00"}
    assert parse_application(data, as_of=AS_OF).financed == cny("150000.00")


def test_household_income_and_obligations_add_the_co_borrower_but_not_guarantors() -> None:
    data = body()
    data["applicants"] += [co_borrower(), co_borrower("guarantor")]
    application = parse_application(data, as_of=AS_OF)
    assert application.household_income == cny("28000.00")
    assert application.household_obligations == cny("2000.00")
    assert len(application.guarantors) == 1 and len(application.co_borrowers) == 1


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("applicants", 0, "id_number"), "110105194912310021", "applicants[0].id_number"),
        (("applicants", 0, "id_number"), "110105194902300023", "applicants[0].id_number"),
        (("applicants", 0, "monthly_income"), "-1.00", "applicants[0].monthly_income"),
        (("applicants", 0, "monthly_income"), "100.001", "applicants[0].monthly_income"),
        (("applicants", 0, "mobile"), "12345", "applicants[0].mobile"),
        (("applicants", 0, "role"), "owner", "applicants[0].role"),
        (("applicants", 0, "employment"), "astronaut", "applicants[0].employment"),
        (("vehicle", "vin"), "1M8GDM9A1KP042788", "vehicle.vin"),
        (("vehicle", "price"), "0", "vehicle.price"),
        (("vehicle", "energy"), "steam", "vehicle.energy"),
        (("down_payment",), "-5.00", "down_payment"),
        (("down_payment",), "200000.00", "down_payment"),
        (("down_payment",), "300000.00", "down_payment"),
        (("amount",), "170000.01", "amount"),
        (("term_months",), 0, "term_months"),
        (("term_months",), 121, "term_months"),
        (("term_months",), "36", "term_months"),
        (("consents", 1, "kind"), "marketing", "consents[1].kind"),
        (("applicants", 0, "income_stability_months"), -1, "applicants[0].income_stability_months"),
        (
            ("applicants", 0, "income_stability_months"),
            12.5,
            "applicants[0].income_stability_months",
        ),
        (
            ("applicants", 0, "income_stability_months"),
            "a year",
            "applicants[0].income_stability_months",
        ),
        (
            ("applicants", 0, "income_stability_months"),
            True,
            "applicants[0].income_stability_months",
        ),
        # born 1949-12-31: 16 on 1965-12-31, 730 whole months before 2026-11-28
        (
            ("applicants", 0, "income_stability_months"),
            731,
            "applicants[0].income_stability_months",
        ),
    ],
)
def test_each_bad_input_is_refused_naming_its_json_path(
    path: tuple[str | int, ...], value: object, field: str
) -> None:
    data = body()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert refused(data) == field


def test_an_impossible_birth_date_inside_the_id_names_the_id_field() -> None:
    # 1949-02-30 does not exist; the check character is right for the first 17 digits.
    from autolend.domain.identity import resident_id_check_character

    first17 = "11010519490230002"
    data = body()
    data["applicants"][0]["id_number"] = first17 + resident_id_check_character(first17)
    assert refused(data) == "applicants[0].id_number"


@pytest.mark.parametrize(
    "roles",
    [
        (),
        ("borrower", "borrower"),
        ("borrower", "co_borrower", "co_borrower"),
        ("borrower", "guarantor", "guarantor", "guarantor"),
        ("co_borrower",),
    ],
)
def test_the_applicants_must_be_one_borrower_one_co_borrower_and_two_guarantors_at_most(
    roles: tuple[str, ...],
) -> None:
    data = body()
    data["applicants"] = [co_borrower(role) for role in roles]
    assert refused(data) == "applicants"


def test_a_missing_vin_is_allowed_since_a_new_car_may_not_have_one_assigned_yet() -> None:
    data = body()
    data["vehicle"]["vin"] = None
    assert parse_application(data, as_of=AS_OF).vehicle.vin is None


PNG = b"\x89PNG\r\n\x1a\n0000"


def test_an_upload_of_an_allowed_type_whose_bytes_match_is_accepted() -> None:
    assert check_document("income_proof", "application/pdf", 10, b"%PDF-1.7") is (
        DocumentKind.INCOME_PROOF
    )
    assert check_document("id_back", "image/jpeg", 10, b"\xff\xd8\xff\xe0") is DocumentKind.ID_BACK


@pytest.mark.parametrize(
    ("kind", "content_type", "size", "head", "field"),
    [
        ("selfie", "image/png", 10, PNG, "kind"),
        ("id_front", "image/gif", 10, b"GIF89a", "content_type"),
        ("id_front", "image/png", 10, b"%PDF-1.7", "content_type"),
        ("id_front", "image/png", 0, PNG, "size"),
        ("id_front", "image/png", 10 * 1024 * 1024 + 1, PNG, "size"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_field(
    kind: str, content_type: str, size: int, head: bytes, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        check_document(kind, content_type, size, head)
    assert error.value.field == field


@pytest.mark.parametrize(("given", "read"), [(None, None), ("", None), (0, 0), ("36", 36),
                                             (730, 730)])  # fmt: skip
def test_months_of_stable_income_are_optional_and_at_most_the_months_since_sixteen(
    given: object, read: int | None
) -> None:
    data = body()
    data["applicants"][0]["income_stability_months"] = given
    application = parse_application(data, as_of=AS_OF)
    assert application.borrower.income_stability_months == read


@pytest.mark.parametrize("dealer_id", [0, -1, 2**63, 2**70, True, "1"])
def test_a_dealer_id_outside_a_row_ids_range_is_refused_on_its_field(dealer_id: object) -> None:
    """2**70 reached the database and failed there (a 500: bigint out of range)."""
    data = body()
    data["vehicle"]["dealer_id"] = dealer_id
    assert refused(data) == "vehicle.dealer_id"


def test_a_reference_price_of_zero_is_refused_on_its_field() -> None:
    """LTV is measured on the lower of price and reference price: 0 divided by zero and
    answered 500."""
    data = body()
    data["vehicle"]["reference_price"] = "0"
    assert refused(data) == "vehicle.reference_price"


def test_a_product_code_or_consent_version_longer_than_its_column_is_refused_on_its_field() -> None:
    """Both columns hold 32 characters: 33 to 40 passed here and failed in PostgreSQL (500)."""
    data = body()
    data["product_code"] = "P" * 33
    assert refused(data) == "product_code"
    data = body()
    data["consents"][0]["text_version"] = "v" * 33
    assert refused(data) == "consents[0].text_version"
    data["consents"][0]["text_version"] = "v" * 32
    assert parse_application(data, as_of=AS_OF).consents[0].text_version == "v" * 32


@pytest.mark.parametrize("email", ["foo@", "@b.cn", "a b@c.cn", "a@b"])
def test_an_email_that_is_no_address_is_refused_on_its_field(email: str) -> None:
    """'foo@' was stored as the applicant's address."""
    data = body()
    data["applicants"][0]["email"] = email
    assert refused(data) == "applicants[0].email"
    data["applicants"][0]["email"] = " zhang.san@example.cn "
    assert parse_application(data, as_of=AS_OF).borrower.email == "zhang.san@example.cn"
