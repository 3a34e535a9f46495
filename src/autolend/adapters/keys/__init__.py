"""Key management and encryption at rest for personal data."""

from autolend.adapters.keys.vault import (
    MasterKeyRing,
    PersonalDataVault,
    SealedRecord,
    VaultError,
)

__all__ = ["MasterKeyRing", "PersonalDataVault", "SealedRecord", "VaultError"]
