"""The demo's loans carry a PD at origination, on both databases, so the ECL grades each
by its own risk: the hand-made CN and US loans the PD their plan states (model version
``demo``), the synthetic demo book a drawn one (``synthetic``). Before, none recorded
one, every loan took the default grade 6 (9 %), and the demo's allowance was about 20
times what its loans' risk says (a current loan 216,474 of ECL instead of 9,602)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.adapters.db.portfolio_tables import portfolio_risk
from autolend.batch.demo_book import seed_demo_book
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE
from autolend.batch.pd_grades import UNRECORDED_PD_GRADE, grade_of
from autolend.batch.synth_book import SYNTHETIC_MODEL_VERSION
from autolend.bootstrap import Container, build_container
from autolend.domain.access import SYSTEM_ACTOR
from autolend.services.demo import DemoSeeder
from autolend.services.demo_loans import DEMO_LOANS, DEMO_MODEL_VERSION, DemoLoan
from autolend.services.demo_us import US_DEMO_BOOK
from tests.conftest import TEST_NOW
from tests.conftest import test_settings as settings_for
from tests.support.ecl import flat_ecl

pytestmark = pytest.mark.integration

AS_OF = TEST_NOW.date()


@pytest.fixture
def us_container(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """A US lender in demo mode with the US demo seeded and today's snapshot taken."""
    settings = settings_for(db_url, tmp_path).model_copy(
        update={"jurisdiction": "US", "timezone": "America/New_York", "demo": True}
    )
    built = build_container(settings, clock=clock)
    s = built.services
    DemoSeeder(built.uow, s.users, s.customers, s.clock, "US").seed(as_of=AS_OF)
    s.portfolio.snapshot(SYSTEM_ACTOR, AS_OF)
    yield built
    built.close()


def stored_risk(container: Container) -> dict[int, tuple[Decimal | None, str | None]]:
    """Each loan's stored ``pd_orig`` and ``model_version``, by loan id (in booking order)."""
    with container.engine.connect() as conn:
        rows = conn.execute(select(t.loans.c.id, t.loans.c.terms).order_by(t.loans.c.id)).all()
    found = {}
    for loan_id, text in rows:
        terms = json.loads(text)
        pd = Decimal(terms["pd_orig"]) if "pd_orig" in terms else None
        found[int(loan_id)] = (pd, terms.get("model_version"))
    return found


def snapshot_ecl(container: Container, day: date) -> dict[int, int]:
    c = portfolio_risk.c
    with container.engine.connect() as conn:
        rows = conn.execute(select(c.loan_id, c.ecl_minor).where(c.as_of == day)).all()
    return {int(loan_id): int(ecl) for loan_id, ecl in rows}


def assert_graded_by_their_plans(container: Container, plans: tuple[DemoLoan, ...]) -> None:
    """The hand-made loans hold their plans' PDs, graded from 0 to 6, not all the default
    grade, and today's snapshot holds each open one's ECL at its grade's 12-month PD."""
    stored = list(stored_risk(container).items())[: len(plans)]
    assert [risk for _, risk in stored] == [
        (Decimal(plan.pd_orig), DEMO_MODEL_VERSION) for plan in plans
    ]
    grades = {
        loan_id: grade_of(Decimal(plan.pd_orig))
        for (loan_id, _), plan in zip(stored, plans, strict=True)
    }
    assert set(grades.values()) != {UNRECORDED_PD_GRADE} and len(set(grades.values())) >= 4
    ecl = snapshot_ecl(container, AS_OF)
    open_loans = [loan_id for loan_id in grades if loan_id in ecl]
    # all but the loan paid off and the one written off
    assert len(open_loans) == len([p for p in plans if not p.payoff and not p.written_off])
    for loan_id in open_loans:
        annual = ANNUAL_PD_BY_GRADE[grades[loan_id]]
        assert ecl[loan_id] == flat_ecl(container, loan_id, annual, AS_OF), loan_id
        if grades[loan_id] < UNRECORDED_PD_GRADE:  # below what a loan without a PD holds
            assert ecl[loan_id] < flat_ecl(container, loan_id, 0.09, AS_OF), loan_id


def test_the_cn_demos_loans_and_book_carry_pds_the_ecl_grades_them_by(
    container: Container,
) -> None:
    s = container.services
    DemoSeeder(container.uow, s.users, s.customers, s.clock).seed(as_of=AS_OF)
    book = seed_demo_book(container.uow, s.clock, 30, as_of=AS_OF)
    assert book is not None
    s.portfolio.snapshot(SYSTEM_ACTOR, AS_OF)
    assert_graded_by_their_plans(container, DEMO_LOANS)
    synthetic = [stored_risk(container)[loan_id] for loan_id in book.loan_ids]
    assert {version for _, version in synthetic} == {SYNTHETIC_MODEL_VERSION}
    grades = [grade_of(pd) for pd, _ in synthetic if pd is not None]
    assert len(grades) == 30 and len(set(grades)) >= 3
    assert set(grades) != {UNRECORDED_PD_GRADE}


def test_the_us_demos_loans_carry_the_pds_their_plans_state(us_container: Container) -> None:
    assert_graded_by_their_plans(us_container, US_DEMO_BOOK.loans)
