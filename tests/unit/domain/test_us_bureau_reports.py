"""The sandbox's reports for a US subject (an SSN or ITIN): deterministic, the same shape
as a CN resident's so the platform summarises them alike, in dollars, and from lenders
named as the sandbox's own; and repayment channels per pack."""

from __future__ import annotations

from datetime import date

import pytest

from autolend.bureau_sandbox.reports import build_report
from autolend.domain.bureau import summarize
from autolend.domain.errors import InvalidInput
from autolend.domain.repayment_channels import check_channel, offered_channels

AS_OF = date(2026, 11, 28)
SSNS = [f"12345{serial:04d}" for serial in range(1, 200)]


def test_an_ssn_always_gets_the_same_report_in_dollars_from_sandbox_lenders() -> None:
    reports = [build_report(ssn, "John Smith", AS_OF) for ssn in SSNS]
    assert reports == [build_report(ssn, "John Smith", AS_OF) for ssn in SSNS]
    found = [r for r in reports if r is not None]
    assert len(found) > 150  # about one ID in ten has no record
    for report in found:
        assert report["subject"]["id_type"] == "ssn"
        assert {a["currency"] for a in report["accounts"]} <= {"USD"}
        assert all(a["lender"].startswith("Sandbox ") for a in report["accounts"])
        summarize(report)  # the platform reads it as a CN report


def test_an_itin_is_filed_as_an_itin() -> None:
    found = next(r for n in range(1000, 1100) if (r := build_report(f"9127{n:05d}", "A", AS_OF)))
    assert found["subject"]["id_type"] == "itin"


def test_a_loan_takes_its_packs_channels_and_refuses_another_packs() -> None:
    assert offered_channels("CN") == ("bank_transfer", "cash", "direct_debit", "wechat_pay",
                                      "alipay")  # fmt: skip
    assert "ach" in offered_channels("US") and "wechat_pay" not in offered_channels("US")
    assert check_channel("bank_transfer", "US") == "bank_transfer"  # the API's default
    assert check_channel("own_label", "US") == "own_label"  # no pack names it: as before
    for channel, pack in (("wechat_pay", "US"), ("alipay", "US"), ("ach", "CN"), ("wire", "CN")):
        with pytest.raises(InvalidInput) as refused:
            check_channel(channel, pack)
        assert refused.value.field == "channel" and refused.value.message_zh
