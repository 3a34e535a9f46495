"""The bureau gateway over a mock transport: an answer that cannot be read is a failed
attempt like a timeout, and no error of any kind leaves the circuit half-open for good."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from autolend.adapters.bureau.circuit import CircuitBreaker
from autolend.adapters.bureau.http_gateway import HttpBureauGateway
from autolend.services.bureau_ports import BureauNoRecord, BureauQuery, BureauUnavailable

QUERY = BureauQuery("110105198901010062", "张伟", "loan_application", "C1")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


Handler = Callable[[httpx.Request], httpx.Response]


def gateway(handler: Handler, breaker: CircuitBreaker, retries: int = 1) -> HttpBureauGateway:
    transport = httpx.MockTransport(handler)
    return HttpBureauGateway("http://bureau.test", retries=retries, breaker=breaker,
                             sleep=lambda _: None, transport=transport)  # fmt: skip


def test_an_answer_that_does_not_decode_is_retried_and_then_unavailable() -> None:
    calls: list[int] = []

    def garbled(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip")

    breaker = CircuitBreaker(failures=5)
    with pytest.raises(BureauUnavailable, match="unreadable answer"):
        gateway(garbled, breaker).fetch_report(QUERY)
    assert len(calls) == 2


def test_an_unexpected_error_of_the_half_open_trial_opens_the_circuit_again() -> None:
    """The trial raised an error the gateway did not expect; the circuit stayed half-open,
    which lets no call through, and every later query failed fast for good."""
    clock = Clock()
    breaker = CircuitBreaker(failures=1, cooldown=30.0, monotonic=clock)
    breaker.record_failure()
    clock.now = 30.0

    def broken(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("a bug on the way out")

    with pytest.raises(RuntimeError):
        gateway(broken, breaker, retries=0).fetch_report(QUERY)
    assert breaker.state == "open"
    clock.now = 60.0
    ok = gateway(lambda r: httpx.Response(404, json={}), breaker, retries=0)
    with pytest.raises(BureauNoRecord):
        ok.fetch_report(QUERY)
    assert breaker.state == "closed"
