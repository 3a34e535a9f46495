"""The PD a loan is booked with: carried by its stored terms with the model version,
taken from the stored decision at origination (a manual approval keeps the model's),
and refused outside 0 < PD < 1 naming the field."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.schedule import LoanTerms
from autolend.services.contract import ServicingTerms, parse_pd
from autolend.services.product_terms import decision_pd
from autolend.services.terms_codec import dump_terms, load_servicing

TERMS = LoanTerms(principal=Money.parse("120000", "CNY"), annual_rate=Decimal("0.05"),
                  periods=36, start=date(2026, 3, 1))  # fmt: skip


def test_the_pd_and_its_model_round_trip_exactly_through_the_stored_terms() -> None:
    servicing = ServicingTerms(pd_orig=Decimal("0.082346"), model_version="default@3")
    text = dump_terms(TERMS, "CN", servicing=servicing)
    stored = json.loads(text)
    assert (stored["pd_orig"], stored["model_version"]) == ("0.082346", "default@3")
    loaded = load_servicing(text)
    assert (loaded.pd_orig, loaded.model_version) == (Decimal("0.082346"), "default@3")


def test_terms_stored_without_a_pd_read_as_none_recorded() -> None:
    text = dump_terms(TERMS, "CN", servicing=ServicingTerms())
    assert "pd_orig" not in json.loads(text)
    assert (load_servicing(text).pd_orig, load_servicing(text).model_version) == (None, None)


@pytest.mark.parametrize("raw", ["0", "1", "1.5", "-0.1", "abc", "8%", "NaN", "Infinity", ""])
def test_a_pd_outside_0_to_1_or_not_a_decimal_is_refused_naming_pd_orig(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_pd(raw)
    assert refused.value.field == "pd_orig"


def test_a_pd_between_0_and_1_is_taken_exactly_and_none_is_none() -> None:
    assert parse_pd("0.08") == Decimal("0.08")
    assert parse_pd(" 0.000001 ") == Decimal("0.000001")
    assert parse_pd(None) is None


def test_servicing_terms_refuse_a_pd_of_1() -> None:
    with pytest.raises(InvalidInput, match="pd_orig"):
        ServicingTerms(pd_orig=Decimal(1))


def test_origination_takes_the_decisions_pd_and_model_version() -> None:
    # A referral the model scored at 12 %, approved by a person: the stored decision
    # keeps the model's PD beside the person's outcome.
    approved = {"outcome": "approve", "pd": "0.12", "model_version": "default@3"}
    assert decision_pd(json.dumps(approved)) == (Decimal("0.12"), "default@3")


def test_a_decision_without_a_score_records_no_pd() -> None:
    unscored = {"outcome": "approve", "pd": None, "model_version": None}
    assert decision_pd(json.dumps(unscored)) == (None, None)
    assert decision_pd(None) == (None, None)


def test_a_pd_rounded_to_0_or_1_is_kept_a_probability_the_ecl_can_grade() -> None:
    assert decision_pd('{"pd": "0.000000", "model_version": "m"}')[0] == Decimal("0.000001")
    assert decision_pd('{"pd": "1", "model_version": "m"}')[0] == Decimal("0.999999")
