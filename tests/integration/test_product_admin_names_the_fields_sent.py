"""Publishing a bad product, over the API and on the command line (both databases),
refuses it naming the field as it was sent: an unknown ``pack`` was refused on
``jurisdiction`` (the settings' name), an ``effective_from`` with no room for a loan on
``start`` and a ``min_amount`` too small for its fees on ``payments`` (the sample
quote's and the APR solver's names); nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_product_cli import cli  # noqa: F401 - fixture
from tests.integration.test_products_api import catalogue, new_version, sign_in  # noqa: F401

pytestmark = pytest.mark.integration

BAD = [
    ({"pack": "XX"}, "pack", "pack 'XX' is not a regulation pack; known: CN, US"),
    ({"effective_from": "9999-12-01"}, "effective_from",
     "effective_from 9999-12-01 leaves no room for 12 payments before 9999-12-31"),
    ({"min_amount": "0.01"}, "min_amount",
     "min_amount: a loan of 0.01 CNY over 12 months at rate_max 0.0899, the fees included, "
     "cannot be priced"),
    ({"name_en": "Standard\u0000"}, "name_en", "name_en must not contain control characters"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field", "said"), BAD)
def test_the_api_names_the_field_of_a_bad_product_as_it_was_sent(
    client: TestClient,
    catalogue: dict[Role, str],  # noqa: F811 - fixture
    change: dict[str, Any],
    field: str,
    said: str,
) -> None:
    admin = sign_in(client, catalogue, Role.RISK)  # pricing and product rules are risk's
    refused = client.post("/api/v1/products", json=new_version(**change), headers=admin)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == field and error["message"].startswith(said), error
    versions = client.get("/api/v1/products/STD_NEW/versions", headers=admin).json()
    assert [v["version"] for v in versions] == [1]


@pytest.mark.parametrize(("change", "field", "said"), BAD)
def test_the_command_line_names_the_field_of_a_bad_product_file_once(
    cli: typer.Typer,  # noqa: F811 - fixture
    container: Container,
    tmp_path: Path,
    change: dict[str, Any],
    field: str,
    said: str,
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(new_version(**change)), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["product", "publish", "--file", str(path)])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.output.startswith(f"error: {said}"), outcome.output
    assert "jurisdiction" not in outcome.output and "start" not in outcome.output
    with container.uow() as uow:
        assert uow.products.codes() == []
