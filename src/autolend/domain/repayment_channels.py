"""The repayment channels of each regulation pack: how a borrower's money reaches the lender.

======  ==========================================================  ======================
pack    offered (the loan page's choice, in this order)               also accepted
======  ==========================================================  ======================
CN      ``bank_transfer``, ``cash``, ``direct_debit`` (代扣),          —
        ``wechat_pay``, ``alipay``
US      ``ach``, ``card`` (debit or credit), ``check``, ``wire``,     ``bank_transfer``
        ``cash``
======  ==========================================================  ======================

``bank_transfer`` is the API's default channel and the one every US loan's money carried
before the packs had channels, so a US loan still accepts it; it is not offered there. A
channel that another pack offers and the loan's pack does not take is refused
(:class:`InvalidInput` naming ``channel``, in English and Chinese): ``wechat_pay`` on a US
loan, ``ach`` on a CN loan. A channel no pack names is let through as before (a servicer's
own label), so the check is about mixing packs, not a closed list.

These facts belong in the regulation pack (:class:`~autolend.domain.regulation.rules.
RegulationPack`) once it carries them; they live here until then.

>>> offered_channels("US")
('ach', 'card', 'check', 'wire', 'cash')
>>> check_channel("bank_transfer", "US"), check_channel("lockbox", "CN")
('bank_transfer', 'lockbox')
"""

from __future__ import annotations

from autolend.domain.errors import InvalidInput

__all__ = ["ACCEPTED", "OFFERED", "check_channel", "offered_channels"]

OFFERED: dict[str, tuple[str, ...]] = {
    "CN": ("bank_transfer", "cash", "direct_debit", "wechat_pay", "alipay"),
    "US": ("ach", "card", "check", "wire", "cash"),
}
ACCEPTED: dict[str, frozenset[str]] = {
    "CN": frozenset(OFFERED["CN"]),
    "US": frozenset((*OFFERED["US"], "bank_transfer")),
}
_NAMED = frozenset().union(*ACCEPTED.values())


def offered_channels(pack_code: str | None) -> tuple[str, ...]:
    """The channels a loan of ``pack_code`` offers; CN's for a pack without its own."""
    return OFFERED.get(pack_code or "CN", OFFERED["CN"])


def check_channel(channel: str, pack_code: str | None) -> str:
    """``channel`` unless it is another pack's and not ``pack_code``'s (InvalidInput naming
    ``channel``); a pack without channels of its own takes any.

    >>> try:
    ...     check_channel("wechat_pay", "US")
    ... except InvalidInput as refused:
    ...     print(refused.field, refused.message)  # doctest: +NORMALIZE_WHITESPACE
    channel wechat_pay is not a repayment channel of a US loan
    (its channels: ach, card, check, wire, cash, bank_transfer)
    """
    code = pack_code or ""
    taken = ACCEPTED.get(code)
    if taken is None or channel not in _NAMED or channel in taken:
        return channel
    listed = (*OFFERED[code], *sorted(taken - set(OFFERED[code])))
    raise InvalidInput(
        f"{channel} is not a repayment channel of a {code} loan "
        f"(its channels: {', '.join(listed)})",
        field="channel",
        message_zh=f"{code}贷款不接受还款渠道{channel}（可用渠道：{'、'.join(listed)}）",
    )
