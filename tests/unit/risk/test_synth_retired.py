"""Retired applicants in the synthetic population: present, older, living on a steady
pension, drawn deterministically, and known to a model trained on the population."""

from __future__ import annotations

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolend.domain.products import Employment
from autolend.risk.binning import fit_bins
from autolend.risk.dataset import training_data
from autolend.risk.synth import EMPLOYMENT_TYPES, default_logit, synthetic_applicants


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return synthetic_applicants(20_000, seed=5)


def test_every_employment_an_application_offers_is_a_synthetic_employment_type() -> None:
    assert {e.value for e in Employment} <= set(EMPLOYMENT_TYPES)
    assert "retired" in EMPLOYMENT_TYPES


def test_the_population_has_some_retired_applicants_aged_50_to_70(
    population: pd.DataFrame,
) -> None:
    retired = population[population["employment_type"] == "retired"]
    assert 0.02 <= len(retired) / len(population) <= 0.05  # 4 / 4 / 3 / 2 % by tier
    assert retired["age"].between(50, 70).all()
    assert 60 <= retired["age"].mean() <= 64
    others = population[population["employment_type"] != "retired"]
    assert others["age"].between(20, 65).all()


def test_a_pension_is_steadier_and_lower_than_a_salary(population: pd.DataFrame) -> None:
    by_type = population.groupby("employment_type")
    stability = by_type["income_stability_months"].median()
    assert stability["retired"] > stability["civil_servant"] > stability["salaried"]
    income = by_type["monthly_income"].median()
    assert income["retired"] < income["salaried"]
    sd = np.log(population["monthly_income"]).groupby(population["employment_type"]).std()
    assert sd["retired"] == sd.min()


def test_the_retired_are_drawn_the_same_way_for_the_same_seed() -> None:
    first = synthetic_applicants(3_000, seed=9)
    again = synthetic_applicants(3_000, seed=9)
    pd.testing.assert_frame_equal(first, again)
    assert (first["employment_type"] == "retired").sum() > 0


def test_every_applicant_but_the_retired_is_drawn_as_before_the_retired_existed() -> None:
    # The sample the tests' small decision model trains on (tests/support/origination.py).
    frame = synthetic_applicants(1_500, seed=11, as_of_month="2026-06")
    others = frame[frame["employment_type"] != "retired"]
    assert len(others) == 1_453  # 47 salaried applicants became retired
    # Measured on the generator before the retired were added, on the same 1,453 rows.
    assert float(others["monthly_income"].sum()) == 15_083_960.0
    assert float(others["vehicle_price"].sum()) == 203_658_800.0
    assert int(others["bureau_inquiries_6m"].sum()) == 1_495
    assert int(others["bad"].sum()) == 131
    assert float(others["true_pd"].sum()) == pytest.approx(119.435689, abs=1e-6)


def test_the_true_pd_reads_retired_with_its_own_employment_term(
    population: pd.DataFrame,
) -> None:
    row = population[population["employment_type"] == "retired"].head(1)
    as_salaried = row.assign(employment_type="salaried")
    # retired -0.3 against salaried 0 on the log-odds, everything else equal
    assert (default_logit(row) - default_logit(as_salaried))[0] == pytest.approx(-0.3)


def test_a_model_trained_on_the_population_bins_retired_as_a_known_category() -> None:
    frame = synthetic_applicants(4_000, seed=11, as_of_month="2025-06")
    features = frame[["employment_type", "age", "bad"]]
    (bins, _age) = fit_bins(training_data(features, "bad", 1))
    found = bins.index_one("retired")
    assert found < bins.regular  # a regular bin: neither "Missing" nor "Unseen"
    assert "retired" in bins.labels[found]
