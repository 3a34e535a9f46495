"""A document of a type the platform does not take is refused naming the types as people
know them: "the file must be a PDF, JPEG or PNG" (文件须为 PDF、JPEG 或 PNG 格式), not
as media types ("application/pdf, image/jpeg, image/png"). Over the API on both
databases (the page: tests/integration/test_application_upload_at_its_form.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_application_pages import container  # noqa: F401 - fixture
from tests.integration.test_origination_api import dealer, filed  # noqa: F401 - fixture

pytestmark = pytest.mark.integration


def test_a_text_file_uploaded_as_a_document_is_refused_naming_pdf_jpeg_or_png(
    client: TestClient,
    dealer: dict[str, str],  # noqa: F811 - fixture
) -> None:
    app_id = filed(client, dealer)["id"]
    url = f"/api/v1/applications/{app_id}/documents?kind=id_front"
    text_file = dealer | {"Content-Type": "text/plain"}
    refused = client.post(url, content=b"plain text", headers=text_file)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["field"] == "content_type"
    assert error["message"] == "the file must be a PDF, JPEG or PNG"
    assert error["message_zh"] == "文件须为 PDF、JPEG 或 PNG 格式"
    assert "image/png" not in refused.text
