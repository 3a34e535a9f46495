"""The credit policy page on both databases: a risk officer reads the policy in force in
words, replays the day's applications under a proposed policy pasted into the page and
sees both side by side (figures, chart, outcome moves); a proposal that is no policy, or
a period that is no period, is shown beside its input with nothing replayed; roles that
may not simulate policies have neither the page nor its menu entry."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import Role
from autolend.domain.decision_policy import DEFAULT_POLICY, policy_to_dict
from autolend.web.i18n import LANG_COOKIE
from tests.integration.test_bureau_sandbox import sandbox, sandbox_url  # noqa: F401
from tests.integration.test_eod_page import web_sign_in
from tests.integration.test_eod_run_from_the_page import csrf
from tests.integration.test_policy_simulation import (  # noqa: F401 - fixtures
    DAY,
    STATUS,
    container,
    counts,
    decided,
    model,
)

pytestmark = pytest.mark.integration


def figure(page: str, key: str) -> list[str]:
    """The current, proposed and difference cells of figure ``key``."""
    row = re.search(rf'<tr data-figure="{key}">(.*?)</tr>', page, re.S)
    assert row, page[-4000:]
    bare = re.sub(r'<span class="cell-label">.*?</span>', "", row.group(1))
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in
            re.findall(r'<td class="num mono">(.*?)</td>', bare, re.S)]  # fmt: skip


def simulate(client: TestClient, policy: dict[str, Any] | str, **period: str) -> Any:
    page = client.get("/risk/policy").text
    text = policy if isinstance(policy, str) else json.dumps(policy)
    form = {"policy": text, "from": DAY.isoformat(), "to": DAY.isoformat(),
            "csrf_token": csrf(page)} | period  # fmt: skip
    return client.post("/risk/policy", data=form)


def test_a_risk_officer_replays_the_days_applications_under_a_stricter_policy(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    decided: dict[int, dict[str, Any]],  # noqa: F811
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.RISK)
    page = client.get("/risk/policy").text
    assert 'href="/risk/policy"' in page  # in the menu
    assert re.search(r'data-rule="approve_max_pd">.*?0\.06</td>', page, re.S)
    start = (DAY - timedelta(days=89)).isoformat()
    assert f'name="from" type="date" value="{start}"' in page
    assert "&#34;approve_max_pd&#34;: &#34;0.06&#34;" in page  # the box starts from it

    approved = sum(STATUS[d["status"]].value == "approve" for d in decided.values())
    assert approved >= 1, [d["status"] for d in decided.values()]
    before = counts(container)
    stricter = policy_to_dict(DEFAULT_POLICY) | {"approve_max_pd": "0.0001"}
    answer = simulate(client, stricter)

    assert answer.status_code == 200, answer.text[-2000:]
    result = answer.text
    assert figure(result, "applications")[:2] == [str(len(decided))] * 2
    assert figure(result, "approved") == [str(approved), "0", f"{-approved:+d}"]
    assert 'data-moved="true"' in result and 'data-echarts="policy-outcomes"' in result
    chart = re.search(r'<script type="application/json" id="policy-outcomes">(.*?)</script>',
                      result, re.S)  # fmt: skip
    assert chart and json.loads(chart.group(1))["series"][1]["data"][0] == 0
    assert counts(container)["audit_log"] == before["audit_log"] + 1  # the run, audited

    same = simulate(client, policy_to_dict(DEFAULT_POLICY)).text
    assert figure(same, "approved")[2] == "+0" and 'data-moved="true"' not in same


@pytest.mark.parametrize(
    ("policy", "period", "field"),
    [
        ("{not json", {}, "policy"),
        ("[1, 2]", {}, "policy"),
        (policy_to_dict(DEFAULT_POLICY) | {"approve_max_pd": "2"}, {}, "policy.approve_max_pd"),
        (policy_to_dict(DEFAULT_POLICY), {"from": "2026-13-01"}, "from"),
        (policy_to_dict(DEFAULT_POLICY), {"from": "2026-12-01", "to": "2026-11-01"}, "from"),
    ],
)
def test_a_proposal_or_period_that_is_wrong_is_shown_at_its_input_and_nothing_is_replayed(
    client: TestClient, container: Container, staff: dict[Role, str],  # noqa: F811
    policy: Any, period: dict[str, str], field: str,
) -> None:  # fmt: skip
    web_sign_in(client, staff, Role.RISK)
    before = counts(container)
    answer = simulate(client, policy, **period)
    assert answer.status_code == 422, answer.text[-2000:]
    assert f'data-error-field="{field}"' in answer.text
    assert 'data-section="simulation-result"' not in answer.text
    assert counts(container) == before  # no audit record: nothing ran


def test_the_page_speaks_chinese_and_other_roles_have_neither_page_nor_menu_entry(
    client: TestClient, staff: dict[Role, str]
) -> None:
    web_sign_in(client, staff, Role.RISK)
    client.cookies.set(LANG_COOKIE, "zh_CN")
    page = client.get("/risk/policy").text
    assert "授信政策" in page and "Approve when the PD is at most" not in page
    client.cookies.clear()
    web_sign_in(client, staff, Role.SERVICING)
    assert client.get("/risk/policy").status_code == 403
    assert 'href="/risk/policy"' not in client.get("/").text
