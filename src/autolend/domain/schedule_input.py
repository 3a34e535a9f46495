"""User input for the loan calculators, parsed the same way for every front end.

The command line and the API both hand over what the user typed (decimal strings,
percent strings, names with hyphens, ISO dates) and get back domain values or an
:class:`~autolend.domain.errors.InvalidInput` whose ``field`` is the *input* field's
name (``annual_rate``, ``first_due``, ``payment`` ...); the CLI turns that into an
option name (``--annual-rate``), the API returns it as is.  Output goes the other way:
``*_wire`` functions give the JSON-ready dictionaries both front ends print or return.

* Rates are percent: ``"12"`` (or ``"12%"``) is ``Decimal("0.12")``.
* Amounts are plain decimal strings in the currency's minor digits (``"5000.00"``).
* A balloon is an amount (``"1500.00"``) or a percent of the principal (``"30%"``).
* The installment multiple is an amount: ``"0.01"`` (to the fen) is 1 minor unit,
  ``"1"`` (to the yuan) 100, ``"10"`` 1000.
* Names take hyphens or underscores: ``equal-installment``, ``half-up``.
* The APR is the regulation pack's (:func:`schedule_pack`): ``jurisdiction`` ``CN`` or
  ``US``, by default the pack of the currency (CNY CN, USD US; any other currency CN).

>>> terms = loan_terms(ScheduleInput(principal="5000", annual_rate="12", periods="18",
...                                  start="2022-11-01"))
>>> wire = schedule_wire(build_schedule(terms))
>>> wire["installment"], wire["apr"], wire["apr_effective"]
('304.91', '12.00', '12.68')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from autolend.domain.borrower_apr import disclosed_apr, schedule_apr
from autolend.domain.daycount import DayCount
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, RoundingMode, parse_money
from autolend.domain.regulation import pack_for
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.schedule import (
    MAX_PERIODS,
    Frequency,
    GraceKind,
    InterestBasis,
    LoanTerms,
    Method,
    Schedule,
    Subsidy,
    build_schedule,
)

__all__ = [
    "ScheduleInput", "build_input_schedule", "choice_names", "loan_terms", "parse_count",
    "parse_date", "parse_percent", "parse_positive_amount", "parse_rounding", "schedule_apr",
    "schedule_pack", "schedule_wire",
]  # fmt: skip

MAX_PAYMENTS = 1200
"""Most payments the APR calculators take (100 years of monthly payments)."""

_PERCENT_RE = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]+))?%?", re.ASCII)
_WEIGHT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)
_COUNT_RE = re.compile(r"-?[0-9]+", re.ASCII)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_MAX_TEXT = 40
_PERCENT_PLACES = 8  # a rate fraction may have 10 decimal places
_HUNDRED = Decimal(100)
_EXACT_QUANTUM = Decimal("0.000001")
_SUBSIDISER = "subsidiser"
_ROUNDING = {mode.name.lower().replace("_", "-"): mode for mode in RoundingMode}
_TERM_FIELDS = {"subsidy": "subsidy_customer_rate", "balloon_ratio_of_price": "balloon"}

E = TypeVar("E", bound=StrEnum)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise _fail(field, f"must be text, got {type(value).__name__}")
    if not value.strip():
        raise _fail(field, "is empty")
    if len(value) > _MAX_TEXT:
        raise _fail(field, f"is longer than {_MAX_TEXT} characters")
    return value.strip()


@contextmanager
def _input_fields(renames: Mapping[str, str]) -> Iterator[None]:
    """Re-raise a domain error under the input field's name (``subsidy`` ->
    ``subsidy_customer_rate``), keeping its class and message."""
    try:
        yield
    except InvalidInput as error:
        renamed = renames.get(error.field) if error.field is not None else None
        if renamed is None:
            raise
        raise type(error)(error.message, field=renamed) from None


# ---------------------------------------------------------------- scalar parsers


def parse_percent(text: object, field: str, *, below_100: bool = False) -> Decimal:
    """A percent string as a fraction: ``"12"`` or ``"12%"`` -> 0.12, ``"4.9"`` -> 0.049;
    0 to 100 (below 100 with ``below_100``), at most 8 decimal places.

    >>> parse_percent("4.9", "annual_rate")
    Decimal('0.049')
    """
    raw = _text(text, field)
    if raw.startswith("-"):
        raise _fail(field, f"must not be negative, got {raw!r}")
    match = _PERCENT_RE.fullmatch(raw)
    if match is None:
        raise _fail(field, f"{raw!r} is not a percent such as 12 or 4.9")
    if len(match.group(2) or "") > _PERCENT_PLACES:
        raise _fail(field, f"{raw!r} has more than {_PERCENT_PLACES} decimal places")
    percent = Decimal(raw.rstrip("%"))
    if percent > _HUNDRED or (below_100 and percent == _HUNDRED):
        limit = "below 100" if below_100 else "at most 100"
        raise _fail(field, f"must be {limit} percent, got {raw!r}")
    return percent.scaleb(-2)


def parse_positive_amount(text: object, currency: str, field: str) -> Money:
    """A decimal amount above zero in ``currency``: ``"5000"`` -> 5000.00 CNY."""
    raw = _text(text, field)
    amount = parse_money(raw, currency, field=field)
    if amount.minor <= 0:
        raise _fail(field, f"must be positive, got {raw!r}")
    return amount


def parse_count(value: object, field: str, low: int = 1, high: int | None = None) -> int:
    """A whole number from an int or its digits (``"18"``), from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _fail(field, f"must be a whole number, got {value!r}")
    if isinstance(value, str):
        raw = _text(value, field)
        if not _COUNT_RE.fullmatch(raw):
            raise _fail(field, f"{raw!r} is not a whole number")
        value = int(raw)
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise _fail(field, f"must be {bounds}, got {value}")
    return value


def parse_date(text: object, field: str) -> date:
    """An ISO date ``YYYY-MM-DD``: ``"2022-11-01"``."""
    raw = _text(text, field)
    try:
        if _DATE_RE.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise _fail(field, f"{raw!r} is not a date such as 2022-11-01")


def choice_names(kind: type[StrEnum]) -> list[str]:
    """The names a user types for ``kind``'s members: ``equal-installment`` ..."""
    return [member.value.replace("_", "-") for member in kind]


def _parse_choice(text: object, kind: type[E], field: str) -> E:
    raw = _text(text, field)
    try:
        return kind(raw.lower().replace("-", "_"))
    except ValueError:
        allowed = ", ".join(choice_names(kind))
        raise _fail(field, f"{raw!r} is not one of {allowed}") from None


def _day_count(data: ScheduleInput) -> DayCount:
    """The day count typed, else the schedule's pack's (:func:`schedule_pack`): a USD
    schedule counts ACT/365 as the US pack does, a CNY one ACT/360."""
    if data.day_count is None:
        return pack_for(schedule_pack(data)).day_count
    return _parse_day_count(data.day_count)


def _parse_day_count(text: object) -> DayCount:
    raw = _text(text, "day_count")
    try:
        return DayCount(raw.upper())
    except ValueError:
        allowed = ", ".join(member.value for member in DayCount)
        raise _fail("day_count", f"{raw!r} is not one of {allowed}") from None


def parse_rounding(text: object) -> RoundingMode:
    """``half-up``, ``half-even``, ``up``, ``down``, ``ceiling`` or ``floor``."""
    raw = _text(text, "rounding")
    mode = _ROUNDING.get(raw.lower().replace("_", "-"))
    if mode is None:
        raise _fail("rounding", f"{raw!r} is not one of {', '.join(_ROUNDING)}")
    return mode


def _parse_weights(weights: Sequence[object]) -> tuple[Decimal, ...]:
    if isinstance(weights, str) or not weights:
        raise _fail("step_weights", "must be a list of weights such as 1, 1, 2")
    parsed: list[Decimal] = []
    for weight in weights:
        raw = _text(weight, "step_weights")
        if not _WEIGHT_RE.fullmatch(raw):
            raise _fail("step_weights", f"{raw!r} is not a weight such as 1 or 1.5")
        parsed.append(Decimal(raw))
    return tuple(parsed)


# ---------------------------------------------------------------- schedules


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleInput:
    """The schedule calculator's fields as typed (CLI options, API body fields)."""

    principal: str
    annual_rate: str
    periods: int | str
    start: str
    frequency: str = "monthly"
    first_due: str | None = None
    method: str = "equal-installment"
    interest_basis: str = "period"
    day_count: str | None = None  # None: the pack's (CN ACT/360, US ACT/365)
    rounding: str = "half-up"
    installment_multiple: str = "0.01"
    balloon: str | None = None
    currency: str = "CNY"
    grace_periods: int | str = 0
    grace_kind: str = "interest-only"
    step_weights: Sequence[str] | None = None
    subsidy_customer_rate: str | None = None
    jurisdiction: str | None = None


def _balloon(text: str, principal: Money, rounding: RoundingMode) -> Money:
    """``"30%"`` of the principal (rounded by ``rounding``) or an amount."""
    if _text(text, "balloon").endswith("%"):
        ratio = parse_percent(text, "balloon", below_100=True)
        return principal.multiply(ratio, rounding)
    return parse_positive_amount(text, principal.currency.code, "balloon")


def subsidy_from_text(
    text: str | None, annual_rate: Decimal, subsidiser: str = _SUBSIDISER
) -> Subsidy | None:
    """The borrower's subsidised rate (percent text), which must be below the contract
    rate; ``subsidiser`` pays the lender the difference."""
    if text is None:
        return None
    rate = parse_percent(text, "subsidy_customer_rate")
    if rate >= annual_rate:
        contract = f"{(annual_rate * _HUNDRED).normalize():f}"
        raise _fail("subsidy_customer_rate", f"must be below the annual rate ({contract} %)")
    return Subsidy(rate, subsidiser)


def _multiple(text: str, currency: str) -> int:
    return parse_positive_amount(text, currency, "installment_multiple").minor


def loan_terms(data: ScheduleInput) -> LoanTerms:
    """Validated :class:`LoanTerms` from the typed fields; errors name the input field."""
    principal = parse_positive_amount(data.principal, data.currency, "principal")
    rounding = parse_rounding(data.rounding)
    annual_rate = parse_percent(data.annual_rate, "annual_rate")
    weights = data.step_weights
    with _input_fields(_TERM_FIELDS):
        return LoanTerms(
            principal=principal,
            annual_rate=annual_rate,
            periods=parse_count(data.periods, "periods", high=MAX_PERIODS),
            start=parse_date(data.start, "start"),
            frequency=_parse_choice(data.frequency, Frequency, "frequency"),
            first_due=None if data.first_due is None else parse_date(data.first_due, "first_due"),
            method=_parse_choice(data.method, Method, "method"),
            interest_basis=_parse_choice(data.interest_basis, InterestBasis, "interest_basis"),
            day_count=_day_count(data),
            rounding=rounding,
            installment_multiple=_multiple(data.installment_multiple, data.currency),
            balloon=None if data.balloon is None else _balloon(data.balloon, principal, rounding),
            grace_periods=parse_count(data.grace_periods, "grace_periods", 0, MAX_PERIODS),
            grace_kind=_parse_choice(data.grace_kind, GraceKind, "grace_kind"),
            step_weights=None if weights is None else _parse_weights(weights),
            subsidy=subsidy_from_text(data.subsidy_customer_rate, annual_rate),
        )


def build_input_schedule(data: ScheduleInput) -> Schedule:
    """:func:`loan_terms` then :func:`build_schedule`."""
    terms = loan_terms(data)
    with _input_fields(_TERM_FIELDS):
        return build_schedule(terms)


def schedule_pack(data: ScheduleInput) -> str:
    """The regulation pack whose APR rule the schedule discloses: ``jurisdiction`` when
    given, which must lend in the schedule's currency (a USD schedule under CN would show
    the PBOC rate, not Regulation Z's), else the pack of the currency (CNY CN, USD US), and
    CN for a currency no pack lends in, as before packs were told apart.  Errors name
    ``jurisdiction``."""
    if data.jurisdiction is None:
        return pack_code_for_currency(data.currency) or "CN"
    pack = pack_for(_text(data.jurisdiction, "jurisdiction"))
    if pack.currency != data.currency.upper():
        problem = f"{pack.code} lends in {pack.currency}, not {data.currency}"
        raise _fail("jurisdiction", f"{problem}; give the currency {pack.currency}")
    return pack.code


def schedule_wire(schedule: Schedule, pack: str = "CN") -> dict[str, object]:
    """The schedule's wire form with ``apr`` and ``apr_effective`` (percent, 2 places)
    after the totals: the APR the pack ``pack`` discloses for the principal against the
    row payments (:func:`~autolend.domain.borrower_apr.disclosed_apr`: CN the PBOC IRR
    rule, US Regulation Z Appendix J)."""
    payments = [(row.due_date, row.money("payment")) for row in schedule.rows]
    rate, _ = disclosed_apr(pack, schedule.terms.principal, payments, schedule)
    data = schedule.to_dict()
    rows = data.pop("rows")
    data["apr"] = str(rate.nominal_percent())
    data["apr_effective"] = str(rate.effective_percent())
    data["rows"] = rows
    return data
