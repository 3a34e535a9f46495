"""The application form of the web UI and the JSON body the application service reads.

Every input is named after the JSON path of the field it fills (``applicants[0].id_number``,
``vehicle.vin``, ``down_payment``), so an :class:`~autolend.domain.errors.InvalidInput`
naming a path lands next to the input of that name. The form has three applicant slots:
the borrower (slot 0), an optional co-borrower (1) and an optional guarantor (2); a slot
left empty is not sent, and the paths of the slots sent are mapped back to the form's.

Example: a borrower and a guarantor (co-borrower left empty) give ``applicants`` of two
items; an error on ``applicants[1].mobile`` is shown on the form's ``applicants[2].mobile``.

The form asks under one regulation pack (:func:`form_pack`): the chosen product's, else the
lender's jurisdiction's. Under CN a resident ID and a mainland mobile, amounts in yuan;
under US an SSN or ITIN, a date of birth (``applicants[i].birth_date``, sent only when
typed) and a US phone, amounts in dollars: the pack's ``form_look``. Its terms are the
pack's (:func:`form_terms`): up to 60 months under CN, 84 under US. Its consents are the
bureau query and the pack's filing consents (:func:`form_consents`; US: no PIPL separate
consent), and a US address is asked in parts (``applicants[i].street``, ``.city``,
``.state``, ``.zip``) and sent as the one ``address`` line (:func:`application_body`).

>>> body, slots = application_body({"applicants[0].name": "张伟", "applicants[2].name": "李娜",
...     "term_months": "36", "consent.bureau_query": "on"}, channel="dealer")
>>> [a["role"] for a in body["applicants"]], body["term_months"], slots
(['borrower', 'guarantor'], 36, (0, 2))
>>> form_path("applicants[1].mobile", slots), body["consents"]
('applicants[2].mobile', [{'kind': 'bureau_query', 'text_version': 'v1'}])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any

from autolend.domain.access import Actor, Role
from autolend.domain.address_us import ADDRESS_PARTS, US_STATES, us_address
from autolend.domain.errors import InvalidInput
from autolend.domain.field_errors import gather
from autolend.domain.products import Product
from autolend.domain.quote_input import comparison_terms
from autolend.domain.regulation import CN_PACK, RegulationPack, known_pack
from autolend.services.customers import CustomerService

__all__ = [
    "CONSENT_KINDS", "CONSENT_VERSION", "EMPLOYMENTS", "PARTY_SLOTS", "TERMS",
    "application_body", "as_written", "channel_for", "form_amount", "form_consents",
    "form_pack", "form_path", "form_terms", "own_details", "state_choices", "unfolded_slots",
]  # fmt: skip

PARTY_SLOTS = ("borrower", "co_borrower", "guarantor")
PARTY_TEXT = ("name", "id_number", "mobile", "address", "employment", "monthly_income",
              "monthly_obligations", "income_stability_months", "email")  # fmt: skip
PARTY_FLAGS = ("income_documented", "first_time_buyer")
VEHICLE_TEXT = ("vin", "make", "model", "energy", "condition", "price", "reference_price")
EMPLOYMENTS = ("salaried", "self_employed", "farmer", "retired")
TERMS = (12, 18, 24, 36, 48, 60)
CONSENT_KINDS = ("bureau_query", "data_processing", "sensitive_data")
CONSENT_VERSION = "v1"
_SLOT_PATH = re.compile(r"^applicants\[(\d+)\]")
_IDENTIFYING = ("name", "id_number", "mobile")
MAX_WHOLE = 2**63 - 1  # the largest id a database integer holds (the API's bound)
_PARTY_AMOUNTS = ("monthly_income", "monthly_obligations")
_VEHICLE_AMOUNTS = ("price", "reference_price")
# Commas between groups of three digits, as people type amounts ("34,000.00"); the API
# takes plain decimals only, so the form drops them (and only well-formed ones).
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def form_pack(
    products: Sequence[Product], product_code: str | None, jurisdiction: str
) -> RegulationPack:
    """The pack the form asks under: the chosen product's (products of both packs may be
    listed), else the lender's jurisdiction's; CN for a code no pack has.

    >>> form_pack([], None, "US").code, form_pack([], "US_NEW", "CN").code
    ('US', 'CN')
    """
    chosen = next((p.pack for p in products if p.code == product_code), jurisdiction)
    return known_pack(chosen) or CN_PACK


def form_terms(
    pack: RegulationPack, products: Sequence[Product], product_code: str | None, day: date
) -> tuple[int, ...]:
    """The terms (months) the form offers under ``pack`` on ``day``: the chosen product's
    own (a form shown again with USED_CAR chosen offers 12, 24 and 36 months, not 48 and
    60 it would refuse), else the usual ones (:data:`TERMS`) and the pack's whole years
    (:func:`comparison_terms`); none above the longest term the pack allows that day.
    (The page's script offers each product's own when another is chosen.)

    >>> from autolend.domain.regulation import US_PACK
    >>> from autolend.domain.product_catalogue import USED_CAR
    >>> form_terms(CN_PACK, [], None, date(2026, 11, 28))
    (12, 18, 24, 36, 48, 60)
    >>> form_terms(US_PACK, [], None, date(2026, 11, 28))
    (12, 18, 24, 36, 48, 60, 72, 84)
    >>> form_terms(CN_PACK, [USED_CAR], "USED_CAR", date(2026, 11, 28))
    (12, 24, 36)
    """
    limits = pack.term_limits_on(day)
    longest = max(limits.new_car_months, limits.used_car_months)
    chosen = next((p.terms for p in products if p.code == product_code), ())
    found = set(chosen) or {*TERMS, *comparison_terms(pack, day)}
    return tuple(sorted(t for t in found if t <= longest))


def form_consents(pack: RegulationPack) -> tuple[str, ...]:
    """The consent boxes the form shows under ``pack``: the bureau query (optional, as
    ever) and the pack's filing consents, in the order :data:`CONSENT_KINDS` lists them.

    >>> from autolend.domain.regulation import US_PACK
    >>> form_consents(CN_PACK), form_consents(US_PACK)
    (('bureau_query', 'data_processing', 'sensitive_data'), ('bureau_query', 'data_processing'))
    """
    shown = {"bureau_query", *pack.filing_consents}
    return tuple(kind for kind in CONSENT_KINDS if kind in shown)


def state_choices(locale: str) -> list[tuple[str, str]]:
    """The US form's state menu: each state's code and its name in the page's language.

    >>> state_choices("en")[13], state_choices("zh_CN")[13], len(state_choices("en"))
    (('IL', 'Illinois (IL)'), ('IL', '伊利诺伊州（IL）'), 51)
    """
    if locale.startswith("zh"):
        return [(code, f"{zh}（{code}）") for code, _en, zh in US_STATES]
    return [(code, f"{en} ({code})") for code, en, _zh in US_STATES]


def _text(fields: Mapping[str, str], name: str) -> str | None:
    value = fields.get(name, "").strip()
    return value or None


def form_amount(text: str | None, path: str) -> str | None:
    """An amount as typed, less its digit-group commas when they group digits in threes
    (people type ``34,000.00``; the API reads ``34000.00``); misplaced ones (``3,40.00``,
    ``1.234,56``) are refused naming the field. Anything else goes as typed, for the
    service to name (a space, say).

    >>> form_amount("34,000.00", "vehicle.price"), form_amount("1,234", "amount")
    ('34000.00', '1234')
    >>> form_amount("3,40.00", "amount")
    Traceback (most recent call last):
    ...
    autolend.domain.errors.InvalidInput: amount '3,40.00' has misplaced digit-group separators
    """
    if text is None or "," not in text:
        return text
    if _GROUPED.fullmatch(text):
        return text.replace(",", "")
    raise InvalidInput(f"{path} {text!r} has misplaced digit-group separators", field=path)


def _whole(text: str | None) -> int | str | None:
    """A whole number up to ``MAX_WHOLE`` stays a number; anything else goes as typed, for
    the service to name (a dealer id of 10**23 is refused, not looked up: no database
    integer holds it).

    >>> _whole("36"), _whole("36x"), _whole("9" * 23)
    (36, '36x', '99999999999999999999999')
    """
    if text is None or not (text.isascii() and text.isdigit()) or int(text) > MAX_WHOLE:
        return text
    return int(text)


def _typed(fields: Mapping[str, str], slot: int) -> bool:
    """Whether anything identifying was typed into a slot (else an optional one is empty)."""
    return any(_text(fields, f"applicants[{slot}].{name}") for name in _IDENTIFYING)


def unfolded_slots(fields: Mapping[str, str], error_field: str | None) -> frozenset[int]:
    """The optional slots the form shows open: typed into, or holding the error.

    >>> sorted(unfolded_slots({"applicants[2].name": "李娜"}, "applicants[1].mobile"))
    [1, 2]
    """
    match = _SLOT_PATH.match(error_field or "")
    erring = {int(match.group(1))} if match else set()
    return frozenset(s for s in range(1, len(PARTY_SLOTS)) if _typed(fields, s) or s in erring)


def channel_for(actor: Actor, fields: Mapping[str, str]) -> str:
    """A dealer files through the dealer channel, a borrower for themselves; other staff
    choose."""
    if Role.DEALER in actor.roles:
        return "dealer"
    if actor.self_service:
        return "borrower"
    return "dealer" if fields.get("channel") == "dealer" else "borrower"


def as_written(id_number: str, phone: str, scheme: str) -> tuple[str, str]:
    """A stored ID and phone as the form asks for them: a US SSN or ITIN (9 digits) and
    phone (E.164) as people write them, as the customers page shows them; a CN one, or
    anything else, as stored. The service reads either form the same.

    >>> as_written("987654324", "+16145550142", "taxpayer_id")
    ('987-65-4324', '(614) 555-0142')
    >>> as_written("11010519491231002X", "13800138000", "resident_id")
    ('11010519491231002X', '13800138000')
    """
    if scheme != "taxpayer_id":
        return id_number, phone
    if len(id_number) == 9 and id_number.isdigit():
        id_number = f"{id_number[:3]}-{id_number[3:5]}-{id_number[5:]}"
    if len(phone) == 12 and phone.startswith("+1") and phone[2:].isdigit():
        phone = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
    return id_number, phone


def own_details(
    actor: Actor, customers: CustomerService, typed: Mapping[str, str]
) -> tuple[dict[str, str], bool]:
    """The form's values, and whether they start from a borrower's details on file: then
    their name and ID as on file (read-only), their mobile and income unless typed
    otherwise (a US SSN and phone as written: :func:`as_written`). Staff, and a borrower
    without details yet, get what was typed."""
    mine = customers.list(actor, limit=1) if actor.self_service else []
    if not mine:
        return dict(typed), False
    profile = mine[0]
    id_number, phone = as_written(profile.id_number, profile.phone, profile.identity_scheme)
    details = {"applicants[0].name": profile.name, "applicants[0].id_number": id_number,
               "applicants[0].mobile": phone}  # fmt: skip
    if profile.monthly_income:
        details["applicants[0].monthly_income"] = profile.monthly_income
    fixed = {name: details[name] for name in ("applicants[0].name", "applicants[0].id_number")}
    return details | dict(typed) | fixed, True


def _party(fields: Mapping[str, str], slot: int) -> dict[str, Any] | None:
    prefix = f"applicants[{slot}]."
    party: dict[str, Any] = {"role": PARTY_SLOTS[slot]}
    for name in PARTY_TEXT:
        party[name] = _text(fields, prefix + name)
    for name in _PARTY_AMOUNTS:
        party[name] = form_amount(party[name], prefix + name)
    for name in PARTY_FLAGS:
        party[name] = prefix + name in fields
    typed = _typed(fields, slot)
    if slot > 0 and not typed:
        return None  # an optional slot left empty
    if party["employment"] is None:
        party["employment"] = "salaried" if slot == 0 else None
    born = _text(fields, prefix + "birth_date")
    if born is not None:  # only the US form asks: a CN resident ID carries the date
        party["birth_date"] = born
    return party


def _slot_address(fields: Mapping[str, str], slot: int) -> str:
    prefix = f"applicants[{slot}]"
    return us_address({part: _text(fields, f"{prefix}.{part}") for part in ADDRESS_PARTS}, prefix)


def _us_addresses(fields: Mapping[str, str], sent: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Each sent party's ``address`` written from the US form's street, city, state and
    ZIP (:func:`us_address`); one refusal names every wrong part of every slot."""
    lines = gather({str(slot): partial(_slot_address, fields, slot) for slot, _party in sent})
    for slot, party in sent:
        party["address"] = lines[str(slot)]


def application_body(
    fields: Mapping[str, str], *, channel: str, dealer_id: int | None = None,
    postal_address: str = "one_line",
) -> tuple[dict[str, Any], tuple[int, ...]]:  # fmt: skip
    """The JSON body of the form, and which form slot each ``applicants`` item came from;
    amounts typed with digit-group commas are read without them (:func:`form_amount`).
    ``postal_address`` is the pack's (``FormLook``): ``us`` writes each address from its
    parts, refusing a wrong part by the form's own path (``applicants[2].zip``).

    >>> fields = {"applicants[0].name": "John Smith", "applicants[0].street": "1 Main St",
    ...     "applicants[0].city": "Columbus", "applicants[0].state": "OH",
    ...     "applicants[0].zip": "43215"}
    >>> application_body(fields, channel="dealer", postal_address="us")[0]["applicants"][0][
    ...     "address"]
    '1 Main St, Columbus, OH 43215'
    """
    parties = [(slot, _party(fields, slot)) for slot in range(len(PARTY_SLOTS))]
    sent = [(slot, party) for slot, party in parties if party is not None]
    if postal_address == "us":
        _us_addresses(fields, sent)
    vehicle: dict[str, Any] = {name: _text(fields, f"vehicle.{name}") for name in VEHICLE_TEXT}
    for name in _VEHICLE_AMOUNTS:
        vehicle[name] = form_amount(vehicle[name], f"vehicle.{name}")
    vehicle["dealer_id"] = (
        dealer_id if dealer_id is not None else _whole(_text(fields, "vehicle.dealer_id"))
    )
    body: dict[str, Any] = {
        "channel": channel,
        "product_code": _text(fields, "product_code"),
        "term_months": _whole(_text(fields, "term_months")),
        "down_payment": form_amount(_text(fields, "down_payment"), "down_payment"),
        "amount": form_amount(_text(fields, "amount"), "amount"),
        "applicants": [party for _slot, party in sent],
        "vehicle": vehicle,
        "consents": [
            {"kind": kind, "text_version": CONSENT_VERSION}
            for kind in CONSENT_KINDS
            if f"consent.{kind}" in fields
        ],
    }
    return body, tuple(slot for slot, _party in sent)


def form_path(path: str | None, slots: Sequence[int]) -> str:
    """The form input an error path names (``applicants[k]`` of the body -> its slot)."""
    if not path:
        return "form"
    match = _SLOT_PATH.match(path)
    if match is None:
        return path
    index = int(match.group(1))
    slot = slots[index] if index < len(slots) else index
    return f"applicants[{slot}]" + path[match.end() :]
