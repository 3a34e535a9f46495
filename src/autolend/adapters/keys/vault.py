"""Encryption at rest for personal data (ID numbers, phones, bank accounts, incomes, names).

Envelope encryption
-------------------
Every record gets its own random 256-bit *data key*. The record's fields are encrypted
with that data key (AES-256-GCM) and the data key itself is encrypted ("wrapped") with a
long-lived *master key* from a :class:`MasterKeyRing`. Only the wrapped data key and the
master key id are stored next to the ciphertexts.

Why this shape:

* Rotating a master key only means re-wrapping 60 bytes per record (:meth:`rewrap`); the
  field ciphertexts never have to be touched, so rotation is cheap and safe to run online.
* A leaked data key exposes one record, not the whole table.
* Identical values in different records produce unrelated ciphertexts, so the database
  does not reveal which customers share an ID number or a phone number. Equality look-ups
  go through a separate keyed *blind index* (:meth:`PersonalDataVault.blind_index`).

Associated data (AAD)
---------------------
AES-GCM authenticates, besides the ciphertext, some associated data that is not stored
with it. We bind every field ciphertext to ``"{context}|{field_name}"`` (context is the
owning row, e.g. ``"customer:123"``) and the wrapped data key to
``"dek|{key_id}|{context}"``. Without this binding an attacker (or a buggy migration)
with write access to the table could copy customer A's encrypted bank account into
customer B's row, or swap the ``phone`` and ``id_number`` columns, and the application
would happily decrypt and use the wrong data. With it, such a copy fails authentication.

Field names and key ids may not contain ``|`` so that these strings stay unambiguous.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "KEY_BYTES",
    "MIN_BLIND_INDEX_KEY_BYTES",
    "NONCE_BYTES",
    "MasterKeyRing",
    "PersonalDataVault",
    "SealedRecord",
    "VaultError",
]

KEY_BYTES = 32
"""Length of master keys and data keys (AES-256)."""
NONCE_BYTES = 12
"""AES-GCM nonce length; every ciphertext is stored as ``nonce || ciphertext+tag``."""
MIN_BLIND_INDEX_KEY_BYTES = 32
"""An HMAC key shorter than the hash output would weaken the blind index."""

_TAG_BYTES = 16
_KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_BASE64URL_PATTERN = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_COMPACT_KINDS = frozenset({"phone", "bank_account"})
_SEPARATORS = re.compile(r"[\s\-]+")


class VaultError(Exception):
    """A record could not be decrypted, re-wrapped or looked up.

    Messages name only non-secret things (field names, contexts, key ids) and never the
    plaintext or any key material, so they are safe to log.
    """


def _validate_key_id(key_id: str) -> None:
    if not isinstance(key_id, str) or not _KEY_ID_PATTERN.fullmatch(key_id):
        raise ValueError(
            f"invalid master key id {key_id!r}: use 1-64 characters from A-Z, a-z, 0-9, "
            "'_', '.', '-'"
        )


def _decode_base64url_key(key_id: str, encoded: str) -> bytes:
    """Decode one key; error messages deliberately do not echo the (secret) value."""
    if not _BASE64URL_PATTERN.fullmatch(encoded):
        raise ValueError(f"master key {key_id!r} is not valid base64url")
    padded = encoded.rstrip("=") + "=" * (-len(encoded.rstrip("=")) % 4)
    try:
        return base64.urlsafe_b64decode(padded)
    except ValueError:  # binascii.Error subclasses ValueError
        raise ValueError(f"master key {key_id!r} is not valid base64url") from None


def _encode_base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class MasterKeyRing:
    """The master keys that wrap per-record data keys; the first one is the active key.

    New records are always wrapped with the active key; older keys stay in the ring only
    so that records wrapped before a rotation can still be opened and re-wrapped.
    """

    __slots__ = ("_active_key_id", "_keys")

    def __init__(self, keys: Iterable[tuple[str, bytes]]) -> None:
        ordered: dict[str, bytes] = {}
        for key_id, key in keys:
            _validate_key_id(key_id)
            if key_id in ordered:
                raise ValueError(f"duplicate master key id {key_id!r} in key ring")
            if not isinstance(key, bytes) or len(key) != KEY_BYTES:
                size = len(key) if isinstance(key, bytes) else "non-bytes"
                raise ValueError(f"master key {key_id!r} must be {KEY_BYTES} bytes, got {size}")
            ordered[key_id] = key
        if not ordered:
            raise ValueError("master key ring is empty: at least one key is required")
        self._keys = ordered
        self._active_key_id = next(iter(ordered))

    @classmethod
    def parse(cls, text: str) -> MasterKeyRing:
        """Build a ring from ``"k2:<base64url 32 bytes>,k1:<base64url 32 bytes>"``.

        The first entry is the active key. Whitespace around entries is ignored and
        base64 padding is optional. Errors identify the entry by position or key id but
        never echo the key text, because the whole string is a secret.
        """
        if not isinstance(text, str) or not text.strip():
            raise ValueError("master key ring is empty: expected '<key_id>:<base64url key>[,...]'")
        keys: list[tuple[str, bytes]] = []
        for position, entry in enumerate(text.split(","), start=1):
            key_id, sep, encoded = entry.strip().partition(":")
            if not sep or not key_id.strip() or not encoded.strip():
                raise ValueError(
                    f"master key ring entry {position} is malformed: "
                    "expected '<key_id>:<base64url key>'"
                )
            key_id = key_id.strip()
            _validate_key_id(key_id)
            keys.append((key_id, _decode_base64url_key(key_id, encoded.strip())))
        return cls(keys)

    @staticmethod
    def generate(key_id: str) -> str:
        """Return a one-key ring config string with a fresh random key (demo mode).

        Production keys should come from a secret manager; this exists so a demo or a
        test environment can start without one.
        """
        _validate_key_id(key_id)
        return f"{key_id}:{_encode_base64url(AESGCM.generate_key(bit_length=256))}"

    @property
    def active_key_id(self) -> str:
        """Id of the key that wraps all new data keys."""
        return self._active_key_id

    @property
    def key_ids(self) -> tuple[str, ...]:
        """All key ids, active first."""
        return tuple(self._keys)

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def cipher(self, key_id: str) -> AESGCM:
        """AES-GCM cipher for ``key_id``; raises :class:`KeyError` if it is not in the ring."""
        return AESGCM(self._keys[key_id])

    def __repr__(self) -> str:
        # Never include key bytes: rings end up in logs and tracebacks.
        return f"MasterKeyRing(key_ids={self.key_ids!r})"


@dataclass(frozen=True)
class SealedRecord:
    """What gets stored: master key id, wrapped data key and encrypted fields.

    Every byte string is ``12-byte nonce || ciphertext || 16-byte tag``. Nothing here is
    secret on its own; it is useless without the master key.
    """

    key_id: str
    wrapped_data_key: bytes
    fields: dict[str, bytes]


def _encrypt(cipher: AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    # Random 96-bit nonces are safe here: each data key encrypts only a handful of
    # fields, and each master key wraps far fewer than the 2**32 messages NIST allows.
    nonce = os.urandom(NONCE_BYTES)
    return nonce + cipher.encrypt(nonce, plaintext, aad)


def _decrypt(cipher: AESGCM, blob: bytes, aad: bytes) -> bytes | None:
    """Return the plaintext, or ``None`` if the blob is malformed or fails authentication."""
    if not isinstance(blob, bytes) or len(blob) < NONCE_BYTES + _TAG_BYTES:
        return None
    try:
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        return None


def _field_aad(context: str, name: str) -> bytes:
    return f"{context}|{name}".encode()


def _dek_aad(key_id: str, context: str) -> bytes:
    return f"dek|{key_id}|{context}".encode()


def _check_context(context: str) -> None:
    # An empty context would silently drop the record binding described in the module
    # docstring, so it is a programming error rather than a decryption failure.
    if not isinstance(context, str) or not context:
        raise ValueError("context must be a non-empty string such as 'customer:123'")


def _check_field_name(name: str) -> None:
    if not isinstance(name, str) or not name or "|" in name:
        raise ValueError(f"invalid field name {name!r}: must be non-empty and without '|'")


class PersonalDataVault:
    """Seals and opens personal data, and computes blind indexes for equality look-ups.

    ``blind_index_key`` must be a separate secret from the master keys: the index is
    stored in clear next to the ciphertext, so it must not be derivable from anything
    an attacker can compute without that key.
    """

    __slots__ = ("_blind_index_key", "_master_keys")

    def __init__(self, master_keys: MasterKeyRing, blind_index_key: bytes) -> None:
        if not isinstance(blind_index_key, bytes):
            raise TypeError("blind_index_key must be bytes")
        if len(blind_index_key) < MIN_BLIND_INDEX_KEY_BYTES:
            raise ValueError(
                f"blind_index_key must be at least {MIN_BLIND_INDEX_KEY_BYTES} bytes, "
                f"got {len(blind_index_key)}"
            )
        self._master_keys = master_keys
        self._blind_index_key = blind_index_key

    def __repr__(self) -> str:
        return f"PersonalDataVault(master_keys={self._master_keys!r})"

    def seal(self, fields: Mapping[str, str], *, context: str) -> SealedRecord:
        """Encrypt ``fields`` under a fresh data key bound to ``context``.

        A new data key per call means two seals of the same value never share a
        ciphertext or a wrapped key, so the stored bytes leak no equality.
        """
        _check_context(context)
        data_key = AESGCM.generate_key(bit_length=256)
        data_cipher = AESGCM(data_key)
        sealed: dict[str, bytes] = {}
        for name, value in fields.items():
            _check_field_name(name)
            if not isinstance(value, str):
                raise TypeError(f"field {name!r} must be a str, got {type(value).__name__}")
            sealed[name] = _encrypt(data_cipher, value.encode("utf-8"), _field_aad(context, name))
        return SealedRecord(
            key_id=self._master_keys.active_key_id,
            wrapped_data_key=self._wrap(data_key, context),
            fields=sealed,
        )

    def open(self, record: SealedRecord, *, context: str) -> dict[str, str]:
        """Decrypt every field; raises :class:`VaultError` if anything fails to authenticate."""
        data_cipher = AESGCM(self._unwrap(record, context))
        return {
            name: self._open_blob(data_cipher, name, blob, context)
            for name, blob in record.fields.items()
        }

    def open_field(self, record: SealedRecord, name: str, *, context: str) -> str:
        """Decrypt one field; a missing field is a :class:`VaultError` too."""
        if name not in record.fields:
            raise VaultError(f"sealed record for context {context!r} has no field {name!r}")
        data_cipher = AESGCM(self._unwrap(record, context))
        return self._open_blob(data_cipher, name, record.fields[name], context)

    def rewrap(self, record: SealedRecord, *, context: str) -> SealedRecord:
        """Re-wrap the record's data key with the active master key.

        Field ciphertexts are reused as-is: rotation never re-encrypts personal data, and
        once every record is re-wrapped the old master key can be dropped from the ring.
        """
        data_key = self._unwrap(record, context)
        return SealedRecord(
            key_id=self._master_keys.active_key_id,
            wrapped_data_key=self._wrap(data_key, context),
            fields=dict(record.fields),
        )

    def blind_index(self, kind: str, value: str) -> str:
        """Keyed, deterministic index of ``value`` for equality search without decrypting.

        HMAC-SHA256 over ``kind + "\\x00" + normalised value``: keyed so that nobody
        without the key can brute-force the (small) space of phone or ID numbers from
        the index, and prefixed by ``kind`` so the same digits used as a phone and as a
        bank account give unrelated indexes (no cross-column linking).
        """
        if not isinstance(kind, str) or not kind or "\x00" in kind:
            raise ValueError("blind index kind must be a non-empty string without NUL")
        normalised = _normalise_for_index(kind, value)
        message = f"{kind}\x00{normalised}".encode()
        return hmac.new(self._blind_index_key, message, hashlib.sha256).hexdigest()

    def _wrap(self, data_key: bytes, context: str) -> bytes:
        key_id = self._master_keys.active_key_id
        cipher = self._master_keys.cipher(key_id)
        return _encrypt(cipher, data_key, _dek_aad(key_id, context))

    def _unwrap(self, record: SealedRecord, context: str) -> bytes:
        _check_context(context)
        key_id = record.key_id
        if key_id not in self._master_keys:
            raise VaultError(
                f"master key {key_id!r} is not in the key ring "
                f"(have {', '.join(self._master_keys.key_ids)}); cannot unwrap data key"
            )
        cipher = self._master_keys.cipher(key_id)
        data_key = _decrypt(cipher, record.wrapped_data_key, _dek_aad(key_id, context))
        if data_key is None or len(data_key) != KEY_BYTES:
            raise VaultError(
                f"cannot unwrap data key with master key {key_id!r} for context "
                f"{context!r}: wrong key, wrong context or tampered record"
            )
        return data_key

    @staticmethod
    def _open_blob(cipher: AESGCM, name: str, blob: bytes, context: str) -> str:
        plaintext = _decrypt(cipher, blob, _field_aad(context, name))
        if plaintext is None:
            raise VaultError(
                f"cannot decrypt field {name!r} for context {context!r}: "
                "wrong context, field moved from another record or column, or tampered data"
            )
        try:
            return plaintext.decode("utf-8")
        except UnicodeDecodeError:
            raise VaultError(f"field {name!r} for context {context!r} is not UTF-8") from None


def _normalise_for_index(kind: str, value: str) -> str:
    """Canonical form so that trivially different spellings of one value match.

    NFKC folds full-width digits and letters (common from Chinese input methods) to
    ASCII; upper-casing makes the ID-number check character ``x``/``X`` match; phones and
    bank accounts are typed with arbitrary spaces and hyphens, so those are removed.
    An empty value is rejected because its index would match every other empty value.
    """
    if not isinstance(value, str):
        raise TypeError("blind index value must be a str")
    normalised = unicodedata.normalize("NFKC", value).strip().upper()
    if kind in _COMPACT_KINDS:
        normalised = _SEPARATORS.sub("", normalised)
    if not normalised:
        raise ValueError(f"cannot compute a blind index of an empty {kind!r} value")
    return normalised
