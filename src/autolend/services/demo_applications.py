"""Demo applications: a handful of car-loan applications filed by the demo dealer (D001)
and decided by the engine, so that the dealer's list, the underwriter's review queue and
the decision pages have cases to show on a fresh demo.

Each applicant has a valid resident ID (GB 11643 check character), chosen for the file
the bureau sandbox keeps on it (:mod:`autolend.bureau_sandbox.reports`): three ordinary
files without a late month, a thin file (the youngest), a written-off account and one
late month; each car has a valid VIN (ISO 3779 check digit). Incomes, debts, down
payments and products differ too, so the decisions differ (approved with offers,
referred to a person, declined with its notice). Seeded once: nothing is filed when the
dealer already has an application. Under ``AUTOLEND_JURISDICTION=US`` the applications are
the US demo's instead (:mod:`autolend.services.demo_applications_us`): in dollars, under
the US catalogue.

Example: ``seed_demo_applications(services, uow_factory)`` on a fresh demo returns 6.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from autolend.domain.access import Actor
from autolend.domain.errors import DomainError
from autolend.domain.identity import resident_id_check_character
from autolend.domain.vin import check_digit
from autolend.services.auth import actor_of
from autolend.services.demo_applications_us import US_DEMO_APPLICANTS, us_demo_application_body
from autolend.services.ports import UnitOfWorkFactory
from autolend.services.registry import Services

DEMO_DEALER_USER = "dealer"
_log = logging.getLogger(__name__)

# name, birth date and sequence code (the ID's digits 7-17), monthly income, other debt
# payments, employment, product, make, model, energy, price, down payment, term
DEMO_PEOPLE: tuple[tuple[str, str, str, str, str, str, str, str, str, str, str, int], ...] = (
    ("王芳", "19890101305", "28000.00", "1500.00", "salaried", "STD_NEW", "Toyota", "Camry",
     "ice", "190000.00", "57000.00", 36),
    ("李强", "19920715308", "18000.00", "4000.00", "self_employed", "NEV_GREEN", "BYD", "Seal",
     "nev", "210000.00", "52500.00", 48),
    ("刘洋", "19990103302", "9000.00", "2500.00", "salaried", "YOUNG_FIRST", "Geely", "Emgrand",
     "ice", "90000.00", "18000.00", 60),
    ("陈静", "19750920305", "35000.00", "0.00", "salaried", "STD_NEW", "Audi", "A4L",
     "ice", "320000.00", "128000.00", 24),
    ("赵磊", "19830528311", "12000.00", "6500.00", "self_employed", "STD_NEW", "Honda", "Accord",
     "ice", "200000.00", "60000.00", 36),
    ("孙丽", "19951111304", "22000.00", "1200.00", "salaried", "NEV_GREEN", "NIO", "ET5",
     "nev", "300000.00", "90000.00", 36),
)  # fmt: skip
DEMO_STABLE_MONTHS = (84, 30, 14, 180, 18, 48)
"""Months each of :data:`DEMO_PEOPLE` has earned their current income."""


def _vin(serial: int) -> str:
    """A VIN whose check digit (position 9) is right."""
    draft = f"LFV2A2BS0N{400000 + serial:06d}0"  # 17 characters, position 9 to be set
    return draft[:8] + check_digit(draft) + draft[9:]


def demo_application_body(serial: int, dealer_id: int) -> dict[str, Any]:
    """The ``serial``-th demo application, filed by the dealer for its customer."""
    name, born, income, debts, job, product, make, model, energy, price, down, term = DEMO_PEOPLE[
        serial % len(DEMO_PEOPLE)
    ]
    first17 = f"110105{born}"
    return {
        "channel": "dealer", "product_code": product, "term_months": term,
        "down_payment": down,
        "applicants": [{
            "role": "borrower", "name": name,
            "id_number": first17 + resident_id_check_character(first17),
            "mobile": f"1390000{serial:04d}", "address": "北京市朝阳区建国路88号",
            "employment": job, "monthly_income": income, "income_documented": True,
            "monthly_obligations": debts, "first_time_buyer": product == "YOUNG_FIRST",
            "income_stability_months": DEMO_STABLE_MONTHS[serial % len(DEMO_PEOPLE)],
        }],
        "vehicle": {"vin": _vin(serial), "make": make, "model": model, "energy": energy,
                    "condition": "new", "price": price, "dealer_id": dealer_id},
        "consents": [{"kind": "bureau_query", "text_version": "v1"},
                     {"kind": "data_processing", "text_version": "v1"},
                     {"kind": "sensitive_data", "text_version": "v1"}],
    }  # fmt: skip


Body = Callable[[int, int], dict[str, Any]]


def demo_applications(jurisdiction: str) -> tuple[int, Body]:
    """How many demo applications ``jurisdiction`` has, and the body of each (serial,
    dealer id): the US demo's under ``US``, else the CN demo's."""
    if jurisdiction == "US":
        return len(US_DEMO_APPLICANTS), us_demo_application_body
    return len(DEMO_PEOPLE), demo_application_body


def seed_demo_applications(
    services: Services, uow: UnitOfWorkFactory, jurisdiction: str = "CN"
) -> int:
    """File and decide the demo applications of ``jurisdiction`` as the demo dealer; how
    many were filed (0 when the dealer has applications already or there is no demo
    dealer)."""
    actor = _demo_dealer(uow)
    if actor is None or actor.dealer_id is None:
        return 0
    if services.applications.search(actor, limit=1):
        return 0
    filed = 0
    count, application_body = demo_applications(jurisdiction)
    for serial in range(count):
        body = application_body(serial, actor.dealer_id)
        try:
            made = services.applications.create(actor, body)
            filed += 1
            services.decisions.submit(actor, made["id"])
        except DomainError as error:  # a demo never fails to start over its sample data
            problem = {"serial": serial, "problem": error.message}
            _log.warning("demo application not seeded", extra=problem)
    return filed


def _demo_dealer(uow_factory: UnitOfWorkFactory) -> Actor | None:
    with uow_factory() as uow:
        user = uow.users.by_username(DEMO_DEALER_USER)
    return None if user is None else actor_of(user)
