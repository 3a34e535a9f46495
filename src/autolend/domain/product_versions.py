"""Product versions: which one is in force on a day, and what publishing a new one does.

A product code has versions 1, 2, ... with increasing ``effective_from``. Publishing a
version with an effective date ends the previous one the day before (when it would
otherwise still run then); a published version is never edited: a change is a new
version. So that the past never changes, a new version of an existing product takes
effect tomorrow at the earliest (a first version: today at the earliest). Seeding a
catalogue's history into an empty database (``backfill``) may use past dates.

>>> from datetime import date
>>> from autolend.domain.product_catalogue import STANDARD_NEW
>>> from dataclasses import replace
>>> from decimal import Decimal
>>> v2 = replace(STANDARD_NEW, effective_from=date(2026, 12, 1), rate_max=Decimal("0.0799"))
>>> plan = plan_publish([STANDARD_NEW], v2, today=date(2026, 11, 28))
>>> plan.product.version, plan.closes
(2, (1, datetime.date(2026, 11, 30)))
>>> product_at([STANDARD_NEW, plan.product], date(2026, 11, 30)).version
1
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from autolend.domain.errors import InvalidInput
from autolend.domain.products import Product

__all__ = ["PublishPlan", "plan_publish", "product_at"]


@dataclass(frozen=True, slots=True)
class PublishPlan:
    """The version to store, and ``(version, new effective_to)`` of the one it ends."""

    product: Product
    closes: tuple[int, date] | None


def product_at(versions: Iterable[Product], day: date) -> Product | None:
    """The version in force on ``day`` (the latest such version), or None."""
    found = [v for v in versions if v.in_force(day)]
    return max(found, key=lambda v: v.version) if found else None


def _earliest(history: Sequence[Product], today: date) -> date:
    return today + timedelta(days=1) if history else today


def plan_publish(
    history: Sequence[Product], new: Product, *, today: date, backfill: bool = False
) -> PublishPlan:
    """Number ``new`` after the latest version of its code and end that one the day
    before ``new`` takes effect. Refused (field ``effective_from``): not after the
    latest version's start, or (unless ``backfill``) before the earliest allowed day."""
    latest = max(history, key=lambda v: v.version) if history else None
    if latest is not None and new.effective_from <= latest.effective_from:
        message = f"effective_from must be after {latest.effective_from} (version {latest.version})"
        raise InvalidInput(message, field="effective_from")
    earliest = _earliest(history, today)
    if not backfill and new.effective_from < earliest:
        message = f"effective_from must be {earliest} or later: the past is not rewritten"
        raise InvalidInput(message, field="effective_from")
    version = latest.version + 1 if latest is not None else 1
    closes = None
    if latest is not None:
        end = new.effective_from - timedelta(days=1)
        if latest.effective_to is None or latest.effective_to > end:
            closes = (latest.version, end)
    return PublishPlan(replace(new, version=version), closes)
