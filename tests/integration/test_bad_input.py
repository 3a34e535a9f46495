"""Bad input over HTTP on both databases (RELIABILITY.md S9).

Every malformed request gets a 422 whose body names the offending field with a non-empty
message, and nothing is written: the customer, user and audit counts stay as they were.
Each test walks a family of cases and reports every case that misbehaves at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.identity import resident_id_check_character

pytestmark = pytest.mark.integration

MAX_ID = 2**63 - 1


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


VALID_ID = resident_id("31010419900101001")
VALID: dict[str, Any] = {
    "name": "韩梅梅",
    "id_number": VALID_ID,
    "phone": "13600001111",
    "bank_account": "6222021234567890123",
    "monthly_income": "12000.00",
}
MISSING = object()


def customer(**changes: Any) -> dict[str, Any]:
    """The valid body with some fields changed (``MISSING`` drops a field)."""
    body = {**VALID, **changes}
    return {k: v for k, v in body.items() if v is not MISSING}


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass(frozen=True)
class Case:
    label: str
    send: Callable[[], httpx.Response]
    field: str


def counts(container: Container) -> tuple[int, int, int]:
    with container.uow() as uow:
        return uow.customers.count(), uow.users.count(), uow.audit.count()


def field_matches(actual: object, expected: str) -> bool:
    """Every field is named as the caller wrote it: a body field bare (``phone``), a path
    or query parameter too (``customer_id``, ``limit``, never ``path.customer_id``)."""
    return actual == expected


def problems_with(container: Container, cases: list[Case]) -> Iterator[str]:
    """Send each case; yield a line for every one not answered 422-naming-the-field or
    that changed a row count."""
    for case in cases:
        before = counts(container)
        response = case.send()
        after = counts(container)
        if after != before:
            yield f"{case.label}: wrote something ({before} -> {after})"
        if response.status_code != 422:
            yield f"{case.label}: status {response.status_code} {response.text[:200]}"
            continue
        error = response.json().get("error", {})
        if error.get("code") != "invalid_input":
            yield f"{case.label}: code {error.get('code')!r}"
        if not field_matches(error.get("field"), case.field):
            yield f"{case.label}: field {error.get('field')!r}, expected {case.field!r}"
        message = error.get("message")
        if not isinstance(message, str) or not message.strip():
            yield f"{case.label}: empty message"


@pytest.fixture
def underwriter(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return sign_in(client, "underwriter", staff[Role.UNDERWRITER])


@pytest.fixture
def admin(client: TestClient, staff: dict[Role, str]) -> dict[str, str]:
    return sign_in(client, "admin", staff[Role.ADMIN])


def post_customer(
    client: TestClient, headers: dict[str, str], label: str, body: Any, field: str
) -> Case:
    return Case(label, lambda: client.post("/api/v1/customers", json=body, headers=headers), field)


def raw_customer(
    client: TestClient, headers: dict[str, str], label: str, content: bytes, field: str
) -> Case:
    send_headers = {**headers, "Content-Type": "application/json"}
    return Case(
        label,
        lambda: client.post("/api/v1/customers", content=content, headers=send_headers),
        field,
    )


# -- the control: the valid body is accepted ----------------------------------------------------


def test_the_valid_customer_body_used_by_the_bad_input_cases_is_accepted(
    client: TestClient, underwriter: dict[str, str], container: Container
) -> None:
    before = counts(container)
    response = client.post("/api/v1/customers", json=VALID, headers=underwriter)
    assert response.status_code == 201, response.text
    assert response.json()["monthly_income"] == "12000.00"
    assert counts(container) == (before[0] + 1, before[1], before[2] + 1)


# -- body shape and types -----------------------------------------------------------------------


def test_a_malformed_or_mistyped_customer_body_is_refused_naming_the_field_and_writes_nothing(
    client: TestClient, underwriter: dict[str, str], container: Container
) -> None:
    h = underwriter
    cases = [
        raw_customer(client, h, "truncated JSON", b'{"name": "x",', "body"),
        raw_customer(client, h, "not JSON at all", b"name=x&phone=1", "body"),
        raw_customer(client, h, "JSON null", b"null", "body"),
        post_customer(client, h, "JSON array", [VALID], "body"),
        post_customer(client, h, "JSON string", "hello", "body"),
        post_customer(client, h, "name as a number", customer(name=123), "name"),
        post_customer(client, h, "name as a bool", customer(name=True), "name"),
        post_customer(client, h, "name as an object", customer(name={"a": 1}), "name"),
        post_customer(
            client,
            h,
            "id number as a number",
            customer(id_number=int(VALID_ID[:17])),
            "id_number",
        ),
        post_customer(client, h, "phone as a number", customer(phone=13600001111), "phone"),
        post_customer(
            client,
            h,
            "bank account as a number",
            customer(bank_account=6222021234567890123),
            "bank_account",
        ),
        post_customer(
            client,
            h,
            "income as a JSON number",
            customer(monthly_income=12000),
            "monthly_income",
        ),
        post_customer(
            client,
            h,
            "income as a JSON float",
            customer(monthly_income=12000.5),
            "monthly_income",
        ),
        post_customer(client, h, "unknown field", customer(nickname="小韩"), "nickname"),
        post_customer(client, h, "a currency field", customer(currency="USD"), "currency"),
        post_customer(client, h, "missing name", customer(name=MISSING), "name"),
        post_customer(client, h, "missing phone", customer(phone=MISSING), "phone"),
        post_customer(client, h, "missing id number", customer(id_number=MISSING), "id_number"),
        post_customer(client, h, "null name", customer(name=None), "name"),
        post_customer(client, h, "blank name", customer(name="   "), "name"),
        post_customer(client, h, "name of 101 characters", customer(name="张" * 101), "name"),
        post_customer(client, h, "name of 100k characters", customer(name="a" * 100_000), "name"),
    ]
    assert list(problems_with(container, cases)) == []


# -- money --------------------------------------------------------------------------------------

BAD_INCOMES = [
    "1.234",  # three decimals for CNY
    "1e3",  # exponent
    "NaN",
    "Infinity",
    "",  # empty
    "1,000.00",  # group separator
    "-5.00",  # negative income
    "+5",
    "12.",
    ".5",
    "007",
    "0x10",
    "１２００",  # full-width digits
    "12 000",
    "99999999999999999.99",  # above the maximum amount
    "1" * 21,  # longer than the field allows
    "12000.00 CNY",
]


def test_a_malformed_monthly_income_is_refused_naming_the_field_and_writes_nothing(
    client: TestClient, underwriter: dict[str, str], container: Container
) -> None:
    cases = [
        post_customer(
            client,
            underwriter,
            f"income {text!r}",
            customer(monthly_income=text),
            "monthly_income",
        )
        for text in BAD_INCOMES
    ]
    assert list(problems_with(container, cases)) == []


# -- identity fields ----------------------------------------------------------------------------


def test_an_invalid_resident_id_mobile_or_bank_account_is_refused_naming_the_field(
    client: TestClient, underwriter: dict[str, str], container: Container
) -> None:
    wrong_check = VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2")
    bad_ids = {
        "wrong check character": wrong_check,
        "impossible birth date 1990-02-30": resident_id("11010519900230001"),
        "impossible birth month 13": resident_id("11010519901301001"),
        "birth date in the future": resident_id("11010520990101001"),
        "birth date before 1900": resident_id("11010518991231001"),
        "17 characters": VALID_ID[:17],
        "19 characters": VALID_ID + "1",
        "letters": "ABCDEFGHIJKLMNOPQR",
        "X in the middle": VALID_ID[:5] + "X" + VALID_ID[6:],
    }
    bad_phones = {
        "starts with 12": "12345678901",
        "a letter": "1360000111a",
        "10 digits": "1360000111",
        "a US number": "+1 2025550100",
        "21 characters": "1" * 21,
    }
    bad_accounts = {
        "11 digits": "62220212345",
        "letters": "6222abcd12345678",
        "24 digits": "6" * 24,
        "20 digits": "6" * 20,
    }
    h = underwriter
    cases = [
        *(
            post_customer(client, h, f"id: {k}", customer(id_number=v), "id_number")
            for k, v in bad_ids.items()
        ),
        *(
            post_customer(client, h, f"phone: {k}", customer(phone=v), "phone")
            for k, v in bad_phones.items()
        ),
        *(
            post_customer(client, h, f"bank: {k}", customer(bank_account=v), "bank_account")
            for k, v in bad_accounts.items()
        ),
    ]
    assert list(problems_with(container, cases)) == []


def test_a_customer_search_with_a_malformed_id_is_refused_naming_the_field(
    client: TestClient, underwriter: dict[str, str], container: Container
) -> None:
    def search(label: str, body: Any, field: str) -> Case:
        return Case(
            label,
            lambda: client.post("/api/v1/customers/search", json=body, headers=underwriter),
            field,
        )

    cases = [
        search("id as a number", {"id_number": int(VALID_ID[:17])}, "id_number"),
        search("id too short", {"id_number": "123"}, "id_number"),
        search("id missing", {}, "id_number"),
        search("unknown field", {"id_number": VALID_ID, "phone": "13600001111"}, "phone"),
    ]
    assert list(problems_with(container, cases)) == []


# -- path and query parameters ------------------------------------------------------------------


def test_an_out_of_range_or_non_integer_path_id_is_refused_naming_the_parameter(
    client: TestClient, underwriter: dict[str, str], admin: dict[str, str], container: Container
) -> None:
    def get(label: str, raw: str) -> Case:
        return Case(
            label,
            lambda: client.get(f"/api/v1/customers/{raw}", headers=underwriter),
            "customer_id",
        )

    def patch(label: str, raw: str) -> Case:
        return Case(
            label,
            lambda: client.patch(f"/api/v1/users/{raw}", json={"is_active": False}, headers=admin),
            "user_id",
        )

    raws = {
        "zero": "0",
        "minus one": "-1",
        "2**63": str(2**63),
        "2**64 + 1": str(2**64 + 1),
        "30 digits": "9" * 30,
        "a word": "abc",
        "a decimal": "1.5",
        "exponent": "1e3",
    }

    def contract(label: str, raw: str, tail: str = "") -> Case:
        # These answered 500 ("int too large to convert to SQLite INTEGER"): found by
        # schemathesis against the demo.
        return Case(
            label,
            lambda: client.get(f"/api/v1/contracts/{raw}{tail}", headers=underwriter),
            "contract_id",
        )

    cases = [get(f"customer id {k}", v) for k, v in raws.items()]
    cases += [patch(f"user id {k}", v) for k, v in raws.items()]
    cases += [contract(f"contract id {k}", v) for k, v in raws.items()]
    cases += [contract(f"contract pdf id {k}", v, "/pdf") for k, v in raws.items()]
    assert list(problems_with(container, cases)) == []
    # The largest id that fits is answered as an ordinary miss on both databases.
    at_max = client.get(f"/api/v1/customers/{MAX_ID}", headers=underwriter)
    assert at_max.status_code == 404, at_max.text


def test_a_limit_out_of_range_is_refused_and_a_numeric_query_string_still_works(
    client: TestClient, underwriter: dict[str, str], admin: dict[str, str], container: Container
) -> None:
    def listing(path: str, headers: dict[str, str], raw: str) -> Case:
        return Case(
            f"{path}?limit={raw}",
            lambda: client.get(path, params={"limit": raw}, headers=headers),
            "limit",
        )

    bad = ["0", "-1", "10000", str(2**63), "abc", "1.5", "1e2", ""]
    cases = [listing("/api/v1/customers", underwriter, raw) for raw in bad]
    cases += [listing("/api/v1/audit/records", admin, raw) for raw in bad]
    assert list(problems_with(container, cases)) == []
    # Query strings are text by nature: "5" for an int parameter is fine.
    assert (
        client.get("/api/v1/customers", params={"limit": "5"}, headers=underwriter).status_code
        == 200
    )
    records = client.get("/api/v1/audit/records", params={"limit": "3"}, headers=admin)
    assert records.status_code == 200 and len(records.json()) == 3


# -- user administration ------------------------------------------------------------------------


def test_malformed_user_administration_requests_are_refused_naming_the_field(
    client: TestClient, admin: dict[str, str], container: Container
) -> None:
    borrower_id = 1
    with container.uow() as uow:
        found = uow.users.by_username("borrower")
        assert found is not None
        borrower_id = found.id

    def create(label: str, changes: dict[str, Any], field: str) -> Case:
        body = {"username": "newuser", "password": "pw-newuser-long", "roles": ["servicing"]}
        body.update(changes)
        body = {k: v for k, v in body.items() if v is not MISSING}
        return Case(label, lambda: client.post("/api/v1/users", json=body, headers=admin), field)

    def patch(label: str, body: Any, field: str) -> Case:
        return Case(
            label,
            lambda: client.patch(f"/api/v1/users/{borrower_id}", json=body, headers=admin),
            field,
        )

    cases = [
        create("unknown role", {"roles": ["superuser"]}, "roles"),
        create("no roles", {"roles": []}, "roles"),
        create("roles as a string", {"roles": "admin"}, "roles"),
        create("upper-case user name", {"username": "New User"}, "username"),
        create("user name as a number", {"username": 42}, "username"),
        create("short password", {"password": "short"}, "password"),
        create(
            "password equal to the user name",
            {"password": "newuser1", "username": "newuser1"},
            "password",
        ),
        create("dealer without a dealer code", {"roles": ["dealer"]}, "dealer_code"),
        create("unknown dealer code", {"roles": ["dealer"], "dealer_code": "D999"}, "dealer_code"),
        create("missing password", {"password": MISSING}, "password"),
        patch("is_active as a string", {"is_active": "false"}, "is_active"),
        patch("is_active as a number", {"is_active": 0}, "is_active"),
        patch("is_active missing", {}, "is_active"),
    ]
    assert list(problems_with(container, cases)) == []
    with container.uow() as uow:
        borrower = uow.users.by_id(borrower_id)
    assert borrower is not None and borrower.is_active


def test_a_sign_in_form_without_a_password_is_refused_naming_the_field(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    cases = [
        Case(
            "no password",
            lambda: client.post("/api/v1/auth/token", data={"username": "admin"}),
            "password",
        ),
        Case(
            "no user name",
            lambda: client.post("/api/v1/auth/token", data={"password": "x" * 10}),
            "username",
        ),
    ]
    assert list(problems_with(container, cases)) == []


def test_a_contract_for_a_loan_id_out_of_range_is_refused_naming_it(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    # Issuing a contract for loan 2**63 answered 500 ("Python int too large to convert to
    # SQLite INTEGER"): the body's loan_id had no bounds. Found by schemathesis.
    servicing = sign_in(client, "servicing", staff[Role.SERVICING])
    vehicle = {"vin": "LSVAU2180N2183294", "make": "BYD", "model": "Qin", "powertrain": "NEV"}

    def issue(label: str, loan_id: int) -> Case:
        body = {"loan_id": loan_id, "vehicle": vehicle}
        return Case(
            label,
            lambda: client.post("/api/v1/contracts", json=body, headers=servicing),
            "loan_id",
        )

    cases = [issue("2**63", 2**63), issue("zero", 0), issue("2**70", 2**70)]
    assert list(problems_with(container, cases)) == []
