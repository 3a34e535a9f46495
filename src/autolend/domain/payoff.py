"""Early settlement (提前结清) and partial prepayment (提前还款) of a scheduled loan.

Civil Code Art. 677: a borrower who repays early pays interest only for the period
actually used.  So a payoff is the principal not yet due, plus interest accrued *day by
day* from the last due date (or the start) to the settlement date, plus anything overdue
and its penalty, less money already paid in advance.  A prepayment fee, if the contract
has one, is :func:`prepayment_fee`; lenders are encouraged to waive it on trade-ins.

A partial prepayment, made after installment ``after_n``, lowers the balance; the loan
is then re-amortised on the same due dates, either keeping the number of remaining
installments (``lower_installment``) or keeping the installment and shortening the term
(``shorten_term``).

Interest here is at the borrower's rate (the customer rate under a subsidy), measured by
the loan's day count and rounded once by the loan's rounding mode.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from autolend.domain.daycount import year_fraction_parts
from autolend.domain.errors import CurrencyMismatch, InvalidInput
from autolend.domain.money import Money, RoundingMode
from autolend.domain.schedule import LoanTerms, Method, Schedule, build_schedule, round_interest
from autolend.domain.schedule.methods import regular_plan
from autolend.domain.schedule.validation import check_rate, coerce_enum

__all__ = [
    "PayoffQuote", "PrepaymentFeeRule", "PrepaymentMode", "PrepaymentResult",
    "accrued_interest", "partial_prepayment", "payoff_amount", "prepayment_fee",
]  # fmt: skip

_SHORTENABLE = (Method.EQUAL_INSTALLMENT, Method.BALLOON, Method.EQUAL_PRINCIPAL)


def _fail(field: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{field} {problem}", field=field)


def _customer_rate(terms: LoanTerms) -> Decimal:
    return terms.annual_rate if terms.subsidy is None else terms.subsidy.customer_rate


def accrued_interest(terms: LoanTerms, balance: int, start: date, end: date) -> int:
    """Interest (minor units) on ``balance`` from ``start`` to ``end`` at the borrower's
    rate: ``balance x rate x year_fraction(start, end)`` by the loan's day count, rounded
    once by the loan's rounding mode.  4,745.09 at 12 % for 15 days on ACT/360:
    474,509 x 0.12 x 15 / 360 = 2,372.545 fen -> 23.73 (half-up)."""
    num, den = year_fraction_parts(start, end, terms.day_count)
    rate_num = _customer_rate(terms) * num
    return round_interest(balance, rate_num, Decimal(den), terms.rounding)


@dataclass(frozen=True, slots=True)
class PayoffQuote:
    """What settles the loan on ``valid_until`` (the ``as_of`` date; interest accrues
    daily, so a later settlement needs a new quote).  ``total = principal_outstanding +
    accrued_interest + overdue + penalty - advance``; a negative total is a refund."""

    principal_outstanding: Money
    accrued_interest: Money
    overdue: Money
    penalty: Money
    advance: Money
    total: Money
    valid_until: date


def _check_date(value: object, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _fail(field, f"must be a date, got {value!r}")
    return value


def _check_n(value: object, field: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise _fail(field, f"must be an int from 0 to {high}, got {value!r}")
    return value


def _non_negative(value: Money | None, field: str, like: Money) -> Money:
    if value is None:
        return Money.zero(like.currency)
    if not isinstance(value, Money):
        raise _fail(field, f"must be Money, got {type(value).__name__}")
    if value.currency != like.currency:
        message = f"{field} is in {value.currency.code}, the loan in {like.currency.code}"
        raise CurrencyMismatch(message, field=field)
    if value.is_negative():
        raise _fail(field, f"must be >= 0, got {value}")
    return value


def _position(schedule: Schedule, n: int) -> tuple[date, int, int]:
    """After installment ``n``: the last due date (the start for 0), the balance and the
    deferred (payment-holiday) interest not yet repaid, in minor units."""
    rows = schedule.rows[:n]
    if not rows:
        return schedule.terms.start, schedule.terms.principal.minor, 0
    deferred = sum(r.deferred_interest - r.deferred_interest_paid for r in rows)
    return rows[-1].due_date, rows[-1].closing_balance, deferred


def payoff_amount(
    schedule: Schedule,
    as_of: date,
    *,
    paid_through_n: int,
    overdue: Money | None = None,
    penalty: Money | None = None,
    advance_balance: Money | None = None,
) -> PayoffQuote:
    """The amount that settles the loan on ``as_of``.

    ``paid_through_n``: installments 1..n have fallen due (whatever of them is unpaid is
    passed as ``overdue``, principal and interest; its penalty as ``penalty``); ``as_of``
    lies from the due date of installment n (the start for 0) to the next due date.
    ``advance_balance``: money received ahead of due dates, credited.  Interest accrues
    on the balance after installment n from its due date to ``as_of`` (see
    :func:`accrued_interest`), never more than the scheduled interest of the next
    installment, plus any deferred holiday interest not yet repaid.

    Worked example: 5,000.00 at 12 % over 18 months from 2022-11-01 (304.91 a month);
    installment 1 is paid on 2022-12-01, leaving 4,745.09; settling on 2022-12-16 is
    4,745.09 + 15 days of interest (23.73) = 4,768.82.

    >>> from autolend.domain.schedule import LoanTerms, build_schedule
    >>> terms = LoanTerms(principal=Money.parse("5000", "CNY"), annual_rate=Decimal("0.12"),
    ...                   periods=18, start=date(2022, 11, 1))
    >>> quote = payoff_amount(build_schedule(terms), date(2022, 12, 16), paid_through_n=1)
    >>> quote.principal_outstanding.to_api(), quote.accrued_interest.to_api(), quote.total.to_api()
    ('4745.09', '23.73', '4768.82')
    """
    terms, rows = schedule.terms, schedule.rows
    n = _check_n(paid_through_n, "paid_through_n", len(rows))
    as_of = _check_date(as_of, "as_of")
    last_due, balance, deferred = _position(schedule, n)
    if as_of < last_due or (n < len(rows) and as_of > rows[n].due_date):
        window = f"from {last_due}" + (f" to {rows[n].due_date}" if n < len(rows) else "")
        raise _fail("as_of", f"{as_of} must lie {window} after installment {n}")
    interest = accrued_interest(terms, balance, last_due, as_of)
    if n < len(rows):
        interest = min(interest, rows[n].interest + rows[n].capitalised_interest)
    principal = terms.principal
    owed = _non_negative(overdue, "overdue", principal)
    fine = _non_negative(penalty, "penalty", principal)
    advance = _non_negative(advance_balance, "advance_balance", principal)
    cur = principal.currency
    outstanding, accrued = Money(balance, cur), Money(interest + deferred, cur)
    total = outstanding + accrued + owed + fine - advance
    return PayoffQuote(outstanding, accrued, owed, fine, advance, total, as_of)


class PrepaymentFeeRule(StrEnum):
    """The contract's prepayment fee: none, a percentage of the amount prepaid, or that
    percentage waived when the borrower trades the car in (2024 notice)."""

    NONE = "none"
    PERCENT_OF_PREPAID = "percent_of_prepaid"
    WAIVED_TRADE_IN = "waived_trade_in"


def prepayment_fee(
    rule: PrepaymentFeeRule,
    rate: Decimal,
    prepaid: Money,
    *,
    trade_in: bool,
    rounding: RoundingMode = RoundingMode.HALF_UP,
) -> Money:
    """The fee on prepaying ``prepaid``: 0 under ``none``; ``prepaid x rate`` under
    ``percent_of_prepaid``; under ``waived_trade_in`` the same unless ``trade_in``.
    2 % of 20,000.00 is 400.00; with a trade-in and the waiver, 0.00.

    >>> amount = Money.parse("20000", "CNY")
    >>> prepayment_fee("percent_of_prepaid", Decimal("0.02"), amount, trade_in=True).to_api()
    '400.00'
    >>> prepayment_fee("waived_trade_in", Decimal("0.02"), amount, trade_in=True).to_api()
    '0.00'
    """
    rule = coerce_enum(rule, PrepaymentFeeRule, "rule")
    check_rate(rate, "rate")
    if not isinstance(prepaid, Money) or prepaid.is_negative():
        raise _fail("prepaid", f"must be Money >= 0, got {prepaid!r}")
    if not isinstance(trade_in, bool):
        raise _fail("trade_in", "must be True or False")
    waived = rule is PrepaymentFeeRule.WAIVED_TRADE_IN and trade_in
    if rule is PrepaymentFeeRule.NONE or waived:
        return Money.zero(prepaid.currency)
    return prepaid.multiply(rate, rounding)


class PrepaymentMode(StrEnum):
    """How the loan is re-amortised after a partial prepayment."""

    SHORTEN_TERM = "shorten_term"  # keep the installment, fewer periods
    LOWER_INSTALLMENT = "lower_installment"  # keep the periods, lower installment


@dataclass(frozen=True, slots=True)
class PrepaymentResult:
    """A partial prepayment: the new terms and schedule (from the due date of the last
    paid installment, same due dates), the ``fee``, and ``interest_saved`` against the
    old schedule.  On ``as_of`` the borrower pays ``amount_due``: the ``prepaid`` amount,
    the ``accrued_interest`` on it since the last due date (Art. 677), and the fee."""

    new_terms: LoanTerms
    new_schedule: Schedule
    fee: Money
    interest_saved: Money
    prepaid: Money
    accrued_interest: Money

    @property
    def amount_due(self) -> Money:
        """What the borrower pays on the prepayment date."""
        return self.prepaid + self.accrued_interest + self.fee


def _level(terms: LoanTerms, balance: int) -> int:
    """The first regular installment (annuity methods) or principal share (equal
    principal) the method targets for ``balance`` over ``terms.periods``."""
    plan = regular_plan(terms, balance, _customer_rate(terms))
    targets = plan.installments if plan.installments is not None else plan.principals
    assert targets is not None  # every method sets one of the two
    return targets[0]


def _shortened_periods(terms: LoanTerms, schedule: Schedule, new: LoanTerms) -> int:
    """The fewest periods whose target is at most the old one (the old periods if none).

    The target falls as the periods grow, so a binary search finds it."""
    first_regular = terms.grace_periods
    old_balance = _position(schedule, first_regular)[1]
    old = _level(terms, old_balance)
    low, high = 1, new.periods  # answer in [low, high]
    if _level(new, new.principal.minor) > old:
        return high
    while low < high:
        middle = (low + high) // 2
        if _level(replace(new, periods=middle), new.principal.minor) <= old:
            high = middle
        else:
            low = middle + 1
    return low


def _check_prepayment(terms: LoanTerms, schedule: Schedule, after_n: int, amount: Money) -> int:
    """Validate the request; returns the balance after installment ``after_n``."""
    if schedule.terms != terms:
        raise _fail("schedule", "was not built from these terms")
    if terms.method is Method.STEP:
        raise _fail("method", "step schedules cannot be re-amortised: restructure instead")
    n = _check_n(after_n, "after_n", len(schedule.rows) - 1)
    if n < terms.grace_periods:
        raise _fail("after_n", f"{n} is inside the {terms.grace_periods} grace periods")
    _, balance, deferred = _position(schedule, n)
    if deferred:
        raise _fail("after_n", f"{n}: deferred holiday interest is still to be repaid")
    paid = _non_negative(amount, "amount", terms.principal)
    if not 0 < paid.minor < balance:
        problem = f"must be above 0 and below the balance {Money(balance, paid.currency)}"
        raise _fail("amount", problem + "; to repay it all, pay the loan off (mode payoff)")
    return balance


def partial_prepayment(  # noqa: PLR0917 - the positional order is the documented API
    terms: LoanTerms,
    schedule: Schedule,
    after_n: int,
    amount: Money,
    as_of: date,
    mode: PrepaymentMode,
    *,
    fee_rule: PrepaymentFeeRule = PrepaymentFeeRule.NONE,
    fee_rate: Decimal = Decimal(0),
    trade_in: bool = False,
) -> PrepaymentResult:
    """Prepay ``amount`` on ``as_of``, after installment ``after_n`` has been paid.

    ``as_of`` lies from the due date of installment ``after_n`` (the start for 0) to the
    next due date.  The balance drops by ``amount`` as of that due date and is
    re-amortised (:meth:`LoanTerms.with_balance`) on the remaining due dates:

    * ``lower_installment``: the same number of remaining installments, recomputed;
    * ``shorten_term``: the fewest periods whose installment (equal principal: whose
      principal share) is at most the old one; the last row absorbs the remainder.

    Refused: the whole balance (that is :func:`payoff_amount`), step schedules, a point
    inside the grace periods, and ``shorten_term`` for flat or interest-only loans.

    Worked example: 100,000.00 at 6 % over 36 months (3,042.19 a month); after
    installment 12, 20,000.00 prepaid on its due date (the balance falls from 68,640.65
    to 48,640.65).  Lower installment: 24 rows of 2,155.78, saving 1,273.92 of interest.
    Shorten term: 17 rows of 2,991.68 (16 would need more than 3,042.19), saving
    2,154.16.
    """
    balance = _check_prepayment(terms, schedule, after_n, amount)
    mode = coerce_enum(mode, PrepaymentMode, "mode")
    if mode is PrepaymentMode.SHORTEN_TERM and terms.method not in _SHORTENABLE:
        raise _fail("mode", f"shorten_term does not apply to the {terms.method} method")
    as_of = _check_date(as_of, "as_of")
    rows = schedule.rows
    last_due, next_due = _position(schedule, after_n)[0], rows[after_n].due_date
    if not last_due <= as_of <= next_due:
        raise _fail("as_of", f"{as_of} must lie from {last_due} to {next_due}")
    cur = terms.principal.currency
    remaining = len(rows) - after_n
    new_terms = terms.with_balance(Money(balance - amount.minor, cur), last_due, remaining)
    new_terms = replace(new_terms, first_due=next_due)  # keep the loan's due dates
    if mode is PrepaymentMode.SHORTEN_TERM:
        new_terms = replace(new_terms, periods=_shortened_periods(terms, schedule, new_terms))
    new_schedule = build_schedule(new_terms)
    accrued = accrued_interest(terms, amount.minor, last_due, as_of)
    old_interest = sum(row.payment for row in rows[after_n:]) - balance
    new_interest = new_schedule.total_payment.minor - new_terms.principal.minor
    fee = prepayment_fee(fee_rule, fee_rate, amount, trade_in=trade_in, rounding=terms.rounding)
    saved = Money(old_interest - new_interest - accrued, cur)
    return PrepaymentResult(new_terms, new_schedule, fee, saved, amount, Money(accrued, cur))
