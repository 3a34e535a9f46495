"""The lender's ECL parameters file: the built-in set when there is none (today's figures
exactly), a stable digest of the effective set, an overlay and a per-currency
repossession cost that reach the kernels, and a clear error naming the field of every
bad file."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from autolend.batch.ecl import ANNUAL_PD_BY_GRADE, EclConfig
from autolend.batch.ecl_parameters import EclParameters, load_ecl_parameters
from autolend.batch.eod import EodConfig, run_day
from autolend.batch.portfolio_kernels import ColumnRiskAssessor
from autolend.batch.synth_book import synthetic_book
from autolend.domain.errors import InvalidInput
from autolend.domain.money import Money
from autolend.domain.penalty import policy_from_pack
from autolend.domain.regulation import pack_for
from autolend.domain.schedule import LoanTerms, build_schedule
from autolend.domain.servicing import LoanState, accrue
from autolend.services.portfolio_ports import LoanOnDay

START = date(2026, 1, 5)

# The built-in set as its canonical JSON, written out by hand from EclConfig's defaults
# (ANNUAL_PD_BY_GRADE, retention, decay, haircut 0.2, SMM 0, overlay 1 and 3,000.00 in
# each lending currency), keys sorted, no spaces.
DEFAULT_CANONICAL = (
    '{"annual_pd":[0.004,0.007,0.012,0.02,0.033,0.055,0.09,0.15,0.25,0.4],'
    '"decay":{"ice_new":0.15,"ice_used":0.12,"nev_new":0.22,"nev_used":0.2},'
    '"haircut":0.2,"monthly_prepayment":0.0,"overlay":1.0,'
    '"repossession_cost":{"CNY":"3000.00","USD":"3000.00"},'
    '"retention":{"ice_new":0.85,"ice_used":0.9,"nev_new":0.8,"nev_used":0.85}}'
)


def written(tmp_path: Path, text: str, name: str = "ecl.toml") -> EclParameters:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_ecl_parameters(path)


def unpaid_loan(loan_id: int, code: str, through: date, price: str = "0") -> LoanOnDay:
    """12,000.00 at 12 % over 12 months under the ``code`` pack (in its currency),
    nothing ever paid, accrued through ``through``, on a car of ``price``."""
    pack = pack_for(code)
    policy = policy_from_pack(pack, START)
    principal = Money.parse("12000.00", pack.currency)
    terms = LoanTerms(principal=principal, annual_rate=Decimal("0.12"), periods=12, start=START)
    state = accrue(LoanState.from_schedule(f"L{loan_id}", build_schedule(terms)), through,
                   policy, pack).state  # fmt: skip
    car = Money.parse(price, pack.currency).minor
    return LoanOnDay(loan_id, "standard", state, policy, pack, vehicle_price_minor=car)


def test_no_file_gives_the_built_in_set_and_every_ecl_figure_of_today() -> None:
    built_in = load_ecl_parameters(None)
    assert built_in == EclParameters()
    book = synthetic_book(2_000, day=20_514, seed=7)
    _, today = run_day(book, 20_514, EodConfig(ecl=EclConfig()))
    _, now = run_day(book, 20_514, EodConfig(ecl=built_in.ecl_config()))
    assert np.array_equal(now.ecl, today.ecl) and today.ecl.sum() > 0


def test_the_default_sets_digest_is_the_sha256_of_its_canonical_json() -> None:
    digest = hashlib.sha256(DEFAULT_CANONICAL.encode("ascii")).hexdigest()
    assert EclParameters().sha256() == digest
    assert ColumnRiskAssessor().ecl_parameters_sha256 == digest


def test_a_file_restating_the_defaults_has_the_default_sets_digest(tmp_path: Path) -> None:
    pds = ", ".join(str(pd) for pd in ANNUAL_PD_BY_GRADE)
    text = f'annual_pd = [{pds}]\noverlay = 1\nrepossession_cost = {{CNY = "3000"}}\n'
    assert written(tmp_path, text).sha256() == EclParameters().sha256()
    assert written(tmp_path, "overlay = 1.5\n").sha256() != EclParameters().sha256()


def test_a_json_file_of_the_printed_parameters_is_the_same_set(tmp_path: Path) -> None:
    toml = written(tmp_path, 'overlay = 1.5\nrepossession_cost = {USD = "1500.00"}\n')
    again = json.dumps(toml.effective())
    assert written(tmp_path, again, "ecl.json") == EclParameters(**toml.effective())
    assert written(tmp_path, again, "ecl.json").sha256() == toml.sha256()


def test_an_overlay_of_1_5_raises_a_one_loan_snapshots_ecl_by_half_again(
    tmp_path: Path,
) -> None:
    # Before its first due date the loan is stage 1: ECL = sum of PD_j x loss_j x DF_j,
    # every PD_j of grade 0 under 1 / 1.5, so each term grows by 1.5 exactly; rounding
    # both to the fen leaves |ECL(1.5) - 1.5 x ECL(1)| <= 0.5 + 0.75, so the doubled
    # difference |2 ECL(1.5) - 3 ECL(1)| is at most 2.
    day = date(2026, 1, 31)
    loan = unpaid_loan(1, "CN", day - timedelta(days=1), price="10000.00")
    (plain,) = ColumnRiskAssessor().assess([loan], day)
    (raised,) = ColumnRiskAssessor(written(tmp_path, "overlay = 1.5\n")).assess([loan], day)
    assert plain.stage == raised.stage == 1 and plain.ecl_minor > 1_000
    assert abs(2 * raised.ecl_minor - 3 * plain.ecl_minor) <= 2


def test_a_usd_repossession_cost_applies_to_a_usd_loan_only(tmp_path: Path) -> None:
    # Both loans 95 days late: stage 3, ECL = EAD - (car after haircut - cost) while the
    # car covers the cost and not the EAD: 15,000.00 x 0.85 x 0.8 x exp(-0.15 x 4 / 12)
    # = 9,702.54 (4 months old) against some 12,400.00 of EAD. A USD cost of 1,500.00
    # instead of 3,000.00 recovers 1,500.00 (150,000 cents) more on the US loan only.
    day = date(2026, 2, 5) + timedelta(days=95)
    loans = [unpaid_loan(i, code, day - timedelta(days=1), "15000.00")
             for i, code in enumerate(("CN", "US"))]  # fmt: skip
    before = ColumnRiskAssessor().assess(loans, day)
    usd = written(tmp_path, 'repossession_cost = {USD = "1500.00"}\n')
    after = ColumnRiskAssessor(usd).assess(loans, day)
    assert [r.stage for r in before] == [3, 3]
    assert after[0] == before[0]
    assert before[1].ecl_minor - after[1].ecl_minor == 150_000
    assert usd.repossession_cost_minor() == {"CNY": 300_000, "USD": 150_000}


def test_a_loan_in_a_currency_without_a_cost_keeps_the_built_in_3000() -> None:
    given = EclParameters(repossession_cost={"USD": "1500.00"}).ecl_config()
    assert given.repossession_cost_for("CNY") == 300_000
    assert given.repossession_cost_for("HKD") == 300_000  # no pack lends in it: the default


PDS_TOO_HIGH = "annual_pd = [0.004, 0.007, 0.012, 0.02, 0.033, 0.055, 0.09, 0.15, 0.25, 1.4]"
PDS_FALLING = "annual_pd = [0.004, 0.007, 0.012, 0.02, 0.033, 0.055, 0.09, 0.15, 0.4, 0.25]"


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("overley = 1.5", "overley", "unknown key"),
        (PDS_TOO_HIGH, "annual_pd.9", "less than or equal to 1"),
        ("annual_pd = [-0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0]", "annual_pd.0", "greater than or"),
        (PDS_FALLING, "annual_pd", "grade 9 (0.25) is below grade 8 (0.4)"),
        ("annual_pd = [0.1, 0.2]", "annual_pd", "at least 10"),
        ('repossession_cost = {USD = "-1500.00"}', "repossession_cost.USD", "negative"),
        ('repossession_cost = {USD = "1500.001"}', "repossession_cost.USD", "decimal places"),
        ("repossession_cost = {USD = 1500}", "repossession_cost.USD", "string"),
        ('repossession_cost = {EUR = "1.00"}', "repossession_cost.EUR", "lends in"),
        ("monthly_prepayment = 1.5", "monthly_prepayment", "less than or equal to 1"),
        ("monthly_prepayment = -0.01", "monthly_prepayment", "greater than or equal to 0"),
        ("overlay = -1", "overlay", "greater than or equal to 0"),
        ('overlay = "1.5"', "overlay", "number"),
        ("overlay = inf", "overlay", "finite"),
        ("haircut = 1.2", "haircut", "less than or equal to 1"),
        ("retention = {ice_new = 1.2}", "retention.ice_new", "less than or equal to 1"),
        ("decay = {ice_old = 0.1}", "decay.ice_old", "unknown key"),
        ("overlay = ", "file", "ecl.toml"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(
    tmp_path: Path, text: str, field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        written(tmp_path, text)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: " if field != "file" else str(tmp_path))
    assert words in str(caught.value)


def test_a_file_with_several_problems_names_each_one(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        written(tmp_path, "overlay = -1\nmonthly_prepayment = 2\n")
    assert "overlay: " in str(caught.value) and "monthly_prepayment: " in str(caught.value)


def test_a_file_that_is_missing_or_neither_toml_nor_json_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"ecl\.toml") as missing:
        load_ecl_parameters(tmp_path / "ecl.toml")
    with pytest.raises(InvalidInput, match=r"not a \.toml or \.json") as yaml:
        written(tmp_path, "overlay: 1.5\n", "ecl.yaml")
    with pytest.raises(InvalidInput, match="table of keys") as listed:
        written(tmp_path, "[1.5]", "ecl.json")
    assert missing.value.field == yaml.value.field == listed.value.field == "file"


def test_the_parameters_are_frozen_once_validated() -> None:
    parameters = EclParameters()
    with pytest.raises(ValueError, match="frozen"):
        parameters.overlay = 2.0  # the digest an assessor took stays the set's
