"""No pyramiding of late fees under the US pack (FTC Credit Practices Rule, 16 CFR 444.4):
a payment in full and on time is never charged a late fee because the waterfall took
part of it for an earlier late fee; CN keeps charging as before.

The story (worked by hand under US; the same loan in CNY under CN): 12,000.00 at 7.3 % over 12
months from 2026-01-05, late fee 25.00 ten days after a due date. Installments 1..3 are
each 1,039.98 (principal + interest: 966.98 + 73.00, 972.86 + 67.12, 978.78 + 61.20).

* Feb 15 (Feb 5 + 10): installment 1 unpaid, its late fee 25.00 (``lf:2026-02-15``).
* Feb 20: 1,039.98 paid, 15 days late. Under US the overdue principal bore the contract
  rate, 966.98 x 0.073 / 365 = 0.193 -> 0.19 a day for Feb 6..20, 2.85. The waterfall
  pays that 2.85, interest 73.00, the fee 25.00 and 939.13 of principal: installment 1
  is 27.85 short.
* Mar 5: 1,039.98 paid on the due date: 0.13 of interest on those arrears (0.01 a day,
  Feb 21..Mar 5), 27.85 of installment 1, then 1,012.00 of installment 2 (67.12 +
  944.88): installment 2 is 27.98 short, only because of the fee and interest on arrears.
* Mar 15 (Mar 5 + 10): received 2 x 1,039.98 = 2,079.96, scheduled through installment 2
  the same 2,079.96: not short, so no fee under US. Under CN (and before the fix, US too)
  installment 2 unpaid means 25.00 (``lf:2026-03-15``).
* Apr 5: 1,039.98 on the due date; Apr 15: received 3,119.94 = scheduled 3,119.94, no fee
  under US; CN charges 25.00 (``lf:2026-04-15``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import CN_PACK, US_PACK, RegulationPack
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import LateFeeRule, LoanState, Repayment, replay

START = date(2026, 1, 5)
RULE = LateFeeRule(2_500, 10)  # 25.00, 10 days after the due date
THROUGH = date(2026, 4, 30)


def charged(pack: RegulationPack, *paid: tuple[date, str]) -> list[tuple[date, int, int]]:
    """The late fees (day, installment, amount) of the story's loan under ``pack``, in
    its currency, with ``paid`` (value date, amount) replayed through Apr 30."""
    terms = LoanTerms(principal=Money.parse("12000", pack.currency),
                      annual_rate=Decimal("0.073"), periods=12, start=START)  # fmt: skip
    state = LoanState.from_schedule("L1", build_schedule(terms))
    events = [Repayment(f"r{i}", day, Money.parse(amount, pack.currency))
              for i, (day, amount) in enumerate(paid)]  # fmt: skip
    policy = policy_from_pack(pack, START)
    result = replay(state, events, THROUGH, policy, pack, late_fee=RULE)
    return [(d.date, d.late_fee_n, d.late_fee) for d in result.days if d.late_fee]


STORY = (
    (date(2026, 2, 20), "1039.98"),  # installment 1, 15 days late
    (date(2026, 3, 5), "1039.98"),  # installment 2, in full on its due date
    (date(2026, 4, 5), "1039.98"),  # installment 3, in full on its due date
)
FIRST_FEE = (date(2026, 2, 15), 1, 2_500)


def test_the_cn_pack_allows_pyramiding_and_the_us_pack_does_not() -> None:
    assert CN_PACK.late_fee_pyramiding_allowed
    assert not US_PACK.late_fee_pyramiding_allowed


def test_a_us_loan_paid_in_full_on_time_after_a_late_installment_draws_no_more_fees() -> None:
    assert charged(US_PACK, *STORY) == [FIRST_FEE]


def test_the_same_story_under_cn_charges_each_installment_as_before() -> None:
    assert charged(CN_PACK, *STORY) == [
        FIRST_FEE, (date(2026, 3, 15), 2, 2_500), (date(2026, 4, 15), 3, 2_500),
    ]  # fmt: skip


def test_the_pack_flag_alone_decides() -> None:
    """The US pack with pyramiding allowed charges what the unfixed rule charged."""
    allowing = replace(US_PACK, late_fee_pyramiding_allowed=True)
    assert charged(allowing, *STORY) == [
        FIRST_FEE, (date(2026, 3, 15), 2, 2_500), (date(2026, 4, 15), 3, 2_500),
    ]  # fmt: skip


def test_a_us_payment_short_of_the_installment_itself_still_draws_the_fee() -> None:
    """Mar 5 brings 1,000.00: received 2,039.98 < 2,079.96 scheduled through
    installment 2, so it is late on its own account."""
    short = (STORY[0], (date(2026, 3, 5), "1000.00"))
    assert charged(US_PACK, *short)[:2] == [FIRST_FEE, (date(2026, 3, 15), 2, 2_500)]


def test_a_us_loan_never_paid_draws_a_fee_on_each_installment() -> None:
    assert charged(US_PACK) == [
        FIRST_FEE, (date(2026, 3, 15), 2, 2_500), (date(2026, 4, 15), 3, 2_500),
    ]  # fmt: skip
