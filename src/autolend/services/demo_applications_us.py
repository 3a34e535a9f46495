"""The US demo's applications (``AUTOLEND_JURISDICTION=US``): six car-loan applications in
dollars filed by the demo dealer (D001) under the US catalogue, so the dealer's list, the
underwriter's queue and the decision pages (with an ECOA notice on a decline) have cases.

Not real people: taxpayer IDs from 987-65-4320..987-65-4329 (kept by the Social Security
Administration for advertisements; read as ITINs, group 65) other than the demo
customers', each with its bureau sandbox file: three ordinary files without a late month, a
thin file (the youngest), one with two late months and one the bureau has no record of;
phones from the fiction exchange 555-0100..555-0199. Each car has a valid VIN (ISO 3779
check digit; a maker's US plant prefix, model year 2026 new, 2024 used). Incomes, debts,
down payments and products differ, so the decisions differ: under the default policy
and the demo's ``default-usd`` two approved, three referred, one declined.

>>> body = us_demo_application_body(0, 1)
>>> body["product_code"], body["applicants"][0]["id_number"], body["vehicle"]["vin"]
('US_NEW_AUTO', '987-65-4322', '1FMCU9G06T5500000')
"""

from __future__ import annotations

from typing import Any

from autolend.domain.vin import check_digit

__all__ = ["US_DEMO_APPLICANTS", "us_demo_application_body"]

# name, taxpayer ID, birth date, address, monthly income, other debt payments, employment,
# product, make, model, energy, condition, price, down payment, term
US_DEMO_APPLICANTS: tuple[tuple[str, ...], ...] = (
    ("James Wilson", "987-65-4322", "1984-02-10", "1200 Oak Street, Columbus, OH 43215",
     "8500.00", "650.00", "salaried", "US_NEW_AUTO", "Ford", "Escape", "ice", "new",
     "34000.00", "6800.00", "60"),
    ("Maria Garcia", "987-65-4325", "1990-07-21", "48 Elm Avenue, Dublin, OH 43017",
     "6200.00", "1500.00", "salaried", "US_PROMO_0APR", "Chevrolet", "Equinox EV", "nev",
     "new", "42000.00", "8400.00", "60"),
    ("Tyler Moore", "987-65-4321", "2001-05-03", "77 Pine Road, Westerville, OH 43081",
     "3800.00", "150.00", "salaried", "US_USED_AUTO", "Honda", "Civic", "ice", "used",
     "18000.00", "2700.00", "60"),
    ("Linda Martinez", "987-65-4327", "1958-09-14", "9 Maple Court, Columbus, OH 43221",
     "5200.00", "0.00", "retired", "US_NEW_AUTO", "Subaru", "Outback", "ice", "new",
     "38000.00", "12000.00", "48"),
    ("Robert Taylor", "987-65-4326", "1979-12-01", "315 Cedar Lane, Grove City, OH 43123",
     "4200.00", "2300.00", "self_employed", "US_USED_AUTO", "Chevrolet", "Silverado 1500",
     "ice", "used", "32000.00", "4800.00", "72"),
    ("Jennifer Anderson", "987-65-4329", "1995-03-30", "2 Birch Drive, Hilliard, OH 43026",
     "7000.00", "500.00", "salaried", "US_NEW_AUTO", "Tesla", "Model 3", "nev", "new",
     "42000.00", "8400.00", "72"),
)  # fmt: skip

# World manufacturer identifiers and vehicle descriptors of a US-built car of each make.
_VIN_START = {"Ford": "1FMCU9G0", "Chevrolet": "1GNAXUEV", "Honda": "2HGFE2F5",
              "Subaru": "4S4BTANC", "Tesla": "5YJ3E1EA"}  # fmt: skip
_MODEL_YEAR = {"new": "T", "used": "R"}  # ISO 3779 year codes: 2026, 2024


# Months each applicant has earned their current income (a pension is not asked about).
_STABLE_MONTHS = (96, 40, 10, None, 26, 30)


def _vin(serial: int, make: str, condition: str) -> str:
    """A VIN whose check digit (position 9) is right."""
    draft = f"{_VIN_START[make]}0{_MODEL_YEAR[condition]}5{500000 + serial:06d}"
    return draft[:8] + check_digit(draft) + draft[9:]


def us_demo_application_body(serial: int, dealer_id: int) -> dict[str, Any]:
    """The ``serial``-th US demo application, filed by the dealer for its customer."""
    (name, tin, born, address, income, debts, job, product, make, model, energy, condition,
     price, down, term) = US_DEMO_APPLICANTS[serial % len(US_DEMO_APPLICANTS)]  # fmt: skip
    return {
        "channel": "dealer", "product_code": product, "term_months": int(term),
        "down_payment": down,
        "applicants": [{
            "role": "borrower", "name": name, "id_number": tin, "birth_date": born,
            "mobile": f"(614) 555-{150 + serial:04d}", "address": address,
            "employment": job, "monthly_income": income, "income_documented": True,
            "monthly_obligations": debts, "first_time_buyer": False,
            "income_stability_months": _STABLE_MONTHS[serial % len(US_DEMO_APPLICANTS)],
        }],
        "vehicle": {"vin": _vin(serial, make, condition), "make": make, "model": model,
                    "energy": energy, "condition": condition, "price": price,
                    "dealer_id": dealer_id},
        # The FCRA authorization and the GLBA privacy-notice consent (US_PACK's
        # filing consents): no PIPL separate consent to sensitive data under US.
        "consents": [{"kind": "bureau_query", "text_version": "v1"},
                     {"kind": "data_processing", "text_version": "v1"}],
    }  # fmt: skip
