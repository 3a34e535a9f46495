"""The bureau gateway over HTTP (httpx): timeout, retries with back-off, circuit breaker.

One query is at most ``1 + retries`` attempts, each bounded by ``timeout`` seconds. A timeout,
a connection error, an answer that cannot be read (a body that does not decode, a redirect
loop: any other ``httpx`` error), HTTP 429 or any 5xx is retried after ``backoff *
2**(n-1)`` seconds; a 4xx is the bureau's answer and is never retried (404: no record;
400: rejected). When every
attempt fails the query fails with :class:`BureauUnavailable`, and the circuit breaker counts
one failure; after ``failures`` such queries in a row it opens and queries fail fast, without
a request, until its cool-down has passed. A 200, 404 or 400 shows the bureau is up and
closes the circuit. Example: ``retries=2, backoff=0.2``, the bureau answers 503, 503, 200:
the report comes back after about 0.6 s with ``attempts == 3``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from autolend.adapters.bureau.circuit import HALF_OPEN, CircuitBreaker
from autolend.services.bureau_ports import (
    BureauError,
    BureauNoRecord,
    BureauQuery,
    BureauRejected,
    BureauReport,
    BureauUnavailable,
)

REPORTS_PATH = "/v1/reports"


class HttpBureauGateway:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 2.0,
        retries: int = 2,
        backoff: float = 0.2,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._client = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)
        self._timeout = timeout
        self._retries = max(0, retries)
        self._backoff = backoff
        self._breaker = breaker or CircuitBreaker()
        self._sleep = sleep

    @property
    def breaker(self) -> CircuitBreaker:
        return self._breaker

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has let go of the connections."""
        return self._client.is_closed

    def close(self) -> None:
        self._client.close()

    def fetch_report(self, query: BureauQuery) -> BureauReport:
        """The report; BureauNoRecord, BureauRejected or BureauUnavailable otherwise."""
        if not self._breaker.allow():
            wait = self._breaker.retry_after()
            raise BureauUnavailable(
                f"the credit bureau is unavailable (circuit open; next try in {wait:.0f} s)"
            )
        tries = 1 if self._breaker.state == HALF_OPEN else 1 + self._retries
        try:
            report = self._with_retries(query, tries)
        except BureauUnavailable:
            self._breaker.record_failure()
            raise
        except BureauError:
            self._breaker.record_success()  # the bureau answered: it is up
            raise
        except Exception:  # never leave a half-open circuit waiting for this call
            self._breaker.record_failure()
            raise
        self._breaker.record_success()
        return report

    def _with_retries(self, query: BureauQuery, tries: int) -> BureauReport:
        reason = ""
        for attempt in range(1, tries + 1):
            outcome = self._attempt(query)
            if isinstance(outcome, httpx.Response):
                return _read(outcome, attempt)
            reason = outcome
            if attempt < tries:
                self._sleep(self._backoff * 2 ** (attempt - 1))
        raise BureauUnavailable(
            f"the credit bureau did not answer after {tries} attempt(s): {reason}",
            attempts=tries,
        )

    def _attempt(self, query: BureauQuery) -> httpx.Response | str:
        """The bureau's answer, or why this attempt should be retried."""
        body = {
            "id_number": query.id_number,
            "name": query.name,
            "purpose": query.purpose,
            "consent_reference": query.consent_reference,
        }
        try:
            response = self._client.post(REPORTS_PATH, json=body)
        except httpx.TimeoutException:
            return f"timed out after {self._timeout:g} s"
        except httpx.TransportError as error:
            return f"unreachable ({type(error).__name__})"
        except httpx.HTTPError as error:  # an answer that cannot be read
            return f"unreadable answer ({type(error).__name__})"
        if response.status_code == 429 or response.status_code >= 500:
            return f"HTTP {response.status_code}"
        return response


def _read(response: httpx.Response, attempts: int) -> BureauReport:
    if response.status_code == 200:
        return BureauReport(body=response.text, attempts=attempts)
    if response.status_code == 404:
        raise BureauNoRecord("the credit bureau holds no record for this person", attempts=attempts)
    raise BureauRejected(
        f"the credit bureau refused the query (HTTP {response.status_code})", attempts=attempts
    )


class UnconfiguredBureauGateway:
    """Stands in when AUTOLEND_BUREAU_URL is not set: every query is unavailable."""

    def fetch_report(self, query: BureauQuery) -> BureauReport:
        raise BureauUnavailable("no credit bureau is configured: set AUTOLEND_BUREAU_URL")

    def close(self) -> None:
        """Nothing is held open."""
