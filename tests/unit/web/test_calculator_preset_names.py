"""The calculator's product presets carry the product catalogue's names (the names the
products page, the application and the contract use), in the page's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autolend.adapters.clock import FixedClock
from autolend.config import Settings
from autolend.domain.product_catalogue import BALLOON, NEV_GREEN, OEM_ZERO, STANDARD_NEW, USED_CAR
from autolend.domain.product_catalogue_us import (
    US_DEMO_PRODUCTS,
    US_NEW_AUTO,
    US_PROMO_0APR,
    US_USED_AUTO,
)
from autolend.services.registry import Services
from autolend.web.app import mount_web
from autolend.web.i18n import translations
from autolend.web.routes_calculator import MARKETS, PRODUCT_KEYS, preset_label

ZH, EN = translations("zh_CN").gettext, translations("en").gettext
CN_NAMES = {"standard": STANDARD_NEW, "nev": NEV_GREEN, "used": USED_CAR, "promo": OEM_ZERO,
            "balloon": BALLOON}  # fmt: skip


@pytest.fixture
def client() -> Iterator[TestClient]:
    services = SimpleNamespace(clock=FixedClock(datetime(2026, 11, 28, tzinfo=UTC)))
    app = FastAPI()
    mount_web(app, cast(Services, services), Settings(session_cookie_secure=False))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def preset_names(html: str) -> dict[str, str]:
    return dict(re.findall(r'<option value="(\w+)" data-rate=[^>]*>([^<]*)</option>', html))


def test_the_standard_preset_is_named_as_the_catalogue_names_the_standard_new_car_loan(
    client: TestClient,
) -> None:
    client.cookies.set("autolend_lang", "zh_CN")
    chinese = preset_names(client.get("/calculator").text)
    assert chinese["standard"] == "标准新车贷"  # not 新车标准贷款
    client.cookies.set("autolend_lang", "en")
    english = preset_names(client.get("/calculator").text)
    assert english["standard"] == "Standard new car loan"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_china_preset_begins_with_its_catalogue_products_name(
    client: TestClient, locale: str
) -> None:
    client.cookies.set("autolend_lang", locale)
    shown = preset_names(client.get("/calculator").text)
    assert set(shown) == set(CN_NAMES)
    for key, product in CN_NAMES.items():
        name = product.name_zh if locale == "zh_CN" else product.name_en
        assert shown[key] == name or shown[key].startswith(f"{name} · "), key


def test_the_us_presets_are_the_us_catalogues_products_under_their_names() -> None:
    us = MARKETS["US"]
    assert preset_label(PRODUCT_KEYS["standard"], us, "en", EN) == US_NEW_AUTO.name_en
    assert preset_label(PRODUCT_KEYS["used"], us, "zh_CN", ZH) == US_USED_AUTO.name_zh
    # The maker's 0 % APR promotion says so in its name: no "interest subsidised" after it.
    assert preset_label(PRODUCT_KEYS["promo"], us, "en", EN) == US_PROMO_0APR.name_en
    assert preset_label(PRODUCT_KEYS["promo"], us, "zh_CN", ZH) == US_PROMO_0APR.name_zh
    assert [us.product_of(key) for key in us.presets] == list(US_DEMO_PRODUCTS)
