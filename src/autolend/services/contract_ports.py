"""Ports of contracts, signing and notifications: repositories, the document renderer and
the message senders (adapters implement them; :mod:`autolend.bootstrap` wires them in)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from autolend.domain.contract import ContractDocument
from autolend.domain.contract_registry import RegistryEntry
from autolend.domain.errors import DomainError
from autolend.services.ports import SealedFields


@dataclass(frozen=True)
class NewContract:
    """A contract to store: its PDF and text layer sealed (fields ``pdf``, ``text``)."""

    loan_id: int
    reference: str
    locale: str
    sha256: str
    document: SealedFields
    created_at: datetime
    created_by: int


@dataclass(frozen=True)
class StoredDocument:
    """A contract's PDF and text layer as stored: ``sealed`` (fields ``pdf`` and
    ``text``), or, for a contract issued before they were sealed, ``pdf`` and ``text``
    in clear (the borrower masked in them)."""

    sealed: SealedFields | None
    pdf: bytes | None = None
    text: str | None = None


@dataclass(frozen=True)
class ContractRow:
    id: int
    loan_id: int
    reference: str
    locale: str
    status: str
    sha256: str
    created_at: datetime
    created_by: int
    signed_at: datetime | None
    signed_by: int | None


@dataclass(frozen=True)
class ChallengeRow:
    id: int
    contract_id: int
    code_hash: str
    expires_at: datetime
    attempts: int
    status: str


class ContractRepository(Protocol):
    def add(self, contract: NewContract) -> int: ...
    def get(self, contract_id: int, *, for_update: bool = False) -> ContractRow | None: ...
    def document(self, contract_id: int) -> StoredDocument | None: ...
    def for_loan(self, loan_id: int) -> list[ContractRow]:
        """The loan's contracts, oldest first."""
        ...

    def mark_signed(self, contract_id: int, at: datetime, by: int) -> None: ...
    def mark_voided(self, contract_id: int) -> None: ...
    def iter_documents(self) -> Iterator[tuple[ContractRow, StoredDocument]]: ...
    def registry_head(self, *, for_update: bool = False) -> RegistryEntry | None: ...
    def head_pointer(self) -> tuple[int, str]: ...
    def append_registry(self, entry: RegistryEntry) -> None: ...
    def iter_registry(self) -> Iterator[RegistryEntry]: ...
    def add_challenge(self, contract_id: int, code_hash: str, expires_at: datetime,
                      created_at: datetime, created_by: int) -> int: ...  # fmt: skip
    def latest_challenge(self, contract_id: int) -> ChallengeRow | None: ...
    def code_requests_since(self, contract_id: int, since: datetime) -> list[datetime]: ...
    def update_challenge(self, challenge_id: int, attempts: int, status: str) -> None: ...
    def supersede_open(self, contract_id: int) -> None: ...


@dataclass(frozen=True)
class NewMessage:
    channel: str  # sms | email
    template: str
    payload: str  # JSON, no personal data
    sealed: SealedFields  # "recipient" and, when there is one, "secret"
    created_at: datetime


@dataclass(frozen=True)
class MessageRow:
    id: int
    channel: str
    template: str
    payload: str
    sealed: SealedFields
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None


class OutboxRepository(Protocol):
    def add(self, message: NewMessage) -> int: ...
    def claim(self, limit: int, *, now: datetime, until: datetime,
              newest_first: bool = False) -> list[MessageRow]: ...  # fmt: skip
    def get(self, message_id: int) -> MessageRow | None: ...
    def mark(self, message_id: int, *, status: str, attempts: int, error: str | None,
             sent_at: datetime | None) -> None: ...  # fmt: skip


class ContractFontMissing(DomainError):  # noqa: N818 - API-facing name
    """The contract cannot be drawn: the font file its PDF needs is not there (HTTP 503).
    A setting of the server, not of the request: nothing is written, and the message names
    the file and ``AUTOLEND_CONTRACT_FONT``, in English and in Chinese. E.g.
    ``ContractFontMissing("/fonts/x.ttc").message`` starts "contracts cannot be drawn: the
    font file /fonts/x.ttc is missing"."""

    code = "contract_font_missing"

    def __init__(self, font: object) -> None:
        super().__init__(
            f"contracts cannot be drawn: the font file {font} is missing; install the Debian "
            "package fonts-noto-cjk, or set AUTOLEND_CONTRACT_FONT to a CJK font file "
            "(TTF, OTF or TTC)",
            message_zh=f"暂时无法生成合同：缺少字体文件 {font}；请安装 Debian 软件包 "
            "fonts-noto-cjk，或将 AUTOLEND_CONTRACT_FONT 设为一个中文字体文件（TTF、OTF 或 TTC）",
        )
        self.font = str(font)


class DocumentRenderer(Protocol):
    def render(self, document: ContractDocument, *, created_at: datetime) -> bytes:
        """The document as PDF bytes (deterministic for the same document and instant);
        :class:`ContractFontMissing` when its font is not there."""
        ...


class DeliveryFailed(Exception):  # noqa: N818 - an outcome, not a bug
    """A sender could not hand the message over; the dispatcher retries later."""


@dataclass(frozen=True)
class OutgoingMessage:
    recipient: str
    subject: str
    body: str


class MessageSender(Protocol):
    def send(self, message: OutgoingMessage) -> None:
        """Hand the message to the gateway or raise :class:`DeliveryFailed`."""
        ...


class CodeHasher(Protocol):
    def digest(self, contract_id: int, code: str) -> str:
        """A keyed hash of one contract's code (hex), never the code itself."""
        ...

    def matches(self, contract_id: int, code: str, stored: str) -> bool:
        """Constant-time comparison of ``code`` against the stored digest."""
        ...
