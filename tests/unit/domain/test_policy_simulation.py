"""The comparison arithmetic of a policy simulation, and the facts snapshot's codec.

Figures are worked by hand from the definitions in the module docstring (shares of the
applications replayed, mean PD of the approved, sum of their amounts financed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autolend.domain.decision import Outcome
from autolend.domain.decision_rules import FraudSignals, ReasonText
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.policy_simulation import (
    OUTCOMES,
    FactsSnapshot,
    Replayed,
    compare,
    mean_pd,
    share,
    snapshot_from_dict,
    snapshot_to_dict,
)

A, R, X = Outcome.APPROVE, Outcome.REFER, Outcome.DECLINE


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def row(n: int, amount: str, pd: str | None, current: Outcome, proposed: Outcome,
        stored: Outcome | None = None) -> Replayed:  # fmt: skip
    return Replayed(n, cny(amount), None if pd is None else Decimal(pd),
                    stored or current, current, proposed)  # fmt: skip


BOOK = [
    row(1, "100000.00", "0.010000", A, A),
    row(2, "150000.50", "0.030000", A, R),
    row(3, "80000.00", "0.050000", A, X),
    row(4, "120000.00", "0.080000", R, R),
    row(5, "90000.00", None, R, A),  # no score: not approvable, but the arithmetic counts it
    row(6, "60000.00", "0.250000", X, X),
]


def test_rates_are_shares_of_the_replayed_applications_to_four_places() -> None:
    result = compare(BOOK, "CNY")
    assert (result.current.approved, result.current.referred, result.current.declined) == (
        3, 2, 1,
    )  # fmt: skip
    assert result.current.approval_rate == Decimal("0.5000")
    assert result.current.refer_rate == Decimal("0.3333")  # 2/6 = 0.33333...
    assert result.current.decline_rate == Decimal("0.1667")  # 1/6 = 0.16666...
    assert result.proposed.approval_rate == Decimal("0.3333")
    assert result.proposed.decline_rate == Decimal("0.3333")


def test_the_expected_bad_rate_is_the_mean_pd_of_the_approved_only() -> None:
    result = compare(BOOK, "CNY")
    # current approves 1, 2, 3: (0.01 + 0.03 + 0.05) / 3 = 0.03
    assert result.current.expected_bad_rate == Decimal("0.030000")
    # proposed approves 1 and 5; 5 has no PD, so the mean is over 1 alone
    assert result.proposed.expected_bad_rate == Decimal("0.010000")


def test_the_approved_volume_sums_the_amounts_financed_of_the_approved() -> None:
    result = compare(BOOK, "CNY")
    assert result.current.approved_volume == cny("330000.50")
    assert result.proposed.approved_volume == cny("190000.00")
    assert result.differences()["approved_volume"] == cny("-140000.50")


def test_differences_are_proposed_minus_current_of_the_rounded_figures() -> None:
    diff = compare(BOOK, "CNY").differences()
    assert diff["approval_rate"] == Decimal("0.3333") - Decimal("0.5000")
    assert diff["declined"] == 1
    assert diff["expected_bad_rate"] == Decimal("-0.020000")


def test_the_swap_table_counts_each_move_and_the_diagonal() -> None:
    result = compare(BOOK, "CNY")
    assert result.moved(A, A) == 1 and result.moved(A, R) == 1 and result.moved(A, X) == 1
    assert result.moved(R, R) == 1 and result.moved(R, A) == 1 and result.moved(X, X) == 1
    assert result.moved(X, A) == 0
    assert result.moved_total == 3


def test_a_replay_that_differs_from_the_stored_outcome_is_counted_as_a_mismatch() -> None:
    rows = [row(1, "1000.00", "0.01", A, A), row(2, "1000.00", "0.09", R, R, stored=A)]
    assert compare(rows, "CNY").stored_mismatches == 1
    assert compare(rows[:1], "CNY").stored_mismatches == 0


def test_an_empty_period_has_no_rates_and_zero_volume() -> None:
    result = compare([], "CNY")
    assert result.current.approval_rate is None and result.current.expected_bad_rate is None
    assert result.proposed.approved_volume == cny("0.00")
    assert result.differences()["approval_rate"] is None
    assert result.moved_total == 0


def test_amounts_in_another_currency_are_refused() -> None:
    odd = Replayed(1, Money.parse("10.00", "USD"), Decimal("0.01"), A, A, A)
    with pytest.raises(InvalidInput):
        compare([odd], "CNY")


def test_share_rounds_half_to_even_at_four_places() -> None:
    assert share(1, 16) == Decimal("0.0625")
    assert share(1, 32) == Decimal("0.0312")  # 0.03125: the tie goes to the even digit
    assert share(3, 32) == Decimal("0.0938")  # 0.09375
    assert mean_pd([]) is None


outcomes = st.sampled_from(OUTCOMES)


@given(st.lists(st.tuples(outcomes, outcomes, st.integers(1, 10**9)), max_size=40))
def test_the_swap_table_rows_and_columns_add_up_to_each_policys_counts(
    pairs: list[tuple[Outcome, Outcome, int]],
) -> None:
    rows = [Replayed(i, Money.of_minor(m, "CNY"), Decimal("0.01"), a, a, b)
            for i, (a, b, m) in enumerate(pairs)]  # fmt: skip
    result = compare(rows, "CNY")
    for outcome, attr in zip(OUTCOMES, ("approved", "referred", "declined"), strict=True):
        assert sum(result.moved(outcome, b) for b in OUTCOMES) == getattr(result.current, attr)
        assert sum(result.moved(a, outcome) for a in OUTCOMES) == getattr(result.proposed, attr)
    kept = sum(result.moved(o, o) for o in OUTCOMES)
    assert kept + result.moved_total == len(rows)


def test_a_facts_snapshot_round_trips_through_json() -> None:
    snapshot = FactsSnapshot(
        date(2026, 11, 28), "STD_NEW", 2, 17, None, FraudSignals(1, 2, False),
        (ReasonText("income", "Income is low", "收入较低"),),
    )  # fmt: skip
    assert snapshot_from_dict(snapshot_to_dict(snapshot)) == snapshot


def test_a_malformed_snapshot_is_refused_naming_the_facts() -> None:
    broken = snapshot_to_dict(
        FactsSnapshot(date(2026, 11, 28), "STD_NEW", 1, None, "down", FraudSignals(0, 0, False), ())
    )
    del broken["fraud"]
    with pytest.raises(InvalidInput) as raised:
        snapshot_from_dict(broken)
    assert raised.value.field == "facts"


def test_a_snapshot_keeps_the_currency_no_model_was_registered_for() -> None:
    """A ``no_model`` referral was replayed as ``score_unavailable``: the snapshot lost why
    the application had no score."""
    snapshot = FactsSnapshot(
        date(2026, 11, 28), "US_NEW", 1, None, "down", FraudSignals(0, 0, False), (),
        no_model_for="USD",
    )  # fmt: skip
    stored = snapshot_to_dict(snapshot)
    assert stored["no_model_for"] == "USD"
    assert snapshot_from_dict(stored).no_model_for == "USD"


def test_a_snapshot_with_a_model_is_stored_as_before_and_an_old_one_still_reads() -> None:
    snapshot = FactsSnapshot(
        date(2026, 11, 28), "STD_NEW", 2, 17, None, FraudSignals(1, 2, False), ()
    )
    stored = snapshot_to_dict(snapshot)
    assert "no_model_for" not in stored  # a CN record keeps its form
    assert snapshot_from_dict(stored).no_model_for is None


def test_a_snapshot_whose_no_model_currency_is_no_text_is_refused_naming_the_facts() -> None:
    stored = snapshot_to_dict(
        FactsSnapshot(date(2026, 11, 28), "US_NEW", 1, None, None, FraudSignals(0, 0, False), ())
    ) | {"no_model_for": 840}
    with pytest.raises(InvalidInput) as raised:
        snapshot_from_dict(stored)
    assert raised.value.field == "facts"
