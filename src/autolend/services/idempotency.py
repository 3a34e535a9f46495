"""Idempotency keys for money-moving requests.

The key is claimed in the same transaction as the postings, after the loan row is locked,
so concurrent identical requests run one after the other: the first posts and stores its
response, every later one finds the key and gets that response back exactly. A key reused
with another body (or on another route) is refused and posts nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from autolend.domain.errors import InvalidInput
from autolend.services.loan_ports import IdempotencyRecord
from autolend.services.ports import Clock, UnitOfWork

RETENTION = timedelta(days=35)
"""How long a key is kept (at least 30 days)."""


class IdempotencyKeyReused(InvalidInput):
    """The key was used before for a different request (HTTP 422)."""

    code = "idempotency_key_reused"


@dataclass(frozen=True)
class IdempotencyRequest:
    """The client's key, who sent it, the route and the hash of the request body."""

    key: str
    user_id: int
    route: str
    request_hash: str


@dataclass(frozen=True)
class MoneyResult:
    """What a money-moving use case answers: an HTTP status and a JSON-ready body;
    ``replayed`` when it is the stored answer to an earlier request with the same key."""

    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a request body."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def replayed(uow: UnitOfWork, request: IdempotencyRequest | None) -> MoneyResult | None:
    """The stored result for this key, or None; a different request is refused."""
    if request is None:
        return None
    record = uow.idempotency.get(request.key, request.user_id)
    if record is None:
        return None
    if record.route != request.route or record.request_hash != request.request_hash:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was already used for a different request; use a new key",
            field="Idempotency-Key",
            message_zh="该幂等键（Idempotency-Key）已用于另一笔不同的请求，请使用新的键",
        )
    return MoneyResult(record.status_code, json.loads(record.response_body), replayed=True)


def claim(
    uow: UnitOfWork, clock: Clock, request: IdempotencyRequest | None, result: MoneyResult
) -> None:
    """Store the key with the response, in the caller's transaction."""
    if request is None:
        return
    now = clock.now()
    uow.idempotency.claim(
        IdempotencyRecord(
            key=request.key,
            user_id=request.user_id,
            route=request.route,
            request_hash=request.request_hash,
            status_code=result.status_code,
            response_body=json.dumps(result.body),  # key order kept: replays are identical
            created_at=now,
            expires_at=now + RETENTION,
        )
    )
