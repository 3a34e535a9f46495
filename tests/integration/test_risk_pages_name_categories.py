"""The model card and the monitoring page name a categorical feature's values in words:
a scorecard bin or a PSI bin of ``gig`` reads 灵活就业 / "Gig work", ``nev`` 新能源 / "NEV",
``True`` 是 / "Yes", a bin of several (``used, new``) each of them; the data's own value
is kept in the title. Numeric bins and values not named stay as they are."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from autolend.bootstrap import Container
from autolend.domain.access import SYSTEM_ACTOR, Role
from autolend.risk.synth import write_applicants
from autolend.services.model_monitoring import MonitorRequest
from autolend.services.model_ports import NewModelVersion
from autolend.web.category_names import CATEGORY_NAMES, category_label
from autolend.web.i18n import LANG_COOKIE, LOCALES, list_separator, translations
from tests.integration import test_model_risk as risk_module
from tests.integration.test_model_risk import NAME, web_sign_in

pytestmark = pytest.mark.integration

# The module-scoped fixtures of the API tests: one small model trained once a run.
baseline = risk_module.baseline
training = risk_module.training
trained = risk_module.trained
registered = risk_module.registered


def named(label: str) -> bool:
    """Whether every category of a bin's label has a name (``used, new`` yes)."""
    return all(part in CATEGORY_NAMES for part in label.split(", "))


def page(client: TestClient, path: str, lang: str) -> str:
    client.cookies.set(LANG_COOKIE, lang)
    response = client.get(path)
    assert response.status_code == 200
    return str(response.text)


@pytest.mark.parametrize("lang", LOCALES)
def test_the_model_card_names_the_categories_of_its_scorecard_bins(
    client: TestClient, staff: dict[Role, str], registered: str, trained: NewModelVersion,
    lang: str,
) -> None:  # fmt: skip
    bins = [r["bin"] for f in json.loads(trained.metadata_json)["card"]["bins"] for r in f["rows"]]
    categories = [label for label in bins if named(label)]
    assert {"gig", "nev", "True"} <= {p for label in categories for p in label.split(", ")}
    web_sign_in(client, staff, Role.RISK)
    text = page(client, f"/risk/models/{NAME}/v/1", lang)
    gettext, comma = translations(lang).gettext, list_separator(lang)
    shown = dict(re.findall(r'<span title="([^"]*)" data-bin-value="\1">([^<]*)</span>', text))
    assert {html.unescape(k): v for k, v in shown.items()} == {
        label: category_label(label, gettext, comma) for label in categories
    }
    cells = re.findall(r"<tr><td>([^<]*)</td>", text)
    assert not set(cells) & set(CATEGORY_NAMES)  # no raw value left in a bin's cell


@pytest.mark.parametrize("lang", LOCALES)
def test_the_monitoring_page_names_the_categories_of_its_psi_bins(
    client: TestClient, container: Container, staff: dict[Role, str], registered: str,
    baseline: pd.DataFrame, tmp_path: Path, lang: str,
) -> None:  # fmt: skip
    window = write_applicants(baseline, tmp_path / "window.csv")
    request = MonitorRequest(registered, window, baseline=window, group_col="gender")
    container.services.model_monitoring.run(SYSTEM_ACTOR, request)
    web_sign_in(client, staff, Role.RISK)
    text = page(client, "/risk/monitoring", lang)
    gettext = translations(lang).gettext
    cells = dict(re.findall(r'<tr data-bin="([^"]*)"><td class="mono">(.*?)</td>', text))
    categories = {label: cell for label, cell in cells.items() if named(label)}
    assert {"salaried", "gig", "civil_servant", "nev", "ice", "True", "False"} <= set(categories)
    for label, cell in categories.items():
        assert cell == f'<span title="{label}">{category_label(label, gettext)}</span>'
    assert gettext("Gig work") in text and gettext("Civil servant") in text
    numeric = [cell for label, cell in cells.items() if label.startswith("[")]
    assert numeric and all(cell.startswith("[") for cell in numeric)  # as stored
