"""The ``autolend`` command line (Typer + Rich): every command has ``--help``; errors
print one clear line and exit non-zero."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import autolend
from autolend import (
    cli_bench,
    cli_bureau,
    cli_db,
    cli_ecl,
    cli_eod,
    cli_format,
    cli_loanmath,
    cli_model,
    cli_policy,
    cli_portfolio,
    cli_product,
    cli_settings,
)
from autolend.config import Settings
from autolend.domain.access import Role

ROLES = ", ".join(r.value for r in Role)  # said in `user create --help`

if TYPE_CHECKING:
    from autolend.batch.ecl_parameters import EclParameters
    from autolend.bootstrap import Container
    from autolend.domain.decision_policy import Policy

app = typer.Typer(
    help="autolend: auto-finance lending platform (origination, servicing, risk, reporting).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Users and roles.", no_args_is_help=True)
keys_app = typer.Typer(help="Personal-data encryption keys.", no_args_is_help=True)
notify_app = typer.Typer(help="Notifications (the outbox).", no_args_is_help=True)
app.add_typer(db_app, name="db")
cli_db.register(db_app)  # db index-vins
app.add_typer(user_app, name="user")
app.add_typer(keys_app, name="keys")
app.add_typer(notify_app, name="notify")
cli_loanmath.register(app)  # schedule, apr
cli_model.register(app)  # synth, model
app.add_typer(cli_bench.bench_app, name="bench")  # bench eod
cli_bureau.register(app)  # bureau-sandbox serve
app.add_typer(cli_eod.eod_app, name="eod")  # eod --date D | --through D, eod runs
cli_product.register(app)  # product list|show|publish
cli_policy.register(app)  # policy show|simulate
app.add_typer(cli_portfolio.portfolio_app, name="portfolio")  # portfolio snapshot|show
app.add_typer(cli_ecl.ecl_app, name="ecl")  # ecl parameters [--json]

console = Console()
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; the exit to raise. The message is text, not
    markup: ``--data '[bold]x.csv'`` is named as typed, not read as a style."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def guarded(action: Callable[[], T], options: Mapping[str, str] | None = None) -> T:
    """Run an action; expected errors become one line on stderr and a non-zero exit. A
    domain error's field is shown once (cli_format.field_suffix), as the option that fed it
    where ``options`` maps it: ``{"data": "--data"}``: ``a.csv: file not found (--data)``."""
    from autolend.cli_format import field_suffix
    from autolend.config import ConfigurationError
    from autolend.domain.errors import DomainError

    try:
        return action()
    except (typer.Exit, typer.Abort, click.ClickException):
        raise  # already said (fail) or Click's own: not "error: Exit: 1" on top
    except DomainError as error:
        where = field_suffix(error.message, error.field, options or {})
        raise fail(f"{error.message}{where}") from None
    except ConfigurationError as error:
        raise fail(str(error)) from None
    except Exception as error:  # e.g. database unreachable: one line, not a traceback
        raise fail(cli_settings.one_line(error)) from None


def settings(demo: bool | None = None) -> Settings:
    overrides = {} if demo is None else {"demo": demo}
    return cli_settings.read_settings(**overrides)


def version_callback(value: bool) -> None:
    if value:
        console.print(f"autolend {autolend.__version__}")
        raise typer.Exit()


_VERSION = typer.Option("--version", callback=version_callback, is_eager=True,
                        help="Print the version and exit.")  # fmt: skip


@app.callback()
def main_options(version: Annotated[bool, _VERSION] = False) -> None:
    """autolend command line."""


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
) -> None:
    """Create or migrate the database (AUTOLEND_DATABASE_URL; default the SQLite file
    autolend.db in AUTOLEND_HOME)."""
    from autolend.adapters.db.engine import make_engine
    from autolend.adapters.db.migrate import current_revision, upgrade

    cfg = settings()
    url = cfg.resolved_database_url()

    def run() -> str | None:
        engine = make_engine(url)
        upgrade(engine, revision)
        current = current_revision(engine)
        engine.dispose()
        return current

    current = guarded(run)
    ahead = revision not in ("head", current) and current is not None and current > revision
    note = f", newer than {revision}: nothing to do (no downgrades)" if ahead else ""
    console.print(f"database at revision [bold]{current}[/]{note}")


def _container(demo: bool | None = None, *, migrate: bool = False) -> Container:
    from autolend.adapters.db.migrate import upgrade
    from autolend.bootstrap import build_container
    from autolend.cli_schema import check_schema, set_up

    cfg = settings(demo)  # unless it migrates, a command never creates an empty SQLite file
    container = build_container(cfg if migrate else set_up(cfg))
    if migrate:
        upgrade(container.engine)
    else:  # one line saying to run `db upgrade`, not "no such table: products"
        check_schema(container.engine)
    return container


def policy_in_force() -> Policy:
    """The credit policy the platform would decide with (AUTOLEND_POLICY_FILE, else the
    built-in one), read without a database or secrets."""
    from autolend.config import credit_policy

    return credit_policy(settings())


def ecl_parameters_in_force() -> EclParameters:
    """The ECL parameters the platform computes with (AUTOLEND_ECL_PARAMETERS, else the
    built-in set), read without a database or secrets."""
    from autolend.bootstrap import ecl_parameters

    return ecl_parameters(settings())


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="bind address (default: AUTOLEND_HOST, else 127.0.0.1)")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(help="TCP port (default: AUTOLEND_PORT, else 8000)", min=1, max=65535),
    ] = None,
    demo: Annotated[bool, typer.Option("--demo", help="demo mode: demo users and data")] = False,
    demo_loans: Annotated[
        int,
        typer.Option(
            "--demo-loans",
            min=0,
            envvar="AUTOLEND_DEMO_LOANS",
            help="in demo mode, also seed this many synthetic loans with history (once)",
        ),
    ] = 0,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="worker processes; above 1 each worker builds the app from the environment "
            "(AUTOLEND_* settings) after this process has migrated and seeded the database",
        ),
    ] = 1,
) -> None:
    """Serve the web UI and the API (migrates the database first)."""
    import os

    import uvicorn

    from autolend.bootstrap import create_app
    from autolend.cli_port import listen_address

    bind_host, bind_port = guarded(lambda: listen_address(host, port))  # before any start
    # The server is where writers run concurrently: its requests queue their audit events
    # and a background sequencer chains them (docs/architecture.md), unless set otherwise.
    os.environ.setdefault("AUTOLEND_AUDIT_SEQUENCER", "true")
    bureau = None
    if demo or os.environ.get("AUTOLEND_DEMO", "").lower() == "true":
        from autolend.demo_bureau import start_demo_bureau

        bureau = start_demo_bureau()
    container = guarded(lambda: _container(demo or None, migrate=True))
    cfg = container.settings
    from autolend.cli_demo import print_sign_ins, seed_demo

    users = guarded(lambda: seed_demo(container, demo_loans)) if cfg.demo else []
    url = f"http://{bind_host}:{bind_port}"
    console.print(f"[bold green]autolend[/] {autolend.__version__} serving on [bold]{url}[/]")
    console.print(f"  web UI  {url}/    API docs  {url}/api/v1/docs    health  {url}/healthz")
    if bureau:
        console.print(f"  bureau sandbox  {bureau}")
    if workers > 1:
        console.print(f"  workers {workers}")
    if users:
        print_sign_ins(users)
    if workers == 1:
        application = create_app(container=container)
        try:
            uvicorn.run(application, host=bind_host, port=bind_port, log_level="warning")
        finally:
            container.close()
        return
    # Each worker calls create_app() with Settings() read from the environment; demo secrets
    # come back from <home>/demo-secrets.json, written above by the container build.
    container.close()
    if cfg.demo:
        os.environ["AUTOLEND_DEMO"] = "true"
    uvicorn.run(
        "autolend.bootstrap:create_app",
        factory=True,
        workers=workers,
        host=bind_host,
        port=bind_port,
        log_level="warning",
    )


@app.command()
def demo(
    loans: Annotated[
        int,
        typer.Option(
            "--loans",
            min=0,
            envvar="AUTOLEND_DEMO_LOANS",
            help="also seed this many synthetic loans with history (once: a second run adds none)",
        ),
    ] = 0,
) -> None:
    """Create and migrate the database and seed the demo data (idempotent)."""
    from autolend.cli_demo import print_sign_ins, seed_demo
    from autolend.demo_bureau import demo_bureau_while

    # The demo applications are decided against the bureau sandbox, as under `serve --demo`
    # (without one every one of them was referred as "the bureau could not be reached").
    with demo_bureau_while():
        container = guarded(lambda: _container(True, migrate=True))
        print_sign_ins(guarded(lambda: seed_demo(container, loans)))
        container.close()


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="user name (lower case)")],
    role: Annotated[list[str], typer.Option("--role", "-r", help=f"role ({ROLES}); repeat")],
    dealer_code: Annotated[str | None, typer.Option(help="dealer code for dealer users")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create a user with one or more roles; the password is prompted for (or: --password-stdin)."""
    from autolend.domain.access import SYSTEM_ACTOR

    if password_stdin:
        password = _stdin_password()
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    container = guarded(lambda: _container(migrate=True))
    user = guarded(
        lambda: container.services.users.create(
            SYSTEM_ACTOR,
            username=username,
            password=password,
            roles=role,
            dealer_code=dealer_code,
        ),
        {"roles": "--role", "dealer_code": "--dealer-code"},
    )
    console.print(
        f"created user [bold]{user.username}[/] ({', '.join(r.value for r in user.roles)})"
    )


def _stdin_password() -> str:
    """The first line of standard input; bytes that are not UTF-8 (read as lone
    surrogates) are one line naming --password-stdin, not a UnicodeEncodeError."""
    password = sys.stdin.readline().rstrip("\n")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise fail("--password-stdin: the password read is not UTF-8 text") from None
    return password


@app.command()
def verify(
    business_date: Annotated[
        datetime | None,
        typer.Option(
            "--date",
            parser=cli_format.calendar_day,
            metavar="YYYY-MM-DD",
            help="business date for invariant 7 (default: latest accrued)",
        ),
    ] = None,
) -> None:
    """Check the invariants (ledger 1-5 and 7, audit chain 6, contract registry 8); exit 1
    on any violation."""
    container = guarded(_container)
    on = business_date.date() if business_date else None
    report = guarded(lambda: container.services.verify.run(on))
    table = Table(title="autolend verify")
    table.add_column("#")
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail")
    for check in report.checks:
        if check.ok:
            table.add_row(str(check.invariant), check.name, "[green]ok[/]", check.info)
            continue
        shown = list(check.violations[:20])
        if len(check.violations) > 20:
            shown.append(f"... and {len(check.violations) - 20} more")
        table.add_row(
            str(check.invariant), check.name, f"[red]BROKEN ({len(check.violations)})[/]",
            "\n".join(shown),
        )  # fmt: skip
    console.print(table)
    if not report.ok:
        raise typer.Exit(1)


@notify_app.command("dispatch")
def notify_dispatch(
    limit: Annotated[int, typer.Option("--limit", min=1, help="messages at most")] = 100,
) -> None:
    """Send the pending messages of the outbox (SMS, e-mail); failures are retried later,
    a signing code that expired unsent is dropped (expired); exit 1 when one failed for good."""
    container = guarded(_container)
    report = guarded(lambda: container.services.notifications.dispatch(limit))
    console.print(
        f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
        f"expired {report.expired}"
    )
    if report.failed:
        raise typer.Exit(1)


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every data key under the active master key (first in AUTOLEND_MASTER_KEYS)."""
    from autolend.domain.access import SYSTEM_ACTOR

    container = guarded(_container)
    report = guarded(lambda: container.services.keys.rotate(SYSTEM_ACTOR))
    console.print(
        f"active key [bold]{report.active_key_id}[/]: re-wrapped {report.rewrapped}, "
        f"already current {report.already_current}"
    )


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
