"""What a car-loan application holds once validated: its parties, the car, the consents
and the structure asked for (:class:`ApplicationInput`), with the household figures the
decision reads. :func:`autolend.domain.application.parse_application` builds it from the
JSON body; this module holds the shapes only.

A 200,000.00 car with 30,000.00 down finances 170,000.00 (``financed``); a borrower
earning 20,000.00 with a co-borrower earning 8,000.00 has a household income of 28,000.00
(each person counted once, by ID: ``earners``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from autolend.domain.consent import ConsentKind
from autolend.domain.money import Money, sum_money
from autolend.domain.products import Employment, Energy, VehicleCondition

__all__ = ["ApplicationInput", "Channel", "ConsentGiven", "Party", "PartyRole", "Vehicle"]


class PartyRole(StrEnum):
    BORROWER = "borrower"
    CO_BORROWER = "co_borrower"
    GUARANTOR = "guarantor"


class Channel(StrEnum):
    BORROWER = "borrower"
    DEALER = "dealer"


@dataclass(frozen=True)
class Party:
    """One applicant; ``birth_date`` comes from the resident ID (CN) or is given (US)."""

    role: PartyRole
    name: str
    id_number: str
    birth_date: date
    mobile: str
    address: str
    employment: Employment
    monthly_income: Money | None
    income_documented: bool
    monthly_obligations: Money
    first_time_buyer: bool
    email: str | None = None
    income_stability_months: int | None = None
    """How long the current income has been earned (with this employer, in this business
    or this farming): the months the applicant declares, or None."""


@dataclass(frozen=True)
class Vehicle:
    """The car: ``reference_price`` is the published (new) or appraised (used) price."""

    vin: str | None
    make: str
    model: str
    energy: Energy
    condition: VehicleCondition
    price: Money
    reference_price: Money | None
    dealer_id: int | None


@dataclass(frozen=True)
class ConsentGiven:
    kind: ConsentKind
    text_version: str


@dataclass(frozen=True)
class ApplicationInput:
    """A validated application; see the module docstring for the rules."""

    channel: Channel
    product_code: str
    parties: tuple[Party, ...]
    vehicle: Vehicle
    down_payment: Money
    amount: Money | None
    term_months: int
    consents: tuple[ConsentGiven, ...]
    pack: str = "CN"

    @property
    def borrower(self) -> Party:
        return next(p for p in self.parties if p.role is PartyRole.BORROWER)

    @property
    def co_borrowers(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role is PartyRole.CO_BORROWER)

    @property
    def guarantors(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role is PartyRole.GUARANTOR)

    @property
    def financed(self) -> Money:
        """The requested amount, or price - down payment."""
        return self.amount if self.amount is not None else self.vehicle.price - self.down_payment

    @property
    def earners(self) -> tuple[Party, ...]:
        """The borrower and the co-borrowers, each person once (by resident ID): a person
        named twice does not earn twice."""
        seen: set[str] = set()
        out = []
        for party in (self.borrower, *self.co_borrowers):
            if party.id_number not in seen:
                seen.add(party.id_number)
                out.append(party)
        return tuple(out)

    @property
    def household_income(self) -> Money:
        """Monthly income of the borrower and co-borrowers (undeclared counts as 0)."""
        cur = self.vehicle.price.currency
        return sum_money((p.monthly_income for p in self.earners if p.monthly_income), cur)

    @property
    def household_obligations(self) -> Money:
        """Existing monthly debt payments of the borrower and co-borrowers."""
        return sum_money((p.monthly_obligations for p in self.earners), self.vehicle.price.currency)

    def has_consent(self, kind: ConsentKind) -> bool:
        return any(c.kind is kind for c in self.consents)
