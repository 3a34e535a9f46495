"""Demo data: one user per role (password ``demo-<role>``), two dealers, a few customers and
loans in every servicing state (:mod:`autolend.services.demo_loans`), and the demo products,
published whenever a code is missing: the eight CN products
(:mod:`autolend.domain.product_catalogue`), or under ``AUTOLEND_JURISDICTION=US`` the US
demo instead (:func:`demo_set`): the three US products
(:mod:`autolend.domain.product_catalogue_us`), US dealers, people and loans in dollars
(:mod:`autolend.services.demo_us`).

Used only in demo mode (``make run``, ``autolend demo``). Seeding is idempotent: a database
that already has the demo users is left as it is.

>>> demo_set("US").book.currency, len(demo_set("CN").catalogue)
('USD', 9)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.identity import resident_id_check_character
from autolend.domain.money import Money
from autolend.domain.product_catalogue import DEMO_HISTORY
from autolend.domain.product_catalogue_us import US_DEMO_HISTORY
from autolend.domain.products import Product
from autolend.services.approvals import ApprovalService
from autolend.services.audit import record_change
from autolend.services.auth import actor_of
from autolend.services.customers import CustomerInput, CustomerService
from autolend.services.demo_loans import CN_DEMO_BOOK, DemoBook, DemoLoanSeeder
from autolend.services.demo_us import US_DEMO_BOOK, US_DEMO_CUSTOMERS, US_DEMO_DEALERS
from autolend.services.loans import LoanService
from autolend.services.ports import Clock, UnitOfWorkFactory
from autolend.services.products import ProductService
from autolend.services.servicing import ServicingService
from autolend.services.users import UserService

DEMO_DEALERS = (
    ("D001", "北京望京汽车城 Wangjing Auto Mall", "北京"),
    ("D002", "成都新能源汽车广场 Chengdu NEV Plaza", "成都"),
)


def demo_password(role: Role) -> str:
    return f"demo-{role.value}"


# Maker-checker needs a second person of the role (never the first): with one per role
# the demo could never finish a large approval (underwriters) or a fee waiver asked by
# `servicing` (admin may approve one, but cannot read the loan it waives a fee of).
SECOND_PEOPLE = (
    ("underwriter2", "demo-underwriter2", Role.UNDERWRITER, "Demo underwriter 2"),
    ("servicing2", "demo-servicing2", Role.SERVICING, "Demo servicing 2"),
)


def demo_resident_id(area: str, born: date, sequence: int) -> str:
    """A well-formed (checksummed) resident ID for demo people; not a real person's."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_character(first17)


# The first is the demo borrower's own (sign-in ``borrower``): a sequence number whose
# sandbox file is clean with small debts, so applying for oneself can reach offers.
DEMO_CUSTOMERS = (
    ("张伟", "110105", date(1988, 3, 14), 139, "13800138000", "6222021234567890123", 1_500_000),
    ("李娜", "510104", date(1992, 7, 2), 456, "13900139000", None, 980_000),
    ("王芳", "440305", date(1979, 11, 23), 789, "13700137000", "6217001234567890", 2_200_000),
)


@dataclass(frozen=True)
class DemoSet:
    """What a jurisdiction's demo seeds: its catalogue (every version, in publishing
    order), dealers (code, name, city), customers (the first is the demo borrower's own)
    and hand-made loans."""

    catalogue: tuple[Product, ...]
    dealers: tuple[tuple[str, str, str], ...]
    customers: tuple[CustomerInput, ...]
    book: DemoBook


def _cn_customers() -> tuple[CustomerInput, ...]:
    return tuple(
        CustomerInput(
            name=name,
            id_number=demo_resident_id(area, born, seq),
            phone=phone,
            bank_account=account,
            monthly_income=Money.of_minor(income, "CNY"),
        )
        for name, area, born, seq, phone, account, income in DEMO_CUSTOMERS
    )


def demo_set(jurisdiction: str) -> DemoSet:
    """The demo of ``jurisdiction`` (``CN`` or ``US``); CN for any other."""
    if jurisdiction == "US":
        return DemoSet(US_DEMO_HISTORY, US_DEMO_DEALERS, US_DEMO_CUSTOMERS, US_DEMO_BOOK)
    return DemoSet(DEMO_HISTORY, DEMO_DEALERS, _cn_customers(), CN_DEMO_BOOK)


@dataclass(frozen=True)
class DemoReport:
    created: bool
    users: list[tuple[str, str]]


class DemoSeeder:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        users: UserService,
        customers: CustomerService,
        clock: Clock,
        jurisdiction: str = "CN",
    ) -> None:
        self._uow = uow_factory
        self._users = users
        self._customers = customers
        self._clock = clock
        self._demo = demo_set(jurisdiction)

    def seed(self, *, as_of: date) -> DemoReport:
        # The demo catalogue is published whenever a code is missing (idempotent).
        ProductService(self._uow, self._clock).seed(SYSTEM_ACTOR, self._demo.catalogue)
        sign_ins = [(r.value, demo_password(r)) for r in Role]
        sign_ins += [(name, password) for name, password, _role, _shown in SECOND_PEOPLE]
        with self._uow() as uow:
            if uow.users.by_username(Role.ADMIN.value) is not None:
                return DemoReport(created=False, users=sign_ins)
        self._dealers()
        for role in Role:
            self._users.create(
                SYSTEM_ACTOR,
                username=role.value,
                password=demo_password(role),
                roles=[role.value],
                dealer_code="D001" if role is Role.DEALER else None,
                display_name=f"Demo {role.value}",
            )
        for username, password, role, shown in SECOND_PEOPLE:
            self._users.create(
                SYSTEM_ACTOR, username=username, password=password,
                roles=[role.value], display_name=shown,
            )  # fmt: skip
        customers = self._people(as_of)
        self._loans(customers, as_of)
        return DemoReport(created=True, users=sign_ins)

    def _dealers(self) -> None:
        with self._uow(write=True) as uow:
            for code, name, city in self._demo.dealers:
                dealer_id = uow.dealers.add(code, name, city, self._clock.now())
                record_change(
                    uow,
                    self._clock,
                    SYSTEM_ACTOR,
                    action="dealer.create",
                    object_type="dealer",
                    object_id=dealer_id,
                    summary={"code": code},
                )
            uow.commit()

    def _loans(self, customers: list[int], as_of: date) -> None:
        """Book and service the demo loans as the demo servicing officer (risk approves
        the write-off the officer asks for)."""
        with self._uow() as uow:
            officer = uow.users.by_username(Role.SERVICING.value)
            risk = uow.users.by_username(Role.RISK.value)
            codes = [code for code, _name, _city in self._demo.dealers]
            dealers = {code: uow.dealers.by_code(code) for code in codes}
        assert officer is not None and risk is not None
        known = {code: dealer_id for code, dealer_id in dealers.items() if dealer_id is not None}
        servicing = ServicingService(self._uow, self._clock)
        seeder = DemoLoanSeeder(
            LoanService(self._uow, self._clock),
            servicing,
            ApprovalService(self._uow, self._clock, servicing),
            self._demo.book,
        )
        seeder.seed(actor_of(officer), customers, known, as_of, checker=actor_of(risk))

    def _people(self, as_of: date) -> list[int]:
        with self._uow() as uow:
            borrower = uow.users.by_username(Role.BORROWER.value)
            dealer = uow.users.by_username(Role.DEALER.value)
        assert borrower is not None and dealer is not None
        makers: list[Actor] = [actor_of(borrower), actor_of(dealer), actor_of(dealer)]
        return [
            self._customers.register(maker, data, as_of=as_of).id
            for maker, data in zip(makers, self._demo.customers, strict=True)
        ]
