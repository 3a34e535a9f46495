"""Master-key rotation for personal data.

Rotation re-wraps every sealed record's data key under the active master key: customers,
applications, application documents, bureau reports, outbox messages and contracts (the kinds of
:data:`autolend.services.ports.SEALED_KINDS`). The field ciphertexts do not change, so
rotation is quick and never exposes plaintext. Old master keys can be removed from
configuration once no record names them (``keys_before`` of the next rotation says so).

Example: a ring ``k2,k1`` over 3 customers and 1 bureau report sealed under k1 re-wraps 4
keys (customer 3, bureau_report 1); a second rotation re-wraps 0, all 4 already current.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from autolend.domain.access import Actor
from autolend.services import (
    application_records,
    bureau,
    contract_documents,
    customers,
    notifications,
)
from autolend.services.applications import document_context
from autolend.services.audit import record_change
from autolend.services.ports import (
    SEALED_KINDS,
    Clock,
    PersonalDataCipher,
    SealedFields,
    UnitOfWork,
    UnitOfWorkFactory,
    WrappedKey,
)

_CONTEXTS: dict[str, Callable[[tuple[str, ...]], str]] = {
    "customer": lambda b: customers.sealing_context(b[0]),
    "application": lambda b: application_records.sealing_context(int(b[0])),
    "application_document": lambda b: document_context(int(b[0]), b[1]),
    "bureau_report": lambda b: bureau.report_context(b[0]),
    "outbox": lambda _: notifications.SEALING_CONTEXT,
    "contract": lambda b: contract_documents.document_context(b[0], b[1]),
}


@dataclass(frozen=True)
class RotationReport:
    active_key_id: str
    rewrapped: int
    already_current: int
    keys_before: dict[str, int]
    rewrapped_by_kind: dict[str, int] = field(default_factory=dict)


class KeyRotationService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, cipher: PersonalDataCipher, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock

    def rotate(self, actor: Actor) -> RotationReport:
        """Re-wrap every sealed record's data key with the active key, in one transaction."""
        active = self._cipher.active_key_id
        before: Counter[str] = Counter()
        by_kind: Counter[str] = Counter()
        with self._uow(write=True) as uow:
            for kind in SEALED_KINDS:
                for key in uow.sealed_keys.wrapped_keys(kind):
                    before[key.key_id] += 1
                    if key.key_id != active:
                        self._rewrap(uow, key)
                        by_kind[kind] += 1
            rewrapped = sum(by_kind.values())
            record_change(
                uow,
                self._clock,
                actor,
                action="keys.rotate",
                object_type="key_ring",
                object_id=active,
                summary={"rewrapped": rewrapped},
            )
            uow.commit()
        return RotationReport(
            active, rewrapped, sum(before.values()) - rewrapped, dict(before), dict(by_kind)
        )

    def _rewrap(self, uow: UnitOfWork, key: WrappedKey) -> None:
        # Only the data key is unwrapped and wrapped again; no field is needed or opened.
        sealed = self._cipher.rewrap(
            SealedFields(key.key_id, key.wrapped_data_key, {}),
            context=_CONTEXTS[key.kind](key.binding),
        )
        uow.sealed_keys.replace_key(key.kind, key.row_id, sealed.key_id, sealed.wrapped_data_key)
