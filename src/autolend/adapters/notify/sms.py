"""SMS through an HTTP gateway: ``POST <AUTOLEND_SMS_URL>`` with JSON ``{"to", "text"}``.

Commercial gateways (Aliyun, Tencent Cloud) take a signed request of the same shape; this
adapter is the seam where one would be plugged in. Any answer other than 2xx, a timeout
or a refused connection raises DeliveryFailed, and the dispatcher retries later.

Example: ``HttpSmsSender("http://127.0.0.1:9100/sms").send(OutgoingMessage(
"13800138000", "", "验证码 123456"))`` posts ``{"to": "13800138000", "text": "验证码 123456"}``.
"""

from __future__ import annotations

import httpx

from autolend.services.contract_ports import DeliveryFailed, OutgoingMessage


class HttpSmsSender:
    def __init__(self, url: str, *, timeout: float = 5.0, token: str | None = None) -> None:
        self._url = url
        self._timeout = timeout
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    def send(self, message: OutgoingMessage) -> None:
        body = {"to": message.recipient, "text": message.body}
        try:
            answer = httpx.post(self._url, json=body, headers=self._headers, timeout=self._timeout)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"sms: {type(error).__name__}: {error}") from None
        if not answer.is_success:
            raise DeliveryFailed(f"sms: the gateway answered {answer.status_code}")
