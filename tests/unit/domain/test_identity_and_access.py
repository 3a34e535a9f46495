"""Resident ID, mobile and bank-account checks; roles and object-level access."""

from __future__ import annotations

from datetime import date

import pytest

from autolend.domain.access import (
    ROLE_PERMISSIONS,
    Actor,
    Ownership,
    Permission,
    Role,
    may_reach,
    parse_roles,
    permissions_of,
)
from autolend.domain.errors import InvalidInput
from autolend.domain.identity import (
    birth_date_of_resident_id,
    resident_id_check_character,
    validate_bank_account,
    validate_cn_mobile,
    validate_resident_id,
)

TODAY = date(2026, 11, 28)


def test_the_gb_11643_sample_id_has_check_character_x() -> None:
    # GB 11643-1999, appendix example: 11010519491231002X (Beijing Chaoyang, born 1949-12-31).
    assert resident_id_check_character("11010519491231002") == "X"
    assert validate_resident_id("11010519491231002x", as_of=TODAY) == "11010519491231002X"
    assert birth_date_of_resident_id("11010519491231002X") == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("110105194912310021", "check character"),
        ("11010519491331002X", "not a date"),
        ("11010520991231002X", "plausible"),
        ("1101051949123100", "17 digits"),
        ("11010519491231002Y", "17 digits"),
        ("１１010519491231002X", "17 digits"),
    ],
)
def test_a_bad_resident_id_is_refused_with_the_reason(value: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_resident_id(value, as_of=TODAY)
    assert fragment in caught.value.message
    assert caught.value.field == "id_number"


def test_mobile_numbers_are_normalised_and_checked() -> None:
    assert validate_cn_mobile("+86 138-0013-8000") == "13800138000"
    for bad in ("12800138000", "1380013800", "138001380001", "abc"):
        with pytest.raises(InvalidInput):
            validate_cn_mobile(bad)


def test_bank_accounts_have_12_to_19_digits() -> None:
    assert validate_bank_account("6222 0212 3456 7890 123") == "6222021234567890123"
    with pytest.raises(InvalidInput):
        validate_bank_account("12345678901")


def test_every_role_has_a_permission_set() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_only_admin_administers_users() -> None:
    holders = {r for r in Role if Permission.USER_ADMIN in permissions_of([r])}
    assert holders == {Role.ADMIN}


def test_unknown_and_empty_role_lists_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        parse_roles(["boss"])
    with pytest.raises(InvalidInput):
        parse_roles([])
    assert parse_roles(["risk", "risk", "auditor"]) == (Role.RISK, Role.AUDITOR)


def test_a_borrower_reaches_only_their_own_records() -> None:
    me = Actor(5, "me", (Role.BORROWER,))
    assert may_reach(me, Ownership(owner_user_id=5, dealer_id=None))
    assert not may_reach(me, Ownership(owner_user_id=6, dealer_id=None))
    assert not may_reach(me, Ownership(owner_user_id=None, dealer_id=1))


def test_a_dealer_reaches_only_its_dealerships_records() -> None:
    dealer = Actor(9, "d", (Role.DEALER,), dealer_id=1)
    assert may_reach(dealer, Ownership(None, 1))
    assert not may_reach(dealer, Ownership(None, 2))
    assert not may_reach(dealer, Ownership(5, None))
    assert not may_reach(Actor(9, "d", (Role.DEALER,), dealer_id=None), Ownership(None, None))


def test_staff_with_read_all_reach_every_customer() -> None:
    underwriter = Actor(3, "u", (Role.UNDERWRITER,))
    assert may_reach(underwriter, Ownership(5, 2))
