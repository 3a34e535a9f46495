"""A stored product version is parsed once per distinct row (services.products)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

from autolend.domain.product_catalogue import STANDARD_NEW
from autolend.domain.product_codec import VERSIONING_KEYS, product_to_dict
from autolend.services.product_ports import ProductRow
from autolend.services.products import product_of_row


def stored(effective_to: date | None = None) -> ProductRow:
    body = {k: v for k, v in product_to_dict(STANDARD_NEW).items() if k not in VERSIONING_KEYS}
    return ProductRow(
        code=STANDARD_NEW.code, version=3, effective_from=date(2026, 1, 1),
        effective_to=effective_to, body_json=json.dumps(body),
        created_at=datetime(2026, 1, 1, tzinfo=UTC), created_by=1,
    )  # fmt: skip


def test_the_same_stored_row_gives_back_the_same_product_without_parsing_it_again() -> None:
    first = product_of_row(stored())
    assert product_of_row(stored()) is first
    assert first == replace(STANDARD_NEW, version=3, effective_from=date(2026, 1, 1))


def test_a_version_ended_since_is_read_with_its_end_date() -> None:
    open_ended = product_of_row(stored())
    ended = product_of_row(stored(effective_to=date(2026, 6, 30)))
    assert open_ended.effective_to is None
    assert ended.effective_to == date(2026, 6, 30)
