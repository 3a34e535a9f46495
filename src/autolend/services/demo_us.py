"""The US demo's people and loans (``AUTOLEND_JURISDICTION=US``): two dealers, three
customers and nine loans in dollars, in the same servicing states as the CN demo's
(current, paid ahead, one, two and three installments late, paid off early, written off
with a recovery), under the US
catalogue (:mod:`autolend.domain.product_catalogue_us`) and repaid by ACH, the pack's
first repayment channel.

Not real people. Their taxpayer IDs come from 987-65-4320..987-65-4329, the numbers the
Social Security Administration keeps for advertisements (never a person's; the platform
reads them as ITINs, group 65); their phones from 555-0100..555-0199, the exchange kept
for fiction. Each was picked for its bureau sandbox file (:mod:`autolend.bureau_sandbox`):
the demo borrower's own (sign-in ``borrower``) is clean with small debts, so applying for
oneself can reach offers.

>>> [c.id_number for c in US_DEMO_CUSTOMERS]
['987-65-4324', '987-65-4320', '987-65-4328']
>>> sorted({plan.product for plan in US_DEMO_BOOK.loans}), US_DEMO_BOOK.months
(['US_NEW_AUTO', 'US_USED_AUTO'], 9)
"""

from __future__ import annotations

from autolend.domain.money import Money
from autolend.domain.product_catalogue_us import US_DEMO_PRODUCTS
from autolend.domain.regulation.packs import US_PACK
from autolend.services.customers import CustomerInput
from autolend.services.demo_loans import DemoBook, DemoLoan

__all__ = ["US_DEMO_BOOK", "US_DEMO_CUSTOMERS", "US_DEMO_DEALERS"]

US_DEMO_DEALERS = (
    ("D001", "Columbus Auto Mall", "Columbus, OH"),
    ("D002", "Austin Motor Plaza", "Austin, TX"),
)


def _customer(name: str, tin: str, phone: str, income: str) -> CustomerInput:
    return CustomerInput(
        name=name, id_number=tin, phone=phone, monthly_income=Money.parse(income, "USD"),
        pack="US",
    )  # fmt: skip


US_DEMO_CUSTOMERS = (
    _customer("Emily Johnson", "987-65-4324", "(614) 555-0142", "7500.00"),
    _customer("Michael Brown", "987-65-4320", "(512) 555-0167", "6200.00"),
    _customer("Sarah Davis", "987-65-4328", "(303) 555-0119", "9100.00"),
)
"""The first is the demo borrower's own (ordinary file, about 454 dollars a month of
other debts)."""

# Catalogue products, at rates inside each product's range, in cents. The PDs at
# origination rise with the risk the loans later showed, as in the CN demo: the used cars
# that fell behind 3 % to 5.9 % (grades 4 to 6), the long new-car loans of the paying
# customers 0.45 % to 1.4 % (grades 1 to 3); all within the auto-approval limit (6 %).
US_DEMO_LOANS = (
    DemoLoan(0, None, "US_NEW_AUTO", 3_200_000, "0.0699", 60, 5, pd_orig="0.010"),  # grade 2
    DemoLoan(1, "D001", "US_NEW_AUTO", 4_500_000, "0.0599", 72, 7, extra=50_000,
             pd_orig="0.0065"),  # grade 1: pays ahead
    DemoLoan(2, "D001", "US_USED_AUTO", 1_800_000, "0.1099", 48, 6, late=1,
             pd_orig="0.030"),  # grade 4
    DemoLoan(1, "D001", "US_USED_AUTO", 2_200_000, "0.1299", 60, 8, late=2,
             pd_orig="0.048"),  # grade 5
    DemoLoan(2, "D001", "US_USED_AUTO", 1_500_000, "0.1599", 36, 9, late=3,
             pd_orig="0.059"),  # grade 6: the riskiest, three behind
    DemoLoan(0, None, "US_NEW_AUTO", 2_500_000, "0.0649", 36, 4, payoff=True,
             pd_orig="0.0085"),  # grade 2
    DemoLoan(1, "D002", "US_NEW_AUTO", 5_500_000, "0.0549", 84, 3,
             pd_orig="0.0045"),  # grade 1: the lowest rate
    DemoLoan(2, "D002", "US_NEW_AUTO", 3_800_000, "0.0749", 60, 2, pd_orig="0.014"),  # grade 3
    DemoLoan(1, "D002", "US_USED_AUTO", 2_000_000, "0.1299", 48, 9, late=4, recovery=600_000,
             pd_orig="0.052"),  # grade 6: four behind, written off; the car sold for 6,000
)  # fmt: skip

US_DEMO_BOOK = DemoBook(
    US_DEMO_LOANS, US_DEMO_PRODUCTS, US_PACK.currency, US_PACK.repayment_channels[0], 0
)
"""The US demo's loans, in dollars, repaid by ACH; no fee deducted at disbursement (the
documentation fee is financed)."""
