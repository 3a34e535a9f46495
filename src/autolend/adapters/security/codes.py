"""Keyed hashes of one-time signing codes: HMAC-SHA256 under a server key.

The key is ``AUTOLEND_SIGNING_CODE_KEY`` or, when unset, derived from the token secret
(``SHA-256("autolend-signing-code-v1" || token secret)``), so a stolen database alone does
not let anyone test the 10^6 possible codes offline.

>>> hasher = HmacCodeHasher(b"k" * 32)
>>> stored = hasher.digest(7, "042917")
>>> (len(stored), hasher.matches(7, "042917", stored), hasher.matches(8, "042917", stored))
(64, True, False)
"""

from __future__ import annotations

import hashlib
import hmac


def derived_key(secret: str) -> bytes:
    return hashlib.sha256(b"autolend-signing-code-v1\x00" + secret.encode()).digest()


class HmacCodeHasher:
    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the signing-code key must be at least 32 bytes")
        self._key = key

    def digest(self, contract_id: int, code: str) -> str:
        """Bound to the contract: the same code for another contract hashes differently."""
        message = f"contract:{contract_id}:{code}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def matches(self, contract_id: int, code: str, stored: str) -> bool:
        return hmac.compare_digest(self.digest(contract_id, code), stored)
