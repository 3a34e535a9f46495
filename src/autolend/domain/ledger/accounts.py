"""Chart of accounts: GL control accounts, per-loan sub-ledgers and account references.

Every amount in the ledger sits in a general-ledger (GL) account with a stable
four-digit code.  An account's *normal side* is where its balance usually lives:
assets and expenses are debit-normal, liabilities, income and equity credit-normal,
and the loan-loss allowance is a *contra-asset*: listed among the assets (1190) but
credit-normal, because it reduces the carrying amount of the loans.

Each loan keeps its own sub-ledger (principal, interest, penalty, fees, suspense,
allowance, subsidy); every sub-ledger posting **is** a posting to the GL control
account of that sub-ledger, so the loans' sub-ledger totals always add up to the
control account (unless something was posted to a control account without a loan,
which :func:`~autolend.domain.ledger.balances.subledger_matches_gl` reports).

Write-offs (核销) are charged against the allowance (Dr 1190 / Cr the receivables); a
shortfall of allowance is charged to 5100 impairment_expense in the same entry.  There
is deliberately no separate write-off expense account: every credit loss, provided for
in advance or not, lands in 5100.  Cash collected after a write-off is 4200
recovery_income.

>>> GlAccount.LOANS_PRINCIPAL.code, GlAccount.LOANS_PRINCIPAL.normal_side
('1100', <Side.DEBIT: 'debit'>)
>>> GlAccount.ALLOWANCE.kind, GlAccount.ALLOWANCE.normal_side
(<AccountKind.ASSET: 'asset'>, <Side.CREDIT: 'credit'>)
>>> str(AccountRef.loan(42, SubLedger.INTEREST))
'1110 interest_receivable / loan 42 interest'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from autolend.domain.choices import coerce_enum as coerce
from autolend.domain.errors import InvalidInput

__all__ = ["AccountKind", "AccountRef", "GlAccount", "Side", "SubLedger", "control_accounts"]

E = TypeVar("E", bound=StrEnum)


class Side(StrEnum):
    """The two sides of a posting: 借 debit (left) and 贷 credit (right)."""

    DEBIT = "debit"
    CREDIT = "credit"

    @property
    def opposite(self) -> Side:
        """Credit for debit and debit for credit (what a reversal posts)."""
        return Side.CREDIT if self is Side.DEBIT else Side.DEBIT


class AccountKind(StrEnum):
    """The five account classes and the side their balance normally sits on.

    >>> [kind.normal_side.value for kind in AccountKind]
    ['debit', 'credit', 'credit', 'debit', 'credit']
    """

    ASSET = "asset"
    LIABILITY = "liability"
    INCOME = "income"
    EXPENSE = "expense"
    EQUITY = "equity"

    @property
    def normal_side(self) -> Side:
        """Debit for assets and expenses; credit for liabilities, income and equity."""
        return Side.DEBIT if self in (AccountKind.ASSET, AccountKind.EXPENSE) else Side.CREDIT


class GlAccount(StrEnum):
    """A general-ledger account; the value is its stable name, ``code`` its number.

    Codes: 1xxx assets, 2xxx liabilities, 3xxx equity, 4xxx income, 5xxx expenses.

    >>> GlAccount.from_code("2100")
    <GlAccount.SUSPENSE_ADVANCE: 'suspense_advance'>
    >>> GlAccount.SUSPENSE_ADVANCE.label
    '2100 suspense_advance'
    """

    CASH_SETTLEMENT = "cash_settlement"  # bank / payment-rail clearing
    LOANS_PRINCIPAL = "loans_principal"  # 贷款本金
    INTEREST_RECEIVABLE = "interest_receivable"  # 应收利息
    PENALTY_RECEIVABLE = "penalty_receivable"  # 应收罚息 (incl. compound interest)
    FEES_RECEIVABLE = "fees_receivable"  # 应收费用
    SUBSIDY_RECEIVABLE = "subsidy_receivable"  # 应收贴息: car maker, dealer or state
    ALLOWANCE = "allowance"  # 贷款损失准备: contra-asset, credit-normal
    SUSPENSE_ADVANCE = "suspense_advance"  # 预收 / 溢缴款: overpayments, advance payments
    DEALER_PAYABLE = "dealer_payable"  # 应付经销商: loan proceeds owed to the dealer
    BORROWER_REFUND_PAYABLE = "borrower_refund_payable"  # 应退借款人
    DEFERRED_SUBSIDY_INCOME = "deferred_subsidy_income"  # 递延贴息收入: earned over the term
    EQUITY_MIGRATION = "equity_migration"  # opening balances of a migrated book
    INTEREST_INCOME = "interest_income"  # 利息收入
    PENALTY_INCOME = "penalty_income"  # 罚息收入
    FEE_INCOME = "fee_income"  # 手续费收入
    SUBSIDY_INCOME = "subsidy_income"  # 贴息收入
    RECOVERY_INCOME = "recovery_income"  # 已核销贷款收回
    IMPAIRMENT_EXPENSE = "impairment_expense"  # 信用减值损失: provisions and write-offs

    @classmethod
    def from_code(cls, code: str) -> GlAccount:
        """The account with the four-digit ``code``; unknown codes are InvalidInput."""
        for account in cls:
            if account.code == code:
                return account
        raise InvalidInput(f"unknown GL account code {code!r}", field="gl")

    @property
    def code(self) -> str:
        """The stable four-digit account number, e.g. ``"1100"``."""
        return _CHART[self][0]

    @property
    def kind(self) -> AccountKind:
        """Asset, liability, income, expense or equity."""
        return _CHART[self][1]

    @property
    def is_contra(self) -> bool:
        """True for the allowance: an asset account with a credit balance."""
        return self is GlAccount.ALLOWANCE

    @property
    def normal_side(self) -> Side:
        """The side of a positive balance: the kind's side, flipped for a contra account."""
        side = self.kind.normal_side
        return side.opposite if self.is_contra else side

    @property
    def label(self) -> str:
        """Code and name, e.g. ``"1100 loans_principal"``."""
        return f"{self.code} {self.value}"

    @property
    def is_control(self) -> bool:
        """True when loans keep a sub-ledger under this account."""
        return self in _CONTROLS


_CHART: dict[GlAccount, tuple[str, AccountKind]] = {
    GlAccount.CASH_SETTLEMENT: ("1000", AccountKind.ASSET),
    GlAccount.LOANS_PRINCIPAL: ("1100", AccountKind.ASSET),
    GlAccount.INTEREST_RECEIVABLE: ("1110", AccountKind.ASSET),
    GlAccount.PENALTY_RECEIVABLE: ("1120", AccountKind.ASSET),
    GlAccount.FEES_RECEIVABLE: ("1130", AccountKind.ASSET),
    GlAccount.SUBSIDY_RECEIVABLE: ("1140", AccountKind.ASSET),
    GlAccount.ALLOWANCE: ("1190", AccountKind.ASSET),
    GlAccount.SUSPENSE_ADVANCE: ("2100", AccountKind.LIABILITY),
    GlAccount.DEALER_PAYABLE: ("2200", AccountKind.LIABILITY),
    GlAccount.BORROWER_REFUND_PAYABLE: ("2300", AccountKind.LIABILITY),
    GlAccount.DEFERRED_SUBSIDY_INCOME: ("2400", AccountKind.LIABILITY),
    GlAccount.EQUITY_MIGRATION: ("3000", AccountKind.EQUITY),
    GlAccount.INTEREST_INCOME: ("4100", AccountKind.INCOME),
    GlAccount.PENALTY_INCOME: ("4110", AccountKind.INCOME),
    GlAccount.FEE_INCOME: ("4120", AccountKind.INCOME),
    GlAccount.SUBSIDY_INCOME: ("4130", AccountKind.INCOME),
    GlAccount.RECOVERY_INCOME: ("4200", AccountKind.INCOME),
    GlAccount.IMPAIRMENT_EXPENSE: ("5100", AccountKind.EXPENSE),
}


class SubLedger(StrEnum):
    """A per-loan sub-ledger account and the GL control account it rolls up to.

    >>> SubLedger.SUSPENSE.control.label, SubLedger.SUSPENSE.normal_side.value
    ('2100 suspense_advance', 'credit')
    """

    PRINCIPAL = "principal"
    INTEREST = "interest"
    PENALTY = "penalty"
    FEES = "fees"
    SUSPENSE = "suspense"
    ALLOWANCE = "allowance"
    SUBSIDY = "subsidy"

    @property
    def control(self) -> GlAccount:
        """The GL control account this sub-ledger rolls up to."""
        return _CONTROL_OF[self]

    @property
    def normal_side(self) -> Side:
        """The normal side of the control account."""
        return self.control.normal_side


_CONTROL_OF: dict[SubLedger, GlAccount] = {
    SubLedger.PRINCIPAL: GlAccount.LOANS_PRINCIPAL,
    SubLedger.INTEREST: GlAccount.INTEREST_RECEIVABLE,
    SubLedger.PENALTY: GlAccount.PENALTY_RECEIVABLE,
    SubLedger.FEES: GlAccount.FEES_RECEIVABLE,
    SubLedger.SUSPENSE: GlAccount.SUSPENSE_ADVANCE,
    SubLedger.ALLOWANCE: GlAccount.ALLOWANCE,
    SubLedger.SUBSIDY: GlAccount.SUBSIDY_RECEIVABLE,
}
_CONTROLS = frozenset(_CONTROL_OF.values())


def control_accounts() -> frozenset[GlAccount]:
    """The GL accounts that loans keep sub-ledgers under (seven of them)."""
    return _CONTROLS


def _check_loan_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(f"loan_id must be a positive int, got {value!r}", field="loan_id")
    return value


@dataclass(frozen=True, slots=True)
class AccountRef:
    """Where a posting lands: a GL account, optionally one loan's sub-ledger under it.

    Either GL-only (``loan_id`` and ``sub`` both None: cash, income, payables) or a
    sub-ledger reference (both set, and ``gl`` must be the sub-ledger's control
    account).  A loan id without a sub-ledger is refused: the loan is recorded on the
    journal entry, not on GL-only accounts.

    >>> AccountRef.loan(7, SubLedger.PRINCIPAL).gl
    <GlAccount.LOANS_PRINCIPAL: 'loans_principal'>
    >>> AccountRef(GlAccount.FEE_INCOME, 7, SubLedger.FEES)
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: sub-ledger fees rolls up to 1130 fees_receivable, not ...
    """

    gl: GlAccount
    loan_id: int | None = None
    sub: SubLedger | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "gl", coerce(self.gl, GlAccount, "gl"))
        if self.sub is None and self.loan_id is None:
            return
        if self.sub is None:
            message = f"loan {self.loan_id!r} needs a sub-ledger on {self.gl.label}"
            raise InvalidInput(message, field="sub")
        sub = coerce(self.sub, SubLedger, "sub")
        object.__setattr__(self, "sub", sub)
        if self.loan_id is None:
            raise InvalidInput(f"sub-ledger {sub} needs a loan_id", field="loan_id")
        _check_loan_id(self.loan_id)
        if sub.control is not self.gl:
            message = f"sub-ledger {sub} rolls up to {sub.control.label}, not {self.gl.label}"
            raise InvalidInput(message, field="gl")

    @classmethod
    def general(cls, gl: GlAccount) -> AccountRef:
        """A GL-only account such as cash, an income account or a payable."""
        return cls(gl)

    @classmethod
    def loan(cls, loan_id: int, sub: SubLedger) -> AccountRef:
        """Loan ``loan_id``'s ``sub`` sub-ledger, under its control account."""
        sub = coerce(sub, SubLedger, "sub")
        return cls(sub.control, loan_id, sub)

    @property
    def normal_side(self) -> Side:
        """The side on which this account's balance is positive."""
        return self.gl.normal_side

    def __str__(self) -> str:
        if self.sub is None:
            return self.gl.label
        return f"{self.gl.label} / loan {self.loan_id} {self.sub}"
