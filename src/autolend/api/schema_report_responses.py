"""The full credit report of a bureau query (``GET /customers/{id}/bureau-reports/{query_id}``),
as the bureau sent it.

The platform stores the report sealed and gives it back unchanged; only a report it could
read is stored (``accounts``, ``inquiries`` and ``thin_file`` checked by
:func:`autolend.domain.bureau.summarize`). The fields are those of the bureau interface the
platform speaks, the sandbox's (:mod:`autolend.bureau_sandbox.reports`): amounts are whole
units of the subject's currency (yuan for a resident ID, dollars for an SSN or ITIN), dates
ISO, each history 24 codes oldest month first. Unknown fields are forbidden so that the
test validating real bodies catches a field added without its documentation. Example: a
CN file with one open car loan of 120,000 yuan, paid on time, answers ``{"thin_file":
false, "accounts": [{"type": "auto_loan", "currency": "CNY", "credit_limit": 120000,
"status": "open", "history": "NNNN...", ...}], "totals": {"outstanding": 80000, ...}}``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_FORBID = ConfigDict(extra="forbid")
_WHOLE = "Whole units of the account's currency"


class ReportSubject(BaseModel):
    """Whom the report is about (personal data: it is read only by those who query)."""

    model_config = _FORBID
    name: str
    id_type: str = Field(description="resident_id, ssn or itin")
    id_number: str


class ReportAccount(BaseModel):
    model_config = _FORBID
    account_id: str
    type: str = Field(description="auto_loan, mortgage, credit_card or consumer_loan")
    lender: str
    opened: str = Field(description="YYYY-MM-DD")
    currency: str
    credit_limit: int | None = Field(
        description=_WHOLE + "; a card without one cannot say how much of it is used"
    )
    balance: int = Field(description=_WHOLE)
    monthly_payment: int = Field(description=_WHOLE + "; 0 once closed or written off")
    status: str = Field(description="open, closed or written_off")
    history: str = Field(
        description="24 months, oldest first, codes as autolend.domain.bureau.STATUS_CODES "
        "lists them: N paid as agreed, 1-7 overdue by 30-day steps, B written off, C closed, "
        "/ not yet opened ...",
        examples=["//////NNNNNNNNNNNNNNNNNN"],
    )


class ReportDelinquencies(BaseModel):
    model_config = _FORBID
    accounts_ever_overdue: int
    months_overdue: int = Field(description="Overdue months of every account together")
    worst_months_overdue: int


class ReportInquiry(BaseModel):
    model_config = _FORBID
    date: str = Field(description="YYYY-MM-DD")
    institution: str
    reason: str = Field(description="loan_application or credit_card_application")


class ReportInquiries(BaseModel):
    """Other lenders' queries of the file."""

    model_config = _FORBID
    last_6_months: int
    last_12_months: int
    records: list[ReportInquiry] = Field(description="Oldest first")


class ReportTotals(BaseModel):
    model_config = _FORBID
    outstanding: int = Field(description="Balances of the open accounts; " + _WHOLE)
    monthly_obligations: int = Field(description="Their monthly payments; " + _WHOLE)


class BureauReport(BaseModel):
    """A credit report: the subject, their accounts with 24 months of history, the
    delinquencies, other lenders' inquiries and the totals of the open accounts."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "report_id": "3F9A0C1D2E4B5A6C7D8E", "report_date": "2026-11-28",
        "subject": {"name": "王芳", "id_type": "resident_id", "id_number": "110105199001010037"},
        "thin_file": False,
        "accounts": [{"account_id": "A00C3B9E1F2A", "type": "auto_loan", "lender": "建设银行",
                      "opened": "2024-05-28", "currency": "CNY", "credit_limit": 120000,
                      "balance": 80000, "monthly_payment": 3333, "status": "open",
                      "history": "/////" + "N" * 19}],
        "delinquencies": {"accounts_ever_overdue": 0, "months_overdue": 0,
                          "worst_months_overdue": 0},
        "inquiries": {"last_6_months": 1, "last_12_months": 1,
                      "records": [{"date": "2026-09-02", "institution": "招商银行",
                                   "reason": "loan_application"}]},
        "totals": {"outstanding": 80000, "monthly_obligations": 3333},
    }]})  # fmt: skip
    report_id: str
    report_date: str = Field(description="YYYY-MM-DD: the day the report is as of")
    subject: ReportSubject
    thin_file: bool = Field(description="Too little history to judge the person by")
    accounts: list[ReportAccount]
    delinquencies: ReportDelinquencies
    inquiries: ReportInquiries
    totals: ReportTotals
