"""Balances by value date, the trial balance and sub-ledger = GL, by hand and by machine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from autolend.domain.errors import CurrencyMismatch
from autolend.domain.ledger import (
    AccountRef,
    EntryKind,
    GlAccount,
    JournalEntry,
    Mismatch,
    Posting,
    Side,
    SubLedger,
    accrual_entry,
    allowance_entry,
    balance_at,
    dated_postings,
    disbursement_entry,
    fee_charge_entry,
    fee_waiver_entry,
    loan_balances,
    migration_entry,
    penalty_accrual_entry,
    recovery_entry,
    refund_entry,
    repayment_entry,
    reverse,
    signed_amount,
    subledger_matches_gl,
    subsidy_entry,
    trial_balance,
    trial_balance_holds,
    write_off_entry,
)
from autolend.domain.money import Money, currency

START = date(2024, 3, 1)
CASH = AccountRef.general(GlAccount.CASH_SETTLEMENT)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def booked_loan_seven(accrue_rest: bool) -> list[JournalEntry]:
    """100,000.00 booked, 1,000.00 fee deducted, 15.00 interest, 3,000.00 repaid."""
    entries = [
        disbursement_entry(
            7, START, principal=cny("100000"), to_dealer=cny("99000"), fees_deducted=cny("1000")
        ),
        accrual_entry(7, START, cny("15")),
    ]
    if accrue_rest:
        entries.append(accrual_entry(7, date(2024, 3, 31), cny("385")))
    allocation = {SubLedger.INTEREST: cny("400"), SubLedger.PRINCIPAL: cny("2600")}
    entries.append(repayment_entry(7, date(2024, 4, 1), allocation, cash=cny("3000")))
    return entries


# --- by hand -------------------------------------------------------------------------------


def test_the_worked_example_balances_by_hand() -> None:
    entries = booked_loan_seven(accrue_rest=True)
    loan = loan_balances(entries, 7, date(2024, 4, 1))
    assert loan[SubLedger.PRINCIPAL] == cny("97400.00")  # 100,000.00 - 2,600.00
    assert loan[SubLedger.INTEREST] == cny("0.00")  # 15.00 + 385.00 - 400.00
    assert all(loan[sub].is_zero() for sub in SubLedger if sub is not SubLedger.PRINCIPAL)
    gl = {account.code: minor for (account, _), minor in trial_balance(entries).items()}
    assert gl == {
        "1000": 3_000_00,  # cash received
        "1100": 97_400_00,  # principal outstanding
        "1110": 0,
        "2200": -99_000_00,  # owed to the dealer (credit)
        "4100": -400_00,  # interest income (credit)
        "4120": -1_000_00,  # origination fee income (credit)
    }
    assert trial_balance_holds(entries)
    assert subledger_matches_gl(entries) == []


def test_the_literal_sequence_leaves_interest_paid_ahead_of_its_accrual() -> None:
    # Only 15.00 accrued but 400.00 of interest collected: a 385.00 credit balance.
    entries = booked_loan_seven(accrue_rest=False)
    loan = loan_balances(entries, 7, date(2024, 4, 1))
    assert loan[SubLedger.INTEREST] == cny("-385.00")
    assert loan[SubLedger.PRINCIPAL] == cny("97400.00")
    assert trial_balance(entries)[(GlAccount.INTEREST_INCOME, "CNY")] == -15_00
    assert trial_balance_holds(entries)


def test_balances_before_the_first_due_date_leave_out_later_entries() -> None:
    entries = booked_loan_seven(accrue_rest=True)
    loan = loan_balances(entries, 7, date(2024, 3, 15))
    assert loan[SubLedger.PRINCIPAL] == cny("100000.00")
    assert loan[SubLedger.INTEREST] == cny("15.00")
    assert loan_balances(entries, 7, date(2024, 2, 29))[SubLedger.PRINCIPAL] == cny("0")
    before = trial_balance(entries, as_of=date(2024, 3, 15))
    assert before[(GlAccount.LOANS_PRINCIPAL, "CNY")] == 100_000_00
    assert (GlAccount.CASH_SETTLEMENT, "CNY") not in before


def test_the_signed_amount_follows_the_normal_side_of_the_account() -> None:
    hundred = cny("1.00")
    assert signed_amount(Posting(CASH, Side.DEBIT, hundred)) == 100
    assert signed_amount(Posting(CASH, Side.CREDIT, hundred)) == -100
    allowance = AccountRef.loan(1, SubLedger.ALLOWANCE)
    assert signed_amount(Posting(allowance, Side.CREDIT, hundred)) == 100
    assert signed_amount(Posting(allowance, Side.DEBIT, hundred)) == -100
    income = AccountRef.general(GlAccount.RECOVERY_INCOME)
    assert signed_amount(Posting(income, Side.CREDIT, hundred)) == 100


def test_a_backdated_entry_counts_from_its_value_date() -> None:
    interest = AccountRef.loan(3, SubLedger.INTEREST)
    entries = [
        accrual_entry(3, date(2024, 5, 1), cny("10")),
        accrual_entry(3, date(2024, 5, 2), cny("10")),
    ]
    # posted later, but dated back to 30 April: it counts from then on
    entries.append(accrual_entry(3, date(2024, 4, 30), cny("7")))
    dated = list(dated_postings(entries))
    assert balance_at(dated, interest, date(2024, 4, 29)) == cny("0")
    assert balance_at(dated, interest, date(2024, 4, 30)) == cny("7")
    assert balance_at(dated, interest, date(2024, 5, 1)) == cny("17")
    assert balance_at(dated, interest, date(2024, 5, 2)) == cny("27")
    assert balance_at(dated, GlAccount.INTEREST_INCOME, date(2024, 5, 1)) == cny("17")


def test_a_reversal_dated_back_to_the_original_erases_it_at_every_date() -> None:
    fee = fee_charge_entry(3, date(2024, 5, 1), cny("30"))
    undo = reverse(fee, 1, date(2024, 5, 1), "charged in error")
    late_undo = reverse(fee, 1, date(2024, 5, 10), "charged in error")
    fees = AccountRef.loan(3, SubLedger.FEES)
    for day in (date(2024, 5, 1), date(2024, 5, 9), date(2024, 6, 1)):
        assert balance_at(dated_postings([fee, undo]), fees, day) == cny("0")
    assert balance_at(dated_postings([fee, late_undo]), fees, date(2024, 5, 9)) == cny("30")
    assert balance_at(dated_postings([fee, late_undo]), fees, date(2024, 5, 10)) == cny("0")


def test_an_empty_balance_is_zero_in_the_default_or_given_currency() -> None:
    assert balance_at([], CASH, START) == Money.zero(currency("CNY"))
    assert balance_at([], CASH, START, currency_code="USD") == Money.zero(currency("USD"))
    assert loan_balances([], 99, START)[SubLedger.FEES] == cny("0")


def test_a_loan_posted_in_two_currencies_is_a_currency_mismatch() -> None:
    entries = [
        fee_charge_entry(3, START, cny("1")),
        fee_charge_entry(3, START, Money.parse("1", "USD")),
    ]
    with pytest.raises(CurrencyMismatch, match="loan 3 has postings in CNY, USD"):
        loan_balances(entries, 3, START)
    with pytest.raises(CurrencyMismatch):
        balance_at(dated_postings(entries), AccountRef.loan(3, SubLedger.FEES), START)
    assert trial_balance_holds(entries)


def test_a_posting_to_a_control_account_without_a_loan_is_a_mismatch() -> None:
    stray = JournalEntry.build(
        EntryKind.MIGRATION,
        START,
        [
            (AccountRef.general(GlAccount.LOANS_PRINCIPAL), "debit", cny("100")),
            (AccountRef.general(GlAccount.EQUITY_MIGRATION), "credit", cny("100")),
        ],
    )
    entries = [*booked_loan_seven(accrue_rest=True), stray]
    assert trial_balance_holds(entries)
    [mismatch] = subledger_matches_gl(entries)
    assert mismatch == Mismatch(GlAccount.LOANS_PRINCIPAL, "CNY", cny("97500.00"), cny("97400.00"))
    assert mismatch.unattributed == cny("100.00")
    assert str(mismatch) == (
        "1100 loans_principal CNY: GL 97500.00 != sub-ledgers 97400.00 (100.00 without a loan)"
    )


def test_a_trial_balance_that_does_not_net_to_zero_is_detected() -> None:
    # A valid entry cannot be unbalanced; corrupt one as a damaged store might.
    usd_fee = fee_charge_entry(3, START, Money.parse("5", "USD"))
    cny_fee = fee_charge_entry(4, START, cny("5"))
    assert trial_balance_holds([usd_fee, cny_fee])
    assert {code for (_, code) in trial_balance([usd_fee])} == {"USD"}
    object.__setattr__(cny_fee, "postings", cny_fee.postings[:1])
    assert not trial_balance_holds([usd_fee, cny_fee])


# --- by machine ----------------------------------------------------------------------------

CURRENCIES = st.sampled_from(["CNY", "USD", "JPY"])
AMOUNTS = st.integers(min_value=1, max_value=10**9)
RECEIVABLES = (SubLedger.PENALTY, SubLedger.INTEREST, SubLedger.FEES, SubLedger.PRINCIPAL)


@dataclass
class LoanModel:
    code: str
    balances: dict[SubLedger, int] = field(default_factory=lambda: dict.fromkeys(SubLedger, 0))
    written_off: bool = False

    def money(self, minor: int) -> Money:
        return Money.of_minor(minor, self.code)


Delta = dict[tuple[int, SubLedger], int]


class LedgerMachine(RuleBasedStateMachine):
    """Random loan lives through the builders; the model tracks each sub-ledger by hand."""

    def __init__(self) -> None:
        super().__init__()
        self.loans: dict[int, LoanModel] = {}
        self.entries: list[JournalEntry] = []
        self.deltas: list[Delta] = []
        self.day = START

    def post(self, entry: JournalEntry, delta: Delta) -> None:
        self.entries.append(entry)
        self.deltas.append(delta)
        for (loan_id, sub), minor in delta.items():
            self.loans[loan_id].balances[sub] += minor

    def pick(self, index: int, *, live: bool = True) -> int | None:
        ids = sorted(i for i, m in self.loans.items() if m.written_off is not live)
        return ids[index % len(ids)] if ids else None

    @rule(code=CURRENCIES, principal=AMOUNTS, fee_share=st.integers(0, 99), paid=st.booleans())
    def open_loan(self, code: str, principal: int, fee_share: int, paid: bool) -> None:
        loan_id = len(self.loans) + 1
        self.loans[loan_id] = LoanModel(code)
        fee = principal * fee_share // 100
        entry = disbursement_entry(
            loan_id,
            self.day,
            principal=Money.of_minor(principal, code),
            to_dealer=Money.of_minor(principal - fee, code),
            fees_deducted=Money.of_minor(fee, code),
            paid=paid,
        )
        self.post(entry, {(loan_id, SubLedger.PRINCIPAL): principal})

    @rule(code=CURRENCIES, principal=AMOUNTS, suspense=st.integers(0, 10**6))
    def migrate_loan(self, code: str, principal: int, suspense: int) -> None:
        loan_id = len(self.loans) + 1
        self.loans[loan_id] = LoanModel(code)
        balances = {
            SubLedger.PRINCIPAL: Money.of_minor(principal, code),
            SubLedger.SUSPENSE: Money.of_minor(suspense, code),
        }
        entry = migration_entry(loan_id, self.day, balances)
        self.post(
            entry,
            {(loan_id, SubLedger.PRINCIPAL): principal, (loan_id, SubLedger.SUSPENSE): suspense},
        )

    @rule(index=st.integers(0), minor=st.integers(1, 10**6), sub=st.sampled_from(["i", "p", "f"]))
    def charge(self, index: int, minor: int, sub: str) -> None:
        loan_id = self.pick(index)
        if loan_id is None:
            return
        amount = self.loans[loan_id].money(minor)
        builders = {
            "i": (accrual_entry, SubLedger.INTEREST),
            "p": (penalty_accrual_entry, SubLedger.PENALTY),
            "f": (fee_charge_entry, SubLedger.FEES),
        }
        build, target = builders[sub]
        self.post(build(loan_id, self.day, amount), {(loan_id, target): minor})

    @rule(index=st.integers(0), minor=st.integers(1, 10**6))
    def waive_fee(self, index: int, minor: int) -> None:
        loan_id = self.pick(index)
        if loan_id is None or self.loans[loan_id].balances[SubLedger.FEES] <= 0:
            return
        minor = min(minor, self.loans[loan_id].balances[SubLedger.FEES])
        entry = fee_waiver_entry(loan_id, self.day, self.loans[loan_id].money(minor))
        self.post(entry, {(loan_id, SubLedger.FEES): -minor})

    @rule(index=st.integers(0), cash=AMOUNTS)
    def repay(self, index: int, cash: int) -> None:
        loan_id = self.pick(index)
        if loan_id is None:
            return
        model = self.loans[loan_id]
        allocation = self.allocate(model, cash)
        allocation[SubLedger.SUSPENSE] = cash - sum(allocation.values())
        money = {sub: model.money(m) for sub, m in allocation.items()}
        kind = EntryKind.PAYOFF if allocation[SubLedger.SUSPENSE] else EntryKind.REPAYMENT
        entry = repayment_entry(loan_id, self.day, money, cash=model.money(cash), kind=kind)
        delta = {(loan_id, sub): -m for sub, m in allocation.items()}
        delta[(loan_id, SubLedger.SUSPENSE)] = allocation[SubLedger.SUSPENSE]
        self.post(entry, delta)

    @rule(index=st.integers(0))
    def apply_suspense(self, index: int) -> None:
        loan_id = self.pick(index)
        if loan_id is None:
            return
        model = self.loans[loan_id]
        allocation = self.allocate(model, max(model.balances[SubLedger.SUSPENSE], 0))
        used = sum(allocation.values())
        if used == 0:
            return
        money = {sub: model.money(m) for sub, m in allocation.items()}
        entry = repayment_entry(loan_id, self.day, money, from_suspense=model.money(used))
        delta = {(loan_id, sub): -m for sub, m in allocation.items()}
        delta[(loan_id, SubLedger.SUSPENSE)] = -used
        self.post(entry, delta)

    @staticmethod
    def allocate(model: LoanModel, available: int) -> dict[SubLedger, int]:
        """Penalty, then interest, fees and principal, up to what each one owes."""
        allocation = {}
        for sub in RECEIVABLES:
            part = min(available, max(model.balances[sub], 0))
            allocation[sub], available = part, available - part
        return allocation

    @rule(index=st.integers(0), minor=st.integers(1, 10**6))
    def refund(self, index: int, minor: int) -> None:
        loan_id = self.pick(index)
        if loan_id is None or self.loans[loan_id].balances[SubLedger.SUSPENSE] <= 0:
            return
        minor = min(minor, self.loans[loan_id].balances[SubLedger.SUSPENSE])
        entry = refund_entry(loan_id, self.day, self.loans[loan_id].money(minor))
        self.post(entry, {(loan_id, SubLedger.SUSPENSE): -minor})

    @rule(index=st.integers(0), minor=st.integers(-(10**8), 10**8).filter(bool))
    def provide(self, index: int, minor: int) -> None:
        loan_id = self.pick(index)
        if loan_id is None:
            return
        minor = max(minor, -self.loans[loan_id].balances[SubLedger.ALLOWANCE])
        if minor == 0:
            return
        entry = allowance_entry(loan_id, self.day, self.loans[loan_id].money(minor))
        self.post(entry, {(loan_id, SubLedger.ALLOWANCE): minor})

    @rule(index=st.integers(0), minor=st.integers(1, 10**6), received=st.booleans())
    def subsidise(self, index: int, minor: int, received: bool) -> None:
        loan_id = self.pick(index)
        if loan_id is None:
            return
        entry = subsidy_entry(
            loan_id, self.day, self.loans[loan_id].money(minor), received=received
        )
        self.post(entry, {(loan_id, SubLedger.SUBSIDY): -minor if received else minor})

    @rule(index=st.integers(0))
    def write_off(self, index: int) -> None:
        loan_id = self.pick(index)
        if loan_id is None:
            return
        model = self.loans[loan_id]
        outstanding = {sub: max(model.balances[sub], 0) for sub in RECEIVABLES}
        if not any(outstanding.values()):
            return
        allowance = max(model.balances[SubLedger.ALLOWANCE], 0)
        entry = write_off_entry(
            loan_id,
            self.day,
            {s: model.money(m) for s, m in outstanding.items()},
            model.money(allowance),
        )
        delta = {(loan_id, sub): -m for sub, m in outstanding.items()}
        delta[(loan_id, SubLedger.ALLOWANCE)] = -min(allowance, sum(outstanding.values()))
        self.post(entry, delta)
        model.written_off = True

    @rule(index=st.integers(0), minor=AMOUNTS)
    def recover(self, index: int, minor: int) -> None:
        loan_id = self.pick(index, live=False)
        if loan_id is not None:
            self.post(recovery_entry(loan_id, self.day, self.loans[loan_id].money(minor)), {})

    @precondition(lambda self: bool(self.entries))
    @rule(index=st.integers(0), backdate=st.booleans())
    def reverse_one(self, index: int, backdate: bool) -> None:
        position = index % len(self.entries)
        original = self.entries[position]
        day = original.value_date if backdate else self.day
        entry = reverse(original, position + 1, day, "test reversal")
        self.post(entry, {key: -minor for key, minor in self.deltas[position].items()})

    @rule(days=st.integers(1, 40))
    def next_day(self, days: int) -> None:
        self.day += timedelta(days=days)

    @invariant()
    def trial_balance_holds_per_currency(self) -> None:
        assert trial_balance_holds(self.entries)
        for code in {code for (_, code) in trial_balance(self.entries)}:
            assert sum(v for (_, c), v in trial_balance(self.entries).items() if c == code) == 0

    @invariant()
    def sub_ledgers_equal_the_gl(self) -> None:
        assert subledger_matches_gl(self.entries) == []

    @invariant()
    def each_loan_matches_the_model(self) -> None:
        for loan_id, model in self.loans.items():
            got = loan_balances(self.entries, loan_id, self.day)
            assert {sub: m.minor for sub, m in got.items()} == model.balances
            assert all(m.currency.code == model.code for m in got.values())


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


@st.composite
def builder_entries(draw: st.DrawFn) -> list[JournalEntry]:
    machine = LedgerMachine()
    code = draw(CURRENCIES)
    machine.open_loan(code, draw(AMOUNTS), draw(st.integers(0, 99)), draw(st.booleans()))
    for _ in range(draw(st.integers(0, 8))):
        step = draw(st.sampled_from(["charge", "repay", "provide", "write_off", "subsidise"]))
        if step == "charge":
            machine.charge(0, draw(st.integers(1, 10**6)), draw(st.sampled_from(["i", "p", "f"])))
        elif step == "repay":
            machine.repay(0, draw(AMOUNTS))
            machine.apply_suspense(0)
        elif step == "provide":
            machine.provide(0, draw(st.integers(1, 10**6)))
        elif step == "subsidise":
            machine.subsidise(0, draw(st.integers(1, 10**6)), draw(st.booleans()))
        else:
            machine.write_off(0)
    return machine.entries


@settings(max_examples=100, deadline=None)
@given(entries=builder_entries(), backdate=st.booleans())
def test_reversing_every_entry_nets_every_account_to_zero(
    entries: list[JournalEntry], backdate: bool
) -> None:
    reversals = [
        reverse(e, i + 1, e.value_date if backdate else date(2030, 1, 1), "undo")
        for i, e in enumerate(entries)
    ]
    everything = entries + reversals
    assert set(trial_balance(everything).values()) == {0}
    refs = {p.account for e in entries for p in e.postings}
    dated = list(dated_postings(everything))
    for ref in refs:
        assert balance_at(dated, ref, date(2030, 1, 1), currency_code="JPY").is_zero()
    assert all(m.is_zero() for m in loan_balances(everything, 1, date(2030, 1, 1)).values())


@settings(max_examples=100, deadline=None)
@given(entries=builder_entries())
def test_the_trial_balance_holds_for_builder_made_entries(entries: list[JournalEntry]) -> None:
    assert trial_balance_holds(entries)
    assert subledger_matches_gl(entries) == []
    for entry in entries:
        assert len(entry.postings) >= 2
        assert all(debit == credit for debit, credit in entry.totals().values())
