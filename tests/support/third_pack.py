"""A third regulation pack beside CN and US, registered for one test only: a lender adds a
pack as data, so a pack's facts must follow its data, not its code.

Example: ``register(monkeypatch, replace(US_PACK, code="UZ"))`` makes ``pack_for("UZ")``
a copy of the US pack until the test ends.
"""

from __future__ import annotations

import pytest

from autolend.domain import regulation
from autolend.domain.regulation import RegulationPack


def register(monkeypatch: pytest.MonkeyPatch, pack: RegulationPack) -> RegulationPack:
    """``pack`` known by its code until the test ends (the registry is restored after)."""
    monkeypatch.setitem(regulation._PACKS, pack.code, pack)
    return pack
