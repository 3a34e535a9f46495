"""A sandbox for the third-party SMS gateway, used only in demo mode: messages are "delivered"
into a small inbox file instead of a phone, and the demo SMS inbox page (``/demo/sms``)
lists them, so that a signing code can be read back without a real gateway.

The inbox is a JSON-lines file under ``AUTOLEND_HOME`` (``demo-sms-inbox.jsonl``), not
process memory: ``autolend serve --demo --workers N`` runs several worker processes, and the
worker that sends a code is not always the one that shows the page. Each message is one
``write`` of one line to a file opened for appending, which the kernel keeps whole between
processes. The recipient is stored masked except its last 4 digits; the file keeps at
most :data:`KEEP` messages (older ones are dropped when it is rewritten).

Example::

    inbox = DemoSmsInbox(Path("var/demo-sms-inbox.jsonl"), clock)
    inbox.send(OutgoingMessage("13800138000", "", "验证码 123456"))
    inbox.delivered()  # [{"to": "*******8000", "text": "验证码 123456", "at": "2026-..."}]
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from autolend.services.contract_ports import DeliveryFailed, OutgoingMessage
from autolend.services.ports import Clock

__all__ = ["INBOX_FILE", "KEEP", "DemoSmsInbox", "mask_recipient"]

INBOX_FILE = "demo-sms-inbox.jsonl"
KEEP = 200
_LIMIT_BYTES = 512 * 1024  # rewrite (keep the newest KEEP) once the file grows past this


def mask_recipient(recipient: str) -> str:
    """All but the last 4 characters hidden: ``"13800138000"`` -> ``"*******8000"``.

    >>> mask_recipient("13800138000"), mask_recipient("123")
    ('*******8000', '***')
    """
    if len(recipient) <= 4:
        return "*" * len(recipient)
    return "*" * (len(recipient) - 4) + recipient[-4:]


class DemoSmsInbox:
    """The demo mode's SMS "gateway": a :class:`MessageSender` writing to the inbox file."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path

    def send(self, message: OutgoingMessage) -> None:
        record = {
            "to": mask_recipient(message.recipient),
            "text": message.body,
            "at": self._clock.now().isoformat(),
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock:
                descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(descriptor, line)
                finally:
                    os.close(descriptor)
                if self._path.stat().st_size > _LIMIT_BYTES:
                    self._trim()
        except OSError as error:
            raise DeliveryFailed(f"demo sms inbox: {error}") from None

    def delivered(self, limit: int = 50) -> list[dict[str, str]]:
        """The newest ``limit`` messages, newest first (``to`` masked, ``text``, ``at``)."""
        try:
            lines = self._path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found: list[dict[str, str]] = []
        for line in reversed(lines):
            try:
                item = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash is skipped, never shown half
            if isinstance(item, dict) and {"to", "text", "at"} <= item.keys():
                found.append({key: str(item[key]) for key in ("to", "text", "at")})
            if len(found) >= limit:
                break
        return found

    def _trim(self) -> None:
        lines = self._path.read_text(encoding="utf-8").splitlines()[-KEEP:]
        spare = self._path.with_suffix(".tmp")
        spare.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        os.replace(spare, self._path)
