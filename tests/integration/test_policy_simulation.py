"""Policy simulation on both databases: applications filed and submitted over the API
(bureau sandbox as its own process, the credit model), then replayed. Under the policy
that decided them the replay reproduces every stored outcome (0 moves); a stricter
policy moves approvals to refer and decline exactly as their stored PDs say; the bureau
is not asked again and nothing but the audit record is written. Then the command line,
with its exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from typer.testing import CliRunner

from autolend.adapters.clock import FixedClock
from autolend.adapters.db import application_tables as at
from autolend.adapters.db import tables
from autolend.bootstrap import Container
from autolend.cli import app
from autolend.domain.access import SYSTEM_ACTOR, Actor, Role
from autolend.domain.decision import Outcome
from autolend.domain.decision_policy import DEFAULT_POLICY, parse_policy, policy_to_dict
from autolend.domain.errors import PermissionDenied
from autolend.services import policy_simulation
from autolend.services.model_ports import NewModelVersion
from autolend.services.policy_simulation import PolicySimulationService
from tests.conftest import TEST_NOW
from tests.integration.test_bureau_sandbox import sandbox, sandbox_url  # noqa: F401 - fixtures
from tests.integration.test_loans_api import as_role
from tests.support.bureau_ids import resident_ids
from tests.support.origination import application_body, origination_container, trained_once

pytestmark = pytest.mark.integration
DAY = TEST_NOW.date()  # 17:30 in Beijing: the same business day
A, R, X = Outcome.APPROVE, Outcome.REFER, Outcome.DECLINE
STATUS = {"approved": A, "referred": R, "declined": X}


def applicant_bodies() -> list[dict[str, Any]]:
    """Eight applicants: four clean files with incomes from modest to high, one file with
    late payments, one thin file, one written-off account, one the bureau has never
    seen; each with its own mobile."""
    ids = resident_ids("clean", 4, 100) + resident_ids("ordinary", 1, 900)
    ids += resident_ids("thin_file", 1, 300) + resident_ids("red_flag", 1, 500)
    ids += resident_ids("no_record", 1, 700)
    incomes = ["60000.00", "45000.00", "38000.00", "8000.00", "40000.00", "40000.00",
               "40000.00", "40000.00"]  # fmt: skip
    bodies = []
    for n, (id_number, income) in enumerate(zip(ids, incomes, strict=True)):
        borrower = application_body()["applicants"][0] | {
            "id_number": id_number, "mobile": f"1390000{n:04d}", "monthly_income": income,
        }  # fmt: skip
        bodies.append(application_body(applicants=[borrower]))
    return bodies


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> NewModelVersion:
    return trained_once(tmp_path_factory)


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FixedClock, sandbox: str,  # noqa: F811
              model: NewModelVersion) -> Iterator[Container]:  # fmt: skip
    with origination_container(
        db_url, tmp_path, clock, model, bureau_url=sandbox, bureau_retries=0,
        bureau_timeout_seconds=5.0,
    ) as built:  # fmt: skip
        yield built


@pytest.fixture
def decided(client: TestClient, staff: dict[Role, str]) -> dict[int, dict[str, Any]]:
    """The eight applications filed by the dealer and submitted: id -> decision."""
    dealer = as_role(client, staff, Role.DEALER)
    out = {}
    for body in applicant_bodies():
        made = client.post("/api/v1/applications", json=body, headers=dealer)
        assert made.status_code == 201, made.text
        app_id = made.json()["id"]
        done = client.post(f"/api/v1/applications/{app_id}/submit", headers=dealer)
        assert done.status_code == 200, done.text
        out[app_id] = done.json()
    return out


def counts(container: Container) -> dict[str, int]:
    with container.engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (at.applications, at.application_events, tables.bureau_queries,
                      tables.bureau_reports, tables.audit_log)
        }  # fmt: skip


def service(container: Container) -> PolicySimulationService:
    return PolicySimulationService(
        container.uow, container.cipher, container.services.clock, DEFAULT_POLICY
    )


def test_replaying_under_the_policy_in_force_reproduces_every_stored_outcome(
    container: Container, decided: dict[int, dict[str, Any]]
) -> None:
    outcomes = [STATUS[d["status"]] for d in decided.values()]
    assert A in outcomes and R in outcomes and X in outcomes, outcomes  # a varied book
    before = counts(container)
    result = service(container).simulate(SYSTEM_ACTOR, DEFAULT_POLICY, DAY, DAY)
    after = counts(container)
    c = result.comparison
    assert c.current.applications == len(decided) and not result.skipped
    assert c.moved_total == 0 and c.stored_mismatches == 0
    assert (c.current.approved, c.current.referred, c.current.declined) == (
        outcomes.count(A), outcomes.count(R), outcomes.count(X),
    )  # fmt: skip
    approved = [d for d in decided.values() if d["status"] == "approved"]
    pds = [Decimal(d["decision"]["pd"]) for d in approved]
    assert c.current.expected_bad_rate == (sum(pds, Decimal(0)) / len(pds)).quantize(
        Decimal("0.000001")
    )
    # No bureau query, no application change: only the audit record of the run.
    assert after == before | {"audit_log": before["audit_log"] + 1}


def test_the_replay_reads_events_and_reports_once_a_chunk_not_once_an_application(
    container: Container, decided: dict[int, dict[str, Any]]
) -> None:
    statements: list[str] = []
    listen = event.listen
    listen(container.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    result = service(container).simulate(SYSTEM_ACTOR, DEFAULT_POLICY, DAY, DAY)
    assert len(result.replayed) == len(decided) == 8
    assert sum("FROM application_events" in s for s in statements) == 1
    assert sum("bureau_reports" in s for s in statements) == 1


def test_a_stricter_cut_off_moves_approvals_as_their_stored_pds_say(
    container: Container, decided: dict[int, dict[str, Any]]
) -> None:
    stored = {i: (STATUS[d["status"]], d["decision"]["pd"]) for i, d in decided.items()}
    approved_pds = sorted(Decimal(pd) for o, pd in stored.values() if o is A)
    assert len(approved_pds) >= 2, stored
    # Approve nothing above 0.1 %; decline from the highest approved PD up.
    strict = parse_policy(policy_to_dict(DEFAULT_POLICY) | {
        "name": "strict", "approve_max_pd": "0.001", "decline_min_pd": str(approved_pds[-1]),
    })  # fmt: skip
    expected = {(a, b): 0 for a in (A, R, X) for b in (A, R, X)}
    for outcome, pd in stored.values():
        scored = pd is not None
        if outcome is X or (scored and Decimal(pd) >= strict.decline_min_pd):
            expected[(outcome, X)] += 1
        elif outcome is A and Decimal(pd) > strict.approve_max_pd:
            expected[(A, R)] += 1
        else:
            expected[(outcome, outcome)] += 1
    c = service(container).simulate(SYSTEM_ACTOR, strict, DAY, DAY).comparison
    assert dict(c.swaps) == expected
    assert c.moved(A, R) >= 1 and c.moved(A, X) >= 1
    assert c.proposed.approved == 0 and c.proposed.approved_volume.minor == 0
    assert c.differences()["approved"] == -len(approved_pds)


def test_the_replay_tells_its_progress_a_chunk_at_a_time(
    container: Container, decided: dict[int, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A period of many applications ran for minutes with nothing on the screen."""
    whole = service(container).simulate(SYSTEM_ACTOR, DEFAULT_POLICY, DAY, DAY)
    monkeypatch.setattr(policy_simulation, "_CHUNK", 3)
    told: list[tuple[int, int]] = []
    chunked = service(container).simulate(
        SYSTEM_ACTOR, DEFAULT_POLICY, DAY, DAY, lambda done, total: told.append((done, total))
    )
    assert told == [(3, 8), (6, 8), (8, 8)]
    assert chunked.replayed == whole.replayed and chunked.comparison == whole.comparison


def test_the_period_counts_business_days_in_beijing(
    container: Container, decided: dict[int, dict[str, Any]], client: TestClient,
    staff: dict[Role, str], clock: FixedClock,
) -> None:  # fmt: skip
    token = as_role(client, staff, Role.DEALER)["Authorization"].removeprefix("Bearer ")
    dealer = container.services.auth.actor_for_token(token)
    clock.advance(timedelta(hours=7))  # 16:30 UTC is 00:30 of the next day in Beijing
    borrower = application_body()["applicants"][0] | {
        "id_number": resident_ids("clean", 1, 2000)[0], "mobile": "13911112222",
    }  # fmt: skip
    s = container.services
    made = s.applications.create(dealer, application_body(applicants=[borrower]))
    s.decisions.submit(dealer, made["id"])
    simulate, next_day = service(container).simulate, DAY + timedelta(days=1)
    assert len(simulate(SYSTEM_ACTOR, DEFAULT_POLICY, DAY, DAY).replayed) == len(decided)
    late = simulate(SYSTEM_ACTOR, DEFAULT_POLICY, next_day, next_day)
    assert [r.application_id for r in late.replayed] == [made["id"]]
    assert late.comparison.stored_mismatches == 0
    both = simulate(SYSTEM_ACTOR, DEFAULT_POLICY, DAY, next_day)
    assert both.comparison.current.applications == len(decided) + 1


def test_only_roles_that_may_simulate_policies_do(
    container: Container, decided: dict[int, dict[str, Any]]
) -> None:
    underwriter = Actor(user_id=1, username="uw", roles=(Role.UNDERWRITER,))
    with pytest.raises(PermissionDenied):
        service(container).simulate(underwriter, DEFAULT_POLICY, DAY, DAY)
    risk = Actor(user_id=1, username="risk", roles=(Role.RISK,))
    assert service(container).simulate(risk, DEFAULT_POLICY, DAY, DAY).comparison.moved_total == 0


def test_an_empty_period_replays_nothing(
    container: Container, decided: dict[int, dict[str, Any]]
) -> None:
    day = DAY.replace(year=DAY.year - 1)
    result = service(container).simulate(SYSTEM_ACTOR, DEFAULT_POLICY, day, day)
    assert result.comparison.current.applications == 0
    assert result.comparison.current.approval_rate is None


def test_an_approval_waiting_for_a_second_person_is_replayed_as_the_models_approval(
    container: Container, client: TestClient, staff: dict[Role, str]
) -> None:
    """It was counted as skipped, "decided before facts snapshots were kept", though its
    snapshot was there: the model approved it above the second-approval limit."""
    dealer = as_role(client, staff, Role.DEALER)
    body = application_body(down_payment="150000.00")  # 350,000.00 financed
    body["vehicle"]["price"] = "500000.00"
    made = client.post("/api/v1/applications", json=body, headers=dealer)
    assert made.status_code == 201, made.text
    decided = client.post(f"/api/v1/applications/{made.json()['id']}/submit", headers=dealer)
    assert decided.json()["status"] == "pending_second", decided.text
    result = service(container).simulate(SYSTEM_ACTOR, DEFAULT_POLICY, DAY, DAY)
    assert result.skipped == ()
    assert [(r.application_id, r.stored, r.current) for r in result.replayed] == [
        (made.json()["id"], A, A)
    ]
    c = result.comparison
    assert c.stored_mismatches == 0 and c.current.approved == 1
    assert c.current.approved_volume.to_api() == "350000.00"


# --- the command line -----------------------------------------------------------------


def cli_env(container: Container) -> dict[str, str]:
    s = container.settings
    return {
        "AUTOLEND_HOME": str(s.home), "AUTOLEND_DATABASE_URL": str(s.database_url),
        "AUTOLEND_MASTER_KEYS": str(s.master_keys),
        "AUTOLEND_BLIND_INDEX_KEY": str(s.blind_index_key),
        "AUTOLEND_TOKEN_SECRET": str(s.token_secret), "AUTOLEND_DEMO": "false",
    }  # fmt: skip


def run_cli(container: Container, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), env=cli_env(container))


def test_the_command_line_prints_the_comparison_and_exits_zero(
    container: Container, decided: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    shown = run_cli(container, "policy", "show")
    assert shown.exit_code == 0, shown.output
    assert parse_policy(json.loads(shown.stdout)) == DEFAULT_POLICY
    strict = Path(__file__).resolve().parents[2] / "docs" / "examples" / "policy-strict.json"
    day = DAY.isoformat()
    as_json = run_cli(container, "policy", "simulate", "--policy", str(strict), "--from", day,
                      "--to", day, "--json")  # fmt: skip
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    assert body["current"]["applications"] == len(decided) and body["stored_mismatches"] == 0
    assert body["proposed_policy"]["name"] == "strict"
    assert sum(sum(row.values()) for row in body["swaps"].values()) == len(decided)
    table = run_cli(container, "policy", "simulate", "--policy", str(strict), "--from", day,
                    "--to", day)  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "approval rate" in table.stdout and "Outcome moves" in table.stdout
    rate = next(line for line in table.stdout.splitlines() if "approval rate" in line)
    assert re.search(r"\d\.\d\d%", rate) and not re.search(r"\d %", rate), rate


@pytest.mark.parametrize(
    ("policy", "dates", "named"),
    [
        ({"approve_max_pd": "0.3"}, ("2026-11-01", "2026-11-30"), "approve_max_pd"),
        ({"pricing": []}, ("2026-11-01", "2026-11-30"), "pricing"),
        ({}, ("2026-11-31", "2026-11-30"), "from"),
        ({}, ("2026-11-30", "2026-11-01"), "from"),
    ],
    ids=["approve-above-decline", "no-pricing-bands", "impossible-date", "from-after-to"],
)
def test_bad_input_on_the_command_line_exits_non_zero_naming_the_field(
    container: Container, tmp_path: Path, policy: dict[str, Any], dates: tuple[str, str],
    named: str,
) -> None:  # fmt: skip
    file = tmp_path / "policy.json"
    file.write_text(json.dumps(policy_to_dict(DEFAULT_POLICY) | policy), encoding="utf-8")
    done = run_cli(container, "policy", "simulate", "--policy", str(file),
                   "--from", dates[0], "--to", dates[1])  # fmt: skip
    assert done.exit_code == 1
    assert named in done.output


def test_a_period_with_no_application_exits_non_zero_saying_so(
    container: Container, decided: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    """It printed a table of zeros and dashes and exited 0, as if the policy had been
    tried; with ``--json`` too."""
    file = tmp_path / "policy.json"
    file.write_text(json.dumps(policy_to_dict(DEFAULT_POLICY)), encoding="utf-8")
    for extra in ([], ["--json"]):
        done = run_cli(container, "policy", "simulate", "--policy", str(file),
                       "--from", "2025-11-01", "--to", "2025-11-30", *extra)  # fmt: skip
        assert done.exit_code == 1, done.output
        assert "no application was submitted from 2025-11-01 to 2025-11-30" in done.output
        assert "approval rate" not in done.output


def test_a_reversed_period_is_named_before_any_database_or_secret_is_needed(
    tmp_path: Path,
) -> None:
    strict = Path(__file__).resolve().parents[2] / "docs" / "examples" / "policy-strict.json"
    bare = {"AUTOLEND_HOME": str(tmp_path), "AUTOLEND_DEMO": "false"}
    args = ["policy", "simulate", "--policy", str(strict), "--from", "2026-11-30",
            "--to", "2026-11-01"]  # fmt: skip
    done = CliRunner().invoke(app, args, env=bare)
    assert done.exit_code == 1
    assert "error: --from must be on or before --to\n" in done.output  # not "... (from)"
    assert "AUTOLEND_MASTER_KEYS" not in done.output


def test_an_unreadable_policy_file_exits_non_zero(container: Container, tmp_path: Path) -> None:
    file = tmp_path / "policy.json"
    file.write_text("{not json", encoding="utf-8")
    done = run_cli(container, "policy", "simulate", "--policy", str(file), "--from",
                   "2026-11-01", "--to", "2026-11-30")  # fmt: skip
    assert done.exit_code == 1 and "cannot read the policy file" in done.output


def test_policy_show_needs_no_database_or_secret_and_names_a_bad_policy_file(
    tmp_path: Path,
) -> None:
    strict = Path(__file__).resolve().parents[2] / "docs" / "examples" / "policy-strict.json"
    bare = {"AUTOLEND_HOME": str(tmp_path), "AUTOLEND_DEMO": "false",
            "AUTOLEND_DATABASE_URL": f"sqlite:///{tmp_path / 'absent' / 'no.db'}"}  # fmt: skip
    shown = CliRunner().invoke(app, ["policy", "show"], env=bare | {
        "AUTOLEND_POLICY_FILE": str(strict)})  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["name"] == "strict"
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x", "cutoffs": "high"}', encoding="utf-8")
    refused = CliRunner().invoke(app, ["policy", "show"], env=bare | {
        "AUTOLEND_POLICY_FILE": str(broken)})  # fmt: skip
    assert refused.exit_code != 0 and "AUTOLEND_POLICY_FILE" in refused.output


def test_a_wrong_setting_in_the_policy_file_is_named_once(
    container: Container, tmp_path: Path
) -> None:
    """It read "approve_max_pd: approve_max_pd must be a fraction from 0 to 1"."""
    file = tmp_path / "policy.json"
    wrong = {"name": "x", "version": 2, "approve_max_pd": "2"}
    file.write_text(json.dumps(wrong), encoding="utf-8")
    done = run_cli(container, "policy", "simulate", "--policy", str(file), "--from",
                   "2026-11-01", "--to", "2026-11-30")  # fmt: skip
    said = " ".join(done.output.split())
    assert done.exit_code == 1
    assert f"the policy file {file}: approve_max_pd must be a fraction from 0 to 1" in said
