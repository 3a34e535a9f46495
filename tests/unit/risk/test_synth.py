"""The synthetic applicant population: deterministic, realistic, and with a known true PD."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk import synth
from autolend.risk.synth import (
    COLUMNS,
    PD_DRIVERS,
    default_logit,
    synthetic_applicants,
    write_applicants,
)


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return synthetic_applicants(50_000, seed=11)


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(synth, optionflags=doctest.ELLIPSIS).failed == 0


def test_the_frame_has_exactly_the_documented_columns_in_order(population: pd.DataFrame) -> None:
    assert tuple(population.columns) == COLUMNS
    assert population["application_id"].is_unique


def test_the_same_seed_gives_an_identical_frame_and_another_seed_a_different_one() -> None:
    first = synthetic_applicants(2_000, seed=4)
    pd.testing.assert_frame_equal(first, synthetic_applicants(2_000, seed=4))
    other = synthetic_applicants(2_000, seed=5)
    assert not np.array_equal(first["monthly_income"], other["monthly_income"])


def test_months_span_the_24_months_ending_at_the_as_of_month() -> None:
    frame = synthetic_applicants(5_000, seed=1, as_of_month="2025-03")
    months = sorted(frame["application_month"].unique())
    assert len(months) == 24
    assert (months[0], months[-1]) == ("2023-04", "2025-03")


def test_the_observed_bad_rate_matches_the_mean_true_pd_and_is_realistic(
    population: pd.DataFrame,
) -> None:
    bad_rate, mean_pd = population["bad"].mean(), population["true_pd"].mean()
    assert 0.06 <= bad_rate <= 0.10
    # Standard error of a Bernoulli mean at n = 50,000 and p ~ 0.08 is ~0.0012.
    assert abs(bad_rate - mean_pd) < 0.005


def test_true_pd_is_the_logistic_of_the_drivers_and_never_reads_gender(
    population: pd.DataFrame,
) -> None:
    assert "gender" not in PD_DRIVERS
    without_gender = population.drop(columns=["gender"])
    logit = default_logit(without_gender)
    assert np.allclose(1 / (1 + np.exp(-logit)), population["true_pd"])
    flipped = population.assign(gender=population["gender"].map({"F": "M", "M": "F"}))
    assert np.array_equal(default_logit(flipped), logit)


def test_outcomes_carry_no_gender_effect_beyond_the_true_pd(population: pd.DataFrame) -> None:
    residual = population["bad"] - population["true_pd"]
    by_gender = residual.groupby(population["gender"]).mean()
    assert by_gender.abs().max() < 0.006


def test_a_higher_debt_service_ratio_means_a_higher_average_true_pd(
    population: pd.DataFrame,
) -> None:
    deciles = pd.qcut(population["debt_service_ratio"], 10)
    means = population.groupby(deciles, observed=True)["true_pd"].mean().to_numpy()
    assert (np.diff(means) > 0).all()


def test_true_pd_ranks_the_outcomes_like_a_realistic_model(population: pd.DataFrame) -> None:
    bad, pd_ = population["bad"].to_numpy(), population["true_pd"].to_numpy()
    # Mann-Whitney AUC: the share of (bad, good) pairs where the bad has the higher PD.
    ranks = pd.Series(pd_).rank().to_numpy()
    n_bad = bad.sum()
    auc = (ranks[bad == 1].sum() - n_bad * (n_bad + 1) / 2) / (n_bad * (len(bad) - n_bad))
    assert 0.70 <= auc <= 0.82


def test_population_mix_follows_the_documented_correlations(population: pd.DataFrame) -> None:
    nev = population["vehicle_energy"] == "nev"
    assert 0.30 <= nev.mean() <= 0.40
    nev_by_tier = nev.groupby(population["city_tier"]).mean()
    assert nev_by_tier[1] > nev_by_tier[2] > nev_by_tier[3] > nev_by_tier[4]
    by_condition = population.groupby("vehicle_condition")[["vehicle_price", "ltv"]].mean()
    assert by_condition.loc["used", "vehicle_price"] < by_condition.loc["new", "vehicle_price"]
    assert population.loc[population["vehicle_condition"] == "used", "ltv"].max() <= 0.70
    income = population.groupby("city_tier")["monthly_income"].median()
    assert income[1] > income[2] > income[3] > income[4]
    stability = population.groupby("employment_type")["income_stability_months"].median()
    assert stability["farmer"] < stability["salaried"]
    assert stability["self_employed"] < stability["civil_servant"]


def test_thin_files_have_missing_utilisation_and_values_stay_in_range(
    population: pd.DataFrame,
) -> None:
    missing = population["credit_utilisation"].isna()
    assert 0.10 <= missing.mean() <= 0.30
    assert (population.loc[missing, "bureau_delinquencies_24m"] == 0).all()
    assert population["credit_utilisation"].dropna().between(0, 1.5).all()
    assert set(population["term_months"]) == {12, 24, 36, 48, 60}
    assert set(population["employment_type"]) == set(synth.EMPLOYMENT_TYPES)
    assert set(population["gender"]) == {"F", "M"}
    assert set(population["dealer_id"]) == {f"D{i:03d}" for i in range(1, 41)}
    assert set(population["bad"]) == {0, 1}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n": 0, "seed": 1}, "n"),
        ({"n": 10, "seed": -1}, "seed"),
        ({"n": 10, "seed": 1, "as_of_month": "2025-13"}, "as_of_month"),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        synthetic_applicants(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize("name", ["applicants.csv", "applicants.parquet"])
def test_written_files_read_back_to_the_same_frame(tmp_path: Path, name: str) -> None:
    frame = synthetic_applicants(300, seed=8)
    out = write_applicants(frame, tmp_path / "nested" / name)
    back = pd.read_csv(out) if out.suffix == ".csv" else pd.read_parquet(out)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_writing_another_extension_is_refused_naming_out(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        write_applicants(synthetic_applicants(5, seed=1), tmp_path / "applicants.xlsx")
    assert caught.value.field == "out"
    assert not (tmp_path / "applicants.xlsx").exists()


def test_the_pd_of_a_frame_without_a_driver_or_with_an_unknown_dealer_is_refused() -> None:
    frame = synthetic_applicants(20, seed=1)
    with pytest.raises(InvalidInput) as caught:
        default_logit(frame.drop(columns=["ltv"]))
    assert caught.value.field == "ltv"
    with pytest.raises(InvalidInput) as caught:
        default_logit(frame.assign(dealer_id="D041"))
    assert caught.value.field == "dealer_id"
