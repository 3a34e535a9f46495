"""Without its font the contract renderer draws nothing and says why in a typed error,
which the API and the pages answer with 503 (it was a ``RuntimeError``, a 500 with "an
unexpected error occurred"); the server says so once at start-up, in its log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autolend.adapters.documents.pdf import FontMissingError, FpdfRenderer, warn_if_font_missing
from autolend.api.errors import status_of
from autolend.domain.contract import build_document, example_facts
from autolend.services.contract_ports import ContractFontMissing
from autolend.web.problem_text import page_status


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged() -> Iterator[list[logging.LogRecord]]:
    kept, logger = Kept(), logging.getLogger("autolend.documents")
    logger.addHandler(kept)
    try:
        yield kept.records
    finally:
        logger.removeHandler(kept)


def test_a_missing_font_is_a_typed_error_naming_the_file_and_the_setting(tmp_path: Path) -> None:
    font = tmp_path / "NotoSansCJK-Regular.ttc"
    document = build_document(example_facts(), "zh_CN")
    with pytest.raises(ContractFontMissing) as raised:
        FpdfRenderer(font).render(document, created_at=datetime(2026, 1, 5, tzinfo=UTC))
    error = raised.value
    assert isinstance(error, FontMissingError) and error.code == "contract_font_missing"
    assert error.message.startswith(f"contracts cannot be drawn: the font file {font} is missing")
    assert "AUTOLEND_CONTRACT_FONT" in error.message and "fonts-noto-cjk" in error.message
    assert error.message_zh is not None and str(font) in error.message_zh
    assert "AUTOLEND_CONTRACT_FONT" in error.message_zh


def test_the_api_and_the_pages_answer_a_missing_font_with_503() -> None:
    error = FontMissingError(Path("/none.ttc"))
    assert status_of(error) == 503 and page_status(error) == 503


def test_a_folder_where_the_font_should_be_is_as_missing_as_no_file(tmp_path: Path) -> None:
    with pytest.raises(FontMissingError):
        FpdfRenderer(tmp_path).render(
            build_document(example_facts(), "en"), created_at=datetime(2026, 1, 5, tzinfo=UTC)
        )


def test_start_up_warns_of_a_missing_font_and_is_quiet_about_one_that_is_there(
    tmp_path: Path, logged: list[logging.LogRecord]
) -> None:
    font = tmp_path / "none.ttc"
    assert warn_if_font_missing(font) is True
    (record,) = logged
    assert record.levelno == logging.WARNING
    assert str(font) in record.getMessage() and "AUTOLEND_CONTRACT_FONT" in record.getMessage()
    present = tmp_path / "present.ttc"
    present.write_bytes(b"not read, only found")
    assert warn_if_font_missing(present) is False
    assert len(logged) == 1
