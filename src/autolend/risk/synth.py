"""Synthetic Chinese auto-loan applicants with a known default probability.

:func:`synthetic_applicants` draws ``n`` applicants from ``numpy.random.default_rng(seed)``
(same seed, same frame, byte for byte) by this process; ``docs/synthetic-data.md`` holds the
full tables.

1. **Month** ``m`` (0..23) over the 24 months that end at ``as_of_month`` (default
   ``2025-12``); volume grows 2 % a month; farmers apply 1.8x as often in Oct-Dec (after the
   harvest).
2. **City tier** 1..4 (16/30/30/24 %); **dealer** ``D001..D040``, each dealer in one tier.
3. **Employment** by tier (tier 1: no farmers; tier 4: 22 % farmers); **age** 20..65 by
   employment; **gender** F/M with P(F) by employment (civil servants 45 %, gig 22 %).
   **Retired** people on a pension (4 / 4 / 3 / 2 % of each tier) take the place of some
   salaried ones: aged 50..70 (mean 62), P(F) 45 %, their rows drawn again as retired from
   a second stream, ``default_rng((seed, 1))``, so every other row is as it was before.
4. **Monthly income** (CNY) lognormal: median by tier (13,000 / 9,500 / 7,000 / 5,200) times
   an employment factor, rising with age to 45 and 3 % a year; self-employed and farmers have
   the widest spread and the shortest ``income_stability_months`` (seasonal income); a
   pension is half the tier's median with the narrowest spread and the longest stability
   (mean 120 months: it is paid for life), and lowers the log-odds of default by 0.3.
5. **Bureau**: thin file (no credit history, ~20 %) more often for the young, farmers, gig
   workers, retired people and lower tiers; thin files have no delinquencies and a *missing*
   ``credit_utilisation``.  A hidden payment-discipline factor ``u ~ N(0, 1)`` makes
   delinquencies, inquiries, utilisation and existing debt move together.
6. **Vehicle**: used cars (~25 %) more often in lower tiers and at lower incomes, cheaper
   (x0.55) and financed with a lower loan-to-value cap (70 % versus 80 % ICE / 85 % NEV new);
   NEV share ~33 %, higher in tiers 1-2 and rising over the 24 months.  Down payment at least
   ``1 - cap``; ``ltv`` adds financed extras (insurance, fees) up to the cap; the term
   (12..60 months, used cars at most 48) lengthens with the loan/income ratio.
7. **Debt service ratio** ``(existing_debt_payments + installment) / monthly_income`` with the
   annuity installment at 7 % (new ICE), 6 % (NEV) or 11 % (used) a year.
8. **Outcome**: ``true_pd = 1 / (1 + exp(-default_logit(frame)))``, a logistic model of the
   observed drivers only (:data:`PD_DRIVERS`; gender is *not* among them), and
   ``bad ~ Bernoulli(true_pd)``.  Overall bad rate ~8 %; AUC of ``true_pd`` against ``bad``
   ~0.75, the best any model of these columns can reach.
9. **Currency**: the process is written in yuan (CNY, the default). ``currency="USD"`` gives
   the same applicants with their amounts (:data:`AMOUNT_COLUMNS`) in dollars: each divided
   by :data:`YUAN_PER_UNIT` (4 yuan to the dollar), to the cent. The scaling keeps the
   generating process: every draw reads an amount only as a ratio of amounts (DSR, LTV,
   down payment, loan / income) or against a reference amount (income / 8,000 in the PD
   and the vehicle, the 125,000 price, the floors and caps), and stating every amount and
   every reference in dollars at one factor changes no ratio. So a row has the same
   ``true_pd`` and ``bad`` in either currency, and a model trained on the dollar frame
   learns the same risk from dollar amounts ($2,000.00 a month reads as 8,000.00 yuan here).
   4 is a round demo factor, not an exchange rate: at the market rate (about 7 yuan) the
   tier-1 median income of 13,000 yuan would be about $1,850 a month, low for a US car
   buyer; at 4 it is $3,250.00.

>>> frame = synthetic_applicants(5, seed=7)
>>> list(frame.columns[:3]), len(frame)
(['application_id', 'application_month', 'age'], 5)
>>> "gender" in PD_DRIVERS
False
>>> people = synthetic_applicants(2_000, seed=7)
>>> retired = people[people["employment_type"] == "retired"]  # 55 of 2,000, aged 56..70
>>> len(retired), int(retired["age"].min()), int(retired["age"].max())
(55, 56, 70)
>>> dollars = synthetic_applicants(5, seed=7, currency="USD")  # the same five people
>>> float(frame["monthly_income"][0]), float(dollars["monthly_income"][0])  # 8,290 / 4
(8290.0, 2072.5)
>>> bool((frame["true_pd"] == dollars["true_pd"]).all())
True
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolend.domain.errors import InvalidInput
from autolend.risk.synth_files import write_applicants

__all__ = [
    "AMOUNT_COLUMNS",
    "COLUMNS",
    "DEFAULT_AS_OF_MONTH",
    "EMPLOYMENT_TYPES",
    "PD_DRIVERS",
    "YUAN_PER_UNIT",
    "default_logit",
    "synthetic_applicants",
    "write_applicants",
]

DEFAULT_AS_OF_MONTH = "2025-12"
MONTHS = 24
EMPLOYMENT_TYPES = ("salaried", "civil_servant", "self_employed", "farmer", "gig", "retired")
COLUMNS = (
    "application_id", "application_month", "age", "monthly_income",
    "income_stability_months", "employment_type", "existing_debt_payments",
    "debt_service_ratio", "bureau_delinquencies_24m", "bureau_inquiries_6m",
    "credit_utilisation", "down_payment_ratio", "ltv", "term_months", "vehicle_condition",
    "vehicle_energy", "vehicle_price", "dealer_id", "city_tier", "first_time_buyer",
    "gender", "true_pd", "bad",
)  # fmt: skip
PD_DRIVERS = (
    "age", "monthly_income", "income_stability_months", "employment_type",
    "debt_service_ratio", "bureau_delinquencies_24m", "bureau_inquiries_6m",
    "credit_utilisation", "ltv", "term_months", "vehicle_condition", "dealer_id",
    "city_tier", "first_time_buyer",
)  # fmt: skip

AMOUNT_COLUMNS = ("monthly_income", "existing_debt_payments", "vehicle_price")
YUAN_PER_UNIT = {"CNY": 1, "USD": 4}
"""How many yuan of the generating process one unit of the population's currency stands
for (see item 9 above): a USD population's amounts are the yuan ones divided by 4."""
_TIER_P = np.array([0.16, 0.30, 0.30, 0.24])
_EMPLOYMENT_P = np.array(  # rows: tier 1..4; columns: EMPLOYMENT_TYPES but the retired
    [
        [0.55, 0.10, 0.22, 0.00, 0.13],
        [0.50, 0.10, 0.24, 0.03, 0.13],
        [0.42, 0.10, 0.25, 0.10, 0.13],
        [0.32, 0.09, 0.25, 0.22, 0.12],
    ]
)
_RETIRED_P = np.array([0.04, 0.04, 0.03, 0.02])  # by tier, out of the salaried share
_RETIRED_AGE = (62.0, 4.0, 50, 70)  # mean, sd, youngest, oldest
_RETIRED_STREAM = 1  # the retired are drawn from default_rng((seed, 1))
_TIER_MEDIAN_INCOME = np.array([13_000.0, 9_500.0, 7_000.0, 5_200.0])
_EMP_INCOME_FACTOR = np.array([1.00, 1.10, 1.15, 0.70, 0.80, 0.50])
_EMP_INCOME_SIGMA = np.array([0.38, 0.28, 0.65, 0.55, 0.45, 0.25])
_EMP_STABILITY_MEAN = np.array([54.0, 96.0, 36.0, 20.0, 12.0, 120.0])
_EMP_AGE_MEAN = np.array([34.0, 37.0, 38.0, 42.0, 29.0])
_EMP_FEMALE_P = np.array([0.40, 0.45, 0.30, 0.25, 0.22, 0.45])
_EMP_LOGIT = np.array([0.0, -0.6, 0.25, 0.35, 0.5, -0.3])
_RETIRED = EMPLOYMENT_TYPES.index("retired")
_DEALERS_PER_TIER = (6, 12, 12, 10)  # D001-D006 tier 1, D007-D018 tier 2, ...
_PROBLEM_DEALERS = (7, 23, 36)
_DEALER_LOGIT = (
    0.15 * np.sin(2.399963 * np.arange(1, 41)) + np.isin(np.arange(1, 41), _PROBLEM_DEALERS) * 0.45
)
_TERMS = np.array([12, 24, 36, 48, 60])
_TERM_CUTS = np.array([-1.9, -0.9, 0.25, 0.75])
_INTERCEPT = -3.5
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _sigmoid(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=float)


def _categorical(rng: np.random.Generator, probs: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """One category index per row of a (rows, categories) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    return np.asarray((rng.random(len(probs))[:, None] > cum[:, :-1]).sum(axis=1), dtype=np.int64)


def _month_labels(as_of_month: str) -> tuple[list[str], np.ndarray[Any, Any]]:
    """The 24 ``YYYY-MM`` labels ending at ``as_of_month`` and their calendar months."""
    match = _MONTH_RE.match(as_of_month)
    if match is None:
        raise InvalidInput(f"as_of_month {as_of_month!r} is not YYYY-MM", field="as_of_month")
    end = int(match.group(1)) * 12 + int(match.group(2)) - 1
    serials = np.arange(end - MONTHS + 1, end + 1)
    labels = [f"{s // 12:04d}-{s % 12 + 1:02d}" for s in serials]
    return labels, serials % 12 + 1


def _draw_people(rng: np.random.Generator, n: int, calendar: np.ndarray[Any, Any]) -> pd.DataFrame:
    tier = _categorical(rng, np.broadcast_to(_TIER_P, (n, 4))) + 1
    emp = _categorical(rng, _EMPLOYMENT_P[tier - 1])
    weights = 1.02 ** np.arange(MONTHS)
    harvest = weights * np.where(np.isin(calendar, (10, 11, 12)), 1.8, 1.0)
    month = np.where(
        emp == EMPLOYMENT_TYPES.index("farmer"),
        rng.choice(MONTHS, n, p=harvest / harvest.sum()),
        rng.choice(MONTHS, n, p=weights / weights.sum()),
    )
    age = np.clip(np.rint(rng.normal(_EMP_AGE_MEAN[emp], 9.0)), 20, 65).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(_DEALERS_PER_TIER)))[tier - 1]
    sizes = np.asarray(_DEALERS_PER_TIER)[tier - 1]
    dealer = starts + np.floor(sizes * rng.random(n) ** 1.6).astype(np.int64) + 1
    female = rng.random(n) < _EMP_FEMALE_P[emp]
    return pd.DataFrame(
        {"month": month, "tier": tier, "emp": emp, "age": age, "dealer": dealer, "female": female}
    )


def _draw_income(rng: np.random.Generator, p: pd.DataFrame) -> pd.DataFrame:
    emp, age = p["emp"].to_numpy(), p["age"].to_numpy()
    log_income = (
        np.log(_TIER_MEDIAN_INCOME[p["tier"].to_numpy() - 1] * _EMP_INCOME_FACTOR[emp])
        + 0.012 * (np.minimum(age, 45) - 30)
        + np.log(1.03) * p["month"].to_numpy() / 12
        + _EMP_INCOME_SIGMA[emp] * rng.standard_normal(len(p))
    )
    income = np.maximum(np.round(np.exp(log_income), -1), 2_000.0)
    stability = rng.exponential(_EMP_STABILITY_MEAN[emp])
    stability = np.clip(np.ceil(stability), 1, (age - 18) * 12).astype(np.int64)
    return pd.DataFrame({"income": income, "stability": stability})


def _draw_bureau(
    rng: np.random.Generator, p: pd.DataFrame, income: np.ndarray[Any, Any]
) -> dict[str, Any]:
    n, emp = len(p), p["emp"].to_numpy()
    farmer, gig = emp == 3, emp == 4
    thin_logit = -2.3 + 1.0 * (p["age"].to_numpy() < 27) + 1.1 * farmer + 0.6 * gig
    thin_logit = thin_logit + 0.5 * (emp == _RETIRED)
    thin = rng.random(n) < _sigmoid(thin_logit + 0.25 * (p["tier"].to_numpy() - 1))
    u = rng.standard_normal(n)
    delinquencies = np.where(thin, 0, rng.poisson(np.exp(-1.9 + 0.9 * u)))
    inquiry_rate = np.where(thin, 0.4, np.exp(0.35 * u + 0.4 * gig + 0.25 * (emp == 2)))
    utilisation = 1.5 * _sigmoid(-0.9 + 0.8 * u + 0.6 * rng.standard_normal(n))
    has_debt = rng.random(n) < np.where(thin, 0.1, _sigmoid(-0.2 + 0.5 * u))
    share = 0.9 * rng.beta(2.0, 7.0, n) * np.exp(0.2 * u)
    debt = np.where(has_debt, np.round(income * np.minimum(share, 0.7)), 0.0)
    return {
        "bureau_delinquencies_24m": np.minimum(delinquencies, 12).astype(np.int64),
        "bureau_inquiries_6m": np.minimum(rng.poisson(inquiry_rate), 20).astype(np.int64),
        "credit_utilisation": np.where(thin, np.nan, np.round(utilisation, 3)),
        "existing_debt_payments": debt,
    }


def _draw_vehicle(
    rng: np.random.Generator, p: pd.DataFrame, income: np.ndarray[Any, Any]
) -> dict[str, Any]:
    n, tier, month = len(p), p["tier"].to_numpy(), p["month"].to_numpy()
    rel_income = np.log(income / 8_000.0)
    used = rng.random(n) < _sigmoid(-2.0 + 0.35 * (tier - 1) - 0.4 * rel_income + 0.02 * month)
    nev_logit = 0.1 - 0.45 * (tier - 1) - 0.8 * used + 0.04 * (month - 12)
    nev = rng.random(n) < _sigmoid(nev_logit)
    log_price = np.log(125_000.0) + 0.7 * rel_income + 0.1 * nev + np.log(0.55) * used
    price = np.clip(np.round(np.exp(log_price + 0.3 * rng.standard_normal(n)), -2), 30_000, 1.2e6)
    cap = np.where(used, 0.70, np.where(nev, 0.85, 0.80))
    above_floor = 0.55 * rng.beta(1.2, 3.0, n) * np.exp(0.25 * rel_income)
    dp = np.round(np.clip(1 - cap + above_floor, 1 - cap, 0.9), 3)
    extras = np.where(rng.random(n) < 0.4, rng.uniform(0.01, 0.06, n), 0.0)
    ltv = np.round(np.minimum(1 - dp + extras, cap), 3)
    loan = price * ltv
    latent = 0.9 * (np.log(loan / income) - np.log(12.0)) / 0.6 + 0.8 * rng.standard_normal(n)
    term = _TERMS[np.searchsorted(_TERM_CUTS, latent)]
    term = np.where(used, np.minimum(term, 48), term)
    rate = np.where(used, 0.11, np.where(nev, 0.06, 0.07)) / 12
    installment = loan * rate / (1 - (1 + rate) ** -term)
    return {
        "down_payment_ratio": dp, "ltv": ltv, "term_months": term.astype(np.int64),
        "vehicle_condition": np.where(used, "used", "new"),
        "vehicle_energy": np.where(nev, "nev", "ice"), "vehicle_price": price,
        "installment": installment,
    }  # fmt: skip


def _employment_codes(x: pd.DataFrame) -> np.ndarray[Any, Any]:
    codes = pd.Categorical(x["employment_type"], categories=EMPLOYMENT_TYPES).codes
    if (codes < 0).any():
        raise InvalidInput(
            f"employment_type must be one of {EMPLOYMENT_TYPES}", field="employment_type"
        )
    return np.asarray(codes, dtype=np.int64)


def _dealer_codes(x: pd.DataFrame) -> np.ndarray[Any, Any]:
    ids = x["dealer_id"].astype(str)
    valid = ids.str.fullmatch(r"D0[0-3]\d|D040") & (ids != "D000")
    if not valid.all():
        raise InvalidInput("dealer_id must be D001..D040", field="dealer_id")
    return np.asarray(ids.str.slice(1).astype(int).to_numpy() - 1, dtype=np.int64)


def default_logit(frame: pd.DataFrame, *, currency: str = "CNY") -> np.ndarray[Any, Any]:
    """The log-odds of default from the :data:`PD_DRIVERS` columns only (never gender), the
    income read in ``currency`` (turned into yuan by :data:`YUAN_PER_UNIT`: $2,000.00 is
    the 8,000 yuan of the reference).

    ``logit = -3.5 + 1.5 (dsr - 0.4) + 2 max(dsr - 0.6, 0) + 0.45 min(delinq, 5)
    + 0.12 min(inq, 10) + 0.9 util (thin file: +0.35) - 0.25 ln(1 + stability/12)
    + 2 (ltv - 0.7) + 0.25 used + employment + 0.0015 (age - 40)^2 + 0.006 (term - 36)
    - 0.35 ln(income / 8000) + 0.15 first_time_buyer + 0.05 (tier - 1) + dealer``.

    >>> row = synthetic_applicants(1, seed=3)
    >>> bool(np.isclose(1 / (1 + np.exp(-default_logit(row)[0])), row["true_pd"][0]))
    True
    """
    missing = [name for name in PD_DRIVERS if name not in frame.columns]
    if missing:
        raise InvalidInput(f"the PD needs the columns {missing}", field=missing[0])
    x = frame.loc[:, list(PD_DRIVERS)]
    dsr = x["debt_service_ratio"].to_numpy(float)
    income = x["monthly_income"].to_numpy(float) * _yuan_per_unit(currency)
    util = x["credit_utilisation"].to_numpy(float)
    emp, dealer = _employment_codes(x), _dealer_codes(x)
    return np.asarray(
        _INTERCEPT
        + 1.5 * (dsr - 0.4)
        + 2.0 * np.maximum(dsr - 0.6, 0.0)
        + 0.45 * np.minimum(x["bureau_delinquencies_24m"].to_numpy(float), 5)
        + 0.12 * np.minimum(x["bureau_inquiries_6m"].to_numpy(float), 10)
        + np.where(np.isnan(util), 0.35, 0.9 * util)
        - 0.25 * np.log1p(x["income_stability_months"].to_numpy(float) / 12)
        + 2.0 * (x["ltv"].to_numpy(float) - 0.7)
        + 0.25 * (x["vehicle_condition"].to_numpy() == "used")
        + _EMP_LOGIT[emp]
        + 0.0015 * (x["age"].to_numpy(float) - 40) ** 2
        + 0.006 * (x["term_months"].to_numpy(float) - 36)
        - 0.35 * np.log(income / 8_000.0)
        + 0.15 * x["first_time_buyer"].to_numpy(float)
        + 0.05 * (x["city_tier"].to_numpy(float) - 1)
        + _DEALER_LOGIT[dealer],
        dtype=float,
    )


def synthetic_applicants(
    n: int, seed: int, *, as_of_month: str | None = None, currency: str = "CNY"
) -> pd.DataFrame:
    """``n`` applicants over the 24 months ending at ``as_of_month``, columns :data:`COLUMNS`,
    amounts in ``currency`` (CNY or USD; see item 9 of the module docstring).

    Deterministic: the same ``(n, seed, as_of_month)`` gives an identical frame, and the
    same applicants in either currency.

    >>> frame = synthetic_applicants(1_000, seed=1, as_of_month="2024-06")
    >>> frame["application_month"].min(), frame["application_month"].max()
    ('2022-07', '2024-06')
    >>> bool(frame["true_pd"].between(0, 1).all()), sorted(frame["bad"].unique().tolist())
    (True, [0, 1])
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidInput(f"n must be a positive whole number, got {n!r}", field="n")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInput(f"seed must be a whole number >= 0, got {seed!r}", field="seed")
    per_unit = _yuan_per_unit(currency)
    labels, calendar = _month_labels(as_of_month or DEFAULT_AS_OF_MONTH)
    rng = np.random.default_rng(seed)
    people = _draw_people(rng, n, calendar)
    frame = _draw_rest(rng, people, labels)
    overlay = np.random.default_rng((seed, _RETIRED_STREAM))
    chosen, retired = _retire(overlay, people)
    if chosen.any():  # their rows drawn again, as retired people, from the second stream
        again = _draw_rest(overlay, retired, labels)
        for column in again.columns:
            frame.loc[chosen, column] = again[column].to_numpy()
    frame.insert(0, "application_id", [f"A{seed % 10_000:04d}-{i:07d}" for i in range(1, n + 1)])
    if per_unit != 1:  # the yuan frame is returned as drawn, unchanged
        frame[list(AMOUNT_COLUMNS)] = (frame[list(AMOUNT_COLUMNS)] / per_unit).round(2)
    return frame.loc[:, list(COLUMNS)]


def _retire(
    overlay: np.random.Generator, people: pd.DataFrame
) -> tuple[np.ndarray[Any, Any], pd.DataFrame]:
    """Which salaried applicants are retired instead (the tier's :data:`_RETIRED_P` out of
    its salaried share), and those people as retired: the same month, tier and dealer, an
    age and a gender of their own."""
    tier, emp = people["tier"].to_numpy(), people["emp"].to_numpy()
    share = _RETIRED_P[tier - 1] / _EMPLOYMENT_P[tier - 1, 0]
    chosen = (overlay.random(len(people)) < share) & (emp == EMPLOYMENT_TYPES.index("salaried"))
    mean, sd, youngest, oldest = _RETIRED_AGE
    k = int(chosen.sum())
    retired = people[chosen].reset_index(drop=True).assign(emp=_RETIRED)
    retired["age"] = np.clip(np.rint(overlay.normal(mean, sd, k)), youngest, oldest)
    retired["age"] = retired["age"].astype(np.int64)
    retired["female"] = overlay.random(k) < _EMP_FEMALE_P[_RETIRED]
    return chosen, retired


def _draw_rest(rng: np.random.Generator, people: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Everything after the person (steps 4-8 of the module docstring) for ``people``."""
    n = len(people)
    money = _draw_income(rng, people)
    income = money["income"].to_numpy()
    bureau = _draw_bureau(rng, people, income)
    vehicle = _draw_vehicle(rng, people, income)
    age, tier = people["age"].to_numpy(), people["tier"].to_numpy()
    first_time = rng.random(n) < _sigmoid(0.2 - 0.06 * (age - 30) + 0.25 * (tier - 2.5))
    frame = pd.DataFrame(
        {
            "application_month": np.asarray(labels)[people["month"].to_numpy()],
            "age": age,
            "monthly_income": income,
            "income_stability_months": money["stability"].to_numpy(),
            "employment_type": np.asarray(EMPLOYMENT_TYPES)[people["emp"].to_numpy()],
            **bureau,
            **{k: v for k, v in vehicle.items() if k != "installment"},
            "dealer_id": [f"D{d:03d}" for d in people["dealer"].to_numpy()],
            "city_tier": tier,
            "first_time_buyer": first_time,
            "gender": np.where(people["female"].to_numpy(), "F", "M"),
        }
    )
    dsr = (bureau["existing_debt_payments"] + vehicle["installment"]) / income
    frame["debt_service_ratio"] = np.round(dsr, 4)
    frame["true_pd"] = _sigmoid(default_logit(frame))
    frame["bad"] = (rng.random(n) < frame["true_pd"].to_numpy()).astype(np.int64)
    return frame


def _yuan_per_unit(currency: str) -> int:
    """The yuan one unit of ``currency`` stands for: 1 for CNY, 4 for USD."""
    found = YUAN_PER_UNIT.get(currency)
    if found is None:
        known = ", ".join(YUAN_PER_UNIT)
        raise InvalidInput(f"currency must be one of {known}, got {currency!r}", field="currency")
    return found
