"""An upload's outcome is said at the documents, on both databases.

A refused upload (a file of another type, one whose bytes are not its type, an empty
one) showed its problem at the top of the application page, far above the upload form,
and the form came back with its kind reset to the first one. Now the problem stands
under the file input, which is marked invalid and described by it, in the page's
language, and the kind chosen stays chosen. An upload that worked goes back to the
documents (``#documents``), where its notice stands beside the list, and the form then
offers the next kind not yet uploaded.
"""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from autolend.bootstrap import Container
from autolend.domain.access import Role
from tests.integration.test_application_pages import (  # noqa: F401 - fixture
    _approved,
    container,
    csrf,
    file_through_the_form,
    web_sign_in,
)

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _send(client: TestClient, app_id: int, kind: str, name: str, content: bytes,
          media: str) -> Response:  # fmt: skip
    token = csrf(client.get(f"/applications/{app_id}").text)
    answer: Response = client.post(f"/applications/{app_id}/documents",
                                   data={"kind": kind, "csrf_token": token},
                                   files={"file": (name, content, media)},
                                   follow_redirects=False)  # fmt: skip
    return answer


def _documents(page: str) -> str:
    """The documents card of the page."""
    start = page.index('data-section="documents"')
    return page[start : page.index("</section>", start)]


def _chosen_kind(page: str) -> list[str]:
    return re.findall(r'<option value="(\w+)" selected>', _documents(page))


def test_a_refused_upload_is_said_at_the_file_input_in_the_pages_language_with_the_kind_kept(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    cases = (
        ("en", b"plain text", "image/png", "the file's content does not match its type image/png"),
        ("zh_CN", b"plain text", "image/png", "文件内容与其类型 image/png 不符"),
        ("en", b"plain text", "text/plain", "the file must be a PDF, JPEG or PNG"),
        ("zh_CN", b"plain text", "text/plain", "文件须为 PDF、JPEG 或 PNG 格式"),
        ("zh_CN", b"", "image/png", "请选择大小为 1 字节至 10 MiB 的文件"),
    )  # fmt: skip
    for lang, content, media, message in cases:
        client.cookies.set("autolend_lang", lang)
        refused = _send(client, app_id, "income_proof", "pay.png", content, media)
        assert refused.status_code == 422, (lang, media)
        page = refused.text
        card = _documents(page)
        # nothing about it at the top of the page: all of it by the form
        assert page.count('data-error="uploaded"') == 1 and 'data-error="uploaded"' in card
        file_input = re.search(r'<input id="doc-file"[^>]*>', card)
        assert file_input and 'aria-invalid="true"' in file_input.group(0)
        assert 'aria-describedby="doc-file-error"' in file_input.group(0)
        said = re.search(r'<p [^>]*id="doc-file-error"[^>]*>(.*?)</p>', card, re.S)
        assert said and message in html.unescape(said.group(1)), (lang, media, card)
        assert card.index('id="doc-file"') < card.index('id="doc-file-error"')
        assert _chosen_kind(page) == ["income_proof"], lang
    client.cookies.set("autolend_lang", "en")
    assert "data-document=" not in client.get(f"/applications/{app_id}").text


def test_an_upload_goes_back_to_the_documents_with_its_notice_and_offers_the_next_kind(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    web_sign_in(client, staff, Role.DEALER)
    app_id = file_through_the_form(client)
    client.cookies.set("autolend_lang", "en")
    assert _chosen_kind(client.get(f"/applications/{app_id}").text) == ["id_front"]
    sent = _send(client, app_id, "id_front", "id.png", PNG, "image/png")
    where = sent.headers["location"]
    assert where == f"/applications/{app_id}?done=uploaded#documents"
    page = client.get(where.split("#")[0]).text
    assert page.count('data-notice="uploaded"') == 1
    card = _documents(page)
    assert 'data-notice="uploaded"' in card and "The document was added." in card
    assert card.index('data-notice="uploaded"') < card.index('data-list="documents"')
    assert _chosen_kind(page) == ["id_back"]  # the next kind not uploaded yet
    assert 'aria-invalid="true"' not in card


def test_a_refused_upload_is_said_at_the_top_when_the_page_no_longer_has_the_form(
    client: TestClient,
    container: Container,  # noqa: F811 - fixture
    staff: dict[Role, str],
) -> None:
    app_id = _approved(client, staff)  # documents are added before the decision only
    web_sign_in(client, staff, Role.DEALER)
    client.cookies.set("autolend_lang", "zh_CN")
    refused = _send(client, app_id, "id_front", "id.png", PNG, "image/png")
    assert refused.status_code == 409
    page = refused.text
    assert 'data-form="upload"' not in page
    assert re.search(r'role="alert" data-error="uploaded"', page)
    assert "只能在审批结果确定前补充材料" in page
