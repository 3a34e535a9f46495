"""The product catalogue as a service: publish a version, read what is in force, history.

Publishing is one transaction: the code's versions are read (locked), the new version is
numbered after the latest and ends it the day before it takes effect
(:func:`autolend.domain.product_versions.plan_publish`), stored as JSON, and an audit record
``product.publish`` is appended. Reading needs ``product:read`` for the products in force
today and ``product:read_all`` for another date or the version history; publishing needs
``product:admin``. Example: publishing ``STD_NEW`` from 2026-12-01 on 2026-11-28 stores
version 2 and ends version 1 on 2026-11-30; ``get("STD_NEW")`` answers version 1 until then.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from autolend.domain.access import Actor, Permission
from autolend.domain.errors import NotFound, PermissionDenied
from autolend.domain.product_codec import VERSIONING_KEYS, product_from_dict, product_to_dict
from autolend.domain.product_versions import plan_publish, product_at
from autolend.domain.products import Product
from autolend.domain.text_input import check_texts
from autolend.services.audit import SummaryValue, record_change
from autolend.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from autolend.services.product_ports import ProductRow

__all__ = ["ProductService", "product_of_row"]


def product_of_row(row: ProductRow) -> Product:
    """The product a stored row holds (the columns win over nothing: the body has no
    versioning keys). Parsed once per distinct row: a version's body never changes
    (only its ``effective_to``, which is part of the key), and every application reads
    the product in force, so intake would otherwise rebuild it -- and check its cost
    ceiling with a quote -- on every request."""
    return _product(row.code, row.version, row.effective_from, row.effective_to, row.body_json)


@lru_cache(maxsize=512)
def _product(
    code: str, version: int, effective_from: date, effective_to: date | None, body_json: str
) -> Product:
    body: dict[str, Any] = json.loads(body_json)
    body.update(
        code=code,
        version=version,
        effective_from=effective_from.isoformat(),
        effective_to=effective_to.isoformat() if effective_to else None,
    )
    return product_from_dict(body)


def _body(product: Product) -> str:
    data = product_to_dict(product)
    for key in VERSIONING_KEYS:
        data.pop(key)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


class ProductService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    @staticmethod
    def _check(actor: Actor, permission: Permission) -> None:
        if not actor.can(permission):
            raise PermissionDenied(f"this needs the permission '{permission.value}'")

    def today(self) -> date:
        return self._clock.today()

    def _day(self, actor: Actor, day: date | None) -> date:
        self._check(actor, Permission.PRODUCT_READ)
        if day is None or day == self.today():
            return self.today()
        self._check(actor, Permission.PRODUCT_READ_ALL)
        return day

    def publish(self, actor: Actor, product: Product) -> Product:
        """Store ``product`` as the next version of its code; see the module docstring."""
        self._check(actor, Permission.PRODUCT_ADMIN)
        with self._uow(write=True) as uow:
            stored = self._publish(uow, actor, product, backfill=False)
            uow.commit()
        return stored

    def publish_json(self, actor: Actor, data: Mapping[str, Any]) -> Product:
        """Parse (422 naming the field) and publish; ``version`` in ``data`` is ignored.
        Every string in it is typed text (a NUL in ``name_zh`` is refused on that field:
        :func:`~autolend.domain.text_input.check_texts`); a stored version is re-read
        without that rule."""
        self._check(actor, Permission.PRODUCT_ADMIN)
        check_texts(data)
        return self.publish(actor, product_from_dict({**data, "version": 1}))

    def _publish(
        self, uow: UnitOfWork, actor: Actor, product: Product, *, backfill: bool
    ) -> Product:
        history = [product_of_row(r) for r in uow.products.versions(product.code, for_update=True)]
        plan = plan_publish(history, product, today=self.today(), backfill=backfill)
        if plan.closes is not None:
            uow.products.close(product.code, *plan.closes)
        new = plan.product
        now = self._clock.now()
        uow.products.add(
            ProductRow(
                new.code,
                new.version,
                new.effective_from,
                new.effective_to,
                _body(new),
                now,
                actor.user_id,
            )
        )
        summary: dict[str, SummaryValue] = {
            "code": new.code,
            "version": new.version,
            "effective_from": new.effective_from.isoformat(),
            "closes": f"v{plan.closes[0]} on {plan.closes[1]}" if plan.closes else None,
        }
        record_change(
            uow,
            self._clock,
            actor,
            action="product.publish",
            object_type="product",
            object_id=f"{new.code}@{new.version}",
            summary=summary,
        )
        return new

    def seed(self, actor: Actor, history: Sequence[Product]) -> int:
        """Publish the versions of every code not in the catalogue yet, in order, with
        their own (possibly past) dates; a code already present is left alone. Returns the
        versions stored (0 when all were there: seeding is idempotent)."""
        self._check(actor, Permission.PRODUCT_ADMIN)
        with self._uow(write=True) as uow:
            present = set(uow.products.codes())
            fresh = [p for p in history if p.code not in present]
            for product in fresh:
                self._publish(uow, actor, product, backfill=True)
            uow.commit()
        return len(fresh)

    def active(self, actor: Actor, day: date | None = None) -> list[Product]:
        """The version of each product in force on ``day`` (today by default), by code."""
        on = self._day(actor, day)
        with self._uow() as uow:
            return [product_of_row(r) for r in uow.products.in_force(on)]

    def get(self, actor: Actor, code: str, day: date | None = None) -> Product:
        """The version of ``code`` in force on ``day`` (today by default); else 404."""
        on = self._day(actor, day)
        with self._uow() as uow:
            versions = [product_of_row(r) for r in uow.products.versions(code)]
        found = product_at(versions, on)
        if found is None:
            raise NotFound(f"no product {code!r} is in force on {on}", field="code")
        return found

    def history(self, actor: Actor, code: str) -> list[Product]:
        """Every version of ``code``, newest first; 404 for an unknown code."""
        self._check(actor, Permission.PRODUCT_READ_ALL)
        with self._uow() as uow:
            versions = [product_of_row(r) for r in uow.products.versions(code)]
        if not versions:
            raise NotFound(f"no product {code!r}", field="code")
        return versions[::-1]

    def catalogue(self, actor: Actor) -> list[tuple[Product | None, list[Product]]]:
        """For the staff page: per code, the version in force today and every version."""
        self._check(actor, Permission.PRODUCT_READ_ALL)
        today = self.today()
        with self._uow() as uow:
            codes = uow.products.codes()
            histories = [[product_of_row(r) for r in uow.products.versions(c)] for c in codes]
        return [(product_at(h, today), h[::-1]) for h in histories]
