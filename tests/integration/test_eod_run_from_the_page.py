"""End of day started from the end-of-day page, and one run at a time whoever starts it:
the page starts the run in the background and shows it; a date after today, or a run
already going on (its lock held, here or by another process), is refused on the page
with nothing recorded; an auditor has no form and may not start one. Both databases."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolend.adapters.db import tables as t
from autolend.adapters.db.eod_tables import eod_runs
from autolend.adapters.db.run_lock import DatabaseRunLock
from autolend.batch.eod_runner import EodRunner
from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.domain.errors import Conflict
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_audit_chain import run_cli_verify
from tests.integration.test_eod_page import book_three, web_sign_in

pytestmark = pytest.mark.integration

FORM = 'data-form="eod-run"'


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def runs(container: Container) -> list[tuple[int, str]]:
    query = select(eod_runs.c.id, eod_runs.c.status).order_by(eod_runs.c.id)
    with container.engine.connect() as conn:
        return [(int(i), str(s)) for i, s in conn.execute(query)]


def serviced_through(container: Container) -> set[object]:
    with container.engine.connect() as conn:
        return set(conn.execute(select(func.distinct(t.loans.c.accrued_through))).scalars())


def finished(container: Container, run_id: int) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = dict(runs(container))[run_id]
        if status != "running":
            return status
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still running")


def test_a_servicing_officer_runs_end_of_day_from_the_page_and_follows_it(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)  # serviced from 2026-10-05; today is 2026-11-28
    web_sign_in(client, staff, Role.SERVICING)
    page = client.get("/eod").text
    assert FORM in page and 'max="2026-11-28"' in page and 'value="2026-11-28"' in page

    started = client.post(
        "/eod/runs", data={"through": "2026-11-28", "csrf_token": csrf(page)},
        follow_redirects=False,
    )  # fmt: skip

    assert started.status_code == 303
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    assert client.get(started.headers["location"]).status_code == 200  # the run's page
    assert finished(container, run_id) == "done"
    accrued = serviced_through(container)
    assert {str(day) for day in accrued} == {"2026-11-28"}  # Oct 6 .. Nov 28, day by day
    assert run_cli_verify(container, Path(container.settings.home)).returncode == 0


def chinese_form_token(container: Container, client: TestClient, staff: dict[Role, str]) -> str:
    """Three loans booked, servicing signed in on the Chinese page; the form's token."""
    book_three(container)
    web_sign_in(client, staff, Role.SERVICING)
    client.cookies.set(LANG_COOKIE, "zh_CN")
    return csrf(client.get("/eod").text)


def test_a_day_after_today_or_not_a_date_is_refused_on_the_page_and_nothing_runs(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    token = chinese_form_token(container, client, staff)
    ahead = client.post("/eod/runs", data={"through": "2026-11-29", "csrf_token": token})
    assert ahead.status_code == 422 and "营业日不能晚于今天" in ahead.text
    typo = client.post("/eod/runs", data={"through": "2026-13-01", "csrf_token": token})
    assert typo.status_code == 422 and 'data-error-field="through"' in typo.text
    assert "不是有效日期：请写作 2026-11-30" in typo.text
    assert 'value="2026-13-01"' in typo.text  # what was typed stays in the form
    assert runs(container) == []


def test_a_run_going_on_elsewhere_refuses_the_page_and_the_command_line(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    token = chinese_form_token(container, client, staff)
    lock = DatabaseRunLock(container.engine)
    with lock() as held:  # another run holds it, here as in any other process
        assert held
        refused = client.post("/eod/runs", data={"through": "2026-11-28", "csrf_token": token})
        assert refused.status_code == 409
        assert "另一个日终作业正在运行" in refused.text
        runner = EodRunner(container.uow, container.services.clock, lock=lock)
        with pytest.raises(Conflict):
            runner.run_through(SYSTEM_ACTOR, container.services.clock.today())
        cli = _cli_eod(container)
        assert cli.returncode != 0 and "another end-of-day run is going on" in cli.stderr
        assert runs(container) == []
    # Let go, the command line runs (a crashed holder lets go the same way: its
    # process's file lock or database session goes with it).
    done = _cli_eod(container)
    assert done.returncode == 0, done.stderr
    assert [status for _, status in runs(container)] == ["done"]


def test_an_auditor_sees_no_form_and_may_not_start_a_run(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    book_three(container)
    web_sign_in(client, staff, Role.AUDITOR)
    page = client.get("/eod").text
    assert FORM not in page
    answer = client.post("/eod/runs", data={"through": "2026-11-28", "csrf_token": csrf(page)})
    assert answer.status_code == 403
    assert runs(container) == []


def _cli_eod(container: Container) -> subprocess.CompletedProcess[str]:
    """``autolend eod --through`` the fixed clock's today, as a separate process."""
    settings = container.settings
    env = {
        "AUTOLEND_DATABASE_URL": settings.resolved_database_url(),
        "AUTOLEND_TOKEN_SECRET": settings.token_secret or "",
        "AUTOLEND_MASTER_KEYS": settings.master_keys or "",
        "AUTOLEND_BLIND_INDEX_KEY": settings.blind_index_key or "",
        "AUTOLEND_HOME": str(Path(settings.home) / "cli"),
        "PATH": "/usr/bin:/bin",
    }
    command = [sys.executable, "-m", "autolend.cli", "eod", "--through", "2026-11-28"]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=180, check=False
    )
