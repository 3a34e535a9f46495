"""The signing rules of a contract: who may ask for a code and sign, when a contract is
open to signing, how many codes may be asked, and what a verdict on a typed code tells
the signer (errors in English and Chinese, ``message_zh``, for the pages).

Who signs is the domain's rule (:func:`autolend.domain.closing_duties.may_sign`), asked
alike by the application's signing route (:func:`check_application_signer`) and by the
contracts API (:func:`check_may_sign`): the borrower, the dealer the application came
through (not one merely named on a borrower's own online application) or servicing;
never whoever reviewed the application or gave its second approval (segregation of
duties), whatever other roles they hold. A loan booked with no application is signed
by its borrower, its dealer or servicing.

Example: a dealer whose dealer filed the application may sign it (with the code the
borrower reads out); an underwriter may not, nor a servicing user who also approved it.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from autolend.domain import closing_duties
from autolend.domain.access import Actor
from autolend.domain.applicant_side import ApplicantSide
from autolend.domain.closing_duties import SIGNERS_ONLY
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.signing import OTP_TTL, Verdict
from autolend.services.application_ports import ApplicationFilter, ApplicationRow
from autolend.services.contract_ports import ContractRow
from autolend.services.loan_ports import LoanRecord
from autolend.services.ports import UnitOfWork
from autolend.services.review_duties import case_side

__all__ = [
    "CODE_MINUTES", "CODE_REQUEST_WINDOW", "MAX_CODE_REQUESTS", "NO_CODE", "SIGNERS_ONLY",
    "check_application_signer", "check_may_sign", "check_none_signed", "check_open",
    "check_requests", "contract_side", "may_read_texts", "raise_unless_signed",
]  # fmt: skip

MAX_CODE_REQUESTS = 5  # codes per contract in any CODE_REQUEST_WINDOW
CODE_REQUEST_WINDOW = timedelta(hours=1)
CODE_MINUTES = int(OTP_TTL.total_seconds() // 60)  # a code's life, as texts and pages say it
_SIGNED = ("the contract is already signed", "合同已签署")
_VOIDED = ("the contract is void: its application was withdrawn", "该合同已作废：申请已撤回")
_CANCELLED = (
    "the loan was cancelled (its application withdrawn): its contract cannot be signed",
    "该贷款已取消（申请已撤回），其合同不能签署",
)
NO_CODE = ("no code is outstanding: request one first", "没有可用的验证码：请先获取验证码")


def application_of(uow: UnitOfWork, loan: LoanRecord) -> ApplicationRow | None:
    """The application ``loan`` was booked from (None: booked with no application)."""
    return next(iter(uow.applications.search(ApplicationFilter(loan_id=loan.id, limit=1))), None)


def contract_side(uow: UnitOfWork, loan: LoanRecord) -> ApplicantSide:
    """The side of the contract of ``loan``: that of the application it was booked from
    (the dealer it came through, who decided it), else the loan's own dealer."""
    row = application_of(uow, loan)
    if row is None:
        return ApplicantSide(filed_by=None, dealer_id=loan.dealer_id)
    return case_side(row, uow.applications.events(row.id))


def check_application_signer(uow: UnitOfWork, actor: Actor, row: ApplicationRow) -> None:
    """403 (in both languages) unless ``actor`` may sign the contract of application
    ``row`` (:func:`autolend.domain.closing_duties.may_sign`), saying why."""
    customer = uow.customers.by_id(row.customer_id)
    borrower = None if customer is None else customer.owner_user_id
    side = case_side(row, uow.applications.events(row.id))
    closing_duties.check_may_sign(actor, side, borrower=borrower)


def may_read_texts(uow: UnitOfWork, actor: Actor, loan: LoanRecord) -> bool:
    """Whether ``actor`` may read the texts sent about a contract of ``loan`` (the demo
    SMS inbox). A signing code is a key to sign with, so it is read by whoever may sign
    (:func:`autolend.domain.closing_duties.may_sign`): the borrower whose loan it is, a
    user of the dealer the application came through, or servicing; never whoever
    reviewed the application, nor staff who merely read every loan or application (a
    collector, an underwriter, risk, compliance, an auditor, the administrator). Example:
    a borrower's own online application naming dealer 1 is not dealer 1's to sign, so
    neither is its code, though the loan names that dealer."""
    return closing_duties.may_sign(actor, contract_side(uow, loan), borrower=loan.owner_user_id)


def check_may_sign(
    uow: UnitOfWork, actor: Actor, loan: LoanRecord, *, email: str | None = None
) -> None:
    """Refuse anyone but the contract's signers (see the module), and an e-mail address
    from anyone but the borrower themselves."""
    closing_duties.check_may_sign(actor, contract_side(uow, loan), borrower=loan.owner_user_id)
    own = loan.owner_user_id is not None and loan.owner_user_id == actor.user_id
    if email is not None and not own:
        raise PermissionDenied(
            "only the borrower may have the code sent to an e-mail address", field="email",
            message_zh="只有借款人本人可以要求将验证码发送到电子邮箱",
        )  # fmt: skip


def check_open(uow: UnitOfWork, row: ContractRow, loan: LoanRecord) -> None:
    """Refuse a signed contract, one voided with its application (a code sent before the
    withdrawal must sign nothing), one of a cancelled loan, and one of a loan another
    contract of which is signed already: a loan is signed for once."""
    if row.status == "signed":
        raise Conflict(_SIGNED[0], message_zh=_SIGNED[1])
    if row.status == "voided":
        raise Conflict(_VOIDED[0], message_zh=_VOIDED[1])
    if loan.status == "cancelled":
        raise Conflict(_CANCELLED[0], message_zh=_CANCELLED[1])
    check_none_signed(uow, loan.id)


def check_none_signed(uow: UnitOfWork, loan_id: int) -> None:
    """409 naming the loan's signed contract, if it has one."""
    signed = next((c for c in uow.contracts.for_loan(loan_id) if c.status == "signed"), None)
    if signed is not None:
        raise Conflict(
            f"the loan's contract no. {signed.id} is signed already: a loan is signed once",
            message_zh=f"该贷款的合同（编号 {signed.id}）已签署，一笔贷款只签署一份合同",
        )


def check_requests(recent: list[datetime], now: datetime) -> None:
    """At most :data:`MAX_CODE_REQUESTS` codes in any :data:`CODE_REQUEST_WINDOW`: the
    next one may be asked once the oldest of them leaves the window."""
    if len(recent) < MAX_CODE_REQUESTS:
        return
    wait = min(recent) + CODE_REQUEST_WINDOW - now
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    raise Conflict(
        f"too many codes were requested for this contract: ask again in {minutes} minutes",
        message_zh=f"该合同的验证码请求过于频繁：请 {minutes} 分钟后再试",
    )


def raise_unless_signed(verdict: Verdict) -> None:
    if verdict.outcome == "wrong":
        # One clause after "That did not work:" on the page (a second colon read oddly).
        left = verdict.attempts_left
        tries = "1 attempt" if left == 1 else f"{left} attempts"
        raise InvalidInput(f"the code is wrong; {tries} left", field="code",
                           message_zh=f"验证码错误，还可尝试 {left} 次")  # fmt: skip
    if verdict.outcome == "expired":
        raise InvalidInput("the code has expired: request a new one", field="code",
                           message_zh="验证码已过期：请重新获取")  # fmt: skip
    if verdict.outcome == "locked":
        raise Conflict("too many wrong codes: the code is locked, request a new one",
                       message_zh="验证码错误次数过多，已锁定：请重新获取")  # fmt: skip
    if verdict.outcome == "closed":
        raise Conflict(NO_CODE[0], message_zh=NO_CODE[1])
