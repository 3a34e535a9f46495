"""The lender's own ECL parameters: a TOML or JSON file named by
``AUTOLEND_ECL_PARAMETERS``, validated whole at start-up, and the digest that names them.

Every key is optional and defaults to the built-in value, so no file (or an empty one)
gives exactly the figures of :class:`~autolend.batch.ecl.EclConfig` ``()``::

    annual_pd = [0.004, 0.007, 0.012, 0.02, 0.033, 0.055, 0.09, 0.15, 0.25, 0.4]
    overlay = 1.0               # forward-looking macro multiplier on every PD, >= 0
    haircut = 0.2               # off the depreciated value, 0 to 1
    monthly_prepayment = 0.0    # SMM, 0 to 1
    retention = {ice_new = 0.85, ice_used = 0.9, nev_new = 0.8, nev_used = 0.85}
    decay = {ice_new = 0.15, ice_used = 0.12, nev_new = 0.22, nev_used = 0.2}
    repossession_cost = {CNY = "3000.00", USD = "1500.00"}
    past_due_pd = {}            # e.g. {dpd_1_30 = 0.2, dpd_31_60 = 0.4, dpd_61_90 = 0.6}

``annual_pd``: the 12-month PD of grades 0 (best) to 9, ten of them, each 0 to 1 and
never lower than the grade before (the cumulative curve is
:func:`~autolend.batch.ecl.constant_hazard_curve` of them); each loan takes the grade
nearest at or above the PD it was booked with on this scale
(:mod:`autolend.batch.pd_grades`: PD 4 % -> grade 5 on the default scale).
``repossession_cost``: per currency a pack lends in, in major units as a string, parsed
exactly (``"1500.00"`` USD is 150,000 cents); a currency not given keeps the built-in
3,000.00 in its own minor units (300,000). A file ending ``.json`` holds the same keys as
one JSON object. ``past_due_pd``: the lender's floor on the 12-month PD of a loan in the
bucket 1-30, 31-60 or 61-90 days past due, each optional, 0 to 1 (default: none); the PD
such a loan takes is the highest of its PD at origination, the bucket's behavioural PD
from the book's history and this floor (:mod:`autolend.batch.past_due_pd`).

Anything wrong -- an unknown key, a PD outside 0 to 1 or falling with the grade, a
negative cost, an SMM outside 0 to 1 -- raises :class:`InvalidInput` naming the field
(every problem, ``; ``-separated): nothing is applied until the whole set is valid.

**Digest.** :meth:`EclParameters.sha256` is the SHA-256 of the canonical JSON (sorted
keys, no spaces, ASCII) of the *effective* parameters (:meth:`EclParameters.effective`:
every key, every lending currency's cost), so a file that restates a default has the
digest of the default set, and the audit records name the set that made each figure.
``past_due_pd`` enters it with the floors given only, and not at all when none is (an
empty table is the default): the built-in set's digest is the one it had before floors
existed.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from autolend.batch.book_domain import PACK_CODES
from autolend.batch.ecl import ANNUAL_PD_BY_GRADE, EclConfig, constant_hazard_curve
from autolend.batch.past_due_pd import PastDuePd
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, parse_money
from autolend.domain.regulation import pack_for

__all__ = [
    "DEFAULT_REPOSSESSION_COST_MINOR",
    "EclParameters",
    "canonical_json",
    "load_ecl_parameters",
    "parameters_from",
]

DEFAULT_REPOSSESSION_COST_MINOR = EclConfig().repossession_cost
"""3,000.00 in a currency of two minor digits (today's cost for every loan)."""
LENDING_CURRENCIES = tuple(sorted({pack_for(code).currency for code in PACK_CODES}))
"""The currencies the packs lend in: the only ones a loan can be in."""

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)
Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class Retention(BaseModel):
    """The share of the price a car keeps at age 0, by vehicle type, 0 to 1."""

    model_config = _STRICT
    ice_new: Share = 0.85
    ice_used: Share = 0.9
    nev_new: Share = 0.8
    nev_used: Share = 0.85


class Decay(BaseModel):
    """The yearly depreciation rate by vehicle type (value x exp(-decay x years)), >= 0."""

    model_config = _STRICT
    ice_new: NonNegative = 0.15
    ice_used: NonNegative = 0.12
    nev_new: NonNegative = 0.22
    nev_used: NonNegative = 0.2


class PastDueFloors(BaseModel):
    """The lender's floor on the 12-month PD of a past-due bucket, 0 to 1 (None: none)."""

    model_config = _STRICT
    dpd_1_30: Share | None = None
    dpd_31_60: Share | None = None
    dpd_61_90: Share | None = None

    def floors(self) -> tuple[Decimal | None, ...]:
        """As written (the float's shortest decimal): 0.2 -> Decimal("0.2")."""
        given = (self.dpd_1_30, self.dpd_31_60, self.dpd_61_90)
        return tuple(None if pd is None else Decimal(repr(pd)) for pd in given)


def _by_type(curve: Retention | Decay) -> tuple[float, float, float, float]:
    """In the kernel's order of vehicle types: ICE new, ICE used, NEV new, NEV used."""
    return (curve.ice_new, curve.ice_used, curve.nev_new, curve.nev_used)


class EclParameters(BaseModel):
    """The ECL parameters (module docstring); the defaults are the built-in ones."""

    model_config = _STRICT
    annual_pd: Annotated[list[Share], Field(min_length=10, max_length=10)] = Field(
        default_factory=lambda: list(ANNUAL_PD_BY_GRADE)
    )
    overlay: NonNegative = 1.0
    retention: Retention = Field(default_factory=Retention)
    decay: Decay = Field(default_factory=Decay)
    haircut: Share = 0.2
    repossession_cost: dict[str, str] = Field(default_factory=dict)
    monthly_prepayment: Share = 0.0
    past_due_pd: PastDueFloors = Field(default_factory=PastDueFloors)

    @field_validator("annual_pd")
    @classmethod
    def _not_decreasing(cls, pds: list[float]) -> list[float]:
        """A worse grade never defaults less: [0.01, 0.02, 0.015] fails at grade 2."""
        for grade in range(1, len(pds)):
            if pds[grade] < pds[grade - 1]:
                raise ValueError(
                    f"the PDs must not decrease by grade: grade {grade} ({pds[grade]}) is "
                    f"below grade {grade - 1} ({pds[grade - 1]})"
                )
        return pds

    @field_validator("repossession_cost")
    @classmethod
    def _costs_parse(cls, costs: dict[str, str]) -> dict[str, str]:
        """Each cost parses exactly in its currency, is not negative, and is in a
        currency a pack lends in (any other would never apply)."""
        for code, text in costs.items():
            try:
                _cost_minor(code, text)
            except (InvalidInput, ValueError) as error:
                # the currency in the context: the error then names repossession_cost.USD
                context = {"currency": code, "problem": str(error)}
                raise PydanticCustomError("cost", "{problem}", context) from None
        return costs

    def repossession_cost_minor(self) -> dict[str, int]:
        """The cost of every lending currency, in its minor units: the one given, else
        the default 300,000. ``{USD = "1500.00"}`` -> ``{"CNY": 300000, "USD": 150000}``."""
        given = {code: _cost_minor(code, text) for code, text in self.repossession_cost.items()}
        return {code: given.get(code, DEFAULT_REPOSSESSION_COST_MINOR)
                for code in LENDING_CURRENCIES}  # fmt: skip

    def effective(self) -> dict[str, Any]:
        """Every parameter in force, costs as exact major-unit strings of every lending
        currency: the set the digest is taken of, and what ``autolend ecl parameters``
        prints (a valid parameters file itself)."""
        costs = self.repossession_cost_minor()
        data = self.model_dump(mode="json", exclude={"past_due_pd"})
        floors = self.past_due_pd.model_dump(mode="json", exclude_none=True)
        if floors:  # none given: absent, so the built-in set keeps its digest
            data["past_due_pd"] = floors
        data["repossession_cost"] = {
            code: Money.of_minor(minor, code).to_api() for code, minor in costs.items()
        }
        return data

    def sha256(self) -> str:
        """SHA-256 (hex) of :func:`canonical_json` of :meth:`effective`."""
        return hashlib.sha256(canonical_json(self.effective()).encode("ascii")).hexdigest()

    def past_due(self) -> PastDuePd:
        """The floors, with no behavioural PD yet (the snapshot adds the history's)."""
        return PastDuePd(floor=self.past_due_pd.floors())

    def ecl_config(self) -> EclConfig:
        """The kernel's configuration of these parameters (the default set gives one
        equal to ``EclConfig()``: same curve, same figures)."""
        return EclConfig(
            cumulative_pd=constant_hazard_curve(self.annual_pd),
            overlay=self.overlay,
            retention=_by_type(self.retention),
            decay=_by_type(self.decay),
            haircut=self.haircut,
            monthly_prepayment=self.monthly_prepayment,
            repossession_cost_by_currency=tuple(sorted(self.repossession_cost_minor().items())),
        )


def _cost_minor(code: str, text: str) -> int:
    """``text`` (major units) in minor units of ``code``: "1500.00" USD -> 150000."""
    if code not in LENDING_CURRENCIES:
        lent = ", ".join(LENDING_CURRENCIES)
        raise ValueError(f"{code!r} is not a currency a pack lends in ({lent})")
    minor = parse_money(text, code, field="the cost").minor
    if minor < 0:
        raise ValueError(f"the cost {text} {code} is negative")
    return minor


def canonical_json(data: object) -> str:
    """Sorted keys, no spaces, ASCII: ``{"b": 1, "a": [0.5]}`` -> ``{"a":[0.5],"b":1}``."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _field_name(error: ErrorDetails) -> str:
    """Pydantic's location as a dotted name: ("annual_pd", 3) -> "annual_pd.3"; a
    cost's ends with its currency: "repossession_cost.USD"."""
    loc = [*error["loc"], *([error["ctx"]["currency"]] if error["type"] == "cost" else [])]
    return ".".join(str(part) for part in loc) or "file"


def parameters_from(data: object) -> EclParameters:
    """Validate ``data`` (a file's content) whole; :class:`InvalidInput` naming the
    field of the first problem, with every problem in the message."""
    if not isinstance(data, dict):
        raise InvalidInput("the ECL parameters must be a table of keys", field="file")
    try:
        return EclParameters.model_validate(data)
    except ValidationError as error:
        problems = [(_field_name(e), _message(e)) for e in error.errors()]
        text = "; ".join(f"{name}: {message}" for name, message in problems)
        raise InvalidInput(text, field=problems[0][0]) from None


def _message(error: ErrorDetails) -> str:
    """Pydantic's message, in the file's words for an unknown key."""
    if error["type"] == "extra_forbidden":
        return "unknown key"
    return str(error["msg"]).removeprefix("Value error, ")


def load_ecl_parameters(path: Path | None) -> EclParameters:
    """The parameters of the file at ``path`` (``.toml`` or ``.json``); None: the
    built-in set. A file that cannot be read or parsed is an :class:`InvalidInput`
    (``file``), as is a wrong value (its field)."""
    if path is None:
        return EclParameters()
    try:
        text = Path(path).read_text(encoding="utf-8")
        suffix = Path(path).suffix.lower()
        if suffix == ".toml":
            data: object = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            raise InvalidInput(f"{path}: not a .toml or .json file", field="file")
    except (OSError, ValueError) as error:  # tomllib's and json's errors are ValueErrors
        raise InvalidInput(f"{path}: {error}", field="file") from None
    return parameters_from(data)
