"""The US demo (``AUTOLEND_JURISDICTION=US``) on both databases: it used to seed the CN
catalogue (+50 % penalty interest, yuan), CN borrowers and CN loans. Now it publishes the
US catalogue alone, registers US people, books its loans in dollars in every servicing
state the CN demo shows (current, paid ahead, one to three installments late, paid off),
repaid by a US channel, files its applications in dollars, and ``verify`` holds on it;
the products page and a loan page show dollars. ``autolend demo`` under US (SQLite) does
the same from the command line, leaves the CN-only synthetic book out and decides its
applications against the bureau sandbox (approved, referred, declined)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from autolend.adapters.clock import FixedClock
from autolend.bootstrap import Container, build_container
from autolend.cli import app
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.product_catalogue import DEMO_PRODUCTS
from autolend.domain.product_catalogue_us import US_DEMO_PRODUCTS
from autolend.domain.regulation.packs import US_PACK
from autolend.services.auth import actor_of
from autolend.services.demo import DemoSeeder
from autolend.services.demo_applications import seed_demo_applications
from tests.conftest import TEST_NOW
from tests.conftest import test_settings as settings_for
from tests.integration.test_application_pages import sign_in

pytestmark = pytest.mark.integration

US_CODES = {product.code for product in US_DEMO_PRODUCTS}
# Tables whose rows carry a currency, and the text columns that could name one.
MONEY_TABLES = ("loans", "postings", "repayments", "applications", "portfolio_risk")
TEXT_COLUMNS = {"loans": "terms", "applications": "decision || ' ' || COALESCE(offers, '')"}


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """A US lender in demo mode with the US demo seeded (no bureau, no model: the
    applications are filed and referred)."""
    settings = settings_for(db_url, tmp_path).model_copy(
        update={"jurisdiction": "US", "timezone": "America/New_York", "demo": True}
    )
    built = build_container(settings, clock=clock)
    s = built.services
    DemoSeeder(built.uow, s.users, s.customers, s.clock, "US").seed(as_of=TEST_NOW.date())
    seed_demo_applications(s, built.uow, "US")
    s.portfolio.snapshot(SYSTEM_ACTOR, TEST_NOW.date())
    yield built
    built.close()


def demo_user(container: Container, role: Role) -> Actor:
    with container.uow() as uow:
        user = uow.users.by_username(role.value)
    assert user is not None
    return actor_of(user)


def column(container: Container, sql: str) -> list[Any]:
    with container.engine.connect() as conn:
        return [row[0] for row in conn.execute(text(sql))]


def state(view: dict[str, Any]) -> str:
    """What a servicing officer sees first on the loan: paid off, written off, late (how
    many), paid ahead (money in advance) or current."""
    if view["status"] in ("paid_off", "written_off"):
        return str(view["status"])
    late = view["overdue"]["installments"]
    if late:
        return f"late_{late}"
    return "paid_ahead" if view["balances"]["suspense"] != "0.00" else "current"


def test_the_us_demo_publishes_the_us_catalogue_in_dollars_and_no_cn_product(
    container: Container,
) -> None:
    products = container.services.products.active(SYSTEM_ACTOR)
    assert {p.code for p in products} == US_CODES
    assert {(p.pack, p.currency) for p in products} == {("US", "USD")}
    assert not {p.code for p in DEMO_PRODUCTS} & set(column(container, "SELECT code FROM products"))
    customers = container.services.customers.list(demo_user(container, Role.UNDERWRITER))
    assert len(customers) == 3 + 6  # the demo's customers and its applicants
    assert {c.currency for c in customers} == {"USD"}


def test_the_us_demo_loans_show_every_servicing_state_in_dollars_and_verify_holds(
    container: Container,
) -> None:
    officer = demo_user(container, Role.SERVICING)
    ids = column(container, "SELECT id FROM loans ORDER BY id")
    views = [container.services.loans.get(officer, loan_id) for loan_id in ids]
    states = sorted(state(view) for view in views)
    assert {"current", "paid_ahead", "late_1", "late_2", "late_3", "paid_off",
            "written_off"} <= set(states)  # fmt: skip
    assert {view["product_code"] for view in views} <= US_CODES
    assert {view["penalty_uplift"] for view in views} == {"0"}
    for table in MONEY_TABLES:
        assert set(column(container, f"SELECT DISTINCT currency FROM {table}")) == {"USD"}, table
    for table, expression in TEXT_COLUMNS.items():
        assert not [t for t in column(container, f"SELECT {expression} FROM {table}") if "CNY" in t]
    # money received (the write-off moves none: it has no channel)
    query = "SELECT DISTINCT channel FROM repayments WHERE channel IS NOT NULL"
    channels = set(column(container, query))
    assert channels and channels <= set(US_PACK.repayment_channels)
    assert len(column(container, "SELECT id FROM applications")) == 6
    report = container.services.verify.run(TEST_NOW.date())
    assert report.ok, [(c.name, c.violations) for c in report.checks if not c.ok]


def test_the_us_demo_products_page_and_a_loan_page_show_dollars(
    client: TestClient, container: Container
) -> None:
    sign_in(client, Role.SERVICING.value, f"demo-{Role.SERVICING.value}")
    products = client.get("/products")
    assert products.status_code == 200
    assert all(code in products.text for code in US_CODES)
    assert "$5,000.00" in products.text and "$25.00" in products.text  # amounts, late fee
    assert "CNY" not in products.text and "¥" not in products.text
    late = column(container, "SELECT id FROM loans WHERE product_code = 'US_USED_AUTO'")[0]
    page = client.get(f"/loans/{late}")
    assert page.status_code == 200
    assert len(re.findall(r"\$[\d,]+\.\d\d", page.text)) > 10, page.text[:2000]
    assert "CNY" not in page.text and "¥" not in page.text


def _env(home: Path) -> dict[str, str]:
    return {"AUTOLEND_HOME": str(home), "AUTOLEND_DEMO": "true", "AUTOLEND_DATABASE_URL": "",
            "AUTOLEND_JURISDICTION": "US"}  # fmt: skip


def test_the_demo_command_under_us_seeds_the_us_demo_and_leaves_the_cn_book_out(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    seeded = runner.invoke(app, ["demo", "--loans", "5"], env=_env(tmp_path))
    assert seeded.exit_code == 0, seeded.output
    assert "left out under US" in seeded.output
    engine = create_engine(f"sqlite:///{tmp_path / 'autolend.db'}")
    with engine.connect() as conn:
        loans = conn.execute(text("SELECT currency, product_code FROM loans")).all()
        rows = conn.execute(text("SELECT status, currency, decision FROM applications")).all()
    engine.dispose()
    assert len(loans) == 9 and {code for _, code in loans} <= US_CODES
    assert {currency for currency, _ in loans} == {"USD"}
    statuses = sorted(status for status, _, _ in rows)
    assert {"approved", "referred", "declined"} <= set(statuses), statuses
    assert {currency for _, currency, _ in rows} == {"USD"}
    assert all("default-usd@" in decision and "CNY" not in decision for _, _, decision in rows)
    checked = runner.invoke(app, ["verify"], env=_env(tmp_path))
    assert checked.exit_code == 0, checked.output
