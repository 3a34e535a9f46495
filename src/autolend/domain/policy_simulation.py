"""Policy simulation (策略回溯): past applications replayed under another credit policy.

Each submitted application is decided again, from the facts its decision read, once
under the policy in force ("current") and once under the proposed one. For each policy
:func:`compare` reports the approval, refer and decline rates (share of the applications
replayed), the expected bad rate of the approved (the mean PD stored with their
decisions) and the approved volume (sum of their amounts financed); then the
differences (proposed - current) and the 3x3 table of how many applications move from
one outcome to another.

Rates are rounded half-even to 4 places (0.01 %) and the mean PD to 6 places (the PD is
stored to 6) in :func:`share` and :func:`mean_pd`; differences are taken between the
rounded figures, so a reader can check them. Worked example: four applications of
100 000.00 CNY; the current policy approves three (PD 0.01, 0.03, 0.05), the proposed
one (approve at PD <= 0.04) refers the third:

>>> from decimal import Decimal as D
>>> cny = lambda y: Money.of_minor(y * 100, "CNY")
>>> A, R, X = Outcome.APPROVE, Outcome.REFER, Outcome.DECLINE
>>> rows = [Replayed(1, cny(100_000), D("0.01"), A, A, A),
...         Replayed(2, cny(100_000), D("0.03"), A, A, A),
...         Replayed(3, cny(100_000), D("0.05"), A, A, R),
...         Replayed(4, cny(100_000), D("0.25"), X, X, X)]
>>> result = compare(rows, "CNY")
>>> result.current.approval_rate, result.proposed.approval_rate
(Decimal('0.7500'), Decimal('0.5000'))
>>> result.current.expected_bad_rate, result.proposed.expected_bad_rate
(Decimal('0.030000'), Decimal('0.020000'))
>>> result.proposed.approved_volume.to_api(), result.moved(A, R), result.moved_total
('200000.00', 1, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from autolend.domain.decision import Outcome
from autolend.domain.decision_rules import FraudSignals, ReasonText
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money, currency, sum_money

__all__ = [
    "FIGURES", "OUTCOMES", "Comparison", "FactsSnapshot", "PolicyFigures", "Replayed",
    "compare", "figure_text", "mean_pd", "share", "snapshot_from_dict", "snapshot_to_dict",
]  # fmt: skip

OUTCOMES = (Outcome.APPROVE, Outcome.REFER, Outcome.DECLINE)
FIGURES: tuple[tuple[str, str], ...] = (
    ("applications", "count"), ("approved", "count"), ("referred", "count"),
    ("declined", "count"), ("approval_rate", "rate"), ("refer_rate", "rate"),
    ("decline_rate", "rate"), ("expected_bad_rate", "rate"), ("approved_volume", "money"),
)  # fmt: skip
"""Each :class:`PolicyFigures` field a report shows, in order, with its kind for
:func:`figure_text`."""
_RATE_PLACES = Decimal("0.0001")
_PD_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Replayed:
    """One application decided again: its amount financed, the PD stored with its
    decision (None: no score), the outcome stored then and the outcomes now under the
    current and the proposed policy."""

    application_id: int
    amount: Money
    pd: Decimal | None
    stored: Outcome
    current: Outcome
    proposed: Outcome


@dataclass(frozen=True)
class PolicyFigures:
    """What one policy does to the applications replayed."""

    applications: int
    approved: int
    referred: int
    declined: int
    approval_rate: Decimal | None
    refer_rate: Decimal | None
    decline_rate: Decimal | None
    expected_bad_rate: Decimal | None
    approved_volume: Money


@dataclass(frozen=True)
class Comparison:
    """Both policies side by side; ``swaps[(a, b)]`` counts the applications with outcome
    ``a`` under the current policy and ``b`` under the proposed one (diagonal included);
    ``stored_mismatches`` those whose current-policy outcome is not the stored one (0
    when the current policy decided them and the replay is faithful)."""

    current: PolicyFigures
    proposed: PolicyFigures
    swaps: Mapping[tuple[Outcome, Outcome], int]
    stored_mismatches: int

    def moved(self, before: Outcome, after: Outcome) -> int:
        return self.swaps.get((before, after), 0)

    @property
    def moved_total(self) -> int:
        """Applications whose outcome the proposed policy changes."""
        return sum(n for (a, b), n in self.swaps.items() if a is not b)

    def differences(self) -> dict[str, Decimal | int | Money | None]:
        """Proposed minus current, figure by figure (None when either side has none)."""
        out: dict[str, Decimal | int | Money | None] = {}
        for name in ("approved", "referred", "declined", "approval_rate", "refer_rate",
                     "decline_rate", "expected_bad_rate", "approved_volume"):  # fmt: skip
            new, old = getattr(self.proposed, name), getattr(self.current, name)
            out[name] = None if new is None or old is None else new - old
        return out


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` rounded half-even to 4 places; None for no applications.

    >>> share(2, 3), share(1, 8), share(0, 0)
    (Decimal('0.6667'), Decimal('0.1250'), None)
    """
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_RATE_PLACES, rounding=ROUND_HALF_EVEN)


def mean_pd(pds: Sequence[Decimal]) -> Decimal | None:
    """The mean PD rounded half-even to 6 places; None when there is none.

    >>> mean_pd([Decimal("0.012345"), Decimal("0.02")])
    Decimal('0.016172')
    """
    if not pds:
        return None
    total = sum(pds, Decimal(0)) / Decimal(len(pds))
    return total.quantize(_PD_PLACES, rounding=ROUND_HALF_EVEN)


def _figures(rows: Sequence[Replayed], outcome_of: str, cur: str) -> PolicyFigures:
    outcomes = [getattr(row, outcome_of) for row in rows]
    approved = [row for row, o in zip(rows, outcomes, strict=True) if o is Outcome.APPROVE]
    counts = {o: outcomes.count(o) for o in OUTCOMES}
    # An approval always has a score (no score refers), so every approved PD is there.
    pds = [row.pd for row in approved if row.pd is not None]
    n = len(rows)
    return PolicyFigures(
        applications=n, approved=counts[Outcome.APPROVE], referred=counts[Outcome.REFER],
        declined=counts[Outcome.DECLINE], approval_rate=share(counts[Outcome.APPROVE], n),
        refer_rate=share(counts[Outcome.REFER], n), decline_rate=share(counts[Outcome.DECLINE], n),
        expected_bad_rate=mean_pd(pds),
        approved_volume=sum_money((row.amount for row in approved), currency(cur)),
    )  # fmt: skip


def compare(replayed: Iterable[Replayed], currency_code: str) -> Comparison:
    """Both policies' figures, the swap table and the mismatches; see the module
    docstring. Every amount must be in ``currency_code``."""
    rows = list(replayed)
    swaps = {(a, b): 0 for a in OUTCOMES for b in OUTCOMES}
    for row in rows:
        swaps[(row.current, row.proposed)] += 1
    return Comparison(
        current=_figures(rows, "current", currency_code),
        proposed=_figures(rows, "proposed", currency_code),
        swaps=swaps,
        stored_mismatches=sum(1 for row in rows if row.current is not row.stored),
    )


# --- the facts snapshot stored with a decision ----------------------------------------


@dataclass(frozen=True)
class FactsSnapshot:
    """What a decision read that the application and its stored decision do not hold:
    the business day, the product version, the bureau query whose report was used (or
    why there was none), the fraud signals then, and the model's own reasons. It names
    no person and holds no report, so it may sit in the decision event.

    ``no_model_for``: the currency no credit model was registered for, when that is why
    the application was not scored (a USD application with only ``default`` registered:
    ``"USD"``), so its replay refers it with ``no_model`` as the decision did, not with
    ``score_unavailable``. Stored only when set: a snapshot without it reads None."""

    as_of: date
    product_code: str
    product_version: int
    bureau_query_id: int | None
    bureau_error: str | None
    fraud: FraudSignals
    model_reasons: tuple[ReasonText, ...]
    no_model_for: str | None = None


def snapshot_to_dict(snapshot: FactsSnapshot) -> dict[str, Any]:
    """The snapshot as JSON; :func:`snapshot_from_dict` gives it back exactly."""
    s, fraud = snapshot, snapshot.fraud
    return {
        "as_of": s.as_of.isoformat(), "product_code": s.product_code,
        "product_version": s.product_version, "bureau_query_id": s.bureau_query_id,
        "bureau_error": s.bureau_error,
        "fraud": {"same_id_30d": fraud.applications_same_id_30d,
                  "same_mobile_30d": fraud.applications_same_mobile_30d,
                  "blacklisted": fraud.blacklisted, "vin_financed_by": fraud.vin_financed_by},
        "model_reasons": [{"code": r.code, "text_en": r.text_en, "text_zh": r.text_zh}
                          for r in s.model_reasons],
    } | ({} if s.no_model_for is None else {"no_model_for": s.no_model_for})  # fmt: skip


def snapshot_from_dict(data: Mapping[str, Any]) -> FactsSnapshot:
    """Read a stored snapshot back; a malformed one is InvalidInput naming ``facts``."""
    try:
        fraud = data["fraud"]
        return FactsSnapshot(
            as_of=date.fromisoformat(data["as_of"]), product_code=str(data["product_code"]),
            product_version=int(data["product_version"]),
            bureau_query_id=_optional_int(data["bureau_query_id"]),
            bureau_error=data["bureau_error"],
            fraud=FraudSignals(int(fraud["same_id_30d"]), int(fraud["same_mobile_30d"]),
                               bool(fraud["blacklisted"]),
                               _optional_int(fraud.get("vin_financed_by"))),
            model_reasons=tuple(ReasonText(r["code"], r["text_en"], r["text_zh"])
                                for r in data["model_reasons"]),
            no_model_for=_optional_text(data.get("no_model_for")),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(
            f"the stored facts snapshot is malformed: {error}", field="facts"
        ) from None


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"expected a currency code, got {value!r}")


def figure_text(value: Decimal | int | Money | None, kind: str, *, signed: bool = False) -> str:
    """A figure as the command line and the policy page write it: a count with thousands
    separators, a rate in percent (a difference in percentage points), money in its
    currency's decimals; ``signed`` with ``+`` or ``-``; none is "—".

    >>> figure_text(Decimal("0.1667"), "rate"), figure_text(Decimal("-0.1667"), "rate", signed=True)
    ('16.67%', '-16.67 pp')
    >>> loss = Money.of_minor(-13_300_000, "CNY")
    >>> figure_text(loss, "money", signed=True), figure_text(1200, "count")
    ('-133,000.00', '1,200')
    """
    if value is None:
        return "—"
    if isinstance(value, Money):
        number = value.to_decimal()
        return f"{number:+,}" if signed else f"{number:,}"
    if kind == "rate":
        percent = Decimal(value) * 100
        return f"{percent:+.2f} pp" if signed else f"{percent:.2f}%"
    return f"{value:+,}" if signed else f"{value:,}"
