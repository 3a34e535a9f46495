"""One car, one loan: the VIN's blind index finds another application the car already
secures (double financing, a classic auto-finance fraud: the same vehicle taken to two
dealers, or pledged twice).

* At filing and when a VIN is added later, the application stores the VIN's keyed blind
  index (HMAC, as for the resident ID: no VIN is readable from it).
* The decision refers a case whose car secures another application's loan (accepted,
  signing, signed, or paid out with the loan booked or active; a loan paid off or
  written off releases it): a person checks the title and the other loan
  (:func:`autolend.domain.vehicle_financing.vin_in_use_hit`).
* Accepting an offer books the loan: then the car must be free, or it is a 409 naming the
  other application (a VIN added after the decision, or two approvals for one car).
* Applications filed before the index existed (migration 0022) are indexed by
  :func:`index_vins` (``autolend db index-vins``).

Example: application 12 (VIN LGXCE6CB3N0123459) is paid out and its loan active;
application 15 with the same VIN is referred, and accepting it is refused.
"""

from __future__ import annotations

from autolend.domain.errors import Conflict, InvalidInput
from autolend.services.application_records import raw_details
from autolend.services.ports import PersonalDataCipher, UnitOfWork, UnitOfWorkFactory

__all__ = ["check_car_free", "index_vins", "vin_index"]

BATCH = 500
"""Applications read per transaction by :func:`index_vins`."""


def vin_index(cipher: PersonalDataCipher, vin: str | None) -> str | None:
    """The VIN's blind index, None without a VIN."""
    return car_key(cipher, vin) if vin else None


def car_key(cipher: PersonalDataCipher, vin: str) -> str:
    """The blind index of a given VIN (the one place that names the index's kind)."""
    return cipher.blind_index("vin", vin)


def check_car_free(
    uow: UnitOfWork, cipher: PersonalDataCipher, application_id: int, vin: str | None
) -> None:
    """Before an offer is accepted: the car has a VIN (the contract names it) and secures
    no other application's loan (409 naming it)."""
    if vin is None:
        raise InvalidInput(
            "the contract needs the car's VIN: add it first",
            field="vehicle.vin",
            message_zh="合同须载明车架号（VIN）：请先补充车架号",
        )
    index = car_key(cipher, vin)
    uow.applications.hold_car(index)  # two accepts for one car at once: one after the other
    other = car_in_use(uow, index, application_id)
    if other is not None:
        raise Conflict(
            f"this car (VIN {vin}) already secures the loan of application {other}: one car "
            "secures one loan",
            field="vehicle.vin",
            message_zh=f"该车辆（车架号 {vin}）已为申请 {other} 的贷款提供抵押，"
            "一辆车只能抵押一笔贷款",
        )


def index_vins(uow_factory: UnitOfWorkFactory, cipher: PersonalDataCipher) -> int:
    """Index the VIN of every application that has none yet (filed before migration
    0022), a batch of :data:`BATCH` per transaction; how many were indexed. One without
    a VIN stays unindexed, and is read again by the next run (cheap: few lack one)."""
    indexed, after = 0, 0
    while True:
        with uow_factory(write=True) as uow:
            rows = uow.applications.unindexed_vins(after, BATCH)
            for row in rows:
                index = vin_index(cipher, raw_details(cipher, row)["vehicle"].get("vin"))
                if index is not None:
                    uow.applications.set_vin_index(row.id, index)
                    indexed += 1
            uow.commit()
        if len(rows) < BATCH:
            return indexed
        after = rows[-1].id


def car_in_use(uow: UnitOfWork, vin_bidx: str | None, application_id: int) -> int | None:
    """The other application whose loan the car secures, if any (the decision's signal)."""
    if vin_bidx is None:
        return None
    return uow.applications.financing_car(vin_bidx, excluding=application_id)
