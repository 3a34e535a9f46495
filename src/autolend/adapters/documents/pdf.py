"""Contracts as PDF with fpdf2 and a CJK font (Noto Sans CJK SC from Debian's
``fonts-noto-cjk``: a TrueType collection, face 2 is Simplified Chinese).

The font is embedded as a subset, so the file carries only the glyphs it prints (about
60 kB for a 12-month contract). The creation date is the contract's instant, so the same
document renders to the same bytes.

Example: ``FpdfRenderer(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
.render(build_document(example_facts(), "zh_CN"), created_at=at)`` starts with ``%PDF-``.
Without the font file it raises :class:`FontMissingError` (a 503 naming the file and
``AUTOLEND_CONTRACT_FONT``) and draws nothing; :func:`warn_if_font_missing` says so once
at start-up, before anyone asks for a contract.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from autolend.domain.contract import ContractDocument
from autolend.services.contract_ports import ContractFontMissing

DEFAULT_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SIMPLIFIED_CHINESE_FACE = 2
_FAMILY = "cjk"
log = logging.getLogger("autolend.documents")


class FontMissingError(ContractFontMissing):
    """The configured CJK font file does not exist (install fonts-noto-cjk)."""


def warn_if_font_missing(font: Path) -> bool:
    """Log a warning naming ``font`` and ``AUTOLEND_CONTRACT_FONT`` when the file is not
    there (no contract can be issued or signed until it is); True when it was missing.
    E.g. ``warn_if_font_missing(Path("/none.ttc"))`` logs "contracts cannot be drawn: the
    font file /none.ttc is missing; ..." and answers True."""
    if font.is_file():
        return False
    log.warning("%s", FontMissingError(font).message, extra={"font": str(font)})
    return True


class FpdfRenderer:
    def __init__(self, font: Path = DEFAULT_FONT, face: int = SIMPLIFIED_CHINESE_FACE) -> None:
        self._font = font
        self._face = face

    def render(self, document: ContractDocument, *, created_at: datetime) -> bytes:
        if not self._font.is_file():
            raise FontMissingError(self._font)
        pdf = FPDF(format="A4")
        pdf.set_creation_date(created_at)
        pdf.set_title(document.title)
        pdf.set_lang("zh-CN" if document.locale == "zh_CN" else "en")
        pdf.add_font(_FAMILY, fname=str(self._font), collection_font_number=self._face)
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font(_FAMILY, size=16)
        _line(pdf, document.title, 10)
        for section in document.sections:
            pdf.ln(2)
            pdf.set_font(_FAMILY, size=12)
            _line(pdf, section.heading, 8)
            pdf.set_font(_FAMILY, size=9.5)
            for text in section.lines:
                _line(pdf, text, 5.5)
        return bytes(pdf.output())


def _line(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
