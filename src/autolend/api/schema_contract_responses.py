"""What the contracts API answers (a contract issued or read, a signing code sent, the
contract signed), a document uploaded to an application, and the health checks.

As in :mod:`autolend.api.schema_application_responses`, the routes only document these:
the body is the service's own (:func:`autolend.services.contracts.contract_view`,
:func:`autolend.services.application_views.document_view`), and unknown fields are
forbidden so that the test validating real bodies catches a field added without its
documentation. Example: ``POST /contracts`` for loan 3 answers ``{"id": 1, "loan_id": 3,
"status": "issued", "signed_at": null, ...}``; ``POST /contracts/1/signature-requests``
``{"contract_id": 1, "expires_at": "...", "messages": [15, 16]}`` (an SMS and, with an
e-mail address, an e-mail); ``POST /contracts/1/sign`` with the right code the contract
with ``"status": "signed"`` and ``"messages": [17]``, the borrower's confirmation.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autolend.api.schema_application_responses import ApplicationDocument, ContractSummary

_OUTBOX = "The outbox ids of the messages queued"


def _shown(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


CONTRACT_EXAMPLE: dict[str, Any] = {
    "id": 1, "loan_id": 3, "reference": "loan:3", "locale": "zh_CN", "status": "issued",
    "sha256": "9f2c3a5e" + "0" * 56, "created_at": "2026-11-28T09:30:00+00:00",
    "signed_at": None,
}  # fmt: skip
"""A contract just issued, in the language of its loan's pack (CN: zh_CN)."""


class ContractView(ContractSummary):
    """A contract's metadata: its loan, language, SHA-256 and where signing stands."""

    model_config = _shown(CONTRACT_EXAMPLE)
    locale: str = Field(description="The contract's language: zh_CN or en")
    created_at: str = Field(description="ISO 8601 date and time of issue")
    signed_at: str | None = Field(description="ISO 8601; null until signed")


class SignatureRequested(BaseModel):
    """A one-time code sent: by SMS to the borrower's mobile, and by e-mail when an
    address was given; the code lasts until ``expires_at``."""

    model_config = _shown({"contract_id": 1, "expires_at": "2026-11-28T09:40:00+00:00",
                           "messages": [15, 16]})  # fmt: skip
    contract_id: int
    expires_at: str = Field(description="ISO 8601 date and time the code stops working")
    messages: list[int] = Field(description=_OUTBOX + ": the SMS, then the e-mail if any")


class ContractSignedView(ContractView):
    """The contract signed with the right code, and the borrower's confirmation (SMS)."""

    model_config = _shown(CONTRACT_EXAMPLE | {
        "status": "signed", "signed_at": "2026-11-28T09:35:00+00:00", "messages": [17],
    })  # fmt: skip
    status: Literal["signed"]
    messages: list[int] = Field(description=_OUTBOX + ": the confirmation")


class UploadedDocument(ApplicationDocument):
    """A document stored with an application (what the application's ``documents`` list
    shows); download it at ``GET /applications/{id}/documents/{document_id}``."""

    model_config = _shown({
        "id": 1, "kind": "id_front", "content_type": "image/png", "size": 72,
        "sha256": "5d41402a" + "0" * 56, "uploaded_at": "2026-11-28T09:30:00+00:00",
    })  # fmt: skip
    kind: str = Field(
        description="id_front, id_back, income_proof, bank_statement, vehicle_invoice or "
        "driving_licence",
        examples=["id_front"],
    )
    content_type: str = Field(description="application/pdf, image/jpeg or image/png")
    sha256: str = Field(description="The file's SHA-256, as X-Content-SHA256 on download")
    uploaded_at: str = Field(description="ISO 8601 date and time")


class Liveness(BaseModel):
    """The process is up and serving (no other check: see ``/readyz``)."""

    model_config = _shown({"status": "ok"})
    status: Literal["ok"]


class Readiness(BaseModel):
    """The database answers (otherwise 503 ``{"status": "unavailable", "database":
    "unreachable"}``)."""

    model_config = _shown({"status": "ok", "database": "ok"})
    status: Literal["ok"]
    database: Literal["ok"]
