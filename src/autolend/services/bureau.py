"""Credit-bureau queries: only with consent, logged with their purpose, reports sealed.

:meth:`BureauService.query` (1) refuses, storing and sending nothing, unless the customer has
an active ``bureau_query`` consent (征信业管理条例 Art. 18); (2) calls the bureau *outside* any
database transaction; (3) in one transaction logs the query (who, when, customer, purpose,
consent, outcome, latency, attempts), stores the report sealed under a fresh data key bound
to the query's reference, and appends an audit record. An unavailable bureau is logged too
and then reported (HTTP 503); "no record" is an outcome, not an error. Example: an
underwriter queries customer 7 for ``loan_application``; the answer is the query's log line
and a :class:`~autolend.domain.bureau.ReportSummary` (no names, no ID numbers).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.bureau import ReportSummary, parse_purpose, summarize
from autolend.domain.consent import ConsentKind, ConsentRequired
from autolend.domain.errors import InvalidInput, NotFound, PermissionDenied
from autolend.domain.regulation import pack_for
from autolend.services.audit import record_change
from autolend.services.bureau_ports import (
    REPORT_FIELD,
    BureauError,
    BureauGateway,
    BureauNoRecord,
    BureauQuery,
    BureauQueryRow,
    BureauRejected,
    NewBureauQuery,
)
from autolend.services.consents import active_consent, reachable_customer
from autolend.services.customers import pack_of_customer, sealing_context
from autolend.services.ports import (
    Clock,
    CustomerRow,
    PersonalDataCipher,
    SealedFields,
    UnitOfWorkFactory,
)


@dataclass(frozen=True)
class BureauQueryView:
    id: int
    customer_id: int
    reference: str
    purpose: str
    outcome: str
    detail: str | None
    latency_ms: int
    attempts: int
    queried_by: int
    queried_at: datetime
    summary: ReportSummary | None
    currency: str = "CNY"  # of the summary's amounts: the customer's pack's (US: USD)


@dataclass(frozen=True)
class _Outcome:
    outcome: str
    body: str | None
    summary: ReportSummary | None
    error: BureauError | None
    attempts: int
    latency_ms: int


def report_context(reference: str) -> str:
    """A sealed report opens only under the reference of the query that fetched it."""
    return f"bureau_report:{reference}"


class BureauService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        gateway: BureauGateway,
        clock: Clock,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._gateway = gateway
        self._clock = clock
        self._timer = timer

    def close(self) -> None:
        """Close the gateway's connections (at the server's shutdown)."""
        self._gateway.close()

    def query(self, actor: Actor, customer_id: int, purpose: str) -> BureauQueryView:
        """Query the bureau for a customer; see the module docstring for the rules."""
        if not actor.can(Permission.BUREAU_QUERY):
            raise PermissionDenied("your role may not query the credit bureau")
        reason = parse_purpose(purpose)
        consent_id, subject = self._subject(actor, customer_id)
        currency = pack_for(subject["pack"]).currency
        reference = uuid.uuid4().hex
        query = BureauQuery(subject["id_number"], subject["name"], reason.value, f"C{consent_id}")
        result = self._call(query)
        row = self._store(
            actor,
            customer_id=customer_id,
            reference=reference,
            purpose=reason.value,
            consent_id=consent_id,
            result=result,
        )
        if result.error is not None and not isinstance(result.error, BureauNoRecord):
            raise result.error
        return _view(row, result.summary, currency)

    def _store(
        self,
        actor: Actor,
        *,
        customer_id: int,
        reference: str,
        purpose: str,
        consent_id: int,
        result: _Outcome,
    ) -> BureauQueryRow:
        """Log the query, seal the report and audit it: one transaction."""
        detail = result.error.message if result.error else None
        new = NewBureauQuery(
            customer_id=customer_id,
            reference=reference,
            purpose=purpose,
            consent_id=consent_id,
            outcome=result.outcome,
            detail=detail,
            latency_ms=result.latency_ms,
            attempts=result.attempts,
            queried_by=actor.user_id,
            queried_at=self._clock.now(),
            request_id=actor.request_id,
        )
        with self._uow(write=True) as uow:
            query_id = uow.bureau.add_query(new)
            if result.body is not None:
                sealed = self._cipher.seal(
                    {REPORT_FIELD: result.body}, context=report_context(reference)
                )
                uow.bureau.add_report(query_id, sealed)
            record_change(
                uow,
                self._clock,
                actor,
                action="bureau.query",
                object_type="customer",
                object_id=customer_id,
                summary={"query_id": query_id, "purpose": purpose, "outcome": result.outcome},
            )
            uow.commit()
        return BureauQueryRow(
            query_id, customer_id, reference, purpose, consent_id, result.outcome, detail,
            result.latency_ms, result.attempts, actor.user_id, new.queried_at,
        )  # fmt: skip

    def _subject(self, actor: Actor, customer_id: int) -> tuple[int, dict[str, str]]:
        """The active bureau-query consent and the customer's name and ID, or an error."""
        with self._uow() as uow:
            row = reachable_customer(uow, actor, customer_id)
            consent = active_consent(uow, customer_id, ConsentKind.BUREAU_QUERY, self._clock.now())
        if consent is None:
            raise ConsentRequired(
                "no active bureau-query consent for this customer: record the customer's "
                "consent (kind 'bureau_query') before querying the credit bureau",
                field="consent",
            )
        plain = self._cipher.open(row.sealed, context=sealing_context(row.id_number_index))
        pack = pack_of_customer(row, self._cipher)
        return consent.id, {"id_number": plain["id_number"], "name": plain["name"], "pack": pack}

    def _call(self, query: BureauQuery) -> _Outcome:
        started = self._timer()
        try:
            report = self._gateway.fetch_report(query)
        except BureauError as error:
            elapsed = round((self._timer() - started) * 1000)
            outcome = {"bureau_no_record": "no_record", "bureau_rejected": "rejected"}
            kind = outcome.get(error.code, "unavailable")
            return _Outcome(kind, None, None, error, error.attempts, elapsed)
        elapsed = round((self._timer() - started) * 1000)
        try:
            summary = summarize(json.loads(report.body))
        except (InvalidInput, ValueError) as error:  # the field at fault, never its value
            where = error.field if isinstance(error, InvalidInput) else "not JSON"
            malformed = BureauRejected(f"the credit bureau's report is malformed ({where})")
            return _Outcome("rejected", None, None, malformed, report.attempts, elapsed)
        return _Outcome("ok", report.body, summary, None, report.attempts, elapsed)

    def history(self, actor: Actor, customer_id: int, limit: int = 50) -> list[BureauQueryView]:
        """The customer's queries, newest first; summaries only for roles that query."""
        if not actor.can(Permission.BUREAU_READ):
            raise PermissionDenied("your role may not read bureau queries")
        with_summary = actor.can(Permission.BUREAU_QUERY)
        with self._uow() as uow:
            customer = reachable_customer(uow, actor, customer_id)
            rows = uow.bureau.queries_for(customer_id, limit)
            reports = {r.id: uow.bureau.report(r.id) for r in rows if with_summary}
        currency = self._currency_of(customer)
        views = []
        for row in rows:
            sealed = reports.get(row.id)
            summary = summarize(self._open(row, sealed)) if sealed is not None else None
            views.append(_view(row, summary, currency))
        return views

    def _currency_of(self, customer: CustomerRow) -> str:
        """The currency of the customer's pack (a US customer's: USD)."""
        return pack_for(pack_of_customer(customer, self._cipher)).currency

    def report(self, actor: Actor, customer_id: int, query_id: int) -> dict[str, Any]:
        """The full report of one query (personal data: roles that query and read PII)."""
        if not (actor.can(Permission.BUREAU_QUERY) and actor.can(Permission.PII_READ_FULL)):
            raise PermissionDenied("your role may not read credit reports")
        with self._uow() as uow:
            reachable_customer(uow, actor, customer_id)
            row = uow.bureau.query(query_id)
            sealed = uow.bureau.report(query_id) if row is not None else None
        if row is None or row.customer_id != customer_id or sealed is None:
            raise NotFound("credit report not found")
        return self._open(row, sealed)

    def _open(self, row: BureauQueryRow, sealed: SealedFields) -> dict[str, Any]:
        plain = self._cipher.open(sealed, context=report_context(row.reference))
        document: dict[str, Any] = json.loads(plain[REPORT_FIELD])
        return document


def _view(row: BureauQueryRow, summary: ReportSummary | None, currency: str) -> BureauQueryView:
    """The query's log line and summary; its amounts in ``currency``, the currency of the
    customer's pack (a report on an SSN is in dollars, on a resident ID in yuan)."""
    return BureauQueryView(
        id=row.id,
        customer_id=row.customer_id,
        reference=row.reference,
        purpose=row.purpose,
        outcome=row.outcome,
        detail=row.detail,
        latency_ms=row.latency_ms,
        attempts=row.attempts,
        queried_by=row.queried_by,
        queried_at=row.queried_at,
        summary=summary,
        currency=currency,
    )
