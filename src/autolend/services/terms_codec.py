"""Loan terms to and from the JSON stored in ``loans.terms`` (with the regulation pack)."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from autolend.domain.money import Money, RoundingMode
from autolend.domain.payoff import PrepaymentFeeRule
from autolend.domain.schedule import LoanTerms, Subsidy
from autolend.domain.servicing import LateFeeRule
from autolend.services.contract import Collateral, Opening, ServicingTerms

_MONEY = {"principal", "balloon", "vehicle_price"}
_DECIMAL = {"annual_rate", "balloon_ratio_of_price"}
_DATE = {"start", "first_due"}


def _out(name: str, value: object) -> object:  # noqa: PLR0911 - one return per type
    if value is None:
        return None
    if isinstance(value, Money):
        return {"minor": value.minor, "currency": value.currency.code}
    if isinstance(value, RoundingMode):
        return value.name
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, Subsidy):
        return {"customer_rate": str(value.customer_rate), "subsidiser": value.subsidiser}
    if name == "step_weights" and isinstance(value, tuple):
        return [str(w) for w in value]
    return value


def _in(name: str, value: Any) -> object:  # noqa: PLR0911 - one return per field kind
    if value is None:
        return None
    if name in _MONEY:
        return Money.of_minor(int(value["minor"]), value["currency"])
    if name in _DECIMAL:
        return Decimal(value)
    if name in _DATE:
        return date.fromisoformat(value)
    if name == "rounding":
        return RoundingMode[value]
    if name == "subsidy":
        return Subsidy(Decimal(value["customer_rate"]), value["subsidiser"])
    if name == "step_weights":
        return tuple(Decimal(w) for w in value)
    return value


def dump_terms(
    terms: LoanTerms,
    pack_code: str,
    fee_rule: tuple[PrepaymentFeeRule, Decimal] | None = None,
    servicing: ServicingTerms | None = None,
) -> str:
    """Canonical JSON of ``terms`` and the jurisdiction whose rules apply, with the
    prepayment fee rule and rate (key ``prepayment_fee``, absent when the rule is none)
    and the servicing terms (keys ``waterfall``, ``monthly_fees``, ``subsidy_schedule``
    , ``late_fee`` and ``penalty_uplift``, absent when standard / none / the pack's
    default, so older rows read the same), and the origination PD (``pd_orig``, the exact
    decimal as a string: ``"0.08"``) with the ``model_version`` that gave it, when known."""
    data = {f.name: _out(f.name, getattr(terms, f.name)) for f in fields(terms)}
    stored: dict[str, object] = {"pack": pack_code, "terms": data}
    if fee_rule is not None and fee_rule[0] is not PrepaymentFeeRule.NONE:
        stored["prepayment_fee"] = {"rule": fee_rule[0].value, "rate": str(fee_rule[1])}
    if servicing is not None and servicing.waterfall != "standard":
        stored["waterfall"] = servicing.waterfall
    if servicing is not None and servicing.monthly_fees:
        stored["monthly_fees"] = dict(servicing.monthly_fees)
    if servicing is not None and servicing.subsidy_schedule:
        stored["subsidy_schedule"] = list(servicing.subsidy_schedule)
    if servicing is not None and servicing.collateral is not None:
        car = servicing.collateral
        stored["collateral"] = {"price": car.price_minor, "vehicle_type": car.vehicle_type}
    if servicing is not None and servicing.penalty_uplift is not None:
        stored["penalty_uplift"] = str(servicing.penalty_uplift)
    if servicing is not None and servicing.late_fee is not None:
        rule = servicing.late_fee
        stored["late_fee"] = {"amount": rule.amount, "after_days": rule.after_days}
    if servicing is not None:
        stored.update(_origination_risk(servicing))
    if servicing is not None and servicing.opening is not None:
        opening = servicing.opening
        stored["opening"] = {"cut_over": opening.cut_over.isoformat(), "paid": opening.paid,
                             "penalty": opening.penalty, "advance": opening.advance}  # fmt: skip
    return json.dumps(stored, sort_keys=True)


def _origination_risk(servicing: ServicingTerms) -> dict[str, str]:
    """The keys of the PD at origination: ``{"pd_orig": "0.08", "model_version": "default@3"}``
    (each only when known)."""
    found = {"pd_orig": servicing.pd_orig, "model_version": servicing.model_version}
    return {key: str(value) for key, value in found.items() if value is not None}


def load_servicing(text: str) -> ServicingTerms:
    """The servicing terms stored by :func:`dump_terms` (standard, no fees, no subsidy
    schedule if absent)."""
    stored = json.loads(text)
    fees = stored.get("monthly_fees") or {}
    opened = stored.get("opening")
    opening = None
    if opened:
        paid = tuple((int(n), int(p), int(i), int(f)) for n, p, i, f in opened["paid"])
        opening = Opening(date.fromisoformat(opened["cut_over"]), paid,
                          int(opened["penalty"]), int(opened["advance"]))  # fmt: skip
    return ServicingTerms(
        str(stored.get("waterfall", "standard")),
        tuple(sorted((str(kind), int(minor)) for kind, minor in fees.items())),
        opening,
        tuple(int(minor) for minor in stored.get("subsidy_schedule") or ()),
        _collateral(stored.get("collateral")),
        _late_fee(stored.get("late_fee")),
        Decimal(stored["penalty_uplift"]) if "penalty_uplift" in stored else None,
        Decimal(stored["pd_orig"]) if "pd_orig" in stored else None,
        stored.get("model_version"),
    )


def _late_fee(stored: Any) -> LateFeeRule | None:
    if not stored:
        return None
    return LateFeeRule(int(stored["amount"]), int(stored["after_days"]))


def _collateral(stored: Any) -> Collateral | None:
    if not stored:
        return None
    return Collateral(int(stored["price"]), str(stored["vehicle_type"]))


def with_subsidy_schedule(text: str, amounts: tuple[int, ...]) -> str:
    """The stored terms ``text`` with the subsidy schedule set to ``amounts`` (removed
    when empty); everything else as stored."""
    stored = json.loads(text)
    stored.pop("subsidy_schedule", None)
    if amounts:
        stored["subsidy_schedule"] = [int(minor) for minor in amounts]
    return json.dumps(stored, sort_keys=True)


def load_fee_rule(text: str) -> tuple[PrepaymentFeeRule, Decimal]:
    """The prepayment fee rule and rate stored by :func:`dump_terms` (none, 0 if absent)."""
    stored = json.loads(text).get("prepayment_fee")
    if not stored:
        return PrepaymentFeeRule.NONE, Decimal(0)
    return PrepaymentFeeRule(stored["rule"]), Decimal(stored["rate"])


def load_terms(text: str) -> tuple[LoanTerms, str]:
    """The terms and the regulation pack code stored by :func:`dump_terms`."""
    stored = json.loads(text)
    data: dict[str, Any] = {name: _in(name, value) for name, value in stored["terms"].items()}
    return LoanTerms(**data), str(stored["pack"])
