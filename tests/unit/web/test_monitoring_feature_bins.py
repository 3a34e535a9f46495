"""The monitoring page's PSI by feature as a risk manager reads it (services stubbed, no
database): each feature by its name in the page's language beside its column, and the bins
the report stored (baseline share, window share, contribution) one click away."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pandas  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from autolend.risk.monitoring import feature_stability
from autolend.web.i18n import translations
from autolend.web.monitoring_charts import psi_chart
from tests.unit.web.test_monitoring_fairness import monitoring_client
from tests.unit.web.test_monitoring_page_reading import NOW, _body, _page


def _feature_psi() -> list[dict[str, Any]]:
    """Two features as the report stores them: one moved (act), one unknown and stable."""
    baseline = {"credit_utilisation": [0.1] * 50 + [0.9] * 50, "branch_code": ["a", "b"] * 50}
    window = {"credit_utilisation": [0.1] * 10 + [0.9] * 90, "branch_code": ["a", "b"] * 50}
    rows = feature_stability(
        pandas.DataFrame(baseline), pandas.DataFrame(window), list(baseline), bins=2
    )
    return sorted((r.as_dict() for r in rows), key=lambda r: -float(r["psi"]))


@pytest.fixture
def client() -> Iterator[TestClient]:
    body = {**_body(), "feature_psi": _feature_psi()}
    yield from monitoring_client(body, status="act", created_at=NOW)


def _feature_cell(page: str, feature: str) -> str:
    """What names a feature in its row: the summary that opens its bins."""
    cell = re.search(rf'data-feature-bins="{feature}">\s*<summary>(.*?)</summary>', page)
    assert cell is not None, feature
    return cell[1]


@pytest.mark.parametrize(("locale", "name"), [("zh_CN", "信用额度使用率"),
                                              ("en", "Share of credit limits in use")])  # fmt: skip
def test_each_feature_is_named_in_the_pages_language_beside_its_column(
    client: TestClient, locale: str, name: str
) -> None:
    page = _page(client, locale)
    assert _feature_cell(page, "credit_utilisation") == (
        f'<span class="feature-name">{name}</span> '
        '<code class="code-aside">credit_utilisation</code>'
    )
    assert _feature_cell(page, "branch_code") == "<code>branch_code</code>"
    # the PSI chart names the bars the same way
    chart = psi_chart({**_body(), "feature_psi": _feature_psi()}, lambda t: t, locale)
    assert chart["yAxis"]["data"][1:] == [name, "branch_code"]


def test_a_feature_that_moved_shows_its_bins_with_both_shares_and_each_contribution(
    client: TestClient,
) -> None:
    stored = _feature_psi()[0]
    assert stored["feature"] == "credit_utilisation" and stored["status"] == "act"
    page = _page(client, "en")
    # the bins open from the feature's own cell
    block = re.search(r'<tr data-feature="credit_utilisation"><td>\s*'
                      r'<details class="psi-bins" data-feature-bins="credit_utilisation">'
                      r"(.*?)</details>", page, re.S)  # fmt: skip
    assert block is not None
    rows = re.findall(r'<tr data-bin="([^"]*)"><td[^>]*>.*?</td>'
                      r'<td class="num">(.*?)</td><td class="num">(.*?)</td>'
                      r'<td class="num">(.*?)</td></tr>', block[1])  # fmt: skip
    assert len(rows) == len(stored["bins"]) == 2
    assert [(html.unescape(label), b, w, c) for label, b, w, c in rows] == [
        (
            b["label"],
            f"{b['baseline_share'] * 100:.1f}%",
            f"{b['window_share'] * 100:.1f}%",
            f"{b['contribution']:.4f}",
        )
        for b in stored["bins"]
    ]
    # a feature at "act" opens the PSI table at once
    assert '<details data-details="feature-psi" open>' in page


def test_the_bins_headings_are_in_the_pages_language(client: TestClient) -> None:
    gettext = translations("zh_CN").gettext
    page = _page(client, "zh_CN")
    block = re.search(r'data-feature-bins="credit_utilisation">(.*?)</details>', page, re.S)
    assert block is not None
    for heading in ("Bin", "Baseline share", "Window share", "Contribution to PSI"):
        assert f">{gettext(heading)}</th>" in block[1]
