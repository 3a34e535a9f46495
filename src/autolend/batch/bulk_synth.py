"""A synthetic book of booked and disbursed loans, written straight into the database
(set-based: ``COPY`` on PostgreSQL), for the end-of-day crash tests and benchmarks at
10,000 to 1,000,000 loans, where booking through the services would take hours.

Each loan draws (seeded) one of :data:`PRODUCTS` -- the demo catalogue's shapes: CN
standard, NEV green, used car with a GPS fee, young first-time buyer, balloon, a
principal-first waterfall, and a US-pack loan in USD, each CN one with the penalty
uplift and late fee of its catalogue product (used car: 50.00 after 15 days; seasonal:
+30 %), as origination books them -- a principal of 50,000 to
300,000 in steps of 10,000, and a start date from ``starts`` (with, optionally, a short
first period ending ``first_due_after`` days after the start), and a PD at origination
as the in-memory bench book draws it (:func:`autolend.batch.synth_book.draw_pds`: a model
grade of Binomial(9, 0.3), that grade's 12-month PD), recorded as ``pd_orig`` with
``model_version`` ``"synthetic"`` so the ECL grades the loan by it. Its schedule, terms
JSON and installments are what booking writes (the schedule built once per distinct
terms by the domain schedule), and its disbursement entry what disbursement posts.

Example: ``insert_synthetic_loans(uow, clock, 10_000, seed=7, starts=[date(2026, 1,
25)])`` books 10,000 loans starting on 2026-01-25 in one transaction per 50,000.

These loans have no repayment history; a book with history (repayments, delinquency,
cures, payoffs) is :mod:`autolend.batch.synth_history_db`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import numpy as np

from autolend.batch.bulk_day import bulk_entry
from autolend.batch.synth_book import SYNTHETIC_MODEL_VERSION, draw_grades, grade_pd
from autolend.domain.ledger import disbursement_entry
from autolend.domain.money import Money
from autolend.domain.product_catalogue import (
    BALLOON,
    NEV_GREEN,
    SEASONAL,
    STANDARD_NEW,
    USED_CAR,
    YOUNG_FIRST,
)
from autolend.domain.products import Product
from autolend.domain.schedule import LoanTerms
from autolend.domain.schedule.enums import Method
from autolend.domain.servicing import LateFeeRule
from autolend.services.contract import ServicingTerms
from autolend.services.eod_ports import BookedLoan
from autolend.services.ports import Clock, UnitOfWorkFactory
from autolend.services.projection import initial_state
from autolend.services.terms_codec import dump_terms

__all__ = ["PRODUCTS", "SynthProduct", "insert_synthetic_loans", "synthetic_loans"]

CHUNK = 50_000


@dataclass(frozen=True)
class SynthProduct:
    """A synthetic product's shape; its penalty uplift and late fee are those of
    ``catalogue``, the demo catalogue product it stands for (``None``: the pack's
    default uplift, no late fee), so ``USED_CAR``'s loans carry 50.00 after 15 days."""

    code: str
    pack: str
    currency: str
    rate: str
    periods: int
    monthly_fees: tuple[tuple[str, int], ...] = ()
    waterfall: str = "standard"
    method: Method = Method.EQUAL_INSTALLMENT
    balloon_pct: int = 0
    catalogue: Product | None = None

    @property
    def late_fee(self) -> LateFeeRule | None:
        late = self.catalogue.late_fee if self.catalogue is not None else None
        return late.rule if late is not None else None

    @property
    def penalty_uplift(self) -> Decimal | None:
        return self.catalogue.penalty_uplift if self.catalogue is not None else None

    @property
    def servicing(self) -> ServicingTerms:
        """The servicing terms its loans are booked with."""
        return ServicingTerms(self.waterfall, self.monthly_fees, late_fee=self.late_fee,
                              penalty_uplift=self.penalty_uplift)  # fmt: skip


PRODUCTS = (
    SynthProduct("STANDARD_NEW", "CN", "CNY", "0.0888", 36, catalogue=STANDARD_NEW),
    SynthProduct("NEV_GREEN", "CN", "CNY", "0.0599", 24, catalogue=NEV_GREEN),
    SynthProduct("USED_CAR", "CN", "CNY", "0.1380", 24, (("gps", 3_000),), catalogue=USED_CAR),
    SynthProduct("YOUNG_FIRST", "CN", "CNY", "0.1050", 12, catalogue=YOUNG_FIRST),
    SynthProduct("BALLOON", "CN", "CNY", "0.0750", 36, method=Method.BALLOON, balloon_pct=30,
                 catalogue=BALLOON),
    SynthProduct("SEASONAL", "CN", "CNY", "0.0950", 24, waterfall="principal_first",
                 catalogue=SEASONAL),
    SynthProduct("US_AUTO", "US", "USD", "0.0699", 36),
)  # fmt: skip


@dataclass(frozen=True)
class _Template:
    terms: LoanTerms
    installments: tuple[tuple[int, date, int, int, int], ...]


@lru_cache(maxsize=65_536)
def _template(product: int, principal: int, start: date, first_due: date | None) -> _Template:
    """The terms and installment rows of one distinct set of terms (built once by the
    domain; the PD does not change the schedule)."""
    spec = PRODUCTS[product]
    money = Money.of_minor(principal, spec.currency)
    balloon = Money.of_minor(principal * spec.balloon_pct // 100, spec.currency)
    terms = LoanTerms(
        principal=money, annual_rate=Decimal(spec.rate), periods=spec.periods, start=start,
        method=spec.method, first_due=first_due,
        balloon=balloon if spec.method is Method.BALLOON else None,
    )  # fmt: skip
    state = initial_state(0, terms, spec.servicing)
    rows = tuple(
        (r.n, r.due_date, r.principal_due, r.interest_due, r.fee_due) for r in state.installments
    )
    return _Template(terms, rows)


@lru_cache(maxsize=65_536)
def _terms_json(
    product: int, principal: int, start: date, first_due: date | None, grade: int
) -> str:
    """The stored terms of one distinct set of terms booked with model ``grade``'s PD."""
    spec = PRODUCTS[product]
    servicing = replace(spec.servicing, pd_orig=grade_pd(grade),
                        model_version=SYNTHETIC_MODEL_VERSION)  # fmt: skip
    terms = _template(product, principal, start, first_due).terms
    return dump_terms(terms, spec.pack, None, servicing)


def synthetic_loans(
    ids: Sequence[int], starts: Sequence[date], *, seed: int, first_due_after: int | None = None
) -> list[BookedLoan]:
    """One booked loan per id (see the module docstring); the same ids, starts and
    seed give the same loans."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    products = rng.integers(0, len(PRODUCTS), n)
    principals = rng.integers(5, 31, n) * 1_000_000
    start_index = rng.integers(0, len(starts), n)
    grades = draw_grades(rng, n)  # drawn last: the loans' other draws stay as they were
    out = []
    for i, loan_id in enumerate(ids):
        spec, start = PRODUCTS[int(products[i])], starts[int(start_index[i])]
        first_due = None if first_due_after is None else start + timedelta(first_due_after)
        key = (int(products[i]), int(principals[i]), start, first_due)
        money = Money.of_minor(int(principals[i]), spec.currency)
        entry = disbursement_entry(
            loan_id, start, principal=money, to_dealer=money, paid=True,
            idempotency_key=f"loan:{loan_id}:disbursement",
        )  # fmt: skip
        booked = BookedLoan(
            loan_id, spec.code, spec.currency, money.minor, spec.rate,
            _terms_json(*key, int(grades[i])), start, _template(*key).installments,
            bulk_entry(entry, "disbursement"),
        )  # fmt: skip
        out.append(booked)
    return out


def insert_synthetic_loans(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    n: int,
    *,
    seed: int,
    starts: Sequence[date],
    first_due_after: int | None = None,
    booked_by: int = 0,
) -> list[int]:
    """Book ``n`` synthetic loans, :data:`CHUNK` per transaction; their ids."""
    ids: list[int] = []
    for part in range(0, n, CHUNK):
        size = min(CHUNK, n - part)
        with uow_factory(write=True) as uow:
            chunk = uow.eod.reserve_loan_ids(size)
            loans = synthetic_loans(
                chunk, starts, seed=seed + part, first_due_after=first_due_after
            )
            uow.eod.add_booked_loans(loans, clock.now(), booked_by)
            uow.commit()
        ids.extend(chunk)
    return ids
