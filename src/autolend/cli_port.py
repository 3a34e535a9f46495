"""Where ``autolend serve`` listens, checked before anything starts: a port another
server holds is one line naming it, where the server printed its banner and sign-ins
("serving on ...") and then a uvicorn error with exit status 3.

    $ autolend serve --port 8772      # while another server listens on 8772
    error: port 8772 on 127.0.0.1 is already in use (another server?): choose another with --port
"""

from __future__ import annotations

import errno
import socket

from autolend.config import Settings

__all__ = ["check_port", "listen_address"]


def listen_address(host: str | None, port: int | None) -> tuple[str, int]:
    """The host and port to serve on: the options, else ``AUTOLEND_HOST`` and
    ``AUTOLEND_PORT`` (127.0.0.1 and 8000), once :func:`check_port` found them free."""
    cfg = Settings()
    address = (host or cfg.host, port or cfg.port)
    check_port(*address)
    return address


def check_port(host: str, port: int) -> None:
    """Fail with one line unless a server could listen on ``host:port`` now.

    The probe binds as the server will (``SO_REUSEADDR``, so a port whose last
    connections are still closing counts as free) and lets go at once. Example: with
    8772 taken, ``check_port("127.0.0.1", 8772)`` -> ``error: port 8772 on 127.0.0.1 is
    already in use (another server?): choose another with --port`` and exit 1.
    """
    from autolend.cli import fail  # noqa: PLC0415 - cli imports this module

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise fail(f"cannot listen on {host}: {error.strerror} (--host)") from None
    family, kind, proto, _name, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise fail(_refusal(host, port, error)) from None


def _refusal(host: str, port: int, error: OSError) -> str:
    """Why ``host:port`` cannot be listened on, naming what to change: a port in use
    says to choose another; anything else (a port under 1024 without the right, an
    address not of this machine) gives the system's reason."""
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (another server?): choose another with --port"
        )
    return f"cannot listen on {host}:{port}: {error.strerror} (--host, --port)"
