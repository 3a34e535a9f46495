"""Shared fixtures: databases on both backends, a container, an API client, demo users.

Integration tests that take ``db_url`` (directly or through ``container``/``client``) run once
on SQLite and once on a throw-away PostgreSQL cluster started from the machine's binaries.
With ``CI=true`` a missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import base64
import itertools
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from autolend.adapters.clock import FixedClock
from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.adapters.keys.vault import MasterKeyRing
from autolend.bootstrap import Container, build_container, create_app
from autolend.config import Settings
from autolend.domain.access import SYSTEM_ACTOR, Role
from tests.support.dummy_hash import one_dummy_hash_a_run
from tests.support.passwords import remembering
from tests.support.postgres import PostgresUnavailable, ThrowawayPostgres, find_pg_bin_dir
from tests.support.templates import templates_compiled_once

BACKENDS = ("sqlite", "postgresql")
IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
_counter = itertools.count()


def _no_postgres(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session", autouse=True)
def _passwords_hashed_once() -> Iterator[None]:
    """Each staff password is hashed and checked with argon2 once a run, not per test
    (:mod:`tests.support.passwords`)."""
    with remembering():
        yield


@pytest.fixture(scope="session", autouse=True)
def _sign_in_dummy_hashed_once() -> Iterator[None]:
    """The sign-in service's dummy hash is made once a run, not per container
    (:mod:`tests.support.dummy_hash`)."""
    with one_dummy_hash_a_run():
        yield


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once() -> Iterator[None]:
    """Each page template is compiled once a run, not per application built
    (:mod:`tests.support.templates`)."""
    with templates_compiled_once():
        yield


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayPostgres]:
    if find_pg_bin_dir() is None:
        _no_postgres("no initdb/pg_ctl found (run scripts/ensure-system-packages.sh)")
    try:
        with ThrowawayPostgres() as cluster:
            yield cluster
    except PostgresUnavailable as error:
        _no_postgres(str(error))


@pytest.fixture(scope="session")
def pg_template(pg_cluster: ThrowawayPostgres) -> str:
    """A migrated database that every test's database is copied from."""
    pg_cluster.create_database("autolend_template")
    engine = make_engine(pg_cluster.url("autolend_template"))
    upgrade(engine)
    engine.dispose()
    return "autolend_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(db_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    if db_backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "autolend.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    cluster: ThrowawayPostgres = request.getfixturevalue("pg_cluster")
    name = f"t_{os.getpid()}_{next(_counter)}"
    cluster.create_database(name, template=request.getfixturevalue("pg_template"))
    yield cluster.url(name)
    cluster.drop_database(name)


def test_settings(db_url: str, home: Path) -> Settings:
    return Settings(
        home=home,
        database_url=db_url,
        token_secret="test-token-secret-" + "x" * 32,
        master_keys=MasterKeyRing.generate("k1"),
        blind_index_key=base64.urlsafe_b64encode(b"b" * 32).decode(),
        metrics_token="test-metrics-token",
        session_cookie_secure=False,
        lockout_seconds=900,
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_NOW)


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    built = build_container(test_settings(db_url, tmp_path), clock=clock)
    yield built
    built.close()


@pytest.fixture
def engine(container: Container) -> Engine:
    return container.engine


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=container)) as test_client:
        yield test_client


@pytest.fixture
def us_client(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    """The web client of a lender under the US regulation pack."""
    settings = test_settings(db_url, tmp_path / "us").model_copy(
        update={"jurisdiction": "US", "timezone": "America/New_York"}
    )
    built = build_container(settings, clock=clock)
    with TestClient(create_app(container=built)) as test_client:
        yield test_client
    built.close()


@pytest.fixture
def staff(container: Container) -> dict[Role, str]:
    """One user per role, named after it, password ``pw-<role>-long``; dealer at D001."""
    with container.uow(write=True) as uow:
        uow.dealers.add("D001", "Dealer One", "北京", TEST_NOW)
        uow.dealers.add("D002", "Dealer Two", "成都", TEST_NOW)
        uow.commit()
    for role in Role:
        container.services.users.create(
            SYSTEM_ACTOR,
            username=role.value,
            password=f"pw-{role.value}-long",
            roles=[role.value],
            dealer_code="D001" if role is Role.DEALER else None,
        )
    return {role: f"pw-{role.value}-long" for role in Role}


def _backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("db_backend")


_outcomes: Counter[tuple[str, str]] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    backend = getattr(report, "autolend_backend", None)
    if backend and (report.when == "call" or report.outcome != "passed"):
        _outcomes[(backend, report.outcome)] += 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    report.autolend_backend = _backend_of(item)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _outcomes:
        return
    terminalreporter.section("integration tests per database")
    for backend in BACKENDS:
        counts = {o: n for (b, o), n in _outcomes.items() if b == backend}
        parts = ", ".join(f"{n} {o}" for o, n in sorted(counts.items())) or "none run"
        terminalreporter.write_line(f"{backend}: {parts}")
