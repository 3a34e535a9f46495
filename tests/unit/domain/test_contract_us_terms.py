"""A US contract's loan terms agree with its own schedule and with the offer signed: the
principal line said the loan was "repaid in 60 monthly payments from 2026-01-15", the
day interest starts, while the payment schedule above it starts on 2026-02-15; and a
subsidised loan (a 0 % promotion on a 5.50 % contract) left out the interest its overdue
principal bears at the contract rate, which its offer states ("Interest on overdue
principal at the contract rate, 5.50% a year")."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from autolend.domain.contract import ContractFacts
from autolend.domain.contract_us import build_us_document, example_us_facts

US = example_us_facts()


def lines(facts: ContractFacts = US, locale: str = "en") -> list[str]:
    return build_us_document(facts, locale).lines()


def test_the_principal_line_names_the_day_interest_starts_not_a_first_payment() -> None:
    principal = next(line for line in lines() if line.startswith("Principal:"))
    assert principal.endswith("repaid in 60 monthly payments; interest from 01/15/2026")
    first_due = US.installments[0].due_date.strftime("%m/%d/%Y")
    assert any(f"due monthly from {first_due}" in line for line in lines())


def test_a_subsidised_us_contract_states_the_rate_its_overdue_principal_bears() -> None:
    promo = replace(US, nominal_rate=Decimal("0.055"), customer_rate=Decimal("0"),
                    subsidiser="oem")  # fmt: skip
    said = lines(promo)
    late = "Overdue principal bears interest at 5.50% a year from the day after its due date."
    assert late in said
    assert any(line.endswith("Interest after a late payment") for line in said)
    assert "Unpaid interest bears interest at the same rate." not in said  # no compounding
    chinese = lines(promo, "zh_CN")
    assert any("逾期本金自到期日次日起按年利率 5.50% 计息" in line for line in chinese)


def test_an_unsubsidised_us_contract_still_has_no_late_interest_section() -> None:
    assert not any("Interest after a late payment" in line for line in lines())
    assert not any("Overdue principal bears interest" in line for line in lines())


def test_the_us_contract_says_the_signing_code_went_to_the_phone_as_the_form_calls_it() -> None:
    """The US form asks for a "phone" (a CN one for a "mobile"); the contract's last line
    said "mobile phone"."""
    signing = next(line for line in lines() if "one-time code" in line)
    assert "texted to your phone" in signing and "mobile" not in signing
