"""The personal-data port implemented with the envelope-encryption vault."""

from __future__ import annotations

from collections.abc import Mapping

from autolend.adapters.keys.vault import MasterKeyRing, PersonalDataVault, SealedRecord
from autolend.services.ports import SealedFields


class VaultCipher:
    """Adapts :class:`PersonalDataVault` to the services' ``PersonalDataCipher`` port."""

    def __init__(self, master_keys: MasterKeyRing, blind_index_key: bytes) -> None:
        self._ring = master_keys
        self._vault = PersonalDataVault(master_keys, blind_index_key)

    @property
    def active_key_id(self) -> str:
        return self._ring.active_key_id

    def seal(self, fields: Mapping[str, str], *, context: str) -> SealedFields:
        record = self._vault.seal(fields, context=context)
        return SealedFields(record.key_id, record.wrapped_data_key, dict(record.fields))

    def open(self, sealed: SealedFields, *, context: str) -> dict[str, str]:
        return self._vault.open(_record(sealed), context=context)

    def rewrap(self, sealed: SealedFields, *, context: str) -> SealedFields:
        record = self._vault.rewrap(_record(sealed), context=context)
        return SealedFields(record.key_id, record.wrapped_data_key, dict(record.fields))

    def blind_index(self, kind: str, value: str) -> str:
        return self._vault.blind_index(kind, value)


def _record(sealed: SealedFields) -> SealedRecord:
    return SealedRecord(
        key_id=sealed.key_id, wrapped_data_key=sealed.wrapped_data_key, fields=dict(sealed.fields)
    )
