"""Maker-checker (双人复核) for fee waivers and write-offs.

A servicing officer (the maker, ``fee:waive_request``) asks to waive part or all of an
installment's unpaid fee; the request waits in ``approval_requests``. Another user (the
checker, ``fee:waive_approve``) approves or rejects it: the checker is never the maker.
An approval records the event ``fee_waiver`` and restates the loan, which posts
**Dr 4120 fee income / Cr 1130 fees receivable (loan)** and takes the amount off the
installment's fee due; a rejection posts nothing. Both steps are audited.

A write-off (核销) is asked the same way (``loan:write_off``, servicing, with a value date
and a reason) and accepted by risk (``loan:write_off_approve``): the approval posts it
(:meth:`autolend.services.servicing.ServicingService.post_write_off`: Dr allowance /
impairment, Cr the receivables), in the approval's transaction. One loan has at most one
write-off request pending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from autolend.domain.field_errors import gather
from autolend.domain.money import Money
from autolend.domain.servicing import waive_fee
from autolend.services.audit import record_change
from autolend.services.fees import fee_body, post_fee_event
from autolend.services.idempotency import IdempotencyRequest, MoneyResult, claim, replayed
from autolend.services.loan_books import current_projection, locked_loan, serviced_through
from autolend.services.loan_ports import (
    ApprovalRequestRow,
    InstallmentRow,
    LoanRecord,
    NewApprovalRequest,
)
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.servicing import ServicingService
from autolend.services.servicing_input import in_currency, positive, with_reason

FEE_WAIVER = "fee_waiver"
WRITE_OFF = "write_off"
STATUSES = ("pending", "approved", "rejected")
KINDS = (FEE_WAIVER, WRITE_OFF)
# The checker's permission per kind of request; who may read the requests.
_CHECKER = {FEE_WAIVER: Permission.FEE_WAIVE_APPROVE, WRITE_OFF: Permission.LOAN_WRITE_OFF_APPROVE}
_READERS = (*_CHECKER.values(), Permission.FEE_WAIVE_REQUEST, Permission.LOAN_WRITE_OFF)


@dataclass(frozen=True)
class WaiverInput:
    n: int
    amount: Money
    reason: str


def request_body(row: ApprovalRequestRow) -> dict[str, Any]:
    """The wire form of an approval request."""
    return {
        "id": row.id,
        "kind": row.kind,
        "loan_id": row.loan_id,
        "payload": json.loads(row.payload_json),
        "status": row.status,
        "maker_user_id": row.maker_user_id,
        "checker_user_id": row.checker_user_id,
        "created_at": row.created_at.isoformat(),
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
    }


def may_read_requests(actor: Actor) -> bool:
    """Whether ``actor`` may see the approval requests: a maker or a checker of any kind
    (a servicing officer, risk; not a collector)."""
    return any(actor.can(p) for p in _READERS)


def checker_permission(kind: str) -> Permission:
    """The permission that decides a request of ``kind`` (a write-off: risk's).

    >>> checker_permission("write_off").value
    'loan:write_off_approve'
    """
    return _CHECKER[kind]


def _username(uow: UnitOfWork, user_id: int) -> str | None:
    """Who asked or decided, by name (None for a user no longer on file)."""
    user = uow.users.by_id(user_id)
    return None if user is None else user.username


def _installment(row: InstallmentRow | None, n: int) -> InstallmentRow:
    if row is None:
        raise InvalidInput(f"no installment {n} on this loan", field="n",
                           message_zh=f"该贷款没有第 {n} 期")  # fmt: skip
    return row


def _waivable(amount: Money, row: InstallmentRow | None, currency: str) -> Money:
    """``amount`` if above zero and (where the installment is known) at most its unpaid fee."""
    if row is None:
        return positive(amount)
    unpaid = row.fee_due - row.fee_paid
    if not 0 < amount.minor <= unpaid:
        shown = Money.of_minor(unpaid, currency).to_api()
        raise InvalidInput(f"amount must be positive and at most the unpaid fee {shown}",
                           field="amount",
                           message_zh=f"减免金额须大于 0 且不超过未付费用 {shown}")  # fmt: skip
    return amount


def _no_waiver_pending(uow: UnitOfWork, loan_id: int, n: int) -> None:
    """409 while a waiver of installment ``n``'s fee waits for approval: a second request
    (a form sent twice, as often as not) could only be refused once the first is approved,
    since the first takes the fee it names."""
    pending = uow.approvals.find(status="pending", kind=FEE_WAIVER, loan_id=loan_id, limit=500)
    waiting = next((r for r in pending if json.loads(r.payload_json).get("n") == n), None)
    if waiting is not None:
        raise Conflict(
            f"a waiver of installment {n}'s fee is already waiting for approval "
            f"(request no. {waiting.id})",
            field="n",
            message_zh=f"第 {n} 期费用已有减免申请等待审批（申请编号 {waiting.id}）",
        )


def _not_active(status: str, what: str) -> str:
    """The loan's status in words before what it rules out: "the loan is paid off; ..."."""
    return f"the loan is {status.replace('_', ' ')}; {what}"


def _need(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(f"this needs the permission '{permission.value}'")


class ApprovalService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, servicing: ServicingService
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._servicing = servicing

    def request_fee_waiver(self, maker: Actor, loan_id: int, data: WaiverInput) -> dict[str, Any]:
        """The maker's step: a pending request to waive ``amount`` of installment ``n``'s
        unpaid fee (at most that fee), for a reason. Posts nothing. Every wrong field is
        refused at once: no installment 99 and no reason are one refusal naming both."""
        _need(maker, Permission.FEE_WAIVE_REQUEST)
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            if loan.status != "active":
                raise Conflict(_not_active(loan.status, "fees cannot be waived"),
                               message_zh="该贷款不在还款中，不能减免费用")  # fmt: skip
            row = next((r for r in uow.loans.installments(loan.id) if r.n == data.n), None)
            gather({
                "currency": lambda: in_currency(data.amount, loan.currency),
                "n": lambda: _installment(row, data.n),
                "amount": lambda: _waivable(data.amount, row, loan.currency),
                "reason": lambda: with_reason(data.reason, "a waiver needs a reason",
                                              "减免须填写原因"),
            })  # fmt: skip
            _no_waiver_pending(uow, loan.id, data.n)
            payload = {"n": data.n, "amount_minor": data.amount.minor, "reason": data.reason}
            payload["amount"] = data.amount.to_api()
            return self._add(uow, maker, FEE_WAIVER, loan.id, payload)

    def request_write_off(
        self, maker: Actor, loan_id: int, on: date, reason: str
    ) -> dict[str, Any]:
        """The maker's step: a pending request to write the loan off on ``on`` (from its
        serviced-through date to today), for a reason (a wrong date and no reason are one
        refusal naming both). Posts nothing; 409 while another is pending."""
        _need(maker, Permission.LOAN_WRITE_OFF)
        with self._uow(write=True) as uow:
            loan = locked_loan(uow, loan_id)
            if loan.status != "active":
                raise Conflict(_not_active(loan.status, "it cannot be written off"),
                               message_zh="该贷款不在还款中，不能核销")  # fmt: skip
            gather({
                "value_date": lambda: self._write_off_day(loan, on),
                "reason": lambda: with_reason(reason, "a write-off needs a reason",
                                              "核销须说明原因"),
            })  # fmt: skip
            if uow.approvals.find(status="pending", kind=WRITE_OFF, loan_id=loan.id, limit=1):
                raise Conflict(
                    "a write-off of this loan is already waiting for approval",
                    message_zh="该贷款已有核销申请等待审批",
                )
            payload = {"value_date": on.isoformat(), "reason": reason.strip()}
            return self._add(uow, maker, WRITE_OFF, loan.id, payload)

    def _write_off_day(self, loan: LoanRecord, on: date) -> date:
        """``on`` if from the loan's serviced-through date to today."""
        first = serviced_through(loan)
        if not first <= on <= self._clock.today():
            message = f"write off from {first} to today, not on {on}"
            zh = f"核销日期须在 {first} 至今天之间，不能是 {on}"
            raise InvalidInput(message, field="value_date", message_zh=zh)
        return on

    def _add(
        self, uow: UnitOfWork, maker: Actor, kind: str, loan_id: int, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a pending request of ``kind`` with its audit record, and commit."""
        new = NewApprovalRequest(
            kind, loan_id, json.dumps(payload), maker.user_id, self._clock.now()
        )
        request_id = uow.approvals.add(new)
        self._audit(uow, maker, f"approval.{kind}_request", request_id, payload)
        stored = uow.approvals.get(request_id)
        assert stored is not None
        uow.commit()
        return request_body(stored)

    def decide(
        self, checker: Actor, request_id: int, approve: bool, idem: IdempotencyRequest | None = None
    ) -> MoneyResult:
        """The checker's step. The checker must be another user than the maker; an
        approval posts the waiver (Dr fee income / Cr fees) and lowers the fee due. A
        decision is taken once (a second is a 409); with ``idem``, a replay of the same
        request answers the first response instead, like every money-moving request."""
        if not any(checker.can(p) for p in _CHECKER.values()):
            raise PermissionDenied("your role may not decide approval requests")
        with self._uow(write=True) as uow:
            request = uow.approvals.get(request_id, for_update=True)
            if request is None:
                raise NotFound("approval request not found")
            _need(checker, _CHECKER[request.kind])
            stored = replayed(uow, idem)
            if stored is not None:
                return stored
            if request.maker_user_id == checker.user_id:
                raise PermissionDenied(
                    "maker-checker: the user who asked cannot decide the same request; "
                    "another user must approve or reject it",
                    message_zh="双人复核：提出申请的人不能审批同一申请，须由另一人批准或驳回",
                )
            if request.status != "pending":
                raise Conflict(
                    f"the request is already {request.status}",
                    message_zh="该申请已" + ("批准" if request.status == "approved" else "驳回"),
                )
            body: dict[str, Any] = {}
            if approve:
                body["event"] = self._post(uow, checker, request)
            status = "approved" if approve else "rejected"
            uow.approvals.decide(request.id, status, checker.user_id, self._clock.now())
            summary = {"status": status, "loan_id": request.loan_id}
            self._audit(uow, checker, f"approval.{request.kind}_{status}", request.id, summary)
            decided = uow.approvals.get(request.id)
            assert decided is not None
            result = MoneyResult(200, {**request_body(decided), **body})
            claim(uow, self._clock, idem, result)
            uow.commit()
        return result

    def _post(
        self, uow: UnitOfWork, checker: Actor, request: ApprovalRequestRow
    ) -> dict[str, object]:
        """What the approval posts: the waiver, or the write-off on its value date."""
        assert request.loan_id is not None
        if request.kind == WRITE_OFF:
            on = date.fromisoformat(json.loads(request.payload_json)["value_date"])
            return self._servicing.post_write_off(uow, checker, request.loan_id, on)
        return self._post_waiver(uow, checker, request)

    def _post_waiver(
        self, uow: UnitOfWork, checker: Actor, request: ApprovalRequestRow
    ) -> dict[str, object]:
        assert request.loan_id is not None
        loan = locked_loan(uow, request.loan_id)
        if loan.status != "active":
            raise Conflict(_not_active(loan.status, "the waiver cannot be posted"),
                           message_zh="该贷款不在还款中，无法入账该减免")  # fmt: skip
        payload = json.loads(request.payload_json)
        amount = Money.of_minor(int(payload["amount_minor"]), loan.currency)
        details: dict[str, object] = {"n": int(payload["n"]), "request_id": request.id}
        details["reference"] = f"approval:{request.id}"
        day = max(self._clock.today(), loan.start_date + timedelta(days=1))
        # The replay waives at most what is unpaid; the approval waives all it states or
        # nothing (a fee paid since the request, or one not billed yet: 409).
        state = current_projection(uow, loan, max(day, serviced_through(loan))).state
        waive_fee(state, int(payload["n"]), amount.minor, day)
        event = post_fee_event(
            uow,
            self._clock,
            checker,
            loan,
            kind=FEE_WAIVER,
            amount=amount,
            day=day,
            details=details,
        )
        return fee_body(event)

    def list_requests(
        self,
        actor: Actor,
        *,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """Requests the oldest first (the queue's order), or the newest first."""
        if not may_read_requests(actor):
            raise PermissionDenied("your role may not read approval requests")
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", field="status")
        if kind is not None and kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
        with self._uow() as uow:
            rows = uow.approvals.find(
                status=status, kind=kind, limit=limit, newest_first=newest_first
            )
            ids = {r.maker_user_id for r in rows} | {r.checker_user_id for r in rows}
            names = {i: _username(uow, i) for i in ids if i is not None}
        return [
            request_body(r) | {"maker": names.get(r.maker_user_id),
                               "checker": names.get(r.checker_user_id or 0)}
            for r in rows
        ]  # fmt: skip

    def get_request(self, actor: Actor, request_id: int) -> dict[str, Any]:
        """One request as the list gives it, for whoever may read the requests (404 where
        there is none): ``/approvals?decided=5`` says from it what was decided."""
        if not may_read_requests(actor):
            raise PermissionDenied("your role may not read approval requests")
        with self._uow() as uow:
            row = uow.approvals.get(request_id)
        if row is None:
            raise NotFound("approval request not found")
        return request_body(row)

    def loan_currencies(self, actor: Actor, loan_ids: set[int]) -> dict[int, str]:
        """The currency of each loan the requests name, so that a page shows a waiver's
        amount as money (a payload holds "1234.50" alone): ``{4: "CNY", 7: "USD"}``."""
        if not may_read_requests(actor):
            raise PermissionDenied("your role may not read approval requests")
        with self._uow() as uow:
            loans = {i: uow.loans.get(i) for i in loan_ids}
        return {i: loan.currency for i, loan in loans.items() if loan is not None}

    def _audit(
        self, uow: UnitOfWork, actor: Actor, action: str, request_id: int, summary: dict[str, Any]
    ) -> None:
        record_change(
            uow,
            self._clock,
            actor,
            action=action,
            object_type="approval_request",
            object_id=request_id,
            summary=summary,
        )
