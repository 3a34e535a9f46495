"""Credit policy as data (审批策略): the cut-offs a risk manager edits as a JSON document.

A :class:`Policy` says when :func:`autolend.domain.decision.decide` approves, refers to a
person or declines: model PD cut-offs (approve at or below ``approve_max_pd``, decline at
or above ``decline_min_pd``, refer between), a DSR limit tighter than the product's,
bureau red flags, fraud velocity limits, what a missing bureau report or a thin file
does, the pricing bands and the amounts above which a person must look.

Pricing bands place the rate in the product's range: ``PricingBand(max_pd, position)``
applies to every PD at or below ``max_pd`` (first match); position 0 is ``rate_min``,
1 is ``rate_max``. E.g. a PD of 0.05 in the default bands (0.02 -> 0, 0.04 -> 0.25,
0.06 -> 0.5, ...) on a 3.99 %..8.99 % product gives 3.99 % + 0.5 x 5 % = 6.49 %.

>>> policy = parse_policy(policy_to_dict(DEFAULT_POLICY))
>>> policy == DEFAULT_POLICY, str(policy.band_for(Decimal("0.05")).position)
(True, '0.5')
>>> parse_policy({**policy_to_dict(DEFAULT_POLICY), "approve_max_pd": "0.2"})
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: approve_max_pd must be below decline_min_pd

Money thresholds hold per currency: ``second_approval_above`` and ``refer_amount_above``
are in the policy's own currency (CNY), the same thresholds in other currencies sit in
``other_currencies``, and :meth:`Policy.in_currency` gives the policy an application in
that currency is decided by. In a file each is an amount in CNY, as it always was, or an
object by currency, ``{"CNY": "300000.00", "USD": "50000.00"}``; a currency the file's
``second_approval_above`` leaves out takes the default's (USD 50,000.00), one
``refer_amount_above`` leaves out refers no amount.

>>> str(DEFAULT_POLICY.in_currency("USD").second_approval_above)
'50000.00 USD'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, currency, parse_money

__all__ = [
    "BUREAU_UNAVAILABLE", "DEFAULT_POLICY", "THIN_FILE", "AmountLimits", "Policy", "PricingBand",
    "needs_second_person", "parse_policy", "policy_to_dict",
]  # fmt: skip

BUREAU_UNAVAILABLE = ("refer",)
THIN_FILE = ("refer", "score")
_BLACKLIST = ("decline",)


@dataclass(frozen=True)
class PricingBand:
    """Every PD at or below ``max_pd`` is priced at ``position`` (0..1) of the range."""

    max_pd: Decimal
    position: Decimal


@dataclass(frozen=True)
class AmountLimits:
    """The policy's money thresholds in one currency (that of ``second_approval_above``)."""

    second_approval_above: Money
    refer_amount_above: Money | None = None

    @property
    def currency(self) -> str:
        return self.second_approval_above.currency.code


@dataclass(frozen=True)
class Policy:
    """One version of the credit policy; see the module docstring."""

    name: str
    version: int
    approve_max_pd: Decimal
    decline_min_pd: Decimal
    pricing: tuple[PricingBand, ...]
    second_approval_above: Money
    max_dsr: Decimal | None = None
    decline_worst_months_overdue: int = 3
    refer_late_months_24m: int = 1
    refer_inquiries_6m: int = 6
    max_applications_per_id_30d: int = 3
    max_applications_per_mobile_30d: int = 3
    blacklist: str = "decline"
    bureau_unavailable: str = "refer"
    thin_file: str = "refer"
    refer_amount_above: Money | None = None
    other_currencies: tuple[AmountLimits, ...] = ()

    def band_for(self, pd: Decimal) -> PricingBand:
        """The first band whose ``max_pd`` is at or above ``pd`` (the last one otherwise)."""
        return next((b for b in self.pricing if pd <= b.max_pd), self.pricing[-1])

    @property
    def limits(self) -> tuple[AmountLimits, ...]:
        """The money thresholds in every currency, the policy's own first."""
        own = AmountLimits(self.second_approval_above, self.refer_amount_above)
        return (own, *(x for x in self.other_currencies if x.currency != own.currency))

    def in_currency(self, code: str) -> Policy:
        """This policy with its money thresholds in ``code``: the default decides a USD
        application with a second person above 50,000.00 USD, a CNY one above
        300,000.00. A currency the policy has no threshold in is refused."""
        limits = self.limits
        if limits[0].currency == code:
            return self
        found = next((x for x in limits if x.currency == code), None)
        if found is None:
            raise _fail("second_approval_above", f"has no amount in {code}")
        others = tuple(x for x in limits if x is not found)
        return replace(self, second_approval_above=found.second_approval_above,
                       refer_amount_above=found.refer_amount_above,
                       other_currencies=others)  # fmt: skip


def needs_second_person(vehicle_amount: Money, limit: Money) -> bool:
    """The second-approval rule, for the model's approval and a person's alike: the
    vehicle amount financed (not the total with financed fees) above the policy's
    ``second_approval_above``, never at it. Under 300,000.00: 300,000.00 needs no second
    person, 300,000.01 does."""
    return vehicle_amount > limit


def _cny(text: str) -> Money:
    return Money.parse(text, "CNY")


DEFAULT_POLICY = Policy(
    name="default", version=1,
    approve_max_pd=Decimal("0.06"), decline_min_pd=Decimal("0.18"),
    pricing=(PricingBand(Decimal("0.02"), Decimal("0")),
             PricingBand(Decimal("0.04"), Decimal("0.25")),
             PricingBand(Decimal("0.06"), Decimal("0.5")),
             PricingBand(Decimal("0.10"), Decimal("0.75")),
             PricingBand(Decimal("1"), Decimal("1"))),
    second_approval_above=_cny("300000.00"),
    other_currencies=(AmountLimits(Money.parse("50000.00", "USD")),),
)  # fmt: skip
"""The demo policy: approve PD <= 6 %, decline PD >= 18 %, any M3 in 24 months declines;
a second person above 300,000.00 CNY or 50,000.00 USD."""


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


def _fraction(value: object, field: str, *, nullable: bool = False) -> Decimal | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(field, "must be a decimal string such as 0.06")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _fail(field, "must be a decimal string such as 0.06") from None
    if not number.is_finite() or not Decimal(0) <= number <= 1:
        raise _fail(field, "must be a fraction from 0 to 1")
    return number


def _required_fraction(value: object, field: str) -> Decimal:
    number = _fraction(value, field)
    assert number is not None  # not nullable
    return number


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(field, "must be a whole number >= 0")
    return value


def _money(value: object, field: str, currency: str) -> Money | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(field, "must be a decimal string such as 300000.00")
    amount = parse_money(value, currency, field=field)
    if amount.minor <= 0:
        raise _fail(field, "must be above 0")
    return amount


def _amounts(value: object, field: str, own: str) -> dict[str, Money]:
    """An amount in ``own`` currency (the old form), or an object by currency code."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        amount = _money(value, field, own)
        return {} if amount is None else {own: amount}
    out: dict[str, Money] = {}
    for code, text in value.items():
        path = f"{field}.{code}"
        try:
            currency(code)
        except InvalidInput:
            raise _fail(path, "is not a supported currency code") from None
        amount = _money(text, path, code)
        if amount is not None:
            out[code] = amount
    return out


def _limits(data: Mapping[str, Any], own: str) -> tuple[AmountLimits, ...]:
    """The thresholds by currency, ``own`` first; see the module docstring."""
    if data.get("second_approval_above") is None:
        raise _fail("second_approval_above", "is required")
    second = _amounts(data.get("second_approval_above"), "second_approval_above", own)
    for default in DEFAULT_POLICY.limits:
        second.setdefault(default.currency, default.second_approval_above)
    if own not in second:
        raise _fail("second_approval_above", f"needs an amount in {own}")
    refer = _amounts(data.get("refer_amount_above"), "refer_amount_above", own)
    unpaired = sorted(refer.keys() - second.keys())
    if unpaired:
        code = unpaired[0]
        raise _fail(f"refer_amount_above.{code}", f"needs second_approval_above in {code}")
    codes = [own, *sorted(second.keys() - {own})]
    return tuple(AmountLimits(second[code], refer.get(code)) for code in codes)


def _option(value: object, field: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(field, f"must be one of {', '.join(allowed)}")
    assert isinstance(value, str)
    return value


def _bands(value: object) -> tuple[PricingBand, ...]:
    if not isinstance(value, list) or not value:
        raise _fail("pricing", "must list at least one band")
    bands: list[PricingBand] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise _fail(f"pricing[{i}]", "must be an object")
        band = PricingBand(
            _required_fraction(item.get("max_pd"), f"pricing[{i}].max_pd"),
            _required_fraction(item.get("position"), f"pricing[{i}].position"),
        )
        if bands and band.max_pd <= bands[-1].max_pd:
            raise _fail(f"pricing[{i}].max_pd", "must be above the previous band's")
        bands.append(band)
    if bands[-1].max_pd != 1:
        raise _fail(f"pricing[{len(bands) - 1}].max_pd", "of the last band must be 1")
    return tuple(bands)


def _counts(data: Mapping[str, Any], default: Policy) -> dict[str, int]:
    names = ("decline_worst_months_overdue", "refer_late_months_24m",
             "refer_inquiries_6m", "max_applications_per_id_30d",
             "max_applications_per_mobile_30d")  # fmt: skip
    data = _renamed(data)
    return {n: _count(data.get(n, getattr(default, n)), n) for n in names}


# Settings renamed since policy files were first written: the old name is still read.
# ``refer_current_overdue_accounts`` always counted late months in 24 months, not accounts.
_RENAMED = {"refer_current_overdue_accounts": "refer_late_months_24m"}


def _renamed(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with renamed settings under their names of today (the new name wins)."""
    out = dict(data)
    for old, new in _RENAMED.items():
        if old in out:
            value = out.pop(old)
            out.setdefault(new, value)
    return out


def _refuse_unknown(data: Mapping[str, Any]) -> None:
    """A setting the policy does not have is refused, naming it: a misspelt
    ``refer_inquries_6m`` would otherwise leave the rule as it was, unnoticed."""
    known = set(policy_to_dict(DEFAULT_POLICY))
    for key in data:
        if key not in known and key not in _RENAMED:
            raise _fail(str(key), f"is not a policy setting (known: {', '.join(sorted(known))})")


def parse_policy(data: Mapping[str, Any], *, currency: str = "CNY") -> Policy:
    """Validate a policy document; every refusal names the field (``pricing[2].max_pd``)."""
    _refuse_unknown(data)
    name, version = data.get("name"), data.get("version")
    if not isinstance(name, str) or not name.strip() or len(name) > 60:
        raise _fail("name", "must be 1-60 characters")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail("version", "must be a whole number >= 1")
    approve = _required_fraction(data.get("approve_max_pd"), "approve_max_pd")
    decline = _required_fraction(data.get("decline_min_pd"), "decline_min_pd")
    if approve >= decline:
        raise _fail("approve_max_pd", "must be below decline_min_pd")
    own, *others = _limits(data, currency)
    return Policy(
        name=name.strip(), version=version, approve_max_pd=approve, decline_min_pd=decline,
        pricing=_bands(data.get("pricing")), second_approval_above=own.second_approval_above,
        max_dsr=_fraction(data.get("max_dsr"), "max_dsr", nullable=True),
        **_counts(data, DEFAULT_POLICY),
        blacklist=_option(data.get("blacklist", "decline"), "blacklist", _BLACKLIST),
        bureau_unavailable=_option(data.get("bureau_unavailable", "refer"),
                                   "bureau_unavailable", BUREAU_UNAVAILABLE),
        thin_file=_option(data.get("thin_file", "refer"), "thin_file", THIN_FILE),
        refer_amount_above=own.refer_amount_above, other_currencies=tuple(others),
    )  # fmt: skip


def _amounts_to_json(amounts: dict[str, Money], own: str) -> str | dict[str, str] | None:
    """None as null, an amount in the policy's own currency alone as a plain string (the
    old form), else an object by currency."""
    if not amounts:
        return None
    if amounts.keys() == {own}:
        return amounts[own].to_api()
    return {code: amount.to_api() for code, amount in amounts.items()}


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The policy as its JSON document (decimals and money as strings); round-trips."""
    limits = policy.limits
    second = {x.currency: x.second_approval_above for x in limits}
    refer = {x.currency: x.refer_amount_above for x in limits if x.refer_amount_above}
    own = limits[0].currency
    return {
        "name": policy.name, "version": policy.version,
        "approve_max_pd": str(policy.approve_max_pd),
        "decline_min_pd": str(policy.decline_min_pd),
        "max_dsr": None if policy.max_dsr is None else str(policy.max_dsr),
        "decline_worst_months_overdue": policy.decline_worst_months_overdue,
        "refer_late_months_24m": policy.refer_late_months_24m,
        "refer_inquiries_6m": policy.refer_inquiries_6m,
        "max_applications_per_id_30d": policy.max_applications_per_id_30d,
        "max_applications_per_mobile_30d": policy.max_applications_per_mobile_30d,
        "blacklist": policy.blacklist, "bureau_unavailable": policy.bureau_unavailable,
        "thin_file": policy.thin_file,
        "pricing": [{"max_pd": str(b.max_pd), "position": str(b.position)}
                    for b in policy.pricing],
        "second_approval_above": _amounts_to_json(second, own),
        "refer_amount_above": _amounts_to_json(refer, own),
    }  # fmt: skip
