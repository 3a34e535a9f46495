"""Master-key rotation for personal data.

Rotation re-wraps every record's data key under the active master key; the field
ciphertexts do not change, so rotation is quick and never exposes plaintext. Old master keys
can be removed from configuration once no record names them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from autolend.domain.access import Actor
from autolend.services.audit import record_change
from autolend.services.customers import sealing_context
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWorkFactory


@dataclass(frozen=True)
class RotationReport:
    active_key_id: str
    rewrapped: int
    already_current: int
    keys_before: dict[str, int]


class KeyRotationService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, cipher: PersonalDataCipher, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock

    def rotate(self, actor: Actor) -> RotationReport:
        """Re-wrap every customer's data key with the active key, in one transaction."""
        active = self._cipher.active_key_id
        before: Counter[str] = Counter()
        rewrapped = 0
        with self._uow(write=True) as uow:
            for row in list(uow.customers.iter_all()):
                before[row.sealed.key_id] += 1
                if row.sealed.key_id == active:
                    continue
                sealed = self._cipher.rewrap(
                    row.sealed, context=sealing_context(row.id_number_index)
                )
                uow.customers.replace_key(row.id, sealed.key_id, sealed.wrapped_data_key)
                rewrapped += 1
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
        return RotationReport(active, rewrapped, sum(before.values()) - rewrapped, dict(before))
