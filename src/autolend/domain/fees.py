"""Borrower-paid fees on a car loan: what they are, when they are paid, how much.

A :class:`Fee` is either a fixed :class:`~autolend.domain.money.Money` amount or a
``rate_of_amount`` of the *vehicle amount financed* (price less down payment, before any
fee is added to it), and it is paid either once at signing (``upfront``) or with every
monthly installment (``monthly``).  An upfront fee is either paid in cash at signing or
``financed``: added to the loan principal, so the borrower pays interest on it.  A
monthly fee is always paid as it falls due (never financed).

Credit insurance (信用保险) comes either way: a monthly premium, or a single premium
paid up front, often financed.

Worked example: 105,000.00 CNY of the car financed, a 1 % origination fee paid in cash
(1,050.00), a GPS fee of 1,500.00 financed and a monthly service fee of 0.05 % a month
(52.50 a month):

>>> from autolend.domain.money import Money
>>> base = Money.parse("105000", "CNY")
>>> fees = (Fee(kind=FeeKind.ORIGINATION, rate_of_amount=Decimal("0.01")),
...         Fee(kind=FeeKind.GPS, amount=Money.parse("1500", "CNY"), financed=True),
...         Fee(kind=FeeKind.MONTHLY_SERVICE, rate_of_amount=Decimal("0.0005"),
...             timing=FeeTiming.MONTHLY))
>>> [f.amount_on(base).to_api() for f in fees]
['1050.00', '1500.00', '52.50']
>>> split = split_fees(fees, base)
>>> split.upfront_cash.to_api(), split.financed.to_api(), split.monthly.to_api()
('1050.00', '1500.00', '52.50')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, RoundingMode
from autolend.domain.schedule.validation import check_rate, coerce_enum

__all__ = ["Fee", "FeeKind", "FeeSplit", "FeeTiming", "split_fees"]


class FeeKind(StrEnum):
    """What a fee is for (the name shown on a quote defaults to this value)."""

    ORIGINATION = "origination"  # 手续费 / 服务费 at signing
    GPS = "gps"  # GPS tracker installation and service
    CREDIT_INSURANCE = "credit_insurance"  # 信用保险 premium
    MONTHLY_SERVICE = "monthly_service"  # 月服务费 / 分期手续费
    OTHER = "other"


class FeeTiming(StrEnum):
    """When a fee is paid: once at signing, or with each monthly installment."""

    UPFRONT = "upfront"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True, kw_only=True)
class Fee:
    """One borrower-paid fee.  Give exactly one of ``amount`` (Money, >= 0) or
    ``rate_of_amount`` (a Decimal fraction 0..1 of the vehicle amount financed, per
    payment for a monthly fee).  ``financed`` applies to upfront fees only.

    >>> Fee(kind="gps", amount=Money.parse("1200", "CNY"), financed=True).label
    'gps'
    >>> Fee(kind="other", amount=Money.parse("10", "CNY"), timing="monthly", financed=True)
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: financed must be False: only upfront fees are financed
    """

    kind: FeeKind
    amount: Money | None = None
    rate_of_amount: Decimal | None = None
    timing: FeeTiming = FeeTiming.UPFRONT
    financed: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", coerce_enum(self.kind, FeeKind, "kind"))
        object.__setattr__(self, "timing", coerce_enum(self.timing, FeeTiming, "timing"))
        if (self.amount is None) == (self.rate_of_amount is None):
            message = "amount or rate_of_amount: give exactly one of the two"
            raise InvalidInput(message, field="amount")
        if self.amount is not None:
            if not isinstance(self.amount, Money):
                raise InvalidInput("amount must be Money", field="amount")
            if self.amount.is_negative():
                raise InvalidInput(f"amount must be >= 0, got {self.amount}", field="amount")
        if self.rate_of_amount is not None:
            check_rate(self.rate_of_amount, "rate_of_amount")
        if not isinstance(self.financed, bool):
            raise InvalidInput("financed must be True or False", field="financed")
        if self.financed and self.timing is FeeTiming.MONTHLY:
            message = "financed must be False: only upfront fees are financed"
            raise InvalidInput(message, field="financed")
        if not isinstance(self.name, str):
            raise InvalidInput("name must be a string", field="name")

    @property
    def label(self) -> str:
        """The name to show: ``name`` if given, else the kind (``"origination"``)."""
        return self.name or self.kind.value

    def amount_on(self, base: Money, rounding: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """The fee in money for a vehicle amount financed of ``base``: the fixed amount,
        or ``base x rate_of_amount`` rounded by ``rounding`` (1 % of 105,000.00 is
        1,050.00).  A fixed amount must be in ``base``'s currency."""
        if self.amount is not None:
            if self.amount.currency != base.currency:
                message = f"fee {self.label} is in {self.amount.currency.code}, "
                message += f"the loan in {base.currency.code}"
                raise CurrencyMismatch(message, field="fees")
            return self.amount
        assert self.rate_of_amount is not None  # validated: exactly one is given
        return base.multiply(self.rate_of_amount, rounding)


@dataclass(frozen=True, slots=True)
class FeeSplit:
    """Fees of a loan in money, grouped by how the borrower pays them.

    ``upfront_cash``: paid at signing out of pocket; ``financed``: added to the
    principal; ``monthly``: paid with every installment (per payment).
    """

    upfront_cash: Money
    financed: Money
    monthly: Money

    def total_over(self, payments: int) -> Money:
        """All the fees the borrower pays over ``payments`` monthly payments."""
        monthly_total = Money(self.monthly.minor * payments, self.monthly.currency)
        return self.upfront_cash + self.financed + monthly_total


def split_fees(
    fees: Sequence[Fee], base: Money, rounding: RoundingMode = RoundingMode.HALF_UP
) -> FeeSplit:
    """Price every fee on the vehicle amount financed ``base`` and group the totals."""
    cash = financed = monthly = 0
    for fee in fees:
        minor = fee.amount_on(base, rounding).minor
        if fee.timing is FeeTiming.MONTHLY:
            monthly += minor
        elif fee.financed:
            financed += minor
        else:
            cash += minor
    cur = base.currency
    return FeeSplit(Money(cash, cur), Money(financed, cur), Money(monthly, cur))
