"""The signing rules of a contract: who may ask for a code and sign, when a contract is
open to signing, how many codes may be asked, and what a verdict on a typed code tells
the signer (errors in English and Chinese, ``message_zh``, for the pages).

Example: a dealer whose dealer registered the loan may sign it (with the code the
borrower reads out); an underwriter may not (:func:`may_sign`).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from autolend.domain.access import Actor, Ownership, Permission, Role
from autolend.domain.errors import Conflict, InvalidInput, PermissionDenied
from autolend.domain.signing import OTP_TTL, Verdict
from autolend.services.application_ports import ApplicationFilter
from autolend.services.application_records import may_see
from autolend.services.contract_ports import ContractRow
from autolend.services.loan_ports import LoanRecord
from autolend.services.ports import UnitOfWork

MAX_CODE_REQUESTS = 5  # codes per contract in any CODE_REQUEST_WINDOW
CODE_REQUEST_WINDOW = timedelta(hours=1)
CODE_MINUTES = int(OTP_TTL.total_seconds() // 60)  # a code's life, as texts and pages say it
_SIGNED = ("the contract is already signed", "合同已签署")
_VOIDED = ("the contract is void: its application was withdrawn", "该合同已作废：申请已撤回")
NO_CODE = ("no code is outstanding: request one first", "没有可用的验证码：请先获取验证码")
_CUSTOMER_APPLICATIONS = 200  # a customer's applications searched for a contract's own
SIGNERS_ONLY = ("only the borrower, their dealer or servicing may sign a contract",
                "只有借款人、其经销商或贷后服务人员可以签署合同")  # fmt: skip


def may_sign(actor: Actor, owned: Ownership) -> bool:
    """Whether ``actor`` may ask for a code and sign the contract of what ``owned``
    describes (a loan, or the application it was booked from): the borrower (the owner
    user of its customer), the dealer it came through, or servicing (``loan:book``).

    >>> may_sign(Actor(5, "d", (Role.DEALER,), dealer_id=1), Ownership(9, 1))
    True
    >>> may_sign(Actor(6, "u", (Role.UNDERWRITER,)), Ownership(9, 1))
    False
    """
    own = owned.owner_user_id is not None and owned.owner_user_id == actor.user_id
    dealer = Role.DEALER in actor.roles and actor.dealer_id is not None
    return own or actor.can(Permission.LOAN_BOOK) or (dealer and owned.dealer_id == actor.dealer_id)


def check_signer(actor: Actor, owned: Ownership) -> None:
    """403 (in both languages) unless :func:`may_sign`."""
    if not may_sign(actor, owned):
        raise PermissionDenied(SIGNERS_ONLY[0], message_zh=SIGNERS_ONLY[1])


def reads_every_text(actor: Actor) -> bool:
    """Whether ``actor`` reads every text sent about any contract (the demo SMS inbox):
    staff who read every application or every loan (servicing, underwriters, admin, ...),
    never a borrower or a dealer (:func:`may_read_texts`)."""
    return actor.can(Permission.APPLICATION_READ_ALL) or actor.can(Permission.LOAN_READ_ALL)


def may_read_texts(uow: UnitOfWork, actor: Actor, contract_id: int, loan: LoanRecord) -> bool:
    """Whether ``actor`` may read the texts sent about contract ``contract_id`` of
    ``loan`` (a signing code is a key to sign with): staff (:func:`reads_every_text`), the
    borrower whose loan it is (the texts went to their mobile), else whoever may see the
    application it was signed for (``may_see``: the dealer that filed it, the borrower
    who did). Example: a borrower's own online application naming dealer 1 is not dealer
    1's to read, so neither is its code, though the loan names that dealer."""
    if reads_every_text(actor):
        return True
    if loan.owner_user_id is not None and loan.owner_user_id == actor.user_id:
        return True
    if loan.customer_id is None:
        return False
    query = ApplicationFilter(customer_ids=(loan.customer_id,), limit=_CUSTOMER_APPLICATIONS)
    filed = uow.applications.search(query)
    return any(row.contract_id == contract_id and may_see(actor, row) for row in filed)


def check_may_sign(actor: Actor, loan: LoanRecord, *, email: str | None = None) -> None:
    """Refuse anyone but the borrower, their dealer and servicing (see the module), and
    an e-mail address from anyone but the borrower themselves."""
    check_signer(actor, Ownership(loan.owner_user_id, loan.dealer_id))
    own = loan.owner_user_id is not None and loan.owner_user_id == actor.user_id
    if email is not None and not own:
        raise PermissionDenied(
            "only the borrower may have the code sent to an e-mail address", field="email",
            message_zh="只有借款人本人可以要求将验证码发送到电子邮箱",
        )  # fmt: skip


def check_open(row: ContractRow) -> None:
    """Refuse a signed contract, and one voided with its application (a code sent
    before the withdrawal must sign nothing)."""
    if row.status == "signed":
        raise Conflict(_SIGNED[0], message_zh=_SIGNED[1])
    if row.status == "voided":
        raise Conflict(_VOIDED[0], message_zh=_VOIDED[1])


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
        left = verdict.attempts_left
        raise InvalidInput(f"the code is wrong: {left} attempts left", field="code",
                           message_zh=f"验证码错误：还可尝试 {left} 次")  # fmt: skip
    if verdict.outcome == "expired":
        raise InvalidInput("the code has expired: request a new one", field="code",
                           message_zh="验证码已过期：请重新获取")  # fmt: skip
    if verdict.outcome == "locked":
        raise Conflict("too many wrong codes: the code is locked, request a new one",
                       message_zh="验证码错误次数过多，已锁定：请重新获取")  # fmt: skip
    if verdict.outcome == "closed":
        raise Conflict(NO_CODE[0], message_zh=NO_CODE[1])
