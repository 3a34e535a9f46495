"""Authentication and authorization over HTTP on both databases (RELIABILITY.md S2, S4-S6).

Covers: the 401/403/404 contract, object-level access for every role (S2), forged, expired,
revoked and disabled-user tokens (S5), sign-in lock-out, stored password hashes (S6) and
mass assignment on request bodies (S4).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Permission, Role, permissions_of
from autolend.domain.identity import resident_id_check_character

pytestmark = pytest.mark.integration

ERROR_KEYS = {"code", "message", "field"}


# -- helpers ------------------------------------------------------------------------------------


def resident_id(first17: str) -> str:
    """A valid 18-character resident ID for 17 given digits."""
    return first17 + resident_id_check_character(first17)


def token_for(client: TestClient, username: str, password: str) -> str:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    return bearer(token_for(client, username, password))


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    # ``errors`` lists every wrong field where there are several (the first is ``field``)
    assert ERROR_KEYS <= set(body["error"]) <= ERROR_KEYS | {"errors"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    return dict(body["error"])


def register(client: TestClient, headers: dict[str, str], seq: int, **extra: str) -> int:
    body = {
        "name": f"客户{seq}",
        "id_number": resident_id(f"110105198806{seq:02d}{seq:03d}"[:17]),
        "phone": f"1391234{seq:04d}",
        **extra,
    }
    response = client.post("/api/v1/customers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def customer_count(container: Container) -> int:
    with container.uow() as uow:
        return uow.customers.count()


def audit_count(container: Container) -> int:
    with container.uow() as uow:
        return uow.audit.count()


def user_id_of(container: Container, username: str) -> int:
    with container.uow() as uow:
        user = uow.users.by_username(username)
    assert user is not None
    return user.id


@pytest.fixture
def world(client: TestClient, staff: dict[Role, str], container: Container) -> dict[str, Any]:
    """Customers owned four different ways, plus a second dealer user (D002) and borrower.

    ``own``: the borrower's own profile; ``d001``: made by the D001 dealer; ``d002``: made by
    a D002 dealer; ``staff``: made by an underwriter (no owner, no dealer).
    """
    container.services.users.create(
        SYSTEM_ACTOR,
        username="dealer2",
        password="pw-dealer2-long",
        roles=["dealer"],
        dealer_code="D002",
    )
    container.services.users.create(
        SYSTEM_ACTOR, username="borrower2", password="pw-borrower2-long", roles=["borrower"]
    )
    headers = {role: sign_in(client, role.value, staff[role]) for role in Role}
    dealer2 = sign_in(client, "dealer2", "pw-dealer2-long")
    customers = {
        "own": register(client, headers[Role.BORROWER], 1),
        "d001": register(client, headers[Role.DEALER], 2),
        "d002": register(client, dealer2, 3),
        "staff": register(client, headers[Role.UNDERWRITER], 4),
        "borrower2": register(client, sign_in(client, "borrower2", "pw-borrower2-long"), 5),
    }
    return {"headers": headers, "customers": customers}


# -- 401 / 403 / 404 contract -------------------------------------------------------------------


def test_a_call_without_a_token_gets_401_with_the_error_body_and_a_www_authenticate_header(
    client: TestClient, staff: dict[Role, str]
) -> None:
    for method, path in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/users"),
        ("GET", "/api/v1/customers"),
        ("GET", "/api/v1/customers/1"),
        ("GET", "/api/v1/audit/verify"),
        ("POST", "/api/v1/auth/logout"),
    ]:
        response = client.request(method, path)
        error = assert_error(response, 401, "unauthorized")
        assert error["field"] is None
        assert response.headers.get("www-authenticate") == "Bearer", path


def test_a_signed_in_user_without_the_permission_gets_403(
    client: TestClient, staff: dict[Role, str]
) -> None:
    dealer = sign_in(client, "dealer", staff[Role.DEALER])
    borrower = sign_in(client, "borrower", staff[Role.BORROWER])
    assert_error(client.get("/api/v1/users", headers=dealer), 403, "forbidden")
    assert_error(client.get("/api/v1/audit/verify", headers=borrower), 403, "forbidden")
    assert_error(client.get("/api/v1/audit/records", headers=borrower), 403, "forbidden")
    created = client.post(
        "/api/v1/users",
        json={"username": "mallory", "password": "pw-mallory-long", "roles": ["admin"]},
        headers=dealer,
    )
    assert_error(created, 403, "forbidden")
    admin = sign_in(client, "admin", staff[Role.ADMIN])
    assert client.get("/api/v1/users", headers=admin).status_code == 200
    assert client.get("/api/v1/audit/verify", headers=admin).json()["ok"] is True


def test_a_borrower_reading_another_customer_gets_the_same_404_as_for_a_missing_id(
    client: TestClient, world: dict[str, Any]
) -> None:
    borrower = world["headers"][Role.BORROWER]
    ids = world["customers"]
    missing = assert_error(
        client.get("/api/v1/customers/999999", headers=borrower), 404, "not_found"
    )
    for key in ("borrower2", "d001", "d002", "staff"):
        response = client.get(f"/api/v1/customers/{ids[key]}", headers=borrower)
        assert response.status_code == 404, (key, response.text)
        assert response.json() == {"error": missing}, key
    own = client.get(f"/api/v1/customers/{ids['own']}", headers=borrower)
    assert own.status_code == 200 and own.json()["masked"] is False
    listed = client.get("/api/v1/customers", headers=borrower).json()
    assert [c["id"] for c in listed["items"]] == [ids["own"]] and listed["total"] == 1


def test_a_dealer_reading_another_dealers_or_a_borrowers_customer_gets_the_missing_id_404(
    client: TestClient, world: dict[str, Any]
) -> None:
    dealer = world["headers"][Role.DEALER]
    ids = world["customers"]
    missing = client.get("/api/v1/customers/999999", headers=dealer)
    assert_error(missing, 404, "not_found")
    for key in ("d002", "own", "staff", "borrower2"):
        response = client.get(f"/api/v1/customers/{ids[key]}", headers=dealer)
        assert response.status_code == 404, (key, response.text)
        assert response.json() == missing.json(), key
    mine = client.get(f"/api/v1/customers/{ids['d001']}", headers=dealer)
    assert mine.status_code == 200 and mine.json()["masked"] is True
    listed = client.get("/api/v1/customers", headers=dealer).json()
    assert [c["id"] for c in listed["items"]] == [ids["d001"]] and listed["total"] == 1


# -- S2: the object-level matrix ------------------------------------------------------------------

# What each role gets for GET /api/v1/customers/{id} of a customer it does not own.
# A new role must be added here (the test fails until it is).
NOT_OWNED_OUTCOME: dict[Role, int] = {
    Role.BORROWER: 404,
    Role.DEALER: 404,
    Role.UNDERWRITER: 200,
    Role.SERVICING: 200,
    Role.COLLECTOR: 200,
    Role.RISK: 403,
    Role.COMPLIANCE: 200,
    Role.AUDITOR: 200,
    Role.ADMIN: 403,
}
# Which of the world's customers each role owns (empty: owns nothing).
OWNED_BY: dict[Role, set[str]] = {Role.BORROWER: {"own"}, Role.DEALER: {"d001"}}


def test_every_role_reading_every_customer_it_does_not_own_is_refused_or_allowed_by_the_matrix(
    client: TestClient, world: dict[str, Any]
) -> None:
    missing_roles = [role.value for role in Role if role not in NOT_OWNED_OUTCOME]
    assert not missing_roles, f"roles missing from the S2 matrix: {missing_roles}"
    for role, status in NOT_OWNED_OUTCOME.items():
        granted = permissions_of([role])
        expected = (
            403
            if Permission.CUSTOMER_READ not in granted
            else 200
            if Permission.CUSTOMER_READ_ALL in granted
            else 404
        )
        assert status == expected, f"matrix entry for {role.value} disagrees with its permissions"

    headers = world["headers"]
    ids: dict[str, int] = world["customers"]
    missing_body = {
        role: client.get("/api/v1/customers/999999", headers=headers[role]).json() for role in Role
    }
    checked = 0
    for role in Role:
        for key, customer_id in ids.items():
            response = client.get(f"/api/v1/customers/{customer_id}", headers=headers[role])
            if key in OWNED_BY.get(role, set()):
                assert response.status_code == 200, (role, key, response.text)
                continue
            status = NOT_OWNED_OUTCOME[role]
            assert response.status_code == status, (role.value, key, response.text)
            if status == 404:
                assert response.json() == missing_body[role], (role.value, key)
            elif status == 403:
                assert response.json()["error"]["code"] == "forbidden"
            else:
                assert response.json()["id"] == customer_id
            checked += 1
    assert checked == len(Role) * len(ids) - sum(len(v) for v in OWNED_BY.values())


# -- S5: token negatives ------------------------------------------------------------------------


def _claims(
    container: Container, clock: FixedClock, user_id: int, **overrides: Any
) -> dict[str, Any]:
    now = int(clock.now().timestamp())
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "roles": ["admin"],
        "aud": container.settings.token_audience,
        "iss": "autolend",
        "iat": now,
        "exp": now + 600,
        "jti": "f" * 32,
    }
    claims.update(overrides)
    return claims


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_a_forged_token_with_alg_none_a_wrong_secret_or_a_wrong_audience_is_refused(
    client: TestClient, staff: dict[Role, str], container: Container, clock: FixedClock
) -> None:
    admin_id = user_id_of(container, "admin")
    secret = container.settings.token_secret
    assert secret
    good = jwt.encode(_claims(container, clock, admin_id), secret, algorithm="HS256")
    assert client.get("/api/v1/me", headers=bearer(good)).status_code == 200  # control

    forged = {
        "alg none": jwt.encode(
            _claims(container, clock, admin_id),
            None,  # type: ignore[arg-type]  # alg "none" signs with no key
            algorithm="none",
        ),
        "wrong secret": jwt.encode(
            _claims(container, clock, admin_id), "another-secret-" + "y" * 32, algorithm="HS256"
        ),
        "wrong audience": jwt.encode(
            _claims(container, clock, admin_id, aud="someone-else"), secret, algorithm="HS256"
        ),
        "HS512": jwt.encode(_claims(container, clock, admin_id), secret, algorithm="HS512"),
        "no jti": jwt.encode(
            {k: v for k, v in _claims(container, clock, admin_id).items() if k != "jti"},
            secret,
            algorithm="HS256",
        ),
        "wrong issuer": jwt.encode(
            _claims(container, clock, admin_id, iss="evil"), secret, algorithm="HS256"
        ),
        "unknown user": jwt.encode(_claims(container, clock, 987654), secret, algorithm="HS256"),
        "garbage": "not.a.token",
    }
    for label, token in forged.items():
        response = client.get("/api/v1/users", headers=bearer(token))
        assert_error(response, 401, "unauthorized")
        assert response.headers.get("www-authenticate") == "Bearer", label


def test_a_token_is_refused_once_the_clock_passes_its_expiry(
    client: TestClient, staff: dict[Role, str], container: Container, clock: FixedClock
) -> None:
    headers = sign_in(client, "auditor", staff[Role.AUDITOR])
    ttl = timedelta(seconds=container.settings.token_ttl_seconds)
    clock.advance(ttl - timedelta(seconds=1))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(timedelta(seconds=1))
    error = assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthorized")
    assert "expired" in error["message"]


def test_a_token_is_refused_after_logout(client: TestClient, staff: dict[Role, str]) -> None:
    headers = sign_in(client, "servicing", staff[Role.SERVICING])
    other = sign_in(client, "servicing", staff[Role.SERVICING])
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthorized")
    assert_error(client.get("/api/v1/customers", headers=headers), 401, "unauthorized")
    assert_error(client.post("/api/v1/auth/logout", headers=headers), 401, "unauthorized")
    assert client.get("/api/v1/me", headers=other).status_code == 200  # only that token


def test_a_disabled_users_token_is_refused_and_the_user_cannot_sign_in(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    victim = sign_in(client, "underwriter", staff[Role.UNDERWRITER])
    admin = sign_in(client, "admin", staff[Role.ADMIN])
    victim_id = user_id_of(container, "underwriter")
    patched = client.patch(f"/api/v1/users/{victim_id}", json={"is_active": False}, headers=admin)
    assert patched.status_code == 200, patched.text
    assert patched.json()["is_active"] is False
    assert_error(client.get("/api/v1/me", headers=victim), 401, "unauthorized")
    refused = client.post(
        "/api/v1/auth/token",
        data={"username": "underwriter", "password": staff[Role.UNDERWRITER]},
    )
    assert_error(refused, 401, "unauthorized")
    enabled = client.patch(f"/api/v1/users/{victim_id}", json={"is_active": True}, headers=admin)
    assert enabled.status_code == 200
    assert client.get("/api/v1/me", headers=victim).status_code == 200


# -- lock-out -----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_until_the_lockout_has_passed(
    client: TestClient, staff: dict[Role, str], container: Container, clock: FixedClock
) -> None:
    def attempt(password: str) -> Any:
        return client.post(
            "/api/v1/auth/token", data={"username": "collector", "password": password}
        )

    wrong = [attempt(f"wrong-password-{i}") for i in range(5)]
    assert [r.status_code for r in wrong] == [401] * 5
    locked = attempt(staff[Role.COLLECTOR])
    assert_error(locked, 429, "too_many_attempts")
    assert "access_token" not in locked.text
    clock.advance(timedelta(seconds=container.settings.lockout_seconds - 1))
    assert attempt(staff[Role.COLLECTOR]).status_code == 429
    clock.advance(timedelta(seconds=2))
    assert attempt(staff[Role.COLLECTOR]).status_code == 200
    # The counter was reset: four more failures do not lock again.
    assert [attempt("nope-nope-nope").status_code for _ in range(4)] == [401] * 4
    assert attempt(staff[Role.COLLECTOR]).status_code == 200


def test_an_unknown_user_name_gets_the_same_401_as_a_wrong_password(
    client: TestClient, staff: dict[Role, str]
) -> None:
    unknown = client.post(
        "/api/v1/auth/token", data={"username": "nobody-here", "password": "whatever-long"}
    )
    wrong = client.post(
        "/api/v1/auth/token", data={"username": "risk", "password": "whatever-long"}
    )
    assert_error(unknown, 401, "unauthorized")
    assert_error(wrong, 401, "unauthorized")
    assert unknown.json() == wrong.json()


# -- S6: stored passwords -----------------------------------------------------------------------

PHC = re.compile(
    r"\$(?P<alg>argon2(?:id|i|d))\$v=(?P<v>\d+)\$m=(?P<m>\d+),t=(?P<t>\d+),p=(?P<p>\d+)"
    r"\$(?P<salt>[A-Za-z0-9+/]+)\$(?P<hash>[A-Za-z0-9+/]+)"
)


def test_every_stored_password_hash_is_argon2id_with_at_least_19_mib_and_2_passes(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    admin = sign_in(client, "admin", staff[Role.ADMIN])
    made = client.post(
        "/api/v1/users",
        json={"username": "api-made", "password": "pw-api-made-long", "roles": ["servicing"]},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    with container.uow() as uow:
        rows = uow.connection.execute(select(t.users.c.username, t.users.c.password_hash)).all()
    assert len(rows) == len(Role) + 1
    for username, stored in rows:
        match = PHC.fullmatch(stored)
        assert match is not None, f"{username}: not a PHC argon2 string"
        assert match["alg"] == "argon2id", username
        assert int(match["v"]) == 19, username
        assert int(match["m"]) >= 19456, username
        assert int(match["t"]) >= 2, username
        assert int(match["p"]) >= 1, username
        assert "pw-" not in stored, username
    salts = [PHC.fullmatch(s)["salt"] for _, s in rows]  # type: ignore[index]
    assert len(set(salts)) == len(salts), "salts must be unique per hash"


# -- S4: mass assignment ------------------------------------------------------------------------

MASS_ASSIGNMENT_FIELDS: list[tuple[str, Any]] = [
    ("owner_user_id", 1),
    ("dealer_id", 2),
    ("id", 1),
    ("key_id", "k0"),
    ("created_by", 1),
    ("created_at", "2020-01-01T00:00:00Z"),
    ("masked", False),
    ("status", "approved"),
]


@pytest.mark.parametrize(("field", "value"), MASS_ASSIGNMENT_FIELDS)
def test_registering_a_customer_with_a_server_owned_field_is_refused_naming_it(
    client: TestClient, staff: dict[Role, str], container: Container, field: str, value: Any
) -> None:
    dealer = sign_in(client, "dealer", staff[Role.DEALER])
    before = (customer_count(container), audit_count(container))
    body = {
        "name": "李雷",
        "id_number": resident_id("44030519920704123"),
        "phone": "13712345678",
        field: value,
    }
    response = client.post("/api/v1/customers", json=body, headers=dealer)
    error = assert_error(response, 422, "invalid_input")
    assert error["field"] == field
    assert field in error["message"]
    assert (customer_count(container), audit_count(container)) == before
    del body[field]
    assert client.post("/api/v1/customers", json=body, headers=dealer).status_code == 201


def test_user_admin_bodies_refuse_extra_fields_and_change_nothing(
    client: TestClient, staff: dict[Role, str], container: Container
) -> None:
    admin = sign_in(client, "admin", staff[Role.ADMIN])
    borrower_id = user_id_of(container, "borrower")
    before_audit = audit_count(container)
    patch = client.patch(
        f"/api/v1/users/{borrower_id}",
        json={"is_active": True, "roles": ["admin"]},
        headers=admin,
    )
    assert assert_error(patch, 422, "invalid_input")["field"] == "roles"
    create = client.post(
        "/api/v1/users",
        json={
            "username": "newbie",
            "password": "pw-newbie-long",
            "roles": ["dealer"],
            "dealer_code": "D001",
            "is_active": False,
            "id": 1,
        },
        headers=admin,
    )
    assert assert_error(create, 422, "invalid_input")["field"] in {"is_active", "id"}
    with container.uow() as uow:
        borrower = uow.users.by_id(borrower_id)
        assert uow.users.by_username("newbie") is None
    assert borrower is not None and borrower.roles == (Role.BORROWER,)
    assert audit_count(container) == before_audit
