"""Real local message servers for tests: an SMTP server (aiosmtpd in a thread) and an SMS
gateway sandbox (a small HTTP server that keeps what it is sent and can be told to fail).

Example::

    with smtp_server() as mail, sms_gateway() as sms:
        ...  # AUTOLEND_SMTP_HOST/PORT = mail.host/port, AUTOLEND_SMS_URL = sms.url
        assert mail.messages[0]["To"] == "borrower@example.com"
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.processes import free_port


@dataclass
class MailSink:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[MailSink]:
    sink = MailSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class SmsSandbox:
    url: str = ""
    received: list[dict[str, str]] = field(default_factory=list)
    failing: bool = False


def _handler(box: SmsSandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            status = 503 if box.failing else 200
            if not box.failing:
                box.received.append(body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": %s}' % (b"false" if box.failing else b"true"))

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def served(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local HTTP server in a thread answering with ``handler``: its base URL
    (``http://127.0.0.1:<port>``), shut down on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def sms_gateway() -> Iterator[SmsSandbox]:
    box = SmsSandbox()
    with served(_handler(box)) as url:
        box.url = f"{url}/sms"
        yield box
