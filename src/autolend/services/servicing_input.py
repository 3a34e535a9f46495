"""What servicing's money routes are given (a repayment, a prepayment, a recovery, a fee
waiver, a write-off), parsed and checked with every wrong field refused at once.

The loan page's forms and the API's request bodies bring text. A route parses it
(:func:`parse_fields`), the service checks the values against the loan (its currency, its
start, today; each service gathers its checks with
:func:`autolend.domain.field_errors.gather`). So that one refusal names every wrong field
whichever step finds it, the route makes the service's own simple checks (an amount above
zero, a reason) only where something did not parse, and the service makes them otherwise,
beside those that need the loan: ``0`` on a day to come is refused once, by the service,
on ``amount`` and on ``value_date``; ``0`` on ``2026-13-01``, by the route, on both too.

>>> try:
...     parse_fields(money_fields(MoneyText("0", "CNY", "2026-13-01", "cash")))
... except InvalidInput as refused:
...     print([e.field for e in refused.every()])
['amount', 'value_date']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from autolend.domain.errors import DomainError, InvalidInput
from autolend.domain.field_errors import combined
from autolend.domain.money import Money, parse_money
from autolend.domain.payoff import PrepaymentMode
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.repayment_channels import check_channel
from autolend.domain.schedule_input import parse_date
from autolend.domain.text_input import check_optional_text, check_text

__all__ = [
    "Field",
    "MoneyIn",
    "MoneyText",
    "after_write_off",
    "in_currency",
    "loan_day_check",
    "money_fields",
    "money_of",
    "parse_fields",
    "positive",
    "prepayment_mode",
    "reason_field",
    "value_day",
    "with_reason",
]


@dataclass(frozen=True)
class MoneyIn:
    """Money received for a loan: amount, value date, channel and external reference.
    ``mode`` for a prepayment: lower_installment, shorten_term or payoff."""

    amount: Money
    value_date: date
    channel: str | None = None
    reference: str | None = None
    mode: str | None = None
    trade_in: bool = False  # a prepayment with a trade-in (waives a waived_trade_in fee)


@dataclass(frozen=True)
class MoneyText:
    """Money received as it was typed or sent: ``"1500.00"``, ``"CNY"``, ``"2026-11-20"``."""

    amount: str
    currency: str
    value_date: str
    channel: str = "bank_transfer"
    reference: str | None = None


@dataclass(frozen=True)
class Field:
    """One input of a request: ``parse`` turns its text into a value (or refuses it);
    ``check``, a rule the service checks again on the value (a reason says something)."""

    parse: Callable[[], Any]
    check: Callable[[Any], object] | None = None


def parse_fields(fields: Mapping[str, Field]) -> dict[str, Any]:
    """Each field's value by its key. Where one does not parse, one InvalidInput names
    every wrong field, in the order of ``fields``: those that did not parse, and those that
    did but fail their ``check``. Where all parse, nothing is checked here: the service
    checks them, with what needs the loan, all at once.

    >>> fields = {"n": Field(lambda: 3),
    ...           "reason": Field(lambda: " ", lambda r: with_reason(r, "say why"))}
    >>> parse_fields(fields)
    {'n': 3, 'reason': ' '}
    >>> fields["date"] = Field(lambda: parse_date("2026-13-01", "value_date"))
    >>> try:
    ...     parse_fields(fields)
    ... except InvalidInput as refused:
    ...     print([e.field for e in refused.every()])
    ['reason', 'value_date']
    """
    values: dict[str, Any] = {}
    failed: dict[str, tuple[InvalidInput, ...]] = {}
    for key, field in fields.items():
        try:
            values[key] = field.parse()
        except InvalidInput as error:
            failed[key] = error.every()
    if not failed:
        return values
    found: list[InvalidInput] = []
    for key, field in fields.items():
        if key in failed:
            found.extend(failed[key])
        elif field.check is not None:
            try:
                field.check(values[key])
            except InvalidInput as error:
                found.extend(error.every())
    raise combined(found)


def money_fields(
    text: MoneyText, day_check: Callable[[date], object] | None = None
) -> dict[str, Field]:
    """The fields of money received: an amount above zero, an ISO value date (with
    ``day_check``, the service's check of it, :func:`loan_day_check`), a channel of the
    money's pack (``wechat_pay`` is no US channel), a reference of typed text
    (:func:`~autolend.domain.text_input.check_text`: a NUL in it was a 500 on PostgreSQL)."""
    return {
        "amount": Field(lambda: parse_money(text.amount, text.currency, field="amount"),
                        positive),
        "value_date": Field(lambda: parse_date(text.value_date, "value_date"), day_check),
        "channel": Field(
            lambda: check_channel(text.channel, pack_code_for_currency(text.currency))),
        "reference": Field(lambda: check_optional_text(text.reference, "reference")),
    }  # fmt: skip


def money_of(
    values: Mapping[str, Any], text: MoneyText, *, mode: str | None = None, trade_in: bool = False
) -> MoneyIn:
    """The money in of :func:`money_fields`' parsed ``values``."""
    return MoneyIn(values["amount"], values["value_date"], values["channel"], text.reference,
                   mode, trade_in)  # fmt: skip


def reason_field(text: str, message: str, message_zh: str | None = None) -> Field:
    """A reason as typed, that must say something (:func:`with_reason`)."""
    return Field(lambda: text, lambda typed: with_reason(typed, message, message_zh))


def zero_or_more(amount: Money, *, field: str = "amount") -> Money:
    """``amount`` if not below zero: a payoff the advance covers is 0.00.

    >>> zero_or_more(Money.of_minor(-1, "CNY"))
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: amount must not be negative
    """
    if amount.minor < 0:
        raise InvalidInput(f"{field} must not be negative", field=field,
                           message_zh="金额不能为负数")  # fmt: skip
    return amount


def positive(amount: Money, *, field: str = "amount") -> Money:
    """``amount`` if above zero.

    >>> positive(Money.of_minor(0, "CNY"))
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: amount must be positive
    """
    if amount.minor <= 0:
        raise InvalidInput(f"{field} must be positive", field=field, message_zh="金额须大于 0")
    return amount


def prepayment_mode(mode: str | None) -> str:
    """A prepayment's ``mode`` (``lower_installment`` where none is given), if one of
    lower_installment, shorten_term or payoff.

    >>> prepayment_mode(None)
    'lower_installment'
    >>> prepayment_mode("faster")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: mode must be lower_installment, shorten_term or payoff
    """
    chosen = mode or PrepaymentMode.LOWER_INSTALLMENT.value
    if chosen != "payoff" and chosen not in {m.value for m in PrepaymentMode}:
        raise InvalidInput("mode must be lower_installment, shorten_term or payoff", field="mode")
    return chosen


def in_currency(amount: Money, currency: str) -> Money:
    """``amount`` if it is in the loan's ``currency`` (refused on ``currency``)."""
    if amount.currency.code != currency:
        raise InvalidInput(f"the loan is in {currency}", field="currency",
                           message_zh=f"该贷款以 {currency} 计价")  # fmt: skip
    return amount


def value_day(day: date, start: date, today: date) -> date:
    """``day`` if it is from the loan's ``start`` to ``today``: money is not received
    before the loan began, nor on a day still to come."""
    if day < start:
        raise InvalidInput(f"value date is before the loan start {start}", field="value_date",
                           message_zh=f"起息日不能早于贷款起始日 {start}")  # fmt: skip
    if day > today:
        raise InvalidInput("value date is in the future", field="value_date",
                           message_zh="起息日不能晚于今天")  # fmt: skip
    return day


def loan_day_check(
    read_loan: Callable[[], Mapping[str, Any]], today: date
) -> Callable[[date], object]:
    """The service's check of a value date, for a route to make where another field did
    not parse (so the loan, ``read_loan()``, is read only then): from the loan's start to
    ``today`` (:func:`value_day`); on a written-off loan (money in is a recovery), on or
    after the write-off. A loan that cannot be read is not checked here (the service
    answers for it): ``abc`` dated tomorrow is refused on ``amount`` and ``value_date``.

    >>> check = loan_day_check(lambda: {"start_date": "2026-01-05"}, date(2026, 11, 28))
    >>> check(date(2026, 1, 4))
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: value date is before the loan start 2026-01-05
    """

    def check(day: date) -> date:
        try:
            loan = read_loan()
        except DomainError:
            return day
        start = date.fromisoformat(loan["start_date"])
        if loan.get("status") == "written_off":
            closed = loan.get("closed_on")
            after_write_off(day, date.fromisoformat(closed) if closed else start)
        return value_day(day, start, today)

    return check


def after_write_off(day: date, written_off_on: date) -> date:
    """A recovery's ``day`` if on or after the write-off (``written_off_on``)."""
    if day < written_off_on:
        zh = f"核销后回收的起息日不能早于核销日 {written_off_on}"
        raise InvalidInput(f"a recovery is dated on or after the write-off ({written_off_on})",
                           field="value_date", message_zh=zh)  # fmt: skip
    return day


def with_reason(text: str, message: str, message_zh: str | None = None) -> str:
    """``text`` if it says something (not only spaces); else ``message`` on ``reason``.

    >>> with_reason("  ", "a reversal needs a reason")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: a reversal needs a reason
    """
    if not text.strip():
        raise InvalidInput(message, field="reason", message_zh=message_zh)
    return check_text(text, "reason", multiline=True)
