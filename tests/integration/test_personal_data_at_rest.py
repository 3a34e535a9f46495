"""Personal data at rest on both databases (RELIABILITY.md S7).

Customers are registered with canary values; a full dump of the database (SQLite: ``iterdump``
plus the raw bytes of the database and WAL files; PostgreSQL: ``pg_dump``) must not contain
any of them in clear. Blind-index look-ups still find the customers, a master-key rotation
leaves 100 % of them readable with only the new key, and the API shows the full values to
an underwriter but masked ones to compliance.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import make_url

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.adapters.keys.vault import MasterKeyRing, VaultError
from autolend.bootstrap import Container, build_container, create_app
from autolend.domain import masking
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.identity import resident_id_check_character
from autolend.services.auth import actor_of

pytestmark = pytest.mark.integration


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


@dataclass(frozen=True)
class Canary:
    name: str
    id_number: str
    phone: str
    bank_account: str
    monthly_income: str

    def body(self) -> dict[str, str]:
        return dict(self.__dict__)

    def needles(self) -> list[str]:
        """Every form of the values that must never be stored in clear."""
        income_digits = self.monthly_income.replace(".", "")
        return [
            self.name,
            self.id_number,
            self.id_number[:17],
            self.phone,
            self.bank_account,
            self.monthly_income,
            income_digits,
        ]


CANARIES = [
    Canary(
        "欧阳金花",
        resident_id("33010619850315106"),
        "13957468203",
        "6222600170008391234",
        "98765.43",
    ),
    Canary(
        "Quentin Zyxwarble",
        resident_id("11010519700307023"),
        "18620481357",
        "6217856100012345678",
        "31415.92",
    ),
    Canary(
        "司马青衫", resident_id("44030519921224457"), "17709938811", "622848040256489", "27182.81"
    ),
]
assert CANARIES[0].id_number.endswith("X")  # one ID with the X check character

# Long hex runs are ciphertext, hashes and blind indexes as dumped; a plaintext canary made
# of digits could appear inside one by chance, so digit-only needles are searched outside them.
_HEX_RUN = re.compile(r"[0-9A-Fa-f]{32,}")


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def registered(client: TestClient, staff: dict[Role, str], container: Container) -> dict[str, int]:
    """The canaries registered through the API; id number -> customer id."""
    headers = sign_in(client, "underwriter", staff[Role.UNDERWRITER])
    ids = {}
    for canary in CANARIES:
        response = client.post("/api/v1/customers", json=canary.body(), headers=headers)
        assert response.status_code == 201, response.text
        assert response.json()["id_number"] == canary.id_number
        ids[canary.id_number] = int(response.json()["id"])
    return ids


# -- dumping the database -----------------------------------------------------------------------


@dataclass(frozen=True)
class Dump:
    text: str
    raw: bytes  # file bytes (SQLite) or the dump's own bytes (PostgreSQL)


def dump_database(db_backend: str, db_url: str, request: pytest.FixtureRequest) -> Dump:
    database = make_url(db_url).database
    assert database
    if db_backend == "sqlite":
        path = Path(database)
        with sqlite3.connect(path) as conn:
            text = "\n".join(conn.iterdump())
        conn.close()
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert Path(f"{path}-wal").exists() or path.stat().st_size > 0
        return Dump(text, raw)
    cluster = request.getfixturevalue("pg_cluster")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    done = subprocess.run(
        [
            str(cluster.bin_dir / "pg_dump"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "--no-password",
            "--no-owner",
            database,
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return Dump(done.stdout.decode(), done.stdout)


def plaintext_hits(dump: Dump, canaries: list[Canary]) -> Iterator[str]:
    outside_hex = _HEX_RUN.sub(" ", dump.text)
    for canary in canaries:
        for needle in canary.needles():
            if needle in outside_hex:
                yield f"text: {needle}"
            # A value stored in a binary column would show up hex-encoded in a text dump.
            if needle.encode().hex() in dump.text.lower():
                yield f"hex: {needle}"
            if needle.encode() in dump.raw:
                yield f"bytes: {needle}"


def test_a_full_database_dump_holds_no_personal_data_in_clear(
    db_backend: str,
    db_url: str,
    request: pytest.FixtureRequest,
    container: Container,
    registered: dict[str, int],
) -> None:
    dump = dump_database(db_backend, db_url, request)
    # Controls: the dump really has the rows (dealers, users, the customers' blind indexes).
    assert "Dealer One" in dump.text and "underwriter" in dump.text
    for canary in CANARIES:
        index = container.cipher.blind_index("id_number", canary.id_number)
        assert index in dump.text, "the dump does not include the customers table"
        assert index.encode() in dump.raw
    hits = sorted(set(plaintext_hits(dump, CANARIES)))
    assert hits == [], f"plaintext personal data in the {db_backend} dump: {hits}"


def test_the_canary_check_would_catch_a_value_stored_in_clear(
    db_backend: str,
    db_url: str,
    request: pytest.FixtureRequest,
    container: Container,
    registered: dict[str, int],
    clock: FixedClock,
) -> None:
    """Control for the test above: a plaintext value written on purpose is found."""
    leaked = Canary(
        "泄露测试",
        resident_id("51010719800808123"),
        "13600000042",
        "6222000011112222333",
        "4242.42",
    )
    with container.engine.begin() as conn:
        conn.execute(
            t.dealers.insert().values(
                code="LEAK",
                name=f"{leaked.name} {leaked.id_number} {leaked.phone}",
                city=f"{leaked.bank_account}|{leaked.monthly_income}|{leaked.needles()[-1]}",
                created_at=clock.now(),
            )
        )
    dump = dump_database(db_backend, db_url, request)
    hits = set(plaintext_hits(dump, [leaked]))
    assert {f"text: {n}" for n in leaked.needles()} <= hits
    assert {f"bytes: {n}" for n in leaked.needles()} <= hits


# -- blind index look-ups -----------------------------------------------------------------------


def test_customers_are_found_by_resident_id_through_the_blind_index(
    client: TestClient, staff: dict[Role, str], registered: dict[str, int]
) -> None:
    headers = sign_in(client, "servicing", staff[Role.SERVICING])
    for canary in CANARIES:
        for typed in (canary.id_number, canary.id_number.lower()):
            found = client.post(
                "/api/v1/customers/search", json={"id_number": typed}, headers=headers
            )
            assert found.status_code == 200, found.text
            assert found.json()["id"] == registered[canary.id_number]
            assert found.json()["phone"] == canary.phone
    unknown = resident_id("51010719800808123")
    missing = client.post("/api/v1/customers/search", json={"id_number": unknown}, headers=headers)
    assert missing.status_code == 404


# -- master key rotation ------------------------------------------------------------------------


def pii_columns(container: Container) -> dict[int, tuple[str, bytes, tuple[bytes | None, ...]]]:
    c = t.customers.c
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(
                c.id,
                c.key_id,
                c.wrapped_data_key,
                c.name_enc,
                c.id_number_enc,
                c.phone_enc,
                c.bank_account_enc,
                c.monthly_income_enc,
            )
        ).all()
    return {
        r.id: (
            r.key_id,
            bytes(r.wrapped_data_key),
            tuple(None if v is None else bytes(v) for v in r[3:]),
        )
        for r in rows
    }


def staff_actor(container: Container, username: str) -> Actor:
    with container.uow() as uow:
        user = uow.users.by_username(username)
    assert user is not None
    return actor_of(user)


def test_key_rotation_rewraps_every_customer_so_that_only_the_new_key_is_needed(
    container: Container, registered: dict[str, int], clock: FixedClock
) -> None:
    old_ring = container.settings.master_keys
    assert old_ring and old_ring.startswith("k1:")
    new_key = MasterKeyRing.generate("k2")
    before = pii_columns(container)
    assert {key for key, _, _ in before.values()} == {"k1"}

    both = build_container(
        container.settings.model_copy(update={"master_keys": f"{new_key},{old_ring}"}),
        clock=clock,
    )
    only_k2 = build_container(
        container.settings.model_copy(update={"master_keys": new_key}), clock=clock
    )
    try:
        report = both.services.keys.rotate(SYSTEM_ACTOR)
        assert (report.active_key_id, report.rewrapped, report.already_current) == (
            "k2",
            len(CANARIES),
            0,
        )
        assert report.keys_before == {"k1": len(CANARIES)}

        after = pii_columns(container)
        assert set(after) == set(before)
        share_k2 = sum(key == "k2" for key, _, _ in after.values()) / len(after)
        assert share_k2 == 1.0
        for customer_id, (_, wrapped, fields) in after.items():
            assert wrapped != before[customer_id][1], "the data key was not re-wrapped"
            assert fields == before[customer_id][2], "field ciphertexts must not change"

        underwriter = staff_actor(only_k2, "underwriter")
        for canary in CANARIES:
            view = only_k2.services.customers.get(underwriter, registered[canary.id_number])
            assert (
                view.name,
                view.id_number,
                view.phone,
                view.bank_account,
                view.monthly_income,
            ) == (
                canary.name,
                canary.id_number,
                canary.phone,
                canary.bank_account,
                canary.monthly_income,
            )
        # The old key alone no longer opens anything.
        with pytest.raises(VaultError):
            container.services.customers.get(underwriter, registered[CANARIES[0].id_number])
        again = only_k2.services.keys.rotate(SYSTEM_ACTOR)
        assert (again.rewrapped, again.already_current) == (0, len(CANARIES))
        assert only_k2.services.audit.verify().ok
    finally:
        both.engine.dispose()
        only_k2.engine.dispose()


# -- full values for an underwriter, masked for compliance --------------------------------------


def assert_full_and_masked(
    client: TestClient, staff: dict[Role, str], registered: dict[str, int]
) -> None:
    underwriter = sign_in(client, "underwriter", staff[Role.UNDERWRITER])
    compliance = sign_in(client, "compliance", staff[Role.COMPLIANCE])
    for canary in CANARIES:
        path = f"/api/v1/customers/{registered[canary.id_number]}"
        full = client.get(path, headers=underwriter)
        assert full.status_code == 200, full.text
        body = full.json()
        assert body["masked"] is False
        assert (
            body["name"],
            body["id_number"],
            body["phone"],
            body["bank_account"],
            body["monthly_income"],
            body["currency"],
        ) == (
            canary.name,
            canary.id_number,
            canary.phone,
            canary.bank_account,
            canary.monthly_income,
            "CNY",
        )

        masked = client.get(path, headers=compliance)
        assert masked.status_code == 200, masked.text
        body = masked.json()
        assert body["masked"] is True
        assert body["name"] == masking.mask_name(canary.name)
        assert body["id_number"] == masking.mask_id_number(canary.id_number)
        assert body["id_number"].endswith(canary.id_number[-4:])
        assert body["phone"] == masking.mask_phone(canary.phone)
        assert body["bank_account"] == "**** **** **** " + canary.bank_account[-4:]
        assert body["monthly_income"] == "***"
        leaked = [n for n in canary.needles() if n in masked.text]
        assert leaked == [], f"compliance sees {leaked}"


def test_an_underwriter_sees_full_values_and_compliance_sees_them_masked(
    client: TestClient, staff: dict[Role, str], registered: dict[str, int]
) -> None:
    assert_full_and_masked(client, staff, registered)


def test_after_rotation_the_api_on_only_the_new_key_serves_full_and_masked_values(
    container: Container,
    staff: dict[Role, str],
    registered: dict[str, int],
    clock: FixedClock,
) -> None:
    new_key = MasterKeyRing.generate("k2")
    old_ring = container.settings.master_keys
    both = build_container(
        container.settings.model_copy(update={"master_keys": f"{new_key},{old_ring}"}),
        clock=clock,
    )
    only_k2 = build_container(
        container.settings.model_copy(update={"master_keys": new_key}), clock=clock
    )
    try:
        both.services.keys.rotate(SYSTEM_ACTOR)
        with TestClient(create_app(container=only_k2)) as client:
            assert_full_and_masked(client, staff, registered)
            headers = sign_in(client, "auditor", staff[Role.AUDITOR])
            for canary in CANARIES:
                found = client.post(
                    "/api/v1/customers/search",
                    json={"id_number": canary.id_number},
                    headers=headers,
                )
                assert found.status_code == 200, found.text
                assert found.json()["id"] == registered[canary.id_number]
    finally:
        both.engine.dispose()
        only_k2.engine.dispose()
