"""Signing with a one-time code: the code's life (5 minutes) and its attempts (5).

Only a keyed hash of the code is stored (the service's hasher); this module decides what
an attempt means, given the stored challenge, whether the code matched and the instant.

>>> from datetime import UTC, datetime, timedelta
>>> at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
>>> c = Challenge(expires_at=at + OTP_TTL, attempts=0, status="open")
>>> judge(c, matched=False, as_of=at)
Verdict(outcome='wrong', attempts=1, attempts_left=4)
>>> judge(Challenge(at + OTP_TTL, 4, "open"), matched=False, as_of=at).outcome
'locked'
>>> judge(c, matched=True, as_of=at + OTP_TTL).outcome
'expired'
>>> judge(c, matched=True, as_of=at).outcome
'signed'

A code is read as people type it: full-width digits (a Chinese input method's ``１２３``),
spaces and dashes are normalised, anything else is not a code:

>>> normalised_code("０４２ ９１７"), normalised_code("042-917"), normalised_code("42917")
('042917', '042917', None)
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

OTP_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
CODE_DIGITS = 6


@dataclass(frozen=True)
class Challenge:
    expires_at: datetime
    attempts: int
    status: str  # open | used | locked | superseded


@dataclass(frozen=True)
class Verdict:
    outcome: str  # signed | wrong | locked | expired | closed
    attempts: int
    attempts_left: int


def new_code() -> str:
    """Six random digits from the OS's CSPRNG, leading zeros kept (e.g. ``'042917'``)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalised_code(text: str | None) -> str | None:
    """The six ASCII digits ``text`` stands for (NFKC folds full-width digits; spaces and
    dashes between groups are dropped), or None when it is not a six-digit code."""
    folded = unicodedata.normalize("NFKC", text or "")
    digits = "".join(c for c in folded if not c.isspace() and c != "-")
    if len(digits) != CODE_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def judge(challenge: Challenge, *, matched: bool, as_of: datetime) -> Verdict:
    """The outcome of one attempt; a locked, used or expired challenge takes no attempt."""
    left = MAX_ATTEMPTS - challenge.attempts
    if challenge.status == "locked" or left <= 0:
        return Verdict("locked", challenge.attempts, 0)
    if challenge.status != "open":
        return Verdict("closed", challenge.attempts, left)
    if as_of >= challenge.expires_at:
        return Verdict("expired", challenge.attempts, left)
    if matched:
        return Verdict("signed", challenge.attempts + 1, left - 1)
    attempts = challenge.attempts + 1
    outcome = "locked" if attempts >= MAX_ATTEMPTS else "wrong"
    return Verdict(outcome, attempts, MAX_ATTEMPTS - attempts)
