"""Uploading a document on the application page, in headless Chromium against the real
``autolend serve --demo`` (its pages in Chinese, the demo's default language).

A refused upload showed its problem at the top of the page, far above the upload form,
and the form came back with its kind reset to the first one. Now the browser comes back
at the documents: the file input is marked invalid, focused and described by the problem
beside it, in the page's language, and the kind chosen stays chosen. An upload that
works comes back there too, its notice by the list, the form offering a kind not yet
uploaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_application_pages import _file_application
from tests.e2e.test_web_shell import sign_in

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_refused_upload_is_said_beside_the_file_input_and_keeps_the_kind_chosen(
    page: Page, tmp_path: Path, screenshot_dir: Path
) -> None:
    sign_in(page, "dealer")
    _file_application(page, screenshot_dir)
    not_a_picture = tmp_path / "payslip.png"
    not_a_picture.write_bytes(b"plain text, not a picture")
    page.select_option("#doc-kind", "income_proof")
    page.set_input_files("#doc-file", str(not_a_picture))
    page.click("[data-action=upload]")
    file_input = page.locator("#doc-file")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(file_input).to_have_attribute("aria-describedby", "doc-file-error")
    said = page.locator("[data-section=documents] #doc-file-error")
    expect(said).to_contain_text("文件内容与其类型 image/png 不符")
    expect(said).to_be_in_viewport()
    expect(file_input).to_be_focused()
    expect(page.locator("[data-error=uploaded]")).to_have_count(1)  # nowhere else
    expect(page.locator("#doc-kind")).to_have_value("income_proof")
    page.screenshot(path=str(screenshot_dir / "application-upload-refused.png"), full_page=True)

    picture = tmp_path / "payslip-scan.png"
    picture.write_bytes(PNG)
    page.set_input_files("#doc-file", str(picture))
    page.click("[data-action=upload]")
    notice = page.locator("[data-section=documents] [data-notice=uploaded]")
    expect(notice).to_be_visible()
    expect(notice).to_be_in_viewport()
    assert page.url.endswith("?done=uploaded#documents"), page.url
    expect(page.locator("[data-list=documents] [data-document]")).to_have_count(1)
    expect(page.locator("#doc-kind")).to_have_value("id_front")  # not uploaded yet
    expect(page.locator("#doc-file")).not_to_have_attribute("aria-invalid", "true")
