"""A car-loan application (贷款申请) as the borrower or a dealer submits it.

:func:`parse_application` turns the JSON body of ``POST /api/v1/applications`` into an
:class:`ApplicationInput`, or raises :class:`~autolend.domain.errors.InvalidInput` whose
``field`` is the JSON path of the first problem (``applicants[0].id_number``,
``vehicle.vin``, ``down_payment``, ``consents[1].kind`` ...) and whose ``others`` name
every further wrong field, so that a form is marked in one go
(:mod:`autolend.domain.field_errors`). Unknown keys are ignored. The shapes it builds are
in :mod:`autolend.domain.application_model`.

Rules of input (the product's caps are decision rules, not input rules):

* one borrower, at most one co-borrower and at most two guarantors (``applicants``);
* under the CN pack a resident ID with a valid check character and a real, past birth
  date, and an 11-digit mobile; under the US pack an SSN or ITIN (stored as its 9
  digits), a ``birth_date`` (YYYY-MM-DD, in the past) and a US phone (stored as
  E.164, e.g. ``+16145550100``): :mod:`autolend.domain.identity_us`;
* amounts as decimal strings with at most 2 decimals, never negative, in the currency
  of the product's pack;
* the down payment below the price, and amount + down payment not above the price;
* a term of 1 to 120 months; a VIN, when given, with its check digit;
* ``income_stability_months``, when given, a whole number of months no longer than the
  months since the applicant turned 16;
* in a new application, every string typed text only: no control characters
  (:mod:`autolend.domain.text_input`; a NUL in a name was stored).

A *new* application must also pass :func:`check_new_application` (one person one party;
the pack's filing consents given: CN data processing and sensitive data, US data
processing). :func:`parse_application` alone re-reads stored applications, which are not
re-judged by rules added after their filing.

The amount financed is the requested ``amount`` or, without one, price - down payment:
a 200,000.00 car with 30,000.00 down finances 170,000.00.

>>> from datetime import date
>>> body = {"channel": "dealer", "product_code": "STD_NEW", "term_months": 36,
...     "down_payment": "30000.00", "applicants": [{"role": "borrower", "name": "张三",
...     "id_number": "11010519491231002X", "mobile": "13800138000", "address": "北京",
...     "employment": "salaried", "monthly_income": "20000.00"}],
...     "vehicle": {"make": "BYD", "model": "Seal", "energy": "nev", "condition": "new",
...     "price": "200000.00"}, "consents": [{"kind": "bureau_query", "text_version": "v1"}]}
>>> application = parse_application(body, as_of=date(2026, 11, 28))
>>> application.financed.to_api(), application.borrower.birth_date.isoformat()
('170000.00', '1949-12-31')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any

from autolend.domain.application_model import (
    ApplicationInput,
    Channel,
    ConsentGiven,
    Party,
    PartyRole,
    Vehicle,
)
from autolend.domain.application_parts import (
    DocumentKind,
    check_document,
    choice,
    flag,
    money_field,
    months_since_working_age,
    optional_email,
    optional_months,
    price_field,
    text_field,
)
from autolend.domain.consent import ConsentKind, missing_filing_consents
from autolend.domain.errors import InvalidInput
from autolend.domain.field_errors import combined, gather
from autolend.domain.identity import (
    birth_date_of_resident_id,
    uses_taxpayer_id,
    validate_person_id,
    validate_phone,
)
from autolend.domain.identity_us import validate_birth_date
from autolend.domain.money import Money
from autolend.domain.products import Employment, Energy, VehicleCondition
from autolend.domain.regulation import RegulationPack, pack_for
from autolend.domain.regulation.packs import pack_code_for_currency
from autolend.domain.text_input import text_errors
from autolend.domain.vin import validate_vin

__all__ = [
    "MAX_CO_BORROWERS", "MAX_GUARANTORS", "MAX_TERM_MONTHS", "ApplicationInput", "Channel",
    "ConsentGiven", "DocumentKind", "Party", "PartyRole", "Vehicle", "check_document",
    "check_new_application", "parse_application", "parse_new_application",
]  # fmt: skip

MAX_TERM_MONTHS = 120
MAX_CO_BORROWERS = 1
MAX_GUARANTORS = 2
_ANY_MONTHS = 12 * 120  # income_stability_months' bound where no birth date is known


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{path} must be an object", field=path)
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput(f"{path} must be a list", field=path)
    return value


def _identity(data: Mapping[str, Any], path: str, as_of: date, pack: str) -> tuple[str, date]:
    """The party's ID, normalised, and birth date: from a CN resident ID, else (US) the
    SSN or ITIN and the ``birth_date`` given beside it."""
    id_number = data.get("id_number")
    if not isinstance(id_number, str):
        raise InvalidInput("id_number is required", field=f"{path}.id_number")
    field = f"{path}.id_number"
    normalised = validate_person_id(id_number, pack=pack, as_of=as_of, field=field)
    if uses_taxpayer_id(pack):
        born = validate_birth_date(data.get("birth_date"), as_of=as_of,
                                   field=f"{path}.birth_date")  # fmt: skip
        return normalised, born
    return normalised, birth_date_of_resident_id(normalised)


def _mobile(data: Mapping[str, Any], path: str, pack: str) -> str:
    mobile = data.get("mobile")
    if not isinstance(mobile, str):
        raise InvalidInput("mobile is required", field=f"{path}.mobile")
    return validate_phone(mobile, pack=pack, field=f"{path}.mobile")


def _party(data: Mapping[str, Any], path: str, as_of: date, currency: str, pack: str) -> Party:
    """One applicant, every wrong field reported at once (:func:`gather`)."""
    born: list[date] = []  # the birth date, once the ID (or US birth_date) gives it

    def identity() -> tuple[str, date]:
        found = _identity(data, path, as_of, pack)
        born.append(found[1])
        return found

    def stability() -> int | None:  # without a birth date, checked for its form alone
        most = months_since_working_age(born[0], as_of) if born else _ANY_MONTHS
        return optional_months(data, "income_stability_months",
                               f"{path}.income_stability_months", at_most=most)  # fmt: skip

    def money(key: str) -> Callable[[], Money | None]:
        return lambda: money_field(data, key, f"{path}.{key}", currency, required=False)

    v = gather({
        "identity": identity, "mobile": lambda: _mobile(data, path, pack),
        "monthly_obligations": money("monthly_obligations"),
        "role": lambda: choice(data.get("role"), PartyRole, f"{path}.role"),
        "name": lambda: text_field(data, "name", f"{path}.name", max_length=100),
        "address": lambda: text_field(data, "address", f"{path}.address"),
        "employment": lambda: choice(data.get("employment"), Employment, f"{path}.employment"),
        "monthly_income": money("monthly_income"),
        "income_documented": lambda: flag(data, "income_documented", f"{path}.income_documented"),
        "first_time_buyer": lambda: flag(data, "first_time_buyer", f"{path}.first_time_buyer"),
        "email": lambda: optional_email(data, "email", f"{path}.email"),
        "income_stability_months": stability,
    })  # fmt: skip
    id_number, birth_date = v.pop("identity")
    v["monthly_obligations"] = v["monthly_obligations"] or Money.parse("0", currency)
    return Party(id_number=id_number, birth_date=birth_date, **v)


def _check_roles(parties: tuple[Party, ...]) -> None:
    counts = {role: sum(1 for p in parties if p.role is role) for role in PartyRole}
    if counts[PartyRole.BORROWER] != 1:
        raise InvalidInput("an application has exactly one borrower", field="applicants")
    if counts[PartyRole.CO_BORROWER] > MAX_CO_BORROWERS:
        raise InvalidInput("an application has at most one co-borrower", field="applicants")
    if counts[PartyRole.GUARANTOR] > MAX_GUARANTORS:
        raise InvalidInput("an application has at most two guarantors", field="applicants")


def _check_distinct_people(parties: tuple[Party, ...]) -> None:
    """One person is one party: the second mention of a resident ID is refused, naming it.

    Else a borrower named again as co-borrower counts their income twice (6,000.00 alone
    is declined for DSR; the same ID again with 20,000.00 was approved)."""
    seen: set[str] = set()
    for index, party in enumerate(parties):
        if party.id_number in seen:
            raise InvalidInput(
                "the same person cannot be two parties of one application",
                field=f"applicants[{index}].id_number",
                message_zh="同一人不能在同一申请中担任两个角色",
            )
        seen.add(party.id_number)


def _check_filing_consents(consents: tuple[ConsentGiven, ...], pack: RegulationPack) -> None:
    """The pack's filing consents are among ``consents`` (422 on ``consents`` naming the
    missing ones in words: :func:`~autolend.domain.consent.missing_filing_consents`)."""
    missing_filing_consents((c.kind for c in consents), pack)


def check_new_application(data: ApplicationInput) -> None:
    """The rules a new application passes on top of :func:`parse_application`: each
    person is one party only (422 naming the second mention's ``applicants[i].id_number``)
    and ``consents`` holds the pack's filing consents (:func:`filing_consents`: CN
    ``data_processing`` and ``sensitive_data``, PIPL Art. 13, 29; US ``data_processing``,
    the GLBA privacy notice; the bureau-query consent stays optional: without it the case
    is referred).

    >>> from datetime import date
    >>> body = {"channel": "dealer", "product_code": "STD_NEW", "term_months": 36,
    ...     "down_payment": "30000.00", "applicants": [{"role": "borrower", "name": "张三",
    ...     "id_number": "11010519491231002X", "mobile": "13800138000", "address": "北京",
    ...     "employment": "salaried"}], "vehicle": {"make": "BYD", "model": "Seal",
    ...     "energy": "nev", "condition": "new", "price": "200000.00"},
    ...     "consents": [{"kind": "data_processing", "text_version": "v1"}]}
    >>> try:
    ...     check_new_application(parse_application(body, as_of=date(2026, 11, 28)))
    ... except InvalidInput as error:
    ...     print(error.field, error.message.split("(")[-1])
    consents missing: separate consent to the processing of sensitive data)
    """
    _check_distinct_people(data.parties)
    _check_filing_consents(data.consents, pack_for(data.pack))


def _dealer_id(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
        # above a database row id's range: it was a 500 (bigint out of range)
        raise InvalidInput("dealer_id must be a positive whole number", field="vehicle.dealer_id")
    return value


def _vehicle(data: Mapping[str, Any], currency: str) -> Vehicle:
    """The car, every wrong field reported at once (:func:`gather`)."""
    vin = data.get("vin")
    return Vehicle(**gather({
        "price": lambda: price_field(data, "price", currency),
        "vin": lambda: None if vin in (None, "") else validate_vin(vin, field="vehicle.vin"),
        "make": lambda: text_field(data, "make", "vehicle.make", max_length=60),
        "model": lambda: text_field(data, "model", "vehicle.model", max_length=60),
        "energy": lambda: choice(data.get("energy"), Energy, "vehicle.energy"),
        "condition": lambda: choice(data.get("condition"), VehicleCondition, "vehicle.condition"),
        "reference_price": lambda: price_field(data, "reference_price", currency, required=False),
        "dealer_id": lambda: _dealer_id(data.get("dealer_id")),
    }))  # fmt: skip


def _consent(data: object, path: str) -> ConsentGiven:
    item = _mapping(data, path)
    return ConsentGiven(
        kind=choice(item.get("kind"), ConsentKind, f"{path}.kind"),
        text_version=text_field(item, "text_version", f"{path}.text_version", max_length=32),
    )


def _term(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("term_months must be a whole number of months", field="term_months",
                           message_zh="期限须为整数个月")  # fmt: skip
    if not 1 <= value <= MAX_TERM_MONTHS:
        raise InvalidInput(f"term_months must be from 1 to {MAX_TERM_MONTHS}", field="term_months")
    return value


def _amounts(
    data: Mapping[str, Any], price: Money | None, currency: str
) -> tuple[Money, Money | None]:
    """The down payment and the amount asked for; against the price where it is known
    (without one, from a wrong vehicle, checked for their form alone)."""
    down = money_field(data, "down_payment", "down_payment", currency)
    assert down is not None  # required
    if price is not None and down >= price:
        raise InvalidInput("the down payment must be below the price", field="down_payment")
    amount = money_field(data, "amount", "amount", currency, required=False)
    if price is None:
        return down, amount
    if amount is not None and (amount.minor <= 0 or amount + down > price):
        raise InvalidInput("amount must be above 0, and amount + down payment not above the "
                           "price", field="amount")  # fmt: skip
    return down, amount


def _pack_and_currency(pack: str | None, currency: str | None) -> tuple[str, str]:
    """Either one gives the other (CN CNY, US USD); neither is CN."""
    code = pack or (pack_code_for_currency(currency) if currency else None) or "CN"
    return code, currency or pack_for(code).currency


def parse_application(
    data: Mapping[str, Any], *, as_of: date, currency: str | None = None, pack: str | None = None
) -> ApplicationInput:
    """Validate the JSON body of an application; see the module docstring. ``pack`` (the
    product's: CN, US) chooses the identity rules and ``currency`` the amounts' currency;
    one given alone gives the other (a stored USD application is re-read under US)."""
    pack, currency = _pack_and_currency(pack, currency)
    body = _mapping(data, "body")
    vehicle: list[Vehicle] = []  # the car, once its fields are right: the amounts need it

    def parties() -> tuple[Party, ...]:
        applicants = _list(body.get("applicants"), "applicants")
        found = gather({f"applicants[{i}]": partial(_party_at, item, f"applicants[{i}]",
                                                    as_of, currency, pack)
                        for i, item in enumerate(applicants)})  # fmt: skip
        _check_roles(tuple(found.values()))
        return tuple(found.values())

    def car() -> Vehicle:
        vehicle.append(_vehicle(_mapping(body.get("vehicle"), "vehicle"), currency))
        return vehicle[0]

    def price() -> Money | None:
        return vehicle[0].price if vehicle else _price_alone(body, currency)

    v = gather({
        "parties": parties, "vehicle": car,
        "amounts": lambda: _amounts(body, price(), currency),
        "channel": lambda: choice(body.get("channel"), Channel, "channel"),
        "product_code": lambda: text_field(body, "product_code", "product_code", max_length=32),
        "term_months": lambda: _term(body.get("term_months")),
        "consents": lambda: _consents(body),
    })  # fmt: skip
    v["down_payment"], v["amount"] = v.pop("amounts")
    return ApplicationInput(**v, pack=pack)


def _party_at(item: object, path: str, as_of: date, currency: str, pack: str) -> Party:
    return _party(_mapping(item, path), path, as_of, currency, pack)


def _consents(body: Mapping[str, Any]) -> tuple[ConsentGiven, ...]:
    items = _list(body.get("consents", []), "consents")
    return tuple(_consent(item, f"consents[{i}]") for i, item in enumerate(items))


def _price_alone(body: Mapping[str, Any], currency: str) -> Money | None:
    """The car's price when another of the vehicle's fields is wrong (its VIN, say), so
    that a down payment above it is told in the same round; None when the price itself
    is wrong (the vehicle's own error says so)."""
    try:
        return price_field(_mapping(body.get("vehicle"), "vehicle"), "price", currency)
    except InvalidInput:
        return None


def parse_new_application(
    data: Mapping[str, Any], *, as_of: date, currency: str | None = None, pack: str | None = None
) -> ApplicationInput:
    """:func:`parse_application`, then :func:`check_new_application`; a body with wrong
    fields and without the filing consents is told both at once (the consents were told
    only after every field was right: one more round for whoever fills the form in).
    Every string of a new body holds typed text only (:func:`text_errors`: a NUL in a
    name is refused on ``applicants[0].name``, that field's other errors left out); a
    stored application is re-read without that rule, as it was filed."""
    untyped = text_errors(data)
    named = {error.field for error in untyped}
    try:
        parsed = parse_application(data, as_of=as_of, currency=currency, pack=pack)
    except InvalidInput as error:
        code = _pack_and_currency(pack, currency)[0]
        rest = [e for e in error.every() if e.field not in named]
        raise combined([*untyped, *rest, *_consents_missing(data, pack_for(code))]) from None
    if untyped:
        raise combined(untyped)
    check_new_application(parsed)
    return parsed


def _consents_missing(data: Mapping[str, Any], pack: RegulationPack) -> list[InvalidInput]:
    """The filing-consent error of a body whose other fields are wrong; none when its
    consents are all there or are themselves malformed (parsing reports that)."""
    try:
        consents = _consents(data) if isinstance(data, Mapping) else ()
    except InvalidInput:
        return []
    try:
        _check_filing_consents(consents, pack)
    except InvalidInput as missing:
        return [missing]
    return []
