"""The loan calculators on the command line: ``autolend schedule`` and ``autolend apr``.

A Rich table for people, ``--json`` for machines (amounts as decimal strings, rates in
percent).  Input is parsed by :mod:`autolend.domain.schedule_input`, exactly as the API
parses it; a bad value prints one line naming the option and exits 1:

    $ autolend schedule --principal 5000 --annual-rate abc --periods 18 --start 2022-11-01
    error: --annual-rate 'abc' is not a percent such as 12 or 4.9

Every option is read as text and parsed there, so a malformed number is reported in the
same words as over the API.  ``autolend schedule`` prints the APR of the regulation pack
``--jurisdiction`` (by default the pack of ``--currency``: a USD schedule shows Regulation
Z's Appendix J APR, a CNY one the PBOC rate).  :func:`register` adds the commands to the main app.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from autolend.domain.apr_input import (
    IrrInput,
    RegZInput,
    irr_rate,
    irr_wire,
    regz_result,
    regz_wire,
)
from autolend.domain.errors import DomainError
from autolend.domain.regulation import known_pack
from autolend.domain.schedule import Frequency, GraceKind, InterestBasis, Method
from autolend.domain.schedule_input import (
    ScheduleInput,
    build_input_schedule,
    choice_names,
    schedule_pack,
    schedule_wire,
)

__all__ = ["apr_app", "option_name", "register"]

apr_app = typer.Typer(help="Annual percentage rates of a loan's payments.", no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")

JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
_AMOUNT_COLUMNS = ("principal", "interest", "payment", "balance")
_EXTRA_COLUMNS = {
    "subsidy_interest": "subsidy",
    "capitalised_interest": "capitalised",
    "deferred_interest": "deferred",
    "deferred_interest_paid": "deferred paid",
}


def register(app: typer.Typer) -> None:
    """Add ``schedule`` and the ``apr`` group to ``app``."""
    app.command("schedule")(schedule)
    app.add_typer(apr_app, name="apr")


def option_name(field: str) -> str:
    """The option behind an input field: ``annual_rate`` -> ``--annual-rate``."""
    return "--" + field.replace("_", "-")


def _one_line(error: DomainError) -> str:
    """The error's message with its field shown as the option the user typed."""
    field, message = error.field, error.message
    if not field:
        return message
    option = option_name(field)
    if message.startswith(f"{field} "):
        return option + message[len(field) :]
    return f"{option}: {message}"


def lenders_currency(jurisdiction: str | None) -> str:
    """The currency a schedule or rate is in when ``--currency`` is not given: that of
    ``--jurisdiction``'s pack, else of the lender's (``AUTOLEND_JURISDICTION``: a US
    lender's operator read "Repayment schedule (CNY)"). An unknown pack is left to the
    input's own check, which names the option."""
    from autolend.cli_settings import read_settings  # noqa: PLC0415 - settings only if needed

    pack = known_pack((jurisdiction or read_settings().jurisdiction).upper())
    return pack.currency if pack is not None else "CNY"


def _calculate(action: Callable[[], T]) -> T:
    """Run ``action``; a domain error becomes one red line on stderr and exit code 1."""
    try:
        return action()
    except DomainError as error:
        line = escape(_one_line(error).splitlines()[0])
        err.print(f"[bold red]error:[/] {line}", highlight=False)
        raise typer.Exit(1) from None


def _warn_if_negative(rate: object) -> None:
    """A rate below zero means the payments repay less than the borrower received: right
    arithmetic, but most often a mistyped payment or count, so say so (on stderr, so
    ``--json`` output stays parseable) rather than print it as if it were a price."""
    if str(rate).startswith("-"):
        err.print(
            "[bold yellow]warning:[/] the payments add up to less than the amount received, "
            "so the rate is negative: check --payment and --count",
            highlight=False,
        )


def _print_json(data: Mapping[str, object]) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _print_whole(table: Table) -> None:
    """Print ``table`` at its natural width even past the console's: amounts are never
    cut to an ellipsis (a piped table is otherwise 80 columns wide)."""
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    wide = console if natural <= console.width else Console(width=natural)
    wide.print(table)


def _pairs_table(title: str, pairs: Sequence[tuple[str, str]]) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column("item")
    table.add_column("value", justify="right")
    for label, value in pairs:
        table.add_row(label, value)
    return table


def _choices(kind: type[Method | Frequency | InterestBasis | GraceKind]) -> str:
    return "|".join(choice_names(kind))


def _schedule_table(wire: Mapping[str, object]) -> Table:
    """One line per installment; subsidy and grace-period columns only when used."""
    rows = wire["rows"]
    assert isinstance(rows, list)
    extras = [key for key in _EXTRA_COLUMNS if any(Decimal(row[key]) for row in rows)]
    table = Table(title=f"Repayment schedule ({wire['currency']})")
    table.add_column("n", justify="right")
    table.add_column("due date")
    table.add_column("days", justify="right")
    for name in _AMOUNT_COLUMNS:
        table.add_column(name, justify="right")
    for key in extras:
        table.add_column(_EXTRA_COLUMNS[key], justify="right")
    for row in rows:
        cells = [str(row["n"]), row["due_date"], str(row["days"])]
        cells += [row[name] for name in _AMOUNT_COLUMNS]
        cells += [row[key] for key in extras]
        table.add_row(*cells)
    return table


# The APR each pack discloses, as its borrowers read it: CN the PBOC rule's nominal and
# effective rates; US Regulation Z's (Appendix J, actuarial) and the effective annual rate.
_APR_LABELS = {
    "CN": ("APR (nominal)", "APR (effective)"),
    "US": ("APR (Regulation Z)", "effective annual rate"),
}


def _schedule_summary(wire: Mapping[str, object], pack: str = "CN") -> Table:
    """Totals and APR; every amount names its currency ("4108.91 CNY"), not the first alone;
    the APR is named as the pack discloses it (US: "APR (Regulation Z)")."""
    code = wire["currency"]
    nominal, effective = _APR_LABELS.get(pack, _APR_LABELS["CN"])
    return _pairs_table(
        "Summary",
        [
            ("installment", f"{wire['installment']} {code}"),
            ("total interest", f"{wire['total_interest']} {code}"),
            ("total payment", f"{wire['total_payment']} {code}"),
            (nominal, f"{wire['apr']}%"),
            (effective, f"{wire['apr_effective']}%"),
        ],
    )


def schedule(
    *,
    principal: Annotated[str, typer.Option(help="amount lent, e.g. 5000 or 5000.00")],
    annual_rate: Annotated[str, typer.Option(help="annual rate in percent, e.g. 12")],
    periods: Annotated[str, typer.Option(help="number of regular installments, e.g. 18")],
    start: Annotated[str, typer.Option(help="disbursement date, YYYY-MM-DD")],
    frequency: Annotated[str, typer.Option(help=_choices(Frequency))] = "monthly",
    first_due: Annotated[
        str | None, typer.Option(help="first due date (default: one period after start)")
    ] = None,
    method: Annotated[str, typer.Option(help=_choices(Method))] = "equal-installment",
    interest_basis: Annotated[str, typer.Option(help=_choices(InterestBasis))] = "period",
    day_count: Annotated[
        str | None,
        typer.Option(
            # Parentheses: "[default: ...]" is read as Rich markup and vanishes from --help.
            help="ACT/360|ACT/365|ACT/ACT|30/360 (default: the pack's: CN ACT/360, US ACT/365)"
        ),
    ] = None,
    rounding: Annotated[
        str, typer.Option(help="half-up|half-even|up|down|ceiling|floor")
    ] = "half-up",
    installment_multiple: Annotated[
        str, typer.Option(help="round the installment to this amount: 0.01, 1, 10")
    ] = "0.01",
    balloon: Annotated[
        str | None, typer.Option(help="balloon method residual: an amount or 30%")
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(help="ISO 4217 code (default: the pack's, else the lender's: CN CNY, US USD)"),
    ] = None,
    grace_periods: Annotated[str, typer.Option(help="grace periods before the first")] = "0",
    grace_kind: Annotated[str, typer.Option(help=_choices(GraceKind))] = "interest-only",
    step_weights: Annotated[
        str | None, typer.Option(help="step method weights, comma-separated: 1,1,2")
    ] = None,
    subsidy_customer_rate: Annotated[
        str | None, typer.Option(help="subsidised rate the borrower pays, percent")
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option(help="regulation pack of the APR, CN|US (default: the currency's)"),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Print a repayment schedule with its totals and its APR under the regulation pack."""
    data = ScheduleInput(
        principal=principal, annual_rate=annual_rate, periods=periods, start=start,
        frequency=frequency, first_due=first_due, method=method,
        interest_basis=interest_basis, day_count=day_count, rounding=rounding,
        installment_multiple=installment_multiple, balloon=balloon,
        currency=currency or lenders_currency(jurisdiction), grace_periods=grace_periods,
        grace_kind=grace_kind,
        step_weights=None if step_weights is None else step_weights.split(","),
        subsidy_customer_rate=subsidy_customer_rate, jurisdiction=jurisdiction,
    )  # fmt: skip
    wire = _calculate(lambda: schedule_wire(build_input_schedule(data), schedule_pack(data)))
    if json_output:
        _print_json(wire)
        return
    _print_whole(_schedule_table(wire))
    console.print(_schedule_summary(wire, schedule_pack(data)))  # checked just above


@apr_app.command("regz")
def apr_regz(
    *,
    amount: Annotated[str, typer.Option(help="amount financed, e.g. 5000")],
    payment: Annotated[str, typer.Option(help="regular payment, e.g. 230")],
    count: Annotated[str, typer.Option(help="number of payments, the first included")],
    advance_date: Annotated[str, typer.Option(help="date of the advance, YYYY-MM-DD")],
    first_payment: Annotated[str, typer.Option(help="date of the first payment")],
    frequency: Annotated[
        str, typer.Option(help="monthly|semimonthly|biweekly|weekly|quarterly|annual")
    ] = "monthly",
    first_payment_amount: Annotated[
        str | None, typer.Option(help="a first payment different from the others")
    ] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code")] = "USD",
    json_output: JsonFlag = False,
) -> None:
    """The US Regulation Z APR (12 CFR 1026 Appendix J, actuarial method)."""
    data = RegZInput(
        amount=amount, payment=payment, count=count, advance_date=advance_date,
        first_payment=first_payment, frequency=frequency,
        first_payment_amount=first_payment_amount, currency=currency,
    )  # fmt: skip
    wire = _calculate(lambda: regz_wire(regz_result(data)))
    _warn_if_negative(wire["apr_exact"])
    if json_output:
        _print_json(wire)
        return
    pairs = [
        ("APR", f"{wire['apr']}%"),
        ("APR (exact)", f"{wire['apr_exact']}%"),
        ("unit-periods a year", str(wire["unit_periods_per_year"])),
        ("odd-days fraction", str(wire["odd_days_fraction"])),
        ("regular transaction", "yes" if wire["regular"] else "no"),
    ]
    console.print(_pairs_table("Regulation Z APR", pairs))


@apr_app.command("irr")
def apr_irr(
    *,
    receive: Annotated[str, typer.Option(help="amount the borrower receives, e.g. 10000")],
    payment: Annotated[str, typer.Option(help="payment each period, e.g. 888.49")],
    count: Annotated[str, typer.Option(help="number of payments")],
    periods_per_year: Annotated[str, typer.Option(help="payments a year, e.g. 12")],
    currency: Annotated[
        str | None, typer.Option(help="ISO 4217 code (default: the lender's: CN CNY, US USD)")
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """The annualised IRR of equal payments (PBOC compound annualised rate)."""
    data = IrrInput(
        receive=receive, payment=payment, count=count,
        periods_per_year=periods_per_year, currency=currency or lenders_currency(None),
    )  # fmt: skip
    wire = _calculate(lambda: irr_wire(irr_rate(data)))
    _warn_if_negative(wire["nominal"])
    if json_output:
        _print_json(wire)
        return
    pairs = [
        ("nominal", f"{wire['nominal']}%"),
        ("effective", f"{wire['effective']}%"),
        ("per period", f"{wire['periodic']}%"),
    ]
    console.print(_pairs_table("Annualised rate (IRR)", pairs))
