"""The demo's synthetic book: ``autolend demo --loans N`` and ``make run`` add N loans
with history (:mod:`autolend.batch.synth_history_db`) beside the hand-made demo loans,
spread over the demo dealers and booked by the demo servicing officer, each with its
borrower as a customer of the loan's dealer (:mod:`autolend.services.demo_people`) when a
cipher is given to seal them. Each loan carries a PD at origination drawn from the seed
as the bench book draws its grades (:mod:`autolend.batch.synth_history`), so the demo's
allowance follows its loans' risk rather than the default grade of a loan without one.

Its history is :data:`DEMO_HISTORY_MONTHS` month-ends long (migrated at the month-end
two months back; every active loan serviced through the demo date), so that a first
``make run`` on a 2-core machine stays near a minute.

Idempotent: the book is written once. The hand-made demo loans are the first
``len(DEMO_LOANS)`` loans of a demo database; when more loans than that exist, the book
is there already and nothing is added (a second ``autolend demo --loans N`` adds no
other N). To seed a book of another size, start from a fresh database.
"""

from __future__ import annotations

from datetime import date

from autolend.batch.synth_history import cut_over_for
from autolend.batch.synth_history_db import HistoryBook, Progress
from autolend.batch.synth_history_db import insert_history_book as _insert
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.services.auth import actor_of
from autolend.services.demo import DEMO_DEALERS
from autolend.services.demo_loans import DEMO_LOANS
from autolend.services.demo_people import add_synthetic_customer
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "DEMO_HISTORY_MONTHS", "book_present", "booking_actor", "seed_demo_book",
]  # fmt: skip

DEMO_HISTORY_MONTHS = 2
"""The demo book is migrated at the month-end this many months before the demo date's."""


def book_present(uow_factory: UnitOfWorkFactory) -> bool:
    """Whether the database holds loans beyond the hand-made demo loans."""
    with uow_factory() as uow:
        found = uow.loans.find(
            status=None, owner_user_id=None, dealer_id=None, all_rows=True,
            limit=len(DEMO_LOANS) + 1,
        )  # fmt: skip
    return len(found) > len(DEMO_LOANS)


def booking_actor(uow_factory: UnitOfWorkFactory) -> tuple[Actor, list[int | None]]:
    """The demo servicing officer (else the system) and the demo dealers' ids."""
    with uow_factory() as uow:
        officer = uow.users.by_username(Role.SERVICING.value)
        dealers: list[int | None] = [uow.dealers.by_code(code) for code, _, _ in DEMO_DEALERS]
    actor = actor_of(officer) if officer is not None else SYSTEM_ACTOR
    return actor, [d for d in dealers if d is not None] or [None]


def seed_demo_book(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    loans: int,
    *,
    as_of: date,
    seed: int = 1,
    progress: Progress | None = None,
    cipher: PersonalDataCipher | None = None,
) -> HistoryBook | None:
    """Write ``loans`` synthetic loans with history through ``as_of`` unless the book is
    there already (module docstring); the book written, or ``None``. With ``cipher``,
    each loan has a synthetic borrower."""
    if loans <= 0 or book_present(uow_factory):
        return None
    actor, dealers = booking_actor(uow_factory)
    cut = cut_over_for(as_of, DEMO_HISTORY_MONTHS)

    def borrower(uow: UnitOfWork, serial: int, dealer_id: int | None) -> int:
        assert cipher is not None
        return add_synthetic_customer(uow, cipher, clock, actor, serial=serial, dealer_id=dealer_id)

    return _insert(
        uow_factory, clock, actor, loans, seed=seed, as_of=as_of, cut_over=cut,
        dealers=dealers, progress=progress, customers=borrower if cipher else None,
    )  # fmt: skip
