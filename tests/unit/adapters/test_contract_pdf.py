"""The fpdf2 renderer with the Noto CJK font: a PDF in Chinese and English, same bytes for
the same document and instant; the signing-code hasher binds a code to its contract."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from autolend.adapters.documents.pdf import DEFAULT_FONT, FontMissingError, FpdfRenderer
from autolend.adapters.security.codes import HmacCodeHasher, derived_key
from autolend.domain.contract import build_document, example_facts

AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
needs_font = pytest.mark.skipif(not DEFAULT_FONT.exists(), reason="fonts-noto-cjk not installed")


@needs_font
@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_contract_renders_to_a_pdf_that_embeds_the_cjk_font(locale: str) -> None:
    pdf = FpdfRenderer().render(build_document(example_facts(), locale), created_at=AT)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"NotoSansCJK" in pdf or b"Noto" in pdf


@needs_font
def test_the_same_document_at_the_same_instant_renders_to_the_same_bytes() -> None:
    document = build_document(example_facts(), "zh_CN")
    renderer = FpdfRenderer()
    assert renderer.render(document, created_at=AT) == renderer.render(document, created_at=AT)


def test_a_missing_font_is_reported_by_its_path(tmp_path: Path) -> None:
    renderer = FpdfRenderer(tmp_path / "none.ttc")
    with pytest.raises(FontMissingError, match=r"none\.ttc"):
        renderer.render(build_document(example_facts(), "en"), created_at=AT)


def test_a_code_matches_only_for_its_own_contract_and_key() -> None:
    hasher = HmacCodeHasher(derived_key("secret-one"))
    stored = hasher.digest(1, "123456")
    assert hasher.matches(1, "123456", stored)
    assert not hasher.matches(2, "123456", stored)
    assert not HmacCodeHasher(derived_key("secret-two")).matches(1, "123456", stored)
