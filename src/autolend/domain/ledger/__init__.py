"""Double-entry ledger rules: pure domain, standard library only, no float.

Modules: :mod:`.accounts` (chart of accounts, sub-ledgers, account references),
:mod:`.entries` (postings, balanced journal entries, reversal, fingerprint),
:mod:`.builders` (cash and booking entries: disbursement, repayment, refund, recovery,
migration), :mod:`.accruals` (accruals, fees, subsidy, allowance, write-off), both
balanced by construction, and
:mod:`.balances` (point-in-time balances, trial balance, sub-ledger = GL).

Accounting in one line per event (Dr / Cr):

* booking / disbursement: Dr principal; Cr dealer payable (or cash); Cr fee income
* interest / penalty accrual: Dr interest / penalty receivable; Cr interest / penalty income
* repayment: Dr cash (or suspense); Cr penalty, interest, fees, principal (excess: suspense)
* allowance charge: Dr impairment expense; Cr allowance (a release is the mirror image)
* write-off: Dr allowance (shortfall: Dr impairment expense); Cr the receivables
* recovery after write-off: Dr cash; Cr recovery income
* deferred subsidy earned (per installment, the rest at payoff / write-off): Dr deferred
  subsidy income; Cr subsidy income

>>> from datetime import date
>>> from autolend.domain.money import Money
>>> fee = fee_charge_entry(9, date(2024, 6, 1), Money.parse("30.00", "CNY"))
>>> loan_balances([fee], 9, date(2024, 6, 1))[SubLedger.FEES].to_api()
'30.00'
"""

from __future__ import annotations

from autolend.domain.ledger.accounts import (
    AccountKind,
    AccountRef,
    GlAccount,
    Side,
    SubLedger,
    control_accounts,
)
from autolend.domain.ledger.accruals import (
    accrual_entry,
    allowance_entry,
    fee_charge_entry,
    fee_waiver_entry,
    penalty_accrual_entry,
    subsidy_amortisation_entry,
    subsidy_entry,
    subsidy_true_up_entry,
    write_off_entry,
)
from autolend.domain.ledger.balances import (
    DEFAULT_CURRENCY,
    Mismatch,
    balance_at,
    dated_postings,
    loan_balances,
    signed_amount,
    subledger_matches_gl,
    trial_balance,
    trial_balance_holds,
)
from autolend.domain.ledger.builders import (
    disbursement_entry,
    migration_entry,
    payable_payment_entry,
    recovery_entry,
    refund_entry,
    repayment_entry,
)
from autolend.domain.ledger.entries import (
    EntryKind,
    JournalEntry,
    Line,
    Posting,
    UnbalancedEntry,
    entry_fingerprint,
    reverse,
)

__all__ = [
    "DEFAULT_CURRENCY",
    "AccountKind",
    "AccountRef",
    "EntryKind",
    "GlAccount",
    "JournalEntry",
    "Line",
    "Mismatch",
    "Posting",
    "Side",
    "SubLedger",
    "UnbalancedEntry",
    "accrual_entry",
    "allowance_entry",
    "balance_at",
    "control_accounts",
    "dated_postings",
    "disbursement_entry",
    "entry_fingerprint",
    "fee_charge_entry",
    "fee_waiver_entry",
    "loan_balances",
    "migration_entry",
    "payable_payment_entry",
    "penalty_accrual_entry",
    "recovery_entry",
    "refund_entry",
    "repayment_entry",
    "reverse",
    "signed_amount",
    "subledger_matches_gl",
    "subsidy_amortisation_entry",
    "subsidy_entry",
    "subsidy_true_up_entry",
    "trial_balance",
    "trial_balance_holds",
    "write_off_entry",
]
