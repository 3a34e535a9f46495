"""The lender's ECL parameters reach every figure, on both databases: a platform started
with ``overlay = 1.5`` stores a snapshot ECL and holds a month-end allowance half again
those of one on the built-in set, and every audit record of them names the set."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select

import tests.conftest as shared
from autolend.adapters.clock import FixedClock
from autolend.adapters.db import tables as t
from autolend.batch.ecl_parameters import EclParameters, load_ecl_parameters
from autolend.bootstrap import Container, build_container
from autolend.cli_eod import run_eod
from tests.integration.test_eod_allowance import JAN_END, book, held, risk
from tests.integration.test_eod_runner import SERVICING, twin

__all__ = ["twin"]  # the second-database fixture (the built-in set), used by name

pytestmark = pytest.mark.integration


@pytest.fixture
def lender(db_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    """The platform started with a parameters file of ``overlay = 1.5``."""
    path = tmp_path / "ecl.toml"
    path.write_text("overlay = 1.5\n", encoding="utf-8")
    settings = shared.test_settings(db_url, tmp_path).model_copy(update={"ecl_parameters": path})
    built = build_container(settings, clock=clock)
    yield built
    built.close()


def audits(container: Container, action: str) -> list[dict[str, object]]:
    log = t.audit_log
    query = select(log.c.summary).where(log.c.action == action).order_by(log.c.seq)
    with container.engine.connect() as conn:
        return [json.loads(text) for text in conn.execute(query).scalars()]


def half_again(raised: int, plain: int) -> bool:
    """``raised`` is 1.5 x ``plain`` up to the rounding of each to the fen: stage 1 and 2
    ECL is a sum of PD x loss x DF terms, each PD far below 1 / 1.5, so every term grows
    by 1.5 exactly; rounding both leaves |2 raised - 3 plain| <= 2."""
    return plain > 0 and abs(2 * raised - 3 * plain) <= 2


def test_an_overlay_of_1_5_raises_the_month_end_allowance_by_half_again(
    lender: Container, twin: Container
) -> None:
    ids = [book(platform, price="15000.00") for platform in (lender, twin)]
    for platform in (lender, twin):
        run_eod(platform, through=JAN_END, out=Console(file=io.StringIO()))
    (raised, plain) = (held(p, i) for p, i in zip((lender, twin), ids, strict=True))
    assert half_again(raised, plain)
    assert raised == risk(lender, JAN_END, ids[0])[3]  # the allowance is the snapshot's ECL
    digest = load_ecl_parameters(lender.settings.ecl_parameters).sha256()
    assert digest != EclParameters().sha256()
    for platform, sha in ((lender, digest), (twin, EclParameters().sha256())):
        (month_end,) = audits(platform, "portfolio.snapshot")
        assert month_end["taken_by"] == "eod" and month_end["ecl_parameters_sha256"] == sha
        (run,) = audits(platform, "eod.run")
        assert run["ecl_parameters_sha256"] == sha


def test_an_overlay_of_1_5_raises_a_one_loan_snapshots_ecl_by_half_again(
    lender: Container, twin: Container
) -> None:
    taken = []
    for platform in (lender, twin):
        book(platform, price="15000.00")
        (total,) = platform.services.portfolio.snapshot(SERVICING, JAN_END).by_currency
        taken.append(total.ecl_minor)
    assert half_again(*taken)
    (audited,) = audits(lender, "portfolio.snapshot")
    assert audited["ecl_minor"] == taken[0]
    assert audited["ecl_parameters_sha256"] == lender.risk.ecl_parameters_sha256
    assert (
        lender.risk.ecl_parameters_sha256
        == load_ecl_parameters(lender.settings.ecl_parameters).sha256()
    )
    (plain,) = audits(twin, "portfolio.snapshot")
    assert plain["ecl_parameters_sha256"] == EclParameters().sha256()


def test_a_run_with_no_month_end_states_no_parameters(twin: Container) -> None:
    book(twin)
    run_eod(twin, through=JAN_END.replace(day=30), out=Console(file=io.StringIO()))
    (run,) = audits(twin, "eod.run")
    assert "ecl_parameters_sha256" not in run and not audits(twin, "portfolio.snapshot")
