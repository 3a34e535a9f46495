"""A circuit breaker: stop calling a failing service for a while, then try one call.

``closed``: calls pass; ``failures`` consecutive failures open it. ``open``: calls fail fast,
without touching the network, until ``cooldown`` seconds have passed. ``half_open``: one trial
call passes (the others still fail fast); its success closes the circuit, its failure opens
it for another cool-down. Time comes from an injected monotonic clock (seconds), so tests
move it by hand:

>>> now = [0.0]
>>> breaker = CircuitBreaker(failures=2, cooldown=30.0, monotonic=lambda: now[0])
>>> breaker.record_failure(); breaker.record_failure(); breaker.state
'open'
>>> breaker.allow()
False
>>> now[0] = 30.0
>>> breaker.allow(), breaker.state, breaker.allow()
(True, 'half_open', False)
>>> breaker.record_success(); breaker.state
'closed'
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    def __init__(
        self,
        *,
        failures: int = 5,
        cooldown: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1 or cooldown < 0:
            raise ValueError("a circuit breaker needs failures >= 1 and cooldown >= 0")
        self._threshold = failures
        self._cooldown = cooldown
        self._now = monotonic
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at = 0.0

    @property
    def state(self) -> str:
        return self._state

    def retry_after(self) -> float:
        """Seconds until an open circuit lets a trial call through (0 when not open)."""
        if self._state != OPEN:
            return 0.0
        return max(0.0, self._opened_at + self._cooldown - self._now())

    def allow(self) -> bool:
        """May a call go out now? Moves an open circuit to half-open after the cool-down."""
        with self._lock:
            if self._state == CLOSED:
                return True
            if self._state == OPEN and self._now() - self._opened_at >= self._cooldown:
                self._state = HALF_OPEN
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._state = CLOSED
            self._failures = 0

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state == HALF_OPEN or self._failures >= self._threshold:
                self._state = OPEN
                self._opened_at = self._now()
