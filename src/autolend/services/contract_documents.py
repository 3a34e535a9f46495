"""A contract's PDF and text layer at rest: sealed like every record of personal data.

The contract names its borrower in full (name and resident ID: a contract that does not
identify its party is no contract), so its PDF and text layer are stored sealed under a
data key of their own, bound to the contract's reference and SHA-256 (the digest the
registry holds is the PDF's in clear, so a sealed copy still proves the document).
Contracts issued before they were sealed stay in clear with the borrower masked.

Example: contract ``loan:7`` whose PDF hashes to ``ab12...`` is sealed in context
``contract:loan:7:ab12...``; opening it with another reference or digest fails, as does
opening an altered ciphertext.
"""

from __future__ import annotations

import base64

from autolend.services.contract_ports import ContractRow, StoredDocument
from autolend.services.ports import PersonalDataCipher, SealedFields

__all__ = ["document_context", "open_document", "seal_document"]


def document_context(reference: str, sha256: str) -> str:
    """The sealing context of a contract's document (its reference and PDF digest)."""
    return f"contract:{reference}:{sha256}"


def seal_document(
    cipher: PersonalDataCipher, reference: str, sha256: str, pdf: bytes, text: str
) -> SealedFields:
    """The PDF (as base64) and its text layer sealed for storage."""
    fields = {"pdf": base64.b64encode(pdf).decode("ascii"), "text": text}
    return cipher.seal(fields, context=document_context(reference, sha256))


def open_document(
    cipher: PersonalDataCipher, row: ContractRow, stored: StoredDocument
) -> tuple[bytes, str]:
    """The PDF bytes and the text layer of a stored contract (in clear when it was
    issued before contracts were sealed); raises when the sealed copy does not open."""
    if stored.sealed is None:
        assert stored.pdf is not None and stored.text is not None
        return stored.pdf, stored.text
    opened = cipher.open(stored.sealed, context=document_context(row.reference, row.sha256))
    return base64.b64decode(opened["pdf"]), opened["text"]
