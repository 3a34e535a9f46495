"""The bureau gateway's circuit breaker, driven by a hand-moved clock."""

from __future__ import annotations

import pytest

from autolend.adapters.bureau.circuit import CircuitBreaker


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def timer() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def breaker(timer: FakeMonotonic) -> CircuitBreaker:
    return CircuitBreaker(failures=3, cooldown=30.0, monotonic=timer)


def test_the_circuit_stays_closed_until_the_nth_consecutive_failure(
    breaker: CircuitBreaker,
) -> None:
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state == "closed" and breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()


def test_a_success_resets_the_count_so_only_consecutive_failures_open_it(
    breaker: CircuitBreaker,
) -> None:
    for _ in range(5):
        breaker.record_failure()
        breaker.record_failure()
        breaker.record_success()
    assert breaker.state == "closed"


def test_an_open_circuit_fails_fast_until_the_cool_down_has_passed(
    breaker: CircuitBreaker, timer: FakeMonotonic
) -> None:
    for _ in range(3):
        breaker.record_failure()
    timer.now += 29.9
    assert not breaker.allow()
    assert breaker.retry_after() == pytest.approx(0.1)
    timer.now += 0.1
    assert breaker.allow() and breaker.state == "half_open"


def test_half_open_lets_one_trial_through_and_its_success_closes_the_circuit(
    breaker: CircuitBreaker, timer: FakeMonotonic
) -> None:
    for _ in range(3):
        breaker.record_failure()
    timer.now += 30
    assert breaker.allow()
    assert not breaker.allow()  # a second caller waits for the trial
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow()


def test_a_failed_trial_opens_the_circuit_for_another_full_cool_down(
    breaker: CircuitBreaker, timer: FakeMonotonic
) -> None:
    for _ in range(3):
        breaker.record_failure()
    timer.now += 30
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open"
    timer.now += 29
    assert not breaker.allow()
    timer.now += 1
    assert breaker.allow()


def test_a_breaker_needs_a_positive_threshold() -> None:
    with pytest.raises(ValueError, match="failures >= 1"):
        CircuitBreaker(failures=0)
