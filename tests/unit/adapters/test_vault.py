"""Tests for the personal-data vault: envelope encryption, rotation and blind indexes."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autolend.adapters.keys import (
    MasterKeyRing,
    PersonalDataVault,
    SealedRecord,
    VaultError,
)

K1 = bytes(range(32))
K2 = bytes(range(100, 132))
BLIND_KEY = b"b" * 32
CONTEXT = "customer:123"
PERSONAL = {
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "bank_account": "6222021234567890123",
    "name": "张三丰",
    "income": "25000.00",
}


def _entry(key_id: str, key: bytes) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(key).decode().rstrip('=')}"


def _vault(ring_text: str, blind_key: bytes = BLIND_KEY) -> PersonalDataVault:
    return PersonalDataVault(MasterKeyRing.parse(ring_text), blind_key)


@pytest.fixture
def vault() -> PersonalDataVault:
    return _vault(_entry("k1", K1))


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


# --- round trip -------------------------------------------------------------------------


def test_a_sealed_record_opens_back_to_exactly_the_original_fields(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal(PERSONAL, context=CONTEXT)

    assert vault.open(record, context=CONTEXT) == PERSONAL
    assert record.key_id == "k1"
    assert set(record.fields) == set(PERSONAL)


def test_open_field_decrypts_only_the_requested_field(vault: PersonalDataVault) -> None:
    record = vault.seal(PERSONAL, context=CONTEXT)

    assert vault.open_field(record, "phone", context=CONTEXT) == "13812345678"


def test_open_field_for_a_field_the_record_does_not_have_raises_vault_error(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal({"phone": "13812345678"}, context=CONTEXT)

    with pytest.raises(VaultError, match="no field 'email'"):
        vault.open_field(record, "email", context=CONTEXT)


@given(fields=st.dictionaries(st.text(min_size=1).filter(lambda s: "|" not in s), st.text()))
def test_any_unicode_fields_survive_a_seal_and_open_round_trip(fields: dict[str, str]) -> None:
    vault = _vault(_entry("k1", K1))

    assert vault.open(vault.seal(fields, context=CONTEXT), context=CONTEXT) == fields


def test_every_stored_blob_is_nonce_then_ciphertext_and_tag(vault: PersonalDataVault) -> None:
    record = vault.seal({"phone": "13812345678"}, context=CONTEXT)

    assert len(record.fields["phone"]) == 12 + len("13812345678") + 16
    assert len(record.wrapped_data_key) == 12 + 32 + 16


# --- one data key per record --------------------------------------------------------------


def test_each_record_gets_its_own_data_key_so_equal_values_seal_differently(
    vault: PersonalDataVault,
) -> None:
    first = vault.seal({"phone": "13812345678"}, context=CONTEXT)
    second = vault.seal({"phone": "13812345678"}, context=CONTEXT)

    assert first.fields["phone"] != second.fields["phone"]
    assert first.wrapped_data_key != second.wrapped_data_key
    assert first.fields["phone"][12:] != second.fields["phone"][12:]


def test_a_field_from_one_record_cannot_be_opened_with_another_records_data_key(
    vault: PersonalDataVault,
) -> None:
    first = vault.seal({"phone": "13812345678"}, context=CONTEXT)
    second = vault.seal({"phone": "13900000000"}, context=CONTEXT)
    spliced = dataclasses.replace(second, fields={"phone": first.fields["phone"]})

    with pytest.raises(VaultError):
        vault.open(spliced, context=CONTEXT)


# --- context binding ------------------------------------------------------------------------


def test_a_record_cannot_be_opened_under_another_records_context(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal(PERSONAL, context="customer:123")

    with pytest.raises(VaultError, match="unwrap data key"):
        vault.open(record, context="customer:124")


def test_a_field_ciphertext_moved_to_another_column_fails_to_decrypt(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal(
        {"phone": "13812345678", "id_number": "110105194912310021"}, context=CONTEXT
    )
    swapped = dataclasses.replace(
        record, fields={"phone": record.fields["id_number"], "id_number": record.fields["phone"]}
    )

    with pytest.raises(VaultError, match="field 'phone'"):
        vault.open_field(swapped, "phone", context=CONTEXT)


def test_a_field_blob_bound_to_one_context_fails_even_with_a_valid_key_for_another() -> None:
    # Isolates the field AAD from the key-wrapping AAD: the data key is legitimately
    # re-wrapped for context B (as an attacker with wrapping access could), yet A's field
    # ciphertext must still refuse to open under B.
    vault = _vault(_entry("k1", K1))
    record = vault.seal({"phone": "13812345678"}, context="customer:A")
    data_key = vault._unwrap(record, "customer:A")
    rebound = dataclasses.replace(record, wrapped_data_key=vault._wrap(data_key, "customer:B"))

    with pytest.raises(VaultError, match="cannot decrypt field 'phone'"):
        vault.open(rebound, context="customer:B")


def test_an_empty_context_is_rejected_as_a_programming_error(vault: PersonalDataVault) -> None:
    with pytest.raises(ValueError, match="context"):
        vault.seal({"phone": "1"}, context="")


def test_field_names_containing_the_aad_separator_are_rejected(
    vault: PersonalDataVault,
) -> None:
    with pytest.raises(ValueError, match="field name"):
        vault.seal({"a|b": "x"}, context=CONTEXT)


# --- tampering ------------------------------------------------------------------------------


def test_flipping_any_single_byte_of_a_field_makes_opening_fail(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal({"phone": "13812345678"}, context=CONTEXT)
    blob = record.fields["phone"]

    for index in range(len(blob)):
        tampered = dataclasses.replace(record, fields={"phone": _flip(blob, index)})
        with pytest.raises(VaultError):
            vault.open(tampered, context=CONTEXT)


def test_flipping_any_single_byte_of_the_wrapped_data_key_makes_opening_fail(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal({"phone": "13812345678"}, context=CONTEXT)

    for index in range(len(record.wrapped_data_key)):
        tampered = dataclasses.replace(
            record, wrapped_data_key=_flip(record.wrapped_data_key, index)
        )
        with pytest.raises(VaultError):
            vault.open(tampered, context=CONTEXT)


@pytest.mark.parametrize("blob", [b"", b"\x00" * 11, b"\x00" * 27])
def test_truncated_field_blobs_fail_with_vault_error(vault: PersonalDataVault, blob: bytes) -> None:
    record = vault.seal({"phone": "13812345678"}, context=CONTEXT)

    with pytest.raises(VaultError):
        vault.open(dataclasses.replace(record, fields={"phone": blob}), context=CONTEXT)


def test_a_record_relabelled_with_another_key_id_fails_to_open() -> None:
    vault = _vault(f"{_entry('k2', K2)},{_entry('k1', K1)}")
    record = vault.seal({"phone": "13812345678"}, context=CONTEXT)

    with pytest.raises(VaultError, match="'k1'"):
        vault.open(dataclasses.replace(record, key_id="k1"), context=CONTEXT)


def test_the_key_id_is_authenticated_even_when_two_ids_share_key_bytes() -> None:
    # With identical key bytes only the key id in the wrapping AAD tells the ids apart.
    record = _vault(_entry("k1", K1)).seal({"phone": "13812345678"}, context=CONTEXT)

    with pytest.raises(VaultError):
        _vault(_entry("k2", K1)).open(dataclasses.replace(record, key_id="k2"), context=CONTEXT)


def test_every_ciphertext_uses_a_fresh_nonce(vault: PersonalDataVault) -> None:
    first = vault.seal(PERSONAL, context=CONTEXT)
    second = vault.seal(PERSONAL, context=CONTEXT)
    rewrapped = vault.rewrap(first, context=CONTEXT)
    blobs = [
        first.wrapped_data_key,
        second.wrapped_data_key,
        rewrapped.wrapped_data_key,
        *first.fields.values(),
        *second.fields.values(),
    ]

    nonces = [blob[:12] for blob in blobs]
    assert len(set(nonces)) == len(nonces)


def test_a_ring_holding_a_different_key_under_the_same_id_cannot_open_the_record() -> None:
    record = _vault(_entry("k1", K1)).seal({"phone": "13812345678"}, context=CONTEXT)

    with pytest.raises(VaultError):
        _vault(_entry("k1", K2)).open(record, context=CONTEXT)


# --- rotation ---------------------------------------------------------------------------------


def test_rotation_rewraps_to_the_new_key_so_the_old_key_can_be_retired() -> None:
    old_only = _vault(_entry("k1", K1))
    record = old_only.seal(PERSONAL, context=CONTEXT)

    rotated = _vault(f"{_entry('k2', K2)},{_entry('k1', K1)}").rewrap(record, context=CONTEXT)

    assert rotated.key_id == "k2"
    assert rotated.fields == record.fields
    assert rotated.wrapped_data_key != record.wrapped_data_key
    assert _vault(_entry("k2", K2)).open(rotated, context=CONTEXT) == PERSONAL
    with pytest.raises(VaultError, match="'k2'"):
        old_only.open(rotated, context=CONTEXT)


def test_a_ring_with_an_old_key_still_opens_records_sealed_before_rotation() -> None:
    record = _vault(_entry("k1", K1)).seal(PERSONAL, context=CONTEXT)

    both = _vault(f"{_entry('k2', K2)},{_entry('k1', K1)}")

    assert both.open(record, context=CONTEXT) == PERSONAL
    assert both.seal(PERSONAL, context=CONTEXT).key_id == "k2"


def test_rewrap_of_a_record_whose_key_id_is_unknown_names_that_key_id() -> None:
    record = _vault(_entry("k0", K1)).seal(PERSONAL, context=CONTEXT)

    with pytest.raises(VaultError, match="master key 'k0' is not in the key ring"):
        _vault(f"{_entry('k2', K2)},{_entry('k1', K1)}").rewrap(record, context=CONTEXT)


def test_rewrap_under_the_wrong_context_fails_instead_of_rebinding(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal(PERSONAL, context="customer:1")

    with pytest.raises(VaultError):
        vault.rewrap(record, context="customer:2")


# --- no leaks ------------------------------------------------------------------------------


def test_the_plaintext_never_appears_in_the_sealed_bytes_or_repr(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal(PERSONAL, context=CONTEXT)
    stored = b"".join([record.wrapped_data_key, *record.fields.values()])

    for value in PERSONAL.values():
        assert value.encode("utf-8") not in stored
        assert value not in repr(record)


def test_vault_errors_never_contain_the_plaintext_or_key_material(
    vault: PersonalDataVault,
) -> None:
    record = vault.seal(PERSONAL, context=CONTEXT)

    with pytest.raises(VaultError) as caught:
        vault.open(
            dataclasses.replace(record, fields={"phone": record.fields["name"]}), context=CONTEXT
        )

    message = str(caught.value)
    for secret in [*PERSONAL.values(), K1.hex(), _entry("k1", K1).split(":")[1]]:
        assert secret not in message
    assert caught.value.__cause__ is None


def test_the_key_ring_and_vault_repr_show_key_ids_but_no_key_material() -> None:
    text = f"{_entry('k2', K2)},{_entry('k1', K1)}"
    ring = MasterKeyRing.parse(text)
    vault = PersonalDataVault(ring, BLIND_KEY)

    for shown in (repr(ring), repr(vault)):
        assert "k2" in shown and "k1" in shown
        for secret in (_entry("k2", K2).split(":")[1], K1.hex(), repr(K1), repr(BLIND_KEY)):
            assert secret not in shown


# --- blind index -----------------------------------------------------------------------------


def test_blind_index_is_deterministic_keyed_sha256_hex(vault: PersonalDataVault) -> None:
    first = vault.blind_index("id_number", "110105194912310021")

    assert first == vault.blind_index("id_number", "110105194912310021")
    assert len(first) == 64 and int(first, 16) >= 0
    assert first != vault.blind_index("id_number", "110105194912310022")


def test_blind_index_ignores_case_and_surrounding_whitespace(vault: PersonalDataVault) -> None:
    assert vault.blind_index("id_number", " 11010519491231002x\n") == vault.blind_index(
        "id_number", "11010519491231002X"
    )


@pytest.mark.parametrize(
    ("kind", "typed", "canonical"),
    [
        ("phone", "138-1234 5678", "13812345678"),
        (
            "phone",
            "\uff11\uff13\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
            "13812345678",
        ),
        ("bank_account", "6222 0212 3456 7890 123", "6222021234567890123"),
        ("bank_account", "6222-0212-3456-7890-123", "6222021234567890123"),
    ],
)
def test_blind_index_ignores_spaces_and_hyphens_in_phones_and_bank_accounts(
    vault: PersonalDataVault, kind: str, typed: str, canonical: str
) -> None:
    assert vault.blind_index(kind, typed) == vault.blind_index(kind, canonical)


def test_blind_index_keeps_inner_spaces_for_other_kinds(vault: PersonalDataVault) -> None:
    assert vault.blind_index("name", "Li Ming") != vault.blind_index("name", "LiMing")


def test_blind_index_depends_on_the_key(vault: PersonalDataVault) -> None:
    other = _vault(_entry("k1", K1), blind_key=b"c" * 32)

    assert vault.blind_index("phone", "13812345678") != other.blind_index("phone", "13812345678")


def test_blind_index_does_not_depend_on_the_master_keys(vault: PersonalDataVault) -> None:
    other = _vault(_entry("k9", K2))

    assert vault.blind_index("phone", "13812345678") == other.blind_index("phone", "13812345678")


def test_blind_index_of_the_same_value_differs_between_kinds(vault: PersonalDataVault) -> None:
    assert vault.blind_index("phone", "6222021234567890123") != vault.blind_index(
        "bank_account", "6222021234567890123"
    )


def test_blind_index_of_an_empty_value_is_rejected(vault: PersonalDataVault) -> None:
    with pytest.raises(ValueError, match="empty"):
        vault.blind_index("phone", " - ")


@pytest.mark.parametrize("kind", ["", "a\x00b"])
def test_blind_index_rejects_ambiguous_kinds(vault: PersonalDataVault, kind: str) -> None:
    with pytest.raises(ValueError, match="kind"):
        vault.blind_index(kind, "x")


def test_a_blind_index_key_shorter_than_32_bytes_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes, got 31"):
        PersonalDataVault(MasterKeyRing.parse(_entry("k1", K1)), b"x" * 31)


# --- key ring parsing -------------------------------------------------------------------------


def test_the_first_key_in_the_ring_is_active_and_all_ids_are_kept() -> None:
    ring = MasterKeyRing.parse(f" {_entry('k2', K2)} , {_entry('k1', K1)} ")

    assert ring.active_key_id == "k2"
    assert ring.key_ids == ("k2", "k1")
    assert "k1" in ring and "k3" not in ring


def test_padded_and_unpadded_base64url_keys_are_both_accepted() -> None:
    padded = f"k1:{base64.urlsafe_b64encode(K1).decode()}"

    assert MasterKeyRing.parse(padded).key_ids == MasterKeyRing.parse(_entry("k1", K1)).key_ids


def test_generate_returns_a_parseable_ring_with_a_fresh_random_key() -> None:
    first, second = MasterKeyRing.generate("demo"), MasterKeyRing.generate("demo")

    assert first != second
    assert MasterKeyRing.parse(first).active_key_id == "demo"
    record = PersonalDataVault(MasterKeyRing.parse(first), BLIND_KEY).seal(
        {"phone": "1"}, context=CONTEXT
    )
    with pytest.raises(VaultError):
        PersonalDataVault(MasterKeyRing.parse(second), BLIND_KEY).open(record, context=CONTEXT)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "key ring is empty"),
        ("   ", "key ring is empty"),
        ("k1", "entry 1 is malformed"),
        (f"{_entry('k1', K1)},", "entry 2 is malformed"),
        (f"{_entry('k1', K1)},,{_entry('k2', K2)}", "entry 2 is malformed"),
        ("k1:", "entry 1 is malformed"),
        (f":{_entry('k1', K1).split(':')[1]}", "entry 1 is malformed"),
        ("k1:not*base64!", "'k1' is not valid base64url"),
        ("k1:abcde", "'k1' is not valid base64url"),
        (_entry("k1", b"short key"), "'k1' must be 32 bytes, got 9"),
        (_entry("k1", K1 + b"x"), "'k1' must be 32 bytes, got 33"),
        (f"{_entry('k1', K1)},{_entry('k1', K2)}", "duplicate master key id 'k1'"),
        (_entry("k 1", K1), "invalid master key id 'k 1'"),
        (_entry("k|1", K1), "invalid master key id 'k|1'"),
    ],
)
def test_malformed_key_ring_strings_are_rejected_with_a_clear_message(
    text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        MasterKeyRing.parse(text)


def test_key_ring_errors_do_not_echo_the_key_text() -> None:
    secret = base64.urlsafe_b64encode(b"0123456789abcdef").decode()

    with pytest.raises(ValueError) as caught:
        MasterKeyRing.parse(f"k1:{secret}")

    assert secret.rstrip("=") not in str(caught.value)


def test_a_key_ring_built_directly_validates_like_parse() -> None:
    with pytest.raises(ValueError, match="empty"):
        MasterKeyRing([])
    with pytest.raises(ValueError, match="must be 32 bytes"):
        MasterKeyRing([("k1", b"x" * 16)])


def test_sealed_records_are_immutable(vault: PersonalDataVault) -> None:
    record = vault.seal({"phone": "1"}, context=CONTEXT)

    with pytest.raises(dataclasses.FrozenInstanceError):
        record.key_id = "k9"  # type: ignore[misc, unused-ignore]
    assert isinstance(record, SealedRecord)
