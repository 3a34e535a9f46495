"""``autolend verify``'s contract check: the registry chain recomputed from genesis, every
stored PDF's SHA-256 recomputed and compared with its row and its ``issued`` entry, and
every signed contract's ``signed`` entry present.

The PDFs are opened from their sealed copies (:mod:`autolend.services.contract_documents`);
a sealed copy that does not open (a ciphertext or its binding altered) is reported too.

Example: a byte changed in contract 2's PDF reads
``contract 2: the stored PDF does not match its SHA-256 (altered)``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from autolend.domain.contract_registry import verify_registry
from autolend.services.contract_documents import open_document
from autolend.services.ports import PersonalDataCipher, UnitOfWork


def registry_violations(uow: UnitOfWork, cipher: PersonalDataCipher) -> tuple[tuple[str, ...], str]:
    """What is wrong (empty when all holds) and an info line (entries and contracts)."""
    entries = list(uow.contracts.iter_registry())
    report = verify_registry(entries, uow.contracts.head_pointer())
    found: list[str] = []
    if not report.ok:
        found.append(f"contract registry: first bad entry {report.first_bad_seq}: {report.problem}")
    registered: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in entries:
        registered[entry.body.contract_id][entry.body.event].add(entry.body.sha256)
    contracts = 0
    for row, stored in uow.contracts.iter_documents():
        contracts += 1
        events = registered.get(row.id, {})
        try:
            pdf = open_document(cipher, row, stored)[0]
        except Exception:  # any failure to open is the finding, whatever the library raised
            found.append(f"contract {row.id}: its sealed document does not open (altered)")
            continue
        if hashlib.sha256(pdf).hexdigest() != row.sha256:
            found.append(f"contract {row.id}: the stored PDF does not match its SHA-256 (altered)")
        if row.sha256 not in events.get("issued", set()):
            found.append(f"contract {row.id}: its SHA-256 is not in the registry")
        if row.status == "signed" and row.sha256 not in events.get("signed", set()):
            found.append(f"contract {row.id}: signed, but no signature is registered")
    return tuple(found), f"{len(entries)} entries, {contracts} contracts"
