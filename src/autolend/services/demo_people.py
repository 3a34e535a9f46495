"""Synthetic borrowers for the demo's synthetic book: a loan of the book has a person
behind it, as a book migrated from another system would, so that a collector's list and a
loan page name whom to call.

People are drawn from the loan's number alone (no randomness): a common surname and
given name, a birth date, a well-formed resident ID (GB 11643 check character) from six
districts the other demo people do not use, and a mobile number. Not real people.

>>> person = synthetic_person(0)
>>> (person.name, person.id_number[:6], person.id_number[6:14], person.phone)
('王伟', '310101', '19650101', '13000000000')
>>> len({synthetic_person(n).id_number for n in range(20_000)})
20000
"""

from __future__ import annotations

from datetime import date

from autolend.domain.access import Actor
from autolend.services.customers import CustomerInput, insert_customer
from autolend.services.demo import demo_resident_id
from autolend.services.ports import Clock, PersonalDataCipher, UnitOfWork

__all__ = ["add_synthetic_customer", "synthetic_person"]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
          "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "志强")  # fmt: skip
# Shanghai Huangpu, Nanjing Xuanwu, Hangzhou Xihu, Wuhan Jiang'an, Chongqing Jiangbei, Xi'an
# Yanta: districts the hand-made demo customers and applicants (110105, 510104, 440305)
# leave free, so no resident ID repeats theirs.
_AREAS = ("310101", "320102", "330106", "420102", "500105", "610113")
_BIRTH_DAYS = 36 * 12 * 28  # born 1965-2000, any month, days 1-28


def synthetic_person(serial: int) -> CustomerInput:
    """The ``serial``-th synthetic borrower (``serial`` >= 0; distinct resident IDs and
    mobiles for the first 6 x 12,096 x 1,000 serials)."""
    day = serial % _BIRTH_DAYS
    born = date(1965 + day % 36, 1 + day // 36 % 12, 1 + day // 432)
    rest = serial // _BIRTH_DAYS
    area, sequence = _AREAS[rest % len(_AREAS)], rest // len(_AREAS) % 1000
    name = _SURNAMES[serial % len(_SURNAMES)] + _GIVEN[serial // len(_SURNAMES) % len(_GIVEN)]
    return CustomerInput(
        name=name,
        id_number=demo_resident_id(area, born, sequence),
        phone=f"13{serial % 10}{serial // 10:08d}",
    )


def add_synthetic_customer(
    uow: UnitOfWork, cipher: PersonalDataCipher, clock: Clock, actor: Actor,
    *, serial: int, dealer_id: int | None,
) -> int:  # fmt: skip
    """Seal and insert the ``serial``-th synthetic borrower as a customer of
    ``dealer_id`` (the caller audits and commits); the customer's id."""
    return insert_customer(
        uow, cipher, clock, actor, synthetic_person(serial), own=False, dealer_id=dealer_id
    )
