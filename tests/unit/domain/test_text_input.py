"""The one rule for stored free text (:mod:`autolend.domain.text_input`): what a keyboard
types passes unchanged, control characters and their kin are refused on the field, named
by their code point, in both languages; a body is judged string by string, by JSON path."""

from __future__ import annotations

from datetime import date

import pytest

from autolend.domain.address_us import us_address
from autolend.domain.application import parse_application, parse_new_application
from autolend.domain.errors import InvalidInput
from autolend.domain.text_input import (
    check_optional_text,
    check_text,
    check_texts,
    text_errors,
    untypable,
)
from tests.support.origination import application_body

TYPED = ["张伟", "O'Brien-Smith", "北京市朝阳区建国路1号 3-502", "José Ñúñez", "محمد\u200f",
         "👨\u200d👩\u200d👧 family", "  padded  ", "a@b.cn"]  # fmt: skip
REFUSED = {"\x00": "U+0000", "\x07": "U+0007", "\x1b": "U+001B", "\x7f": "U+007F",
           "\x85": "U+0085", "\ud800": "U+D800", "\u202e": "U+202E", "\u2066": "U+2066",
           "\u2028": "U+2028", "\t": "U+0009", "\n": "U+000A"}  # fmt: skip


@pytest.mark.parametrize("text", TYPED)
def test_what_a_keyboard_types_passes_unchanged(text: str) -> None:
    assert check_text(text, "name") == text
    assert untypable(text) is None


@pytest.mark.parametrize(("char", "point"), sorted(REFUSED.items()))
def test_a_control_character_inside_a_one_line_field_is_refused_naming_field_and_code_point(
    char: str, point: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(f"张{char}伟", "applicants[0].name")
    assert refused.value.field == "applicants[0].name"
    assert refused.value.message == f"name must not contain control characters ({point})"
    assert refused.value.message_zh == f"不能包含控制字符（{point}）"


def test_a_multi_line_field_keeps_line_breaks_and_tabs_but_not_nul() -> None:
    typed = "income checked\r\n\tpayslips for 6 months\u2028seen"
    assert check_text(typed, "reason", multiline=True) == typed
    with pytest.raises(InvalidInput) as refused:
        check_text("looks\x00fine", "reason", multiline=True)
    assert (refused.value.field, refused.value.message) == (
        "reason", "reason must not contain control characters (U+0000)")  # fmt: skip


def test_white_space_at_the_ends_is_left_to_the_readers_that_strip_it() -> None:
    assert check_text("张伟\n", "name") == "张伟\n"
    assert check_text("\t BYD \r\n", "vehicle.make") == "\t BYD \r\n"


def test_a_missing_optional_text_stays_missing() -> None:
    assert check_optional_text(None, "reference") is None
    assert check_optional_text("BANK-1", "reference") == "BANK-1"
    with pytest.raises(InvalidInput):
        check_optional_text("BANK\x00", "reference")


def test_a_body_is_judged_string_by_string_each_named_by_its_json_path() -> None:
    body = {"name_zh": "标准\x00", "fees": [{"name": "gps"}, {"name": "x\x1f"}], "terms": [12],
            "eligibility": {"conditions": ["new", "us\u202ed"]}, "rate": 1, "ok": None}  # fmt: skip
    assert [e.field for e in text_errors(body)] == [
        "name_zh", "fees[1].name", "eligibility.conditions[1]"]  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        check_texts(body)
    assert [e.field for e in refused.value.every()] == [
        "name_zh", "fees[1].name", "eligibility.conditions[1]"]  # fmt: skip
    check_texts({"name_zh": "标准新车贷", "terms": [12, 24]})  # nothing to refuse


@pytest.mark.parametrize(
    ("where", "key"),
    [("applicants", "name"), ("applicants", "address"), ("applicants", "email"),
     ("vehicle", "make"), ("vehicle", "model")],
)  # fmt: skip
def test_a_new_application_with_a_nul_in_a_text_field_is_refused_on_that_field(
    where: str, key: str
) -> None:
    body = application_body()
    part = body["applicants"][0] if where == "applicants" else body["vehicle"]
    part[key] = "a\x00@b.cn"
    path = f"applicants[0].{key}" if where == "applicants" else f"vehicle.{key}"
    with pytest.raises(InvalidInput) as refused:
        parse_new_application(body, as_of=date(2026, 11, 28))
    assert [e.field for e in refused.value.every()] == [path]  # one error for the field


def test_the_text_rule_is_told_with_the_bodys_other_errors_at_once() -> None:
    body = application_body(term_months=0)
    body["applicants"][0]["name"] = "张\x00伟"
    body["applicants"][0]["mobile"] = "138\x00"  # its format error is left out: one per field
    with pytest.raises(InvalidInput) as refused:
        parse_new_application(body, as_of=date(2026, 11, 28))
    assert [e.field for e in refused.value.every()] == [
        "applicants[0].name", "applicants[0].mobile", "term_months"]  # fmt: skip


def test_a_stored_application_is_re_read_as_it_was_filed() -> None:
    body = application_body()
    body["vehicle"]["model"] = "Han\x07"  # filed before the rule
    assert parse_application(body, as_of=date(2026, 11, 28)).vehicle.model == "Han\x07"


def test_a_us_address_part_with_a_control_character_is_refused_on_that_part() -> None:
    parts = {"street": "123 Main\x00 St", "city": "Springfield", "state": "IL", "zip": "62701"}
    with pytest.raises(InvalidInput) as refused:
        us_address(parts, "applicants[0]")
    assert [e.field for e in refused.value.every()] == ["applicants[0].street"]
