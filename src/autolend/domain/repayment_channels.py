"""The repayment channels of each regulation pack (its ``repayment_channels``, offered, and
``also_accepted_channels``): how a borrower's money reaches the lender.

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
own label), so the check is about mixing packs, not a closed list. A loan under a code no
pack has is offered CN's channels and takes any.

>>> offered_channels("US")
('ach', 'card', 'check', 'wire', 'cash')
>>> check_channel("bank_transfer", "US"), check_channel("lockbox", "CN")
('bank_transfer', 'lockbox')
"""

from __future__ import annotations

from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import CN_PACK, RegulationPack, all_packs, known_pack

__all__ = ["accepted_channels", "check_channel", "offered_channels"]


def accepted_channels(pack: RegulationPack) -> tuple[str, ...]:
    """The channels ``pack``'s loans take: those offered, then those only accepted.

    >>> from autolend.domain.regulation import US_PACK
    >>> accepted_channels(CN_PACK)[-1], accepted_channels(US_PACK)[-1]
    ('alipay', 'bank_transfer')
    """
    return (*pack.repayment_channels, *pack.also_accepted_channels)


def offered_channels(pack_code: str | None) -> tuple[str, ...]:
    """The channels a loan of ``pack_code`` offers; CN's for a code no pack has."""
    return (known_pack(pack_code) or CN_PACK).repayment_channels


def check_channel(channel: str, pack_code: str | None) -> str:
    """``channel`` unless it is another pack's and not ``pack_code``'s (InvalidInput naming
    ``channel``); a code no pack has takes any.

    >>> try:
    ...     check_channel("wechat_pay", "US")
    ... except InvalidInput as refused:
    ...     print(refused.field, refused.message)  # doctest: +NORMALIZE_WHITESPACE
    channel wechat_pay is not a repayment channel of a US loan
    (its channels: ach, card, check, wire, cash, bank_transfer)
    """
    pack = known_pack(pack_code)
    if pack is None:
        return channel
    taken = accepted_channels(pack)
    named = {named for other in all_packs() for named in accepted_channels(other)}
    if channel not in named or channel in taken:
        return channel
    code = pack.code
    raise InvalidInput(
        f"{channel} is not a repayment channel of a {code} loan (its channels: {', '.join(taken)})",
        field="channel",
        message_zh=f"{code}贷款不接受还款渠道{channel}（可用渠道：{'、'.join(taken)}）",
    )
