"""A percentage on the pages reads "7.50%", never "7.50 %": neither Chinese nor US
English writes a space before the sign. The ``percent`` filter, the product catalogue's
``percent``, the charts' tick labels and the templates that write the sign by hand
(the end-of-day progress) all agree, in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolend.web import routes_products, svg_charts
from autolend.web.render import build_environment
from autolend.web.routes_eod import RunProgress

ZONES = {"zh_CN": "Asia/Shanghai", "en": "America/New_York"}


@pytest.mark.parametrize("locale", sorted(ZONES))
def test_the_percent_filter_writes_no_space_before_the_sign(locale: str) -> None:
    env = build_environment(locale, ZONES[locale])
    assert env.from_string("{{ '0.074957'|percent }}").render() == "7.50%"
    assert env.from_string("{{ 0.0549|percent }}").render() == "5.49%"


def test_the_product_catalogue_and_the_charts_write_no_space_before_the_sign() -> None:
    assert routes_products.percent(Decimal("0.0399")) == "3.99%"
    assert routes_products.percent(Decimal("0.5")) == "50%"
    assert svg_charts.percent(0.293) == "29.3%"


@pytest.mark.parametrize("locale", sorted(ZONES))
def test_the_end_of_day_progress_writes_no_space_before_the_sign(locale: str) -> None:
    env = build_environment(locale, ZONES[locale])
    progress = RunProgress(7, True, 42, date(2026, 11, 28), 3, 10)
    html = env.get_template("_eod_progress.html").render(progress=progress)
    assert ">42%</progress>" in html and ">42%" in html.split("<span", 1)[1]
    assert "42 %" not in html
