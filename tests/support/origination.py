"""What origination tests share: a credit model of each currency trained once a test run
(:func:`trained_once`) and copied into each test database, the demo catalogue, and an
application body that passes every rule."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from autolend.adapters.clock import FixedClock
from autolend.adapters.db.engine import make_engine
from autolend.adapters.db.migrate import upgrade
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.domain.product_catalogue import DEMO_HISTORY
from autolend.domain.vin import check_digit
from autolend.services.model_ports import NewModelVersion
from autolend.services.models import TrainRequest, decision_model_name
from tests import conftest as shared
from tests.support.messaging import SmsSandbox
from tests.support.once import once_a_run

# A salaried borrower of 37 with a clean sandbox report (ID check character by GB 11643
# MOD 11-2), a new BYD
# whose VIN check digit is right (ISO 3779 weights), 30 % down, 36 months.
BORROWER_ID = "110105198901010062"
VIN = "LGXCE6CB3N0123459"


def another_vin(serial: int) -> str:
    """A VIN other than :data:`VIN` (its ISO 3779 check digit right): one car secures one
    loan, so a test that books two loans names two cars."""
    draft = f"LGXCE6CB0N{100000 + serial:06d}9"
    return draft[:8] + check_digit(draft) + draft[9:]


def application_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "dealer", "product_code": "STD_NEW", "term_months": 36,
        "down_payment": "60000.00",
        "applicants": [{
            "role": "borrower", "name": "张伟", "id_number": BORROWER_ID,
            "mobile": "13800138000", "address": "北京市朝阳区建国路1号",
            "employment": "salaried", "monthly_income": "30000.00",
            "income_documented": True, "monthly_obligations": "1000.00",
            "first_time_buyer": False,
        }],
        "vehicle": {"vin": VIN, "make": "BYD", "model": "Han", "energy": "nev",
                    "condition": "new", "price": "200000.00", "dealer_id": 1},
        "consents": [{"kind": "bureau_query", "text_version": "v1"},
                     {"kind": "data_processing", "text_version": "v1"},
                     {"kind": "sensitive_data", "text_version": "v1"}],
    }  # fmt: skip
    out = copy.deepcopy(body)
    out.update(changes)
    return out


def train_model(folder: Path, currency: str = "CNY") -> NewModelVersion:
    """Train a small decision model of ``currency`` (``default``, or ``default-usd`` on the
    synthetic applicants' amounts in dollars) in seconds and return the registered
    version's row, to copy into other databases."""
    from autolend.risk.challenger import ChallengerSettings
    from autolend.risk.synth import synthetic_applicants, write_applicants
    from autolend.services.demo_models import LEFT_OUT, PROTECTED

    url = f"sqlite:///{folder / 'train.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    container = build_container(shared.test_settings(url, folder))
    frame = synthetic_applicants(1_500, seed=11, as_of_month="2026-06", currency=currency)
    name = decision_model_name(currency)
    request = TrainRequest(
        write_applicants(frame, folder / "applicants.csv"), "bad", None, name,
        exclude=LEFT_OUT, protected=PROTECTED, folds=3,
        challenger=ChallengerSettings(max_trees=120, early_stopping=20, inner_folds=3),
        currency=currency,
    )  # fmt: skip
    container.services.models.train(SYSTEM_ACTOR, request)
    with container.uow() as uow:
        row = uow.models.get(name)
        assert row is not None
        artifact = uow.models.artifact(name, row.version)
    container.engine.dispose()
    assert artifact is not None
    return NewModelVersion(row.name, artifact, row.artifact_sha256, row.metadata_json,
                           row.created_at, row.created_by)  # fmt: skip


def trained_once(factory: pytest.TempPathFactory, currency: str = "CNY") -> NewModelVersion:
    """:func:`train_model`'s model of ``currency``, trained once a test run rather than once
    a module (some 12 s of CPU each time, see :mod:`tests.support.once`): every module gets
    the same registered version's row, a frozen value each test copies into its own
    database, so sharing it shares no state."""
    return once_a_run(factory, f"model-{currency}", lambda folder: train_model(folder, currency))


def install(container: Container, *models: NewModelVersion | None) -> None:
    """The demo products, and the models given, in the container's database."""
    container.services.products.seed(SYSTEM_ACTOR, DEMO_HISTORY)
    with container.uow(write=True) as uow:
        for model in models:
            if model is not None:
                uow.models.add(model)
        uow.commit()


@contextmanager
def origination_container(
    db_url: str, home: Path, clock: FixedClock, model: NewModelVersion | None, **settings: Any
) -> Iterator[Container]:
    """A container on the test database with the test settings changed by ``settings``
    (a bureau URL, retries, threads ...), the demo products and the model when given; its
    engine disposed afterwards."""
    changed = shared.test_settings(db_url, home).model_copy(update=settings)
    built = build_container(changed, clock=clock)
    install(built, model)
    try:
        yield built
    finally:
        built.engine.dispose()


@pytest.fixture(name="container")
def referring_container(
    db_url: str, tmp_path: Path, clock: FixedClock, sms: SmsSandbox
) -> Iterator[Container]:
    """The ``container`` of a module that imports this: no bureau and no credit model, so
    every application is referred to a person, and SMS to the sandbox gateway (the module
    provides the ``sms`` fixture)."""
    with origination_container(db_url, tmp_path, clock, None, sms_url=sms.url) as built:
        yield built


@pytest.fixture(name="container")
def us_lender_container(
    db_url: str, tmp_path: Path, clock: FixedClock, request: pytest.FixtureRequest
) -> Iterator[Container]:
    """The ``container`` of a module that imports this: a lender under the US pack
    (parametrised indirectly with ``"CN"``: a China lender), no bureau and no model (the
    decision is not the point), the demo catalogue; a US product comes from the module's
    own fixture (``us_product``)."""
    jurisdiction = getattr(request, "param", "US")
    zone = "America/New_York" if jurisdiction == "US" else "Asia/Shanghai"
    with origination_container(
        db_url, tmp_path, clock, None, jurisdiction=jurisdiction, timezone=zone
    ) as built:
        yield built
