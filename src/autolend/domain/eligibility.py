"""Who may borrow under a product (:class:`Eligibility`), and the kinds it names: the
vehicle's condition and energy, the applicant's employment.

An upper age limit left unset is the pack's (``RegulationPack.default_upper_ages``): a CN
product holds 60 at application and 65 at maturity; a US product none, and refuses one
set (Reg B 1002.6(b)(2): age may not count against an elderly applicant).

>>> Eligibility(min_age=20, max_age=55).max_age_at_maturity is None
True
>>> Eligibility(min_age=30, max_age=25)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: max_age must satisfy 18 <= min_age <= max_age ...
>>> Eligibility(min_age=17)
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: min_age must be at least 18 (the age of majority)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from autolend.domain.errors import InvalidInput
from autolend.domain.schedule.validation import check_rate, coerce_enum

__all__ = ["AGE_OF_MAJORITY", "Eligibility", "Employment", "Energy", "VehicleCondition"]

AGE_OF_MAJORITY = 18
"""The age of full legal capacity to contract: the lowest ``min_age`` a product may
set. 18 under the PRC Civil Code Art. 17 and in most US states (a state pack that
needs 19 or 21 would carry its own). Below it the applicant cannot bind themselves to a
loan, the one ground on which Reg B 1002.6(b)(2)(i) lets a US creditor consider age."""


def _fail(name: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{name} {problem}", field=name)


class VehicleCondition(StrEnum):
    NEW = "new"
    USED = "used"


class Energy(StrEnum):
    """ICE, or NEV (plug-in hybrid incl. range extender, battery electric, fuel cell)."""

    ICE = "ice"
    NEV = "nev"


class Employment(StrEnum):
    SALARIED = "salaried"
    SELF_EMPLOYED = "self_employed"
    FARMER = "farmer"
    RETIRED = "retired"


def _enum_tuple(values: object, kind: type[StrEnum], name: str) -> tuple[StrEnum, ...]:
    if not isinstance(values, tuple | list | frozenset | set) or not values:
        raise _fail(name, "must list at least one value")
    return tuple(dict.fromkeys(coerce_enum(v, kind, name) for v in values))


@dataclass(frozen=True, slots=True, kw_only=True)
class Eligibility:
    """Who may borrow: age at application and at maturity (whole years), the vehicles
    (condition, energy), employment types, first-time buyers only, and the largest
    debt-service ratio (all monthly debt payments incl. this loan / monthly income).

    An upper age limit left unset (None) is the pack's ``default_upper_ages``: a CN
    :class:`Product` holds 60 and 65; a US one none (None: no limit), and refuses one set
    (Reg B 1002.6(b)(2)).
    """

    min_age: int = 18
    max_age: int | None = None
    max_age_at_maturity: int | None = None
    conditions: tuple[VehicleCondition, ...] = (VehicleCondition.NEW,)
    energies: tuple[Energy, ...] = (Energy.ICE, Energy.NEV)
    employment: tuple[Employment, ...] = (Employment.SALARIED, Employment.SELF_EMPLOYED)
    first_time_buyer_only: bool = False
    max_dsr: Decimal = Decimal("0.5")

    def __post_init__(self) -> None:
        for name, kind in (("conditions", VehicleCondition), ("energies", Energy),
                           ("employment", Employment)):  # fmt: skip
            object.__setattr__(self, name, _enum_tuple(getattr(self, name), kind, name))
        upper = [a for a in (self.max_age, self.max_age_at_maturity) if a is not None]
        ages = [self.min_age, *upper]
        if any(isinstance(a, bool) or not isinstance(a, int) for a in ages):
            raise _fail("min_age", "and the age limits must be whole years")
        if self.min_age < AGE_OF_MAJORITY:  # the applicant could not bind themselves
            raise _fail("min_age", f"must be at least {AGE_OF_MAJORITY} (the age of majority)")
        # The limits that are set must rise (an unset one is checked once resolved).
        if ages != sorted(ages) or ages[-1] > 100:
            raise _fail("max_age", f"must satisfy {AGE_OF_MAJORITY} <= min_age <= max_age "
                        "<= at maturity <= 100")  # fmt: skip
        if not isinstance(self.first_time_buyer_only, bool):
            raise _fail("first_time_buyer_only", "must be true or false")
        if check_rate(self.max_dsr, "max_dsr") <= 0:
            raise _fail("max_dsr", "must be above 0")
