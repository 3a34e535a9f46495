"""The synthetic applicants in dollars: the same people and outcomes as in yuan, every
amount divided by 4 (YUAN_PER_UNIT), and the PD of the generating process read in dollars
equal to the yuan one, so a USD model learns the same risk from dollar amounts."""

from __future__ import annotations

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolend.domain.errors import InvalidInput
from autolend.risk.synth import AMOUNT_COLUMNS, COLUMNS, default_logit, synthetic_applicants


@pytest.fixture(scope="module")
def both() -> tuple[pd.DataFrame, pd.DataFrame]:
    yuan = synthetic_applicants(3_000, seed=5, as_of_month="2026-06")
    dollars = synthetic_applicants(3_000, seed=5, as_of_month="2026-06", currency="USD")
    return yuan, dollars


def test_the_dollar_population_is_the_yuan_one_with_every_amount_divided_by_four(
    both: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    yuan, dollars = both
    assert tuple(dollars.columns) == COLUMNS
    amounts = list(AMOUNT_COLUMNS)
    pd.testing.assert_frame_equal(dollars.drop(columns=amounts), yuan.drop(columns=amounts))
    pd.testing.assert_frame_equal(dollars[amounts], yuan[amounts] / 4)
    # Hand-checked on the first row: 4 yuan to the dollar, to the cent.
    first = yuan.loc[0, "monthly_income"]
    assert dollars.loc[0, "monthly_income"] == pytest.approx(first / 4, abs=0.005)


def test_the_true_pd_read_in_dollars_is_the_one_drawn_in_yuan(
    both: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    yuan, dollars = both
    drawn = 1 / (1 + np.exp(-default_logit(dollars, currency="USD")))
    np.testing.assert_allclose(drawn, dollars["true_pd"], rtol=1e-12)
    # Read as yuan, the dollar incomes look four times lower: a higher PD for everyone.
    as_if_yuan = 1 / (1 + np.exp(-default_logit(dollars)))
    assert (as_if_yuan > yuan["true_pd"]).all()


def test_a_currency_without_a_stated_factor_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        synthetic_applicants(10, seed=1, currency="EUR")
    assert refused.value.field == "currency"
    assert refused.value.message == "currency must be one of CNY, USD, got 'EUR'"
