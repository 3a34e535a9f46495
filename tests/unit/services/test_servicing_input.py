"""Servicing's input is refused once for all its wrong fields: what does not parse, and the
service's own simple checks on what did (an amount above zero, a reason), in the order of
the fields; where everything parses, the route leaves those checks to the service, which
makes them beside the ones that need the loan."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from autolend.domain.errors import InvalidInput
from autolend.services import servicing_input
from autolend.services.servicing_input import (
    MoneyText,
    money_fields,
    money_of,
    parse_fields,
    reason_field,
)
from autolend.web import loan_views


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(servicing_input).failed == 0
    assert doctest.testmod(loan_views).failed == 0


def test_a_repayment_wrong_in_every_field_is_refused_naming_each_in_order() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_fields(money_fields(MoneyText("12,34x", "CNY", "2026-13-01", "ach")))
    assert [e.field for e in refused.value.every()] == ["amount", "value_date", "channel"]


def test_a_zero_amount_that_parses_is_left_to_the_service_when_all_else_parses() -> None:
    text = MoneyText("0", "CNY", "2026-11-20", "cash")
    money = money_of(parse_fields(money_fields(text)), text)
    assert money.amount.minor == 0 and money.value_date == date(2026, 11, 20)


def test_a_missing_reason_is_named_beside_a_date_that_does_not_parse() -> None:
    fields = money_fields(MoneyText("10.00", "CNY", "yesterday", "cash"))
    fields["reason"] = reason_field(" ", "a reversal needs a reason")
    with pytest.raises(InvalidInput) as refused:
        parse_fields(fields)
    assert [e.field for e in refused.value.every()] == ["value_date", "reason"]
