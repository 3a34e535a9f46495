"""The sandbox credit bureau on the command line: ``autolend bureau-sandbox serve --port P``.

It runs the stand-in bureau (:mod:`autolend.bureau_sandbox`) as its own HTTP service, so the
platform talks to it over the network exactly as it would to a real bureau::

    $ autolend bureau-sandbox serve --port 8765 --latency-ms 200 --fail-rate 0.1

``--fail-rate`` makes that share of report requests answer ``--fail-status`` (503 or 429).
:func:`register` adds the commands to the main app; ``python -m autolend.cli_bureau`` runs
them alone.
"""

from __future__ import annotations

from typing import Annotated

import typer

from autolend.bureau_sandbox.app import serve

sandbox_app = typer.Typer(
    help="The sandbox credit bureau (a separate HTTP service).", no_args_is_help=True
)

__all__ = ["register", "sandbox_app"]


def register(app: typer.Typer) -> None:
    app.add_typer(sandbox_app, name="bureau-sandbox")


@sandbox_app.command("serve")
def serve_sandbox(
    port: Annotated[int, typer.Option("--port", min=1, max=65_535, help="TCP port")] = 8765,
    host: Annotated[str, typer.Option("--host", help="interface to bind")] = "127.0.0.1",
    latency_ms: Annotated[
        int,
        typer.Option(
            "--latency-ms",
            min=0,
            envvar="BUREAU_SANDBOX_LATENCY_MS",
            help="delay before each report answer, in milliseconds",
        ),
    ] = 0,
    fail_rate: Annotated[
        float,
        typer.Option(
            "--fail-rate",
            min=0.0,
            max=1.0,
            envvar="BUREAU_SANDBOX_FAIL_RATE",
            help="share of report requests that fail, 0 to 1 (0.1: one in ten)",
        ),
    ] = 0.0,
    fail_status: Annotated[
        int,
        typer.Option(
            "--fail-status",
            min=429,
            max=504,
            envvar="BUREAU_SANDBOX_FAIL_STATUS",
            help="HTTP status of an injected failure: 429 or 503 (up to 504)",
        ),
    ] = 503,
) -> None:
    """Serve synthetic credit reports until interrupted (Ctrl-C)."""
    from autolend.cli_port import check_port  # noqa: PLC0415 - cli_port imports cli lazily

    check_port(host, port)  # one line naming --port, not a banner then uvicorn's exit 3
    typer.echo(f"bureau sandbox on http://{host}:{port}/v1/reports", err=True)
    serve(host=host, port=port, latency_ms=latency_ms, fail_rate=fail_rate, fail_status=fail_status)


_standalone = typer.Typer(no_args_is_help=True)
register(_standalone)

if __name__ == "__main__":
    _standalone()
