"""Products to and from their JSON form (API bodies, CLI files, the ``products`` table).

Rates and ratios are decimal strings (``"0.0399"`` is 3.99 %), amounts decimal strings
in the product's currency (``"30000.00"``), dates ISO. Reading is strict: an unknown key,
a missing required one or a value of the wrong kind is
:class:`~autolend.domain.errors.InvalidInput` naming the field (``eligibility.max_dsr``,
``fees.1.amount`` ...); then the product's own rules apply (:mod:`.products`). An optional
key left out (or null) takes the product's default: ``penalty_uplift`` the pack's (CN
``"0.5"``, US ``"0"``); writing always stores every key, so a row reads back as written.
A product stored before ``subsidy.principal_cap`` existed has no such key and reads back
with none: its subsidy runs on the whole loan, as it did.

>>> from autolend.domain.product_catalogue import BALLOON
>>> data = product_to_dict(BALLOON)
>>> data["balloon_ratio"], data["fees"][1]["amount"], product_from_dict(data) == BALLOON
('0.30', '1500.00', True)
>>> product_from_dict({**data, "rate_max": "high"})
Traceback (most recent call last):
...
autolend.domain.errors.InvalidInput: rate_max must be a decimal number such as "0.05"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from autolend.domain.errors import InvalidInput
from autolend.domain.fees import Fee
from autolend.domain.money import Money, parse_money
from autolend.domain.products import Eligibility, LateFee, Product, ProductSubsidy

__all__ = ["VERSIONING_KEYS", "product_from_dict", "product_to_dict"]

VERSIONING_KEYS = ("code", "version", "effective_from", "effective_to")
"""Kept in the table's columns; the stored body holds the other keys."""

_DECIMALS = {
    "rate_min", "rate_max", "balloon_ratio", "min_down_payment_ratio", "max_ltv_new",
    "max_ltv_used", "penalty_uplift", "prepayment_fee_rate", "max_dsr", "customer_rate",
    "rate_points", "max_share", "rate_of_amount",
}  # fmt: skip
_MONEY = {"min_amount", "max_amount", "cap", "principal_cap", "amount"}
_DATES = {"effective_from", "effective_to"}
_PLAIN: dict[str, type | tuple[type, ...]] = {
    "code": str, "version": int, "name_zh": str, "name_en": str, "pack": str,
    "currency": str, "method": str, "waterfall": str, "prepayment_fee_rule": str,
    "credit_insurance_required": bool, "min_age": int, "max_age": int,
    "max_age_at_maturity": int, "first_time_buyer_only": bool, "subsidiser": str,
    "settlement": str, "kind": str, "timing": str, "financed": bool, "name": str,
    "after_days": int,
}  # fmt: skip
_LISTS = {"terms": int, "conditions": str, "energies": str, "employment": str}


def _out(value: object) -> object:  # noqa: PLR0911 - one return per type
    if isinstance(value, Money):
        return value.to_api()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_out(v) for v in value]
    if isinstance(value, Eligibility | ProductSubsidy | Fee | LateFee):
        return {f.name: _out(getattr(value, f.name)) for f in fields(value)}
    return value


def product_to_dict(product: Product) -> dict[str, Any]:
    """The JSON-ready form of ``product`` (every field, ``None`` where not set)."""
    data: dict[str, Any] = {f.name: _out(getattr(product, f.name)) for f in fields(product)}
    return data


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            parsed = Decimal(str(value))
        except InvalidOperation:
            parsed = Decimal("NaN")
        if parsed.is_finite():
            return parsed
    raise InvalidInput(f'{where} must be a decimal number such as "0.05"', field=where)


def _money(value: object, where: str, code: str) -> Money:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f'{where} must be an amount such as "30000.00"', field=where)
    return parse_money(str(value), code, field=where)


def _date(value: object, where: str) -> date:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad_date(where)
    except ValueError:
        return _bad_date(where)


def _bad_date(where: str) -> date:
    raise InvalidInput(f"{where} must be a date YYYY-MM-DD", field=where)


def _plain(value: object, kind: type | tuple[type, ...], where: str) -> object:
    if isinstance(value, bool) and kind is not bool:
        raise InvalidInput(f"{where} has the wrong type", field=where)
    if not isinstance(value, kind):
        raise InvalidInput(f"{where} has the wrong type", field=where)
    return value


def _value(key: str, value: object, where: str, code: str) -> object:
    if value is None:
        return None
    if key in _DECIMALS:
        return _decimal(value, where)
    if key in _MONEY:
        return _money(value, where, code)
    if key in _DATES:
        return _date(value, where)
    if key in _LISTS:
        if not isinstance(value, list):
            raise InvalidInput(f"{where} must be a list", field=where)
        return tuple(_plain(v, _LISTS[key], f"{where}.{i}") for i, v in enumerate(value))
    if key in _PLAIN:
        return _plain(value, _PLAIN[key], where)
    raise InvalidInput(f"unknown field '{where}'", field=where)


def _convert(data: object, known: set[str], prefix: str, code: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        where = prefix.rstrip(".") or "body"
        raise InvalidInput(f"{where} must be an object", field=where)
    values = {}
    for key, value in data.items():
        where = f"{prefix}{key}"
        if key not in known:
            raise InvalidInput(f"unknown field '{where}'", field=where)
        values[key] = _value(key, value, where, code)
    return {k: v for k, v in values.items() if v is not None}


def _build(kind: type[Any], values: dict[str, Any], prefix: str) -> Any:
    try:
        return kind(**values)
    except TypeError:
        required = {f.name for f in fields(kind) if f.default is MISSING
                    and f.default_factory is MISSING}  # fmt: skip
        missing = sorted(required - set(values))
        where = f"{prefix}{missing[0]}" if missing else prefix.rstrip(".") or "body"
        raise InvalidInput(f"field '{where}' is required", field=where) from None


def _nested(kind: type[Any], data: object, prefix: str, code: str) -> Any:
    """An :class:`Eligibility`, :class:`ProductSubsidy`, :class:`Fee` or :class:`LateFee`;
    the field of a refusal gets the prefix (``max_dsr`` -> ``eligibility.max_dsr``)."""
    values = _convert(data, {f.name for f in fields(kind)}, prefix, code)
    try:
        return _build(kind, values, prefix)
    except InvalidInput as error:
        name = error.field or ""
        if name.startswith(prefix.partition(".")[0] + "."):
            raise
        raise InvalidInput(error.message, field=f"{prefix}{name}") from None


_SPECIAL = {"eligibility", "subsidy", "fees", "step_weights", "late_fee"}


def _special(data: Mapping[str, Any], code: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("eligibility") is not None:
        out["eligibility"] = _nested(Eligibility, data["eligibility"], "eligibility.", code)
    if data.get("subsidy") is not None:
        out["subsidy"] = _nested(ProductSubsidy, data["subsidy"], "subsidy.", code)
    if data.get("late_fee") is not None:
        out["late_fee"] = _nested(LateFee, data["late_fee"], "late_fee.", code)
    raw_fees = data.get("fees")
    raw_fees = [] if raw_fees is None else raw_fees  # an empty object is no list either
    if not isinstance(raw_fees, list):
        raise InvalidInput("fees must be a list", field="fees")
    out["fees"] = tuple(_nested(Fee, f, f"fees.{i}.", code) for i, f in enumerate(raw_fees))
    weights = data.get("step_weights")
    if weights is not None:
        if not isinstance(weights, list):
            raise InvalidInput("step_weights must be a list", field="step_weights")
        out["step_weights"] = tuple(_decimal(w, f"step_weights.{i}") for i, w in enumerate(weights))
    return out


def product_from_dict(data: Mapping[str, Any]) -> Product:
    """A validated product from its JSON form; see the module docstring."""
    if not isinstance(data, Mapping):
        raise InvalidInput("the product must be a JSON object", field="body")
    code = data.get("currency", "CNY")
    code = code if isinstance(code, str) and code.isalpha() and len(code) == 3 else "CNY"
    scalars = {k: v for k, v in data.items() if k not in _SPECIAL}
    known = {f.name for f in fields(Product)} - _SPECIAL
    values = _convert(scalars, known, "", code) | _special(data, code)
    product: Product = _build(Product, values, "")
    return product
