"""The product catalogue on the command line: ``autolend product list|show|publish``.

``list`` shows the version of each product in force (today, or ``--date``), with what paying
late costs under it (penalty uplift and late fee: ``+50%``, ``50.00 CNY / 15 d``; under a pack
that charges no penalty interest, US, the penalty reads ``none (contract rate)``: overdue
principal bears the contract rate, and the late charge is the late fee's). On a terminal too
narrow for every column it shows code, name, rate, terms and first day (``--wide``: all of
them); a day with no product in force is one line, ``No products are effective on
2019-01-01.``, and exit 0. ``show CODE`` prints one product as JSON (``--versions`` for its
whole history); ``publish --file F`` publishes the product in the JSON file F as the code's
next version (the same form as ``POST /api/v1/products``). Commands run as the system
(administrator). Bad input prints one line naming the field and exits 1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from autolend.domain.product_codec import product_to_dict

if TYPE_CHECKING:
    from autolend.domain.products import Product

product_app = typer.Typer(help="Product catalogue: list, show, publish.", no_args_is_help=True)
console = Console()

__all__ = ["product_app", "register"]


def register(app: typer.Typer) -> None:
    app.add_typer(product_app, name="product")


def _day(text: str | None) -> date | None:
    from autolend.domain.errors import InvalidInput  # noqa: PLC0415

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("--date must be YYYY-MM-DD", field="date") from None


def _percent(low: str, high: str, between: str = "–") -> str:
    """Two ratios of the product file as percentages, one sign: ``4.99–8.99%``."""
    return f"{Decimal(low) * 100:.2f}{between}{Decimal(high) * 100:.2f}%"


def _share(ratio: str) -> str:
    """A ratio of the product file as a percentage: ``"0.2"`` -> ``20.00%`` (was 0.20)."""
    return f"{Decimal(ratio) * 100:.2f}%"


def _penalty(product: Product) -> str:
    """What overdue money bears beyond the contract rate: ``+50%`` (CN), or ``none
    (contract rate)`` where the product's pack charges no penalty interest (US)."""
    from autolend.web.routes_products import no_penalty_interest  # noqa: PLC0415

    if no_penalty_interest(product):
        return "none (contract rate)"
    return f"+{(product.penalty_uplift * 100).normalize():f}%"


def _late_fee(late: dict[str, Any] | None, currency: str) -> str:
    """The product's late fee as the table shows it: ``50.00 CNY / 15 d`` (``-``: none)."""
    return "-" if not late else f"{late['amount']} {currency} / {late['after_days']} d"


@product_app.command("list")
def product_list(
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="every column, however wide the terminal")
    ] = False,
) -> None:
    """The version of each product in force on the date."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415

    day = guarded(lambda: _day(on))  # a mistyped day is named before the database is opened

    def run() -> tuple[list[Product], date]:
        services = _container().services
        wanted = day or services.clock.today()
        return services.products.active(SYSTEM_ACTOR, wanted), wanted

    found, shown_day = guarded(run)
    if as_json:
        rows = [product_to_dict(p) for p in found]
        console.print_json(json.dumps(rows, ensure_ascii=False))
    elif not found:  # a day before the catalogue: an answer, not an error (exit 0)
        console.print(f"No products are effective on {shown_day.isoformat()}.", highlight=False)
    else:
        print_products(found, wide=wide)


def print_products(found: Sequence[Product], *, wide: bool = False) -> None:
    """The products as one table: every column where the terminal is wide enough (or
    ``wide``: as wide as it takes), else code, version, name, rate, terms and first day
    only, and a line saying where the rest is, so that no row is cut into slivers.

    Example: on an 80-column terminal ``STD_NEW | 1 | 标准新车贷 Standard new car loan |
    3.99–8.99% | 12 24 36 48 60 | 2026-01-01``, then ``down payment, LTV, late charges:
    --wide, or `autolend product show CODE```.
    """
    table = _full_table(found)
    needed = console.measure(table, options=console.options.update_width(1_000)).maximum
    if needed <= console.width:
        console.print(table)
    elif wide:  # piped to a file or a wide viewer: long lines, each row on one of them
        narrower, console.width = console.width, needed
        try:
            console.print(table)
        finally:
            console.width = narrower
    else:
        console.print(_narrow_table(found))
        console.print(_NARROW_HINT, highlight=False, markup=False)


_NARROW_HINT = "down payment, LTV, late charges: --wide, or `autolend product show CODE`"


def _full_table(found: Sequence[Product]) -> Table:
    """Every column the list has, none wrapped: one line a product."""

    table = Table(title="Products / 产品")
    for column in ("code", "v", "name", "rate", "terms", "down", "LTV new/used", "penalty",
                   "late fee", "from"):  # fmt: skip
        table.add_column(column, no_wrap=True)
    for product in found:
        r = product_to_dict(product)
        table.add_row(
            r["code"], str(r["version"]), f"{r['name_zh']} / {r['name_en']}",
            _percent(r["rate_min"], r["rate_max"]), ",".join(str(t) for t in r["terms"]),
            _share(r["min_down_payment_ratio"]),
            _percent(r["max_ltv_new"], r["max_ltv_used"], "/"),
            _penalty(product),
            _late_fee(r.get("late_fee"), r["currency"]),
            r["effective_from"],
        )  # fmt: skip
    return table


def _narrow_table(found: Sequence[Product]) -> Table:
    """What fits 80 columns: the name on two lines (Chinese, then English, wrapped at
    words), the terms wrapped at spaces, codes, rates and days never broken."""
    table = Table(title="Products / 产品")
    table.add_column("code", no_wrap=True)
    table.add_column("v", no_wrap=True, justify="right")
    table.add_column("name", overflow="fold")
    table.add_column("rate", no_wrap=True)
    table.add_column("terms", max_width=8)  # three terms a line: 12 24 36
    table.add_column("from", no_wrap=True)
    for r in map(product_to_dict, found):
        table.add_row(
            r["code"], str(r["version"]), f"{r['name_zh']}\n{r['name_en']}",
            _percent(r["rate_min"], r["rate_max"]), " ".join(str(t) for t in r["terms"]),
            r["effective_from"],
        )  # fmt: skip
    return table


@product_app.command("show")
def product_show(
    code: Annotated[str, typer.Argument(help="product code, e.g. STD_NEW")],
    on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today)")] = None,
    versions: Annotated[bool, typer.Option("--versions", help="every version")] = False,
) -> None:
    """One product as JSON: the version in force, or every version."""
    from autolend.cli import _container, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415

    day = guarded(lambda: _day(on))

    def run() -> Any:
        service = _container().services.products
        if versions:
            return [product_to_dict(p) for p in service.history(SYSTEM_ACTOR, code)]
        return product_to_dict(service.get(SYSTEM_ACTOR, code, day))

    console.print_json(json.dumps(guarded(run), ensure_ascii=False))


# Paragraphs of one line each: Typer keeps the line breaks of any but the first paragraph.
_PUBLISH_HELP = "\n\n".join(
    " ".join(paragraph.split())
    for paragraph in """
Publish the product in FILE as its code's next version.

FILE holds one product as a JSON object, the form `autolend product show CODE` prints and
POST /api/v1/products takes: code, name_zh, name_en, effective_from, pack (CN or US),
currency, rate_min, rate_max, terms, method, down payment and LTV limits, amounts,
eligibility, fees; "version" is ignored (the next one is given). The repository holds no
sample file: start from a product in force.

Example: `autolend product show STD_NEW > product.json`, set "effective_from" to a day after
the version in force and change what changes (say "rate_min": "0.0349"), then
`autolend product publish --file product.json`.
""".strip().split("\n\n")
)


@product_app.command("publish", help=_PUBLISH_HELP)
def product_publish(
    file: Annotated[
        Path,
        typer.Option("--file", help="the product as a JSON object, as `product show` prints it"),
    ],
) -> None:
    """Publish the product in FILE as its code's next version (--help: _PUBLISH_HELP)."""
    from autolend.cli import _container, fail, guarded  # noqa: PLC0415 - cli imports this module
    from autolend.domain.access import SYSTEM_ACTOR  # noqa: PLC0415

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise fail(f"cannot read {file}: {error}") from None
    if not isinstance(data, dict):  # a list or a number: not one product
        raise fail(f"--file {file} must hold one product as a JSON object {{...}}")
    container = guarded(lambda: _container(migrate=True))
    stored = guarded(lambda: container.services.products.publish_json(SYSTEM_ACTOR, data))
    end = f", ends {stored.effective_to}" if stored.effective_to else ""
    console.print(
        f"published [bold]{stored.code}[/] version {stored.version}, "
        f"in force from {stored.effective_from}{end}"
    )
