"""The notification outbox: messages written in the business transaction, sent afterwards.

:func:`queue_message` adds a message to the outbox inside the caller's unit of work, so the
message exists exactly when the business change does. :meth:`NotificationService.dispatch`
sends what is pending through the channel's sender (SMS gateway, SMTP) and marks each
message sent, or counts a failed attempt and leaves it pending for the next run; after
``max_attempts`` failures it is marked failed. A dispatcher first leases what it will send
(``lease``, 5 minutes by default) in a short write transaction of its own, so two dispatchers
running at once (the signing request's immediate send and ``autolend notify dispatch``, or
two web workers) never send the same message twice; a lease left by a crash runs out and
the message goes out on a later run. The recipient and any secret (a one-time
code) are sealed like customer data; the JSON payload holds no personal data. A signing
code still unsent when it expires (its ``minutes`` after it was queued: the gateway was
down meanwhile) is never sent: the borrower would type a dead code and spend an attempt
on it; it is marked failed ("expired before it could be sent") and counted as ``expired``.

Example: a signature request queues ``sign_code`` to the borrower's mobile (and e-mail);
``dispatch()`` then returns ``DispatchReport(sent=2, retrying=0, failed=0, expired=0)``
when both gateways accept, or ``retrying=1`` when the SMS gateway is down.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_datetime

from autolend.domain.date_text import zone_name
from autolend.domain.decision_rules import grouped, zh_amount
from autolend.domain.money import Money
from autolend.services.contract_ports import (
    DeliveryFailed,
    MessageRow,
    MessageSender,
    NewMessage,
    OutgoingMessage,
)
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory

CHANNELS = ("sms", "email")
SEALING_CONTEXT = "outbox"

# Each template in the language of the loan's pack (``locale`` in the payload): CN's
# Chinese first with English after, as CN texts always read; an ``en`` pack's English
# only (a US borrower reads no Chinese). A payload without ``locale`` (queued before it was
# stored) reads CN's.
_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "sign_code": {
        # What the code commits the borrower to ({terms_zh} / {terms_en}: amount, term,
        # installment), and who may see it: the dealer's staff type it in the showroom, so
        # "never share it" was untrue there; the lie a fraudster tells is a phone call.
        "zh_CN": (
            "autolend 合同签署验证码 / contract signing code",
            "【autolend】您的合同（编号 {contract_id}{terms_zh}）签署验证码为 {code}，"
            "{minutes} 分钟内有效。请本人输入，或仅在签约现场出示给为您办理的工作人员；"
            "autolend 不会通过电话或短信索要验证码。"
            "Your code to sign contract {contract_id}{terms_en} is {code}, valid for "
            "{minutes} minutes. Enter it yourself or show it only to the staff with you as "
            "you sign; autolend never asks for it by phone or message.",
        ),
        "en": (
            "autolend contract signing code",
            "autolend: your code to sign contract {contract_id}{terms_en} is {code}, valid "
            "for {minutes} minutes. Enter it yourself or show it only to the staff with you "
            "as you sign; autolend never asks for it by phone or message.",
        ),
    },
    "contract_signed": {
        "zh_CN": (
            "autolend 合同已签署 / contract signed",
            "【autolend】合同（编号 {contract_id}）已于 {signed_at_zh}签署。"
            "Contract {contract_id} was signed on {signed_at_en}.",
        ),
        "en": (
            "autolend contract signed",
            "autolend: contract {contract_id} was signed on {signed_at_en}.",
        ),
    },
}
# A CN text message is Chinese only: the bilingual text above ran to four SMS segments
# (UCS-2: 70 characters in one, 67 per part once split) and a phone showed the English as
# a wall after the code. The e-mail keeps both languages; each SMS fits two segments
# (``sms_segments``), whatever the amount and contract number.
_SMS_TEMPLATES: dict[str, dict[str, str]] = {
    "sign_code": {
        "zh_CN": "【autolend】合同（编号 {contract_id}{terms_zh}）签署验证码为 {code}，"
        "{minutes} 分钟内有效。请本人输入或仅出示给签约现场的经办人员；"
        "autolend 不会来电或发短信索要。",
    },
    "contract_signed": {
        "zh_CN": "【autolend】合同（编号 {contract_id}）已于 {signed_at_zh}签署。",
    },
}
_DEFAULT_LOCALE = "zh_CN"
# GSM 03.38's basic alphabet (the extension table's characters, which cost two, are
# counted as leaving it: a text with one is counted as UCS-2, an over-estimate).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_LOCAL_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) \(([^()]+)\)")


def queue_message(
    uow: UnitOfWork,
    cipher: PersonalDataCipher,
    clock: Clock,
    *,
    channel: str,
    recipient: str,
    template: str,
    payload: Mapping[str, str | int],
    secret: str | None = None,
) -> int:
    """Add one message to the outbox in the caller's transaction; the caller commits."""
    if channel not in CHANNELS or template not in _TEMPLATES:
        raise ValueError(f"unknown channel {channel!r} or template {template!r}")
    fields = {"recipient": recipient} | ({"secret": secret} if secret is not None else {})
    message = NewMessage(
        channel=channel,
        template=template,
        payload=json.dumps(dict(payload), sort_keys=True, ensure_ascii=False),
        sealed=cipher.seal(fields, context=SEALING_CONTEXT),
        created_at=clock.now(),
    )
    return uow.outbox.add(message)


def render(
    template: str, payload: Mapping[str, object], secret: str | None, *, channel: str = "email"
) -> tuple[str, str]:
    """Subject and body of a template (``{code}`` is the sealed secret), in the payload's
    ``locale``; one no template has, or none, reads CN's. By ``channel="sms"`` a CN text
    is Chinese only (see ``_SMS_TEMPLATES``); an e-mail reads both languages.

    >>> loan = {"principal_minor": 2500000, "currency": "USD", "term_months": 60,
    ...         "installment_minor": 49500}
    >>> print(render("sign_code", {"contract_id": 1, "minutes": 5, "locale": "en"} | loan,
    ...              "028450")[1])  # doctest: +NORMALIZE_WHITESPACE
    autolend: your code to sign contract 1 (a loan of $25,000.00 over 60 months,
    $495.00 a month) is 028450, valid for 5 minutes. Enter it yourself or show it only
    to the staff with you as you sign; autolend never asks for it by phone or message.
    """
    texts = _TEMPLATES[template]
    locale = str(payload.get("locale"))
    locale = locale if locale in texts else _DEFAULT_LOCALE
    subject, body = texts[locale]
    if channel == "sms":
        body = _SMS_TEMPLATES.get(template, {}).get(locale, body)
    fields = dict(payload) | readable_times(payload) | readable_terms(payload)
    return subject, body.format(**fields, code=secret or "")


_CONTRACT_NAMED = re.compile(r"\b[Cc]ontract (\d+)\b|合同（编号 (\d+)")


def contract_named(body: str) -> int | None:
    """The contract a message's text is about: every template names it, in English as
    "contract {contract_id}" or in Chinese as "合同（编号 {contract_id}" (a CN text message
    is Chinese only), so the demo SMS inbox, which keeps only the text, can show a message
    to those who may reach that contract; None for a text that names none.

    >>> contract_named(render("contract_signed", {"contract_id": 12, "signed_at": "-"}, None)[1])
    12
    >>> contract_named(render("sign_code", {"contract_id": 7, "minutes": 5}, "1", channel="sms")[1])
    7
    >>> contract_named("验证码为 123456") is None
    True
    """
    found = _CONTRACT_NAMED.search(body)
    return int(found.group(1) or found.group(2)) if found else None


def sms_segments(text: str) -> int:
    """How many SMS parts a text is sent as: GSM 03.38's 7-bit alphabet holds 160
    characters in one message and 153 per part once split; any other character (Chinese)
    sends the whole text as UCS-2, 70 characters in one and 67 per part (3GPP TS 23.040:
    the split's header takes 6 bytes of the 140).

    >>> sms_segments("a" * 160), sms_segments("a" * 161), sms_segments("验" * 70)
    (1, 2, 1)
    >>> sms_segments("验" * 71), sms_segments("验" * 134), sms_segments("验" * 135)
    (2, 2, 3)
    """
    seven_bit = all(char in _GSM_BASIC for char in text)
    single, part = (160, 153) if seven_bit else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // part)


def readable_terms(payload: Mapping[str, object]) -> dict[str, str]:
    """The loan a signing code commits to, as its texts state it: the amount financed
    (``principal_minor`` in ``currency``), the term (``term_months``) and the monthly
    installment (``installment_minor``, the first regular one), digits grouped, in Chinese
    (``terms_zh``) and in English (``terms_en``). A payload without them (queued before
    they were stored) says nothing more than the contract's number.

    >>> terms = readable_terms({"principal_minor": 14150000, "currency": "CNY",
    ...                         "term_months": 36, "installment_minor": 437260})
    >>> terms["terms_zh"]
    '：贷款金额 141,500.00元，期限 36 个月，月供 4,372.60元'
    >>> terms["terms_en"]
    ' (a loan of CNY 141,500.00 over 36 months, CNY 4,372.60 a month)'
    >>> readable_terms({"principal_minor": 3000000, "currency": "USD", "term_months": 60,
    ...                 "installment_minor": 59388})["terms_en"]
    ' (a loan of $30,000.00 over 60 months, $593.88 a month)'
    >>> readable_terms({"contract_id": 1})
    {'terms_zh': '', 'terms_en': ''}
    """
    keys = ("principal_minor", "currency", "term_months", "installment_minor")
    if any(key not in payload for key in keys):
        return {"terms_zh": "", "terms_en": ""}
    code, months = str(payload["currency"]), int(str(payload["term_months"]))
    principal = Money.of_minor(int(str(payload["principal_minor"])), code)
    installment = Money.of_minor(int(str(payload["installment_minor"])), code)
    zh = f"：贷款金额 {zh_amount(principal)}，期限 {months} 个月，月供 {zh_amount(installment)}"
    over = f"{months} month" + ("" if months == 1 else "s")
    en = f" (a loan of {_english_amount(principal)} over {over}, "
    en += f"{_english_amount(installment)} a month)"
    return {"terms_zh": zh, "terms_en": en}


def _english_amount(amount: Money) -> str:
    """An amount as an English text message writes it: the dollar by its sign, as a US
    borrower reads it ("$30,000.00"); any other currency by its code ("CNY 141,500.00",
    where "¥" alone could be read as the yen)."""
    code = amount.currency.code
    return f"${grouped(amount)}" if code == "USD" else f"{code} {grouped(amount)}"


def readable_times(payload: Mapping[str, object]) -> dict[str, str]:
    """``signed_at`` (``"YYYY-MM-DD HH:MM (zone)"``, the lender's local time) as a borrower
    reads it, in Chinese (``signed_at_zh``) and in English (``signed_at_en``, a 12-hour
    clock): no ISO date, no tz code. A value of another shape is said as it is.

    >>> readable_times({"signed_at": "2026-11-30 14:05 (America/New_York)"})["signed_at_en"]
    'Nov 30, 2026, 2:05 PM Eastern Time'
    >>> readable_times({"signed_at": "2026-12-01 03:45 (Asia/Shanghai)"})["signed_at_zh"]
    '2026年12月1日 03:45（北京时间）'
    """
    if "signed_at" not in payload:
        return {}
    text = str(payload["signed_at"])
    match = _LOCAL_TIME.fullmatch(text)
    if match is None:
        return {"signed_at_zh": text, "signed_at_en": text}
    year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
    local = datetime(year, month, day, hour, minute)  # the lender's local time, as written
    zone = match.group(6)
    # A borrower reads the zone by its everyday name, never its tz code.
    zh_zone, en_zone = zone_name(zone, "zh_CN"), zone_name(zone, "en")
    # Babel's patterns, not strftime (whose month names follow the process's locale).
    zh = format_datetime(local, "y年M月d日 HH:mm", locale="zh_CN")
    en = format_datetime(local, "MMM d, y, h:mm a", locale="en")
    return {"signed_at_zh": f"{zh}（{zh_zone}）", "signed_at_en": f"{en} {en_zone}"}


@dataclass(frozen=True)
class DispatchReport:
    sent: int
    retrying: int
    failed: int
    expired: int = 0  # signing codes that expired before they could be sent: dropped


def expires_at(message: MessageRow) -> datetime | None:
    """When a message stops being worth sending: a signing code ``minutes`` after it was
    queued (the code's own expiry); other messages never."""
    if message.template != "sign_code":
        return None
    minutes = json.loads(message.payload).get("minutes")
    return message.created_at + timedelta(minutes=int(minutes)) if minutes else None


class NotificationService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        cipher: PersonalDataCipher,
        clock: Clock,
        senders: Mapping[str, MessageSender],
        *,
        max_attempts: int = 5,
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self._uow = uow_factory
        self._cipher = cipher
        self._clock = clock
        self._senders = dict(senders)
        self._max_attempts = max_attempts
        self._lease = lease

    def dispatch(self, limit: int = 100) -> DispatchReport:
        """Send up to ``limit`` pending messages, oldest first, that no other dispatcher
        holds; each is leased first and marked on its own afterwards."""
        return self._dispatch(limit, newest_first=False)

    def send_now(self, count: int = 1) -> DispatchReport:
        """Send the ``count`` newest pending messages: those a request has just queued (a
        signing code), at once. The backlog is left to :meth:`dispatch` (``autolend notify
        dispatch``): a request that sent it all waited the gateway's timeout once a message
        while the gateway hung, and spent every pending message's attempts on each click."""
        return self._dispatch(count, newest_first=True)

    def _dispatch(self, limit: int, *, newest_first: bool) -> DispatchReport:
        now = self._clock.now()
        with self._uow(write=True) as uow:
            batch = uow.outbox.claim(
                limit, now=now, until=now + self._lease, newest_first=newest_first
            )
            uow.commit()
        counts = {"sent": 0, "retrying": 0, "failed": 0, "expired": 0}
        for message in batch:
            counts[self._deliver(message)] += 1
        return DispatchReport(**counts)

    def sender(self, channel: str) -> MessageSender | None:
        """The gateway configured for ``channel``, if any (the demo SMS inbox page reads
        the demo one)."""
        return self._senders.get(channel)

    def message(self, message_id: int) -> MessageRow | None:
        with self._uow() as uow:
            return uow.outbox.get(message_id)

    def _deliver(self, message: MessageRow) -> str:
        end = expires_at(message)
        if end is not None and self._clock.now() >= end:
            self._mark(message, "failed", message.attempts, "expired before it could be sent")
            return "expired"
        error: str | None = None
        try:
            self._sender(message.channel).send(self._outgoing(message))
        except DeliveryFailed as failure:
            error = str(failure)[:200] or "delivery failed"
        attempts = message.attempts + 1
        if error is None:
            status, outcome, sent_at = "sent", "sent", self._clock.now()
        elif attempts >= self._max_attempts:
            status, outcome, sent_at = "failed", "failed", None
        else:
            status, outcome, sent_at = "pending", "retrying", None
        self._mark(message, status, attempts, error, sent_at)
        return outcome

    def _mark(self, message: MessageRow, status: str, attempts: int, error: str | None,
              sent_at: datetime | None = None) -> None:  # fmt: skip
        with self._uow(write=True) as uow:
            uow.outbox.mark(
                message.id, status=status, attempts=attempts, error=error, sent_at=sent_at
            )
            uow.commit()

    def _sender(self, channel: str) -> MessageSender:
        sender = self._senders.get(channel)
        if sender is None:
            raise DeliveryFailed(f"no {channel} gateway is configured")
        return sender

    def _outgoing(self, message: MessageRow) -> OutgoingMessage:
        opened = self._cipher.open(message.sealed, context=SEALING_CONTEXT)
        payload, secret = json.loads(message.payload), opened.get("secret")
        subject, body = render(message.template, payload, secret, channel=message.channel)
        return OutgoingMessage(opened["recipient"], subject, body)
