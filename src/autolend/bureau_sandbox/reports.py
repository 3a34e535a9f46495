"""Deterministic synthetic credit reports: the same ID always gets the same report.

The SHA-256 of the ID seeds a generator and picks the profile (one ID in twenty each):

=======  ===========================================================================
bucket   profile
=======  ===========================================================================
0, 1     no record: the bureau has never seen this person (HTTP 404)
2, 3, 4  thin file: at most one young account, no delinquency
5, 6     red flag: one account written off after running 180+ days overdue (``7``, ``B``)
other    ordinary: 1 to 4 accounts, all ``N`` but for one holder in four, whose months
         are each 1-2 overdue with chance 1 in 25
=======  ===========================================================================

Lateness belongs to the person, not to the month (a holder who pays late once tends to do
it again): about four ordinary files in five have no late month in 24, the rest a few
(1 to 5 for most), which is what a policy's "late months in 24 months" rule sorts.

Amounts are whole units of the subject's currency; dates are ISO; histories have 24
characters, oldest month first, codes as in :mod:`autolend.domain.bureau` (``/`` before the
account was opened).

A subject is a CN resident (an 18-character resident ID: yuan, Chinese lenders) or, by a
9-digit SSN or ITIN, a US consumer (:data:`US_MARKET`: dollars, US-sized accounts, lenders
named as the sandbox's own so no report passes for a real bureau's; ``id_type`` ``ssn`` or
``itin``). The report's shape is the same, so the platform reads both alike.

>>> from datetime import date
>>> a = build_report("11010519491231002X", "张三", date(2026, 11, 28))
>>> a == build_report("11010519491231002X", "张三", date(2026, 11, 28))
True
>>> profile_of("11010519491231002X") in {"no_record", "thin_file", "red_flag", "ordinary"}
True
>>> us = build_report("123456780", "John Smith", date(2026, 11, 28))
>>> us["subject"]["id_type"], {a["currency"] for a in us["accounts"]}, us["accounts"][0]["lender"]
('ssn', {'USD'}, 'Sandbox Home Loans')
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from autolend.domain.bureau import HISTORY_MONTHS, count_months_overdue, months_overdue_worst

_LENDERS = ("工商银行", "建设银行", "招商银行", "平安银行", "上汽通用汽车金融", "捷信消费金融")
# (limit range in yuan, term range in months) per account type
_SHAPES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "auto_loan": ((60_000, 300_000), (24, 60)),
    "mortgage": ((400_000, 3_000_000), (240, 360)),
    "credit_card": ((5_000, 100_000), (0, 0)),
    "consumer_loan": ((10_000, 200_000), (12, 36)),
}


@dataclass(frozen=True)
class Market:
    """Whose report it is: the currency, the lenders named, each account type's (limit
    range in whole units, term range in months), and the subject's ID type."""

    currency: str
    lenders: tuple[str, ...]
    shapes: dict[str, tuple[tuple[int, int], tuple[int, int]]]
    id_type: str


CN_MARKET = Market("CNY", _LENDERS, _SHAPES, "resident_id")
# The US sandbox's lenders say they are the sandbox's: a demo report must never be taken
# for one from Equifax, Experian or TransUnion.
US_MARKET = Market(
    "USD",
    ("Sandbox National Bank", "Sandbox Credit Union", "Sandbox Auto Finance",
     "Sandbox Card Services", "Sandbox Home Loans", "Sandbox Consumer Finance"),
    {
        "auto_loan": ((10_000, 60_000), (36, 72)),
        "mortgage": ((120_000, 600_000), (180, 360)),
        "credit_card": ((1_000, 25_000), (0, 0)),
        "consumer_loan": ((2_000, 30_000), (12, 60)),
    },
    "ssn",
)  # fmt: skip
_ITIN_MARKET = replace(US_MARKET, id_type="itin")


def market_of(id_number: str) -> Market:
    """A 9-digit ID is a US taxpayer ID (an ITIN when it starts with 9), else a CN resident."""
    if len(id_number) == 9 and id_number.isascii() and id_number.isdigit():
        return US_MARKET if id_number[0] != "9" else _ITIN_MARKET
    return CN_MARKET


def _digest(id_number: str) -> int:
    return int.from_bytes(hashlib.sha256(id_number.encode()).digest()[:8], "big")


def profile_of(id_number: str) -> str:
    """Which kind of file this ID has (see the module's table)."""
    bucket = _digest(id_number) % 20
    if bucket < 2:
        return "no_record"
    if bucket < 5:
        return "thin_file"
    return "red_flag" if bucket < 7 else "ordinary"


def _months_ago(as_of: date, months: int) -> date:
    total = as_of.year * 12 + as_of.month - 1 - months
    return date(total // 12, total % 12 + 1, min(as_of.day, 28))


def late_prone(id_number: str) -> bool:
    """Whether this holder pays late now and then: one in four, from bytes of the ID's
    SHA-256 that neither the profile nor the generator's seed uses."""
    return hashlib.sha256(id_number.encode()).digest()[8] < 64


def _history(
    rng: random.Random, age: int, *, closed_ago: int | None, red: bool, clean: bool, late: bool
) -> str:
    """24 months, oldest first: '/' before opening, then 'N' ('1' or '2' now and then for
    a ``late`` holder); 'C' once closed."""
    months = ["/"] * max(0, HISTORY_MONTHS - age) + ["N"] * min(age, HISTORY_MONTHS)
    opened_at = HISTORY_MONTHS - min(age, HISTORY_MONTHS)
    for i in range(opened_at, HISTORY_MONTHS):
        # The draws are made for every holder, so a file's accounts and inquiries do not
        # depend on whether its holder is late-prone.
        if not (red or clean) and rng.random() < 0.04:
            code = "1" if rng.random() < 0.8 else "2"
            months[i] = code if late else months[i]
    if red:  # ran 1..7 months overdue, then written off
        start = max(opened_at, HISTORY_MONTHS - 9)
        for offset, code in enumerate("1234567BB"[: HISTORY_MONTHS - start]):
            months[start + offset] = code
    elif closed_ago is not None:
        first = max(opened_at + 1, HISTORY_MONTHS - 1 - closed_ago)
        months[first:] = ["C"] * (HISTORY_MONTHS - first)
    return "".join(months)


def _account(
    rng: random.Random, as_of: date, kind: str, age: int, flavour: str, *, late: bool = False,
    market: Market = CN_MARKET,
) -> dict[str, Any]:  # fmt: skip
    (low, high), (term_low, term_high) = market.shapes[kind]
    limit = rng.randrange(low, high, 1000)
    term = rng.randint(term_low, term_high) if term_high else 0
    red = flavour == "red"
    closed = flavour == "closed" or (term > 0 and age >= term)
    closed_ago = (age - term if term and age >= term else rng.randint(0, 6)) if closed else None
    if kind == "credit_card":
        balance = 0 if closed else rng.randrange(0, int(limit * 0.8) + 1, 100)
        # A holder who pays late also runs their cards fuller: 60-100 % of the limit
        # against 0-80 %, as utilisation rises with lateness in the synthetic population.
        # Mapped from the same draw, so every later draw of the report stays the same.
        balance = (limit * 6 // 10 + balance // 2) // 100 * 100 if late and balance else balance
        payment = balance // 10
    else:
        payment = limit // term
        balance = 0 if closed else max(0, limit - payment * min(age, term))
    status = "written_off" if red else ("closed" if closed else "open")
    return {
        "account_id": f"A{rng.getrandbits(40):010X}",
        "type": kind,
        "lender": rng.choice(market.lenders),
        "opened": _months_ago(as_of, age).isoformat(),
        "currency": market.currency,
        "credit_limit": limit,
        "balance": balance,
        "monthly_payment": 0 if closed or red else payment,
        "status": status,
        "history": _history(
            rng,
            age,
            closed_ago=None if red else closed_ago,
            red=red,
            clean=flavour == "clean",
            late=late,
        ),
    }


def _accounts(
    rng: random.Random, as_of: date, profile: str, *, late: bool, market: Market
) -> list[dict[str, Any]]:
    if profile == "thin_file":
        count = rng.randint(0, 1)
        card = _account(rng, as_of, "credit_card", rng.randint(1, 5), "clean", market=market)
        return [card][:count]
    kinds = list(market.shapes)
    accounts = [
        _account(rng, as_of, rng.choice(kinds), rng.randint(6, 84), "open", late=late,
                 market=market)
        for _ in range(rng.randint(1, 4))
    ]  # fmt: skip
    if profile == "red_flag":
        accounts.append(
            _account(rng, as_of, "consumer_loan", rng.randint(14, 40), "red", market=market)
        )
    if rng.random() < 0.3:
        accounts.append(_account(rng, as_of, "auto_loan", rng.randint(12, 30), "closed",
                                 late=late, market=market))  # fmt: skip
    return accounts


def _inquiries(rng: random.Random, as_of: date, profile: str, market: Market) -> dict[str, Any]:
    count = rng.randint(0, 1) if profile == "thin_file" else rng.randint(0, 7)
    days = sorted((rng.randint(1, 365) for _ in range(count)), reverse=True)
    records = [
        {
            "date": (as_of - timedelta(days=d)).isoformat(),
            "institution": rng.choice(market.lenders),
            "reason": rng.choice(("loan_application", "credit_card_application")),
        }
        for d in days
    ]
    return {
        "last_6_months": sum(1 for d in days if d <= 182),
        "last_12_months": len(days),
        "records": records,
    }


def build_report(id_number: str, name: str, as_of: date) -> dict[str, Any] | None:
    """The report for a (valid) resident ID, SSN or ITIN (9 digits) as of a date; None when
    the bureau has no record."""
    profile = profile_of(id_number)
    if profile == "no_record":
        return None
    market = market_of(id_number)
    rng = random.Random(_digest(id_number))  # noqa: S311 - synthetic data, not security
    accounts = _accounts(rng, as_of, profile, late=late_prone(id_number), market=market)
    open_ones = [a for a in accounts if a["status"] == "open"]
    histories = [a["history"] for a in accounts]
    return {
        "report_id": hashlib.sha256(f"{id_number}|{as_of}".encode()).hexdigest()[:20].upper(),
        "report_date": as_of.isoformat(),
        "subject": {"name": name, "id_type": market.id_type, "id_number": id_number},
        "thin_file": profile == "thin_file",
        "accounts": accounts,
        "delinquencies": {
            "accounts_ever_overdue": sum(1 for h in histories if months_overdue_worst(h) > 0),
            "months_overdue": sum(count_months_overdue(h) for h in histories),
            "worst_months_overdue": max(map(months_overdue_worst, histories), default=0),
        },
        "inquiries": _inquiries(rng, as_of, profile, market),
        "totals": {
            "outstanding": sum(a["balance"] for a in open_ones),
            "monthly_obligations": sum(a["monthly_payment"] for a in open_ones),
        },
    }
