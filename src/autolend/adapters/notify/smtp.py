"""E-mail through an SMTP server (``AUTOLEND_SMTP_HOST``/``PORT``), with smtplib.

Example: ``SmtpSender("127.0.0.1", 8025, "no-reply@autolend.example").send(
OutgoingMessage("borrower@example.com", "code", "123456"))`` hands one UTF-8 message to
the server; a refused connection or a rejected recipient raises DeliveryFailed.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from autolend.services.contract_ports import DeliveryFailed, OutgoingMessage


class SmtpSender:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        timeout: float = 10.0,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._timeout, self._starttls = timeout, starttls
        self._login = (username, password) if username and password else None

    def send(self, message: OutgoingMessage) -> None:
        mail = EmailMessage()
        mail["From"] = self._sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if self._starttls:
                    smtp.starttls()
                if self._login is not None:
                    smtp.login(*self._login)
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(f"smtp: {type(error).__name__}: {error}") from None
