"""The loan page's forms as a test reads them: one form cut out of a page, a form's post
that the page refuses (422), answered with the page that says so and that form, and one
that is done (303 to the loan page, Post/Redirect/Get), answered with the page it goes to.

Example: signed in as servicing, ``refused_form(client, "/loans/7/repayments",
{"idempotency_key": "k-1", "amount": "abc", "value_date": "2026-11-20"}, "repayment")``
takes the CSRF token from ``/loans/7``, posts, asserts the 422, and answers the refusal's
page and its ``<form data-form="repayment">``.
"""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tests.integration.test_application_pages import csrf


def form_html(page: str, name: str) -> str:
    """The page's ``<form>`` whose ``data-form`` is ``name``, tag to ``</form>``."""
    found = re.search(rf'<form[^>]*data-form="{name}".*?</form>', page, re.S)
    assert found, page[:3000]
    return found.group(0)


def refused_form(client: TestClient, url: str, data: dict[str, str], form: str) -> tuple[str, str]:
    """Post ``data`` to ``url``, a form's action on a page (``/loans/7/repayments`` on
    ``/loans/7``, ``url`` less its last part), as whoever is signed in, with that page's CSRF
    token unless ``data`` brings one; assert it is refused (422). The refusal's page and
    its form named ``form``."""
    if "csrf_token" not in data:
        data = {"csrf_token": csrf(client.get(url.rsplit("/", 1)[0]).text)} | data
    refused = client.post(url, data=data)
    assert refused.status_code == 422, refused.text[:2000]
    return refused.text, form_html(refused.text, form)


def done_form(client: TestClient, url: str, data: dict[str, str]) -> httpx.Response:
    """Post ``data`` to ``url``, a form's action on a loan page (``/loans/7/repayments``),
    and assert it is done: 303 to that loan page saying so (``/loans/7?done=...``), never
    the page at the form's address. The loan page it goes to, as a browser GETs it."""
    done = client.post(url, data=data, follow_redirects=False)
    assert done.status_code == 303, done.text[:2000]
    went = done.headers["location"]
    assert went.startswith(url.rsplit("/", 1)[0] + "?done="), went
    shown: httpx.Response = client.get(went)
    assert shown.status_code == 200, shown.text[:2000]
    return shown
