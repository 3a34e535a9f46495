"""Contracts: issue the PDF from a booked loan, register its SHA-256 in the hash-chained
contract registry, and have the borrower sign it with a one-time code.

* :meth:`ContractService.issue` renders the contract (zh-CN or en; by default the language
  of the loan's regulation pack: zh-CN under CN, en under US), stores the PDF and
  registers an ``issued`` entry, one transaction with its audit record.
* :meth:`ContractService.request_signature` makes a 6-digit code, stores only its keyed
  hash (HMAC-SHA256 under a server key: a 6-digit code has 10^6 values, so a slow hash
  such as argon2 would not stop an offline search, a secret key does) with a 5-minute
  expiry, and queues it in the outbox, naming the loan it signs (amount, term, monthly
  installment): SMS to the borrower's mobile on file, and e-mail when the borrower asks
  for it themselves (an address typed by anyone else would let them sign in the
  borrower's place). At most 5 codes an hour per contract.
* :meth:`ContractService.sign` checks the code in constant time: right -> a ``signed``
  registry entry with the document's SHA-256, the time and the actor; wrong -> 422 with
  the attempts left; the fifth wrong code -> 409 locked; expired -> 422. A code is read
  as typed (full-width digits, spaces); what is not six digits is a 422 and no attempt.

Who may ask for a code and sign: the borrower (the loan's owner), their dealer (in the
showroom, with the code the borrower reads out), and servicing (the platform signs an
application's contract as servicing, :mod:`autolend.services.origination`). Others who
read loans (collectors, auditors, underwriters) get 403, as does whoever reviewed the
loan's application (:mod:`autolend.services.contract_signing`). The application's own
signing route asks the same before it acts as servicing. Errors carry
their Chinese text for the pages (``message_zh``). :meth:`ContractService.latest_code`
tells the signing page until when the latest code is valid and where it went.

Example: issue contract 1 for loan 3, request a code, sign with it: the registry holds
``issued`` (seq 1) then ``signed`` (seq 2), both naming the same SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from autolend.domain.access import Actor, Permission
from autolend.domain.contract import ContractDocument, ContractFacts, build_document
from autolend.domain.contract_registry import RegistryEvent, registry_next
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.regulation import RegulationPack, pack_for
from autolend.domain.signing import (
    OTP_TTL,
    Challenge,
    Verdict,
    judge,
    new_code,
    normalised_code,
)
from autolend.services.audit import record_change
from autolend.services.contract_documents import open_document, seal_document
from autolend.services.contract_facts import (
    ContractRequest,
    borrower_phone,
    contract_number,
    gather_facts,
    validate_vehicle,
)
from autolend.services.contract_ports import (
    CodeHasher,
    ContractRow,
    DocumentRenderer,
    NewContract,
)
from autolend.services.contract_signing import (
    CODE_MINUTES,
    CODE_REQUEST_WINDOW,
    NO_CODE,
    SIGNERS_ONLY,
    check_may_sign,
    check_none_signed,
    check_open,
    check_requests,
    may_read_texts,
    raise_unless_signed,
)
from autolend.services.loan_ports import LoanRecord
from autolend.services.loans import reachable
from autolend.services.notifications import queue_message
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from autolend.services.terms_codec import load_terms

__all__ = [
    "CODE_MINUTES", "SIGNERS_ONLY", "ContractRequest", "ContractService", "SigningDeps",
    "contract_view",
]  # fmt: skip

_NOT_FOUND = "no such contract"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contract_view(row: ContractRow) -> dict[str, Any]:
    return {
        "id": row.id, "loan_id": row.loan_id, "reference": row.reference, "locale": row.locale,
        "status": row.status, "sha256": row.sha256, "created_at": row.created_at.isoformat(),
        "signed_at": row.signed_at.isoformat() if row.signed_at else None,
    }  # fmt: skip


@dataclass(frozen=True)
class SigningDeps:
    """What the contract service needs from the outside: PDF renderer and code hasher."""

    renderer: DocumentRenderer
    hasher: CodeHasher


class ContractService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        clock: Clock,
        deps: SigningDeps,
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock
        self._renderer = deps.renderer
        self._hasher = deps.hasher

    def issue(self, actor: Actor, request: ContractRequest) -> dict[str, Any]:
        """Render, store and register the contract of a booked loan (staff: ``loan:book``).

        The PDF is drawn (about a third of a second of CPU) from facts read in a read-only
        unit of work, outside the write transaction: on SQLite that transaction is the
        one writer, and every repayment and application would wait for the drawing. The
        write transaction reads the facts again and draws anew only if they changed in
        between, so the registered PDF always states what was committed."""
        if not actor.can(Permission.LOAN_BOOK):
            raise PermissionDenied("your role may not issue contracts")
        request = replace(request, vehicle=validate_vehicle(request.vehicle))
        now = self._clock.now()
        with self._uow() as uow:
            _, facts = self._facts(uow, request, now)
        if request.locale is None:  # none named: the language of the loan's pack
            request = replace(request, locale=pack_for(facts.pack).locale)
        assert request.locale is not None
        drawn = self._drawn(facts, request.locale, now)
        with self._uow(write=True) as uow:
            loan, again = self._facts(uow, request, now)
            if again != facts:  # the loan moved while the PDF was drawn
                drawn = self._drawn(again, request.locale, now)
            document, pdf = drawn
            contract_id = self._store(
                uow, actor, loan, text=document.text(), pdf=pdf, locale=request.locale
            )
            row = uow.contracts.get(contract_id)
            uow.commit()
        assert row is not None
        return contract_view(row)

    def loan_currency(self, actor: Actor, loan_id: int) -> str:
        """The currency of the loan a contract is issued for (staff: ``loan:book``): the
        one its fees are read in (a US loan's in USD)."""
        if not actor.can(Permission.LOAN_BOOK):
            raise PermissionDenied("your role may not issue contracts")
        with self._uow() as uow:
            loan = uow.loans.get(loan_id)
        if loan is None:
            raise NotFound("no such loan", field="loan_id")
        return loan.currency

    def _facts(
        self, uow: UnitOfWork, request: ContractRequest, now: datetime
    ) -> tuple[LoanRecord, ContractFacts]:
        """The loan (refused unless booked or active) and what its contract states."""
        loan = uow.loans.get(request.loan_id)
        if loan is None:
            raise NotFound("no such loan", field="loan_id")
        if loan.status not in ("booked", "active"):
            raise Conflict(f"a {loan.status.replace('_', ' ')} loan cannot get a new contract",
                           message_zh="只有已登记或还款中的贷款可以出具新合同")  # fmt: skip
        check_none_signed(uow, loan.id)
        zone = self._clock.zone  # the lender's: the issue day's and every time's on it
        facts = gather_facts(uow, self._cipher, loan, request, zone=zone,
                             contract_no=contract_number(loan.id, now, zone),
                             issued_on=self._clock.day_of(now))  # fmt: skip
        return loan, facts

    def _drawn(
        self, facts: ContractFacts, locale: str, now: datetime
    ) -> tuple[ContractDocument, bytes]:
        document = build_document(facts, locale)
        return document, self._renderer.render(document, created_at=now)

    def _store(self, uow: UnitOfWork, actor: Actor, loan: LoanRecord, *, text: str, pdf: bytes,
               locale: str) -> int:  # fmt: skip
        now, reference = self._clock.now(), f"loan:{loan.id}"
        digest = hashlib.sha256(pdf).hexdigest()
        sealed = seal_document(self._cipher, reference, digest, pdf, text)
        contract_id = uow.contracts.add(
            NewContract(loan.id, reference, locale, digest, sealed, now, actor.user_id)
        )
        self._register(uow, actor, contract_id, reference=reference, event="issued", digest=digest)
        record_change(uow, self._clock, actor, action="contract.issue", object_type="contract",
                      object_id=contract_id,
                      summary={"loan_id": loan.id, "sha256": digest, "locale": locale})  # fmt: skip
        return contract_id

    def _register(self, uow: UnitOfWork, actor: Actor, contract_id: int, *, reference: str,
                  event: str, digest: str) -> None:  # fmt: skip
        head = uow.contracts.registry_head(for_update=True)
        body = RegistryEvent(contract_id, reference, event, digest, actor.user_id,
                             self._clock.now())  # fmt: skip
        uow.contracts.append_registry(registry_next(head, body))

    def _reachable(self, uow: UnitOfWork, actor: Actor, contract_id: int,
                   *, for_update: bool = False) -> tuple[ContractRow, LoanRecord]:  # fmt: skip
        if not actor.can(Permission.LOAN_READ):
            raise PermissionDenied("your role may not read contracts")
        row = uow.contracts.get(contract_id, for_update=for_update)
        loan = None if row is None else uow.loans.get(row.loan_id)
        if row is None or loan is None or not reachable(actor, loan):
            raise NotFound(_NOT_FOUND)
        return row, loan

    def get(self, actor: Actor, contract_id: int) -> dict[str, Any]:
        with self._uow() as uow:
            row, _ = self._reachable(uow, actor, contract_id)
        return contract_view(row)

    def may_read_texts(self, actor: Actor, contract_id: int) -> bool:
        """Whether ``actor`` may read what was texted about the contract (the demo SMS
        inbox): :func:`may_read_texts`; False for a contract that does not exist."""
        with self._uow() as uow:
            row = uow.contracts.get(contract_id)
            loan = None if row is None else uow.loans.get(row.loan_id)
            return loan is not None and may_read_texts(uow, actor, loan)

    def pdf(self, actor: Actor, contract_id: int) -> bytes:
        """The PDF as issued (a borrower reaches only the contracts of their own loans)."""
        return self._opened(actor, contract_id)[0]

    def text(self, actor: Actor, contract_id: int) -> str:
        """The text layer printed in the PDF, line by line."""
        return self._opened(actor, contract_id)[1]

    def _opened(self, actor: Actor, contract_id: int) -> tuple[bytes, str]:
        with self._uow() as uow:
            row, _ = self._reachable(uow, actor, contract_id)
            stored = uow.contracts.document(contract_id)
        assert stored is not None
        return open_document(self._cipher, row, stored)

    def request_signature(
        self, actor: Actor, contract_id: int, *, email: str | None = None
    ) -> dict[str, Any]:
        """Make and send a one-time code (SMS, and e-mail when an address is given)."""
        if email is not None and not _EMAIL.match(email):
            raise InvalidInput("not an e-mail address", field="email",
                               message_zh="不是有效的电子邮箱地址")  # fmt: skip
        now = self._clock.now()
        with self._uow(write=True) as uow:
            row, loan = self._reachable(uow, actor, contract_id, for_update=True)
            check_may_sign(uow, actor, loan, email=email)
            check_open(uow, row, loan)
            since = now - CODE_REQUEST_WINDOW
            check_requests(uow.contracts.code_requests_since(contract_id, since), now)
            code = new_code()
            uow.contracts.supersede_open(contract_id)
            uow.contracts.add_challenge(contract_id, self._hasher.digest(contract_id, code),
                                        now + OTP_TTL, now, actor.user_id)  # fmt: skip
            messages = self._queue_code(uow, loan, contract_id, code, email)
            record_change(uow, self._clock, actor, action="contract.signature_request",
                          object_type="contract", object_id=contract_id,
                          summary={"channels": len(messages)})  # fmt: skip
            uow.commit()
        expires = (now + OTP_TTL).isoformat()
        return {"contract_id": contract_id, "expires_at": expires, "messages": messages}

    def latest_code(self, actor: Actor, contract_id: int) -> dict[str, Any] | None:
        """The contract's latest code, for the signing page to say where it went and how
        long it lasts (a signer only: :func:`check_may_sign`): ``expires_at`` as stored, its
        lifetime in ``minutes`` (:data:`OTP_TTL`), ``status`` (open, used, locked,
        superseded) and the last four digits of the borrower's mobile it was sent to
        (``mobile_ending``); None before any code was asked."""
        with self._uow() as uow:
            _, loan = self._reachable(uow, actor, contract_id)
            check_may_sign(uow, actor, loan)
            challenge = uow.contracts.latest_challenge(contract_id)
            phone = None if challenge is None else borrower_phone(uow, self._cipher, loan)
        if challenge is None or phone is None:
            return None
        return {
            "expires_at": challenge.expires_at.isoformat(),
            "minutes": CODE_MINUTES,
            "status": challenge.status,
            "mobile_ending": "".join(c for c in phone if c.isdigit())[-4:],
        }

    def _queue_code(self, uow: UnitOfWork, loan: LoanRecord, contract_id: int, code: str,
                    email: str | None) -> list[int]:  # fmt: skip
        payload: dict[str, str | int] = {"contract_id": contract_id, "minutes": CODE_MINUTES}
        payload["locale"] = _pack_of(loan).locale  # US: English only
        payload |= _signed_for(uow, loan)
        targets = [("sms", borrower_phone(uow, self._cipher, loan))]
        if email is not None:
            targets.append(("email", email))
        return [
            queue_message(uow, self._cipher, self._clock, channel=channel, recipient=recipient,
                          template="sign_code", payload=payload, secret=code)
            for channel, recipient in targets
        ]  # fmt: skip

    def sign(self, actor: Actor, contract_id: int, code: str) -> dict[str, Any]:
        """Check the code; a right one signs (registry + audit) and queues the borrower's
        confirmation (its outbox id in ``messages``), a wrong one counts."""
        now = self._clock.now()
        with self._uow(write=True) as uow:
            row, loan = self._reachable(uow, actor, contract_id, for_update=True)
            check_may_sign(uow, actor, loan)
            check_open(uow, row, loan)
            challenge = uow.contracts.latest_challenge(contract_id)
            if challenge is None or challenge.status in ("used", "superseded"):
                raise Conflict(NO_CODE[0], message_zh=NO_CODE[1])
            typed = normalised_code(code)
            if typed is None:  # a slip of the keyboard, not a guess: no attempt taken
                raise InvalidInput("a signing code has 6 digits", field="code",
                                   message_zh="验证码为 6 位数字")  # fmt: skip
            matched = self._hasher.matches(contract_id, typed, challenge.code_hash)
            state = Challenge(challenge.expires_at, challenge.attempts, challenge.status)
            verdict = judge(state, matched=matched, as_of=now)
            self._record(uow, actor, row, challenge.id, verdict)
            signing = verdict.outcome == "signed"
            notice = self._queue_signed(uow, loan, contract_id) if signing else None
            uow.commit()
            signed = uow.contracts.get(contract_id)
        raise_unless_signed(verdict)
        assert signed is not None
        return contract_view(signed) | {"messages": [notice]}

    def _record(self, uow: UnitOfWork, actor: Actor, row: ContractRow, challenge_id: int,
                verdict: Verdict) -> None:  # fmt: skip
        status = {"signed": "used", "locked": "locked"}.get(verdict.outcome, "open")
        if verdict.outcome in ("signed", "wrong", "locked"):
            uow.contracts.update_challenge(challenge_id, verdict.attempts, status)
        if verdict.outcome != "signed":
            return
        uow.contracts.mark_signed(row.id, self._clock.now(), actor.user_id)
        self._register(
            uow, actor, row.id, reference=row.reference, event="signed", digest=row.sha256
        )
        record_change(uow, self._clock, actor, action="contract.sign", object_type="contract",
                      object_id=row.id, summary={"sha256": row.sha256})  # fmt: skip

    def _queue_signed(self, uow: UnitOfWork, loan: LoanRecord, contract_id: int) -> int:
        """Tell the borrower, by SMS to the mobile on file, that the contract is signed and
        when (the pack's local time): a signature made by their dealer in the showroom
        reaches them too. E.g. ``合同（编号 7）已于 2026-11-30 20:05 (Asia/Shanghai) 签署``."""
        pack = _pack_of(loan)
        local = self._clock.now().astimezone(ZoneInfo(pack.timezone))
        payload: dict[str, str | int] = {
            "contract_id": contract_id,
            "locale": pack.locale,
            "signed_at": f"{local:%Y-%m-%d %H:%M} ({pack.timezone})",
        }
        return queue_message(
            uow,
            self._cipher,
            self._clock,
            channel="sms",
            template="contract_signed",
            recipient=borrower_phone(uow, self._cipher, loan),
            payload=payload,
        )


def _signed_for(uow: UnitOfWork, loan: LoanRecord) -> dict[str, str | int]:
    """What a signing code commits the borrower to, for its message: the amount financed,
    the term (the installments the contract lists) and the first regular installment as
    the schedule stores it (principal, interest and monthly fees: what leaves the
    borrower's account that month, after any grace months). E.g. 141,500.00 CNY over 36
    months at 4,372.60: ``{"principal_minor": 14150000, "currency": "CNY",
    "term_months": 36, "installment_minor": 437260}``."""
    rows = uow.loans.installments(loan.id)
    grace = load_terms(loan.terms_json)[0].grace_periods
    first = min([r for r in rows if r.n > grace] or rows, key=lambda r: r.n)
    return {
        "principal_minor": loan.principal_minor,
        "currency": loan.currency,
        "term_months": len(rows),
        "installment_minor": first.principal_due + first.interest_due + first.fee_due,
    }


def _pack_of(loan: LoanRecord) -> RegulationPack:
    """The regulation pack the loan was booked under: its messages' language and zone."""
    return pack_for(load_terms(loan.terms_json)[1])
