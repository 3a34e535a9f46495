"""Why a decision had no credit report, in words (English and Chinese), for the rule hit
that refers the case to a person (``bureau_unavailable``).

The decision reads the reason as text (the bureau adapter's message, stored in the facts
snapshot so that a policy simulation decides again from it). The applicant who gave no
consent to a bureau query (:data:`NO_BUREAU_CONSENT`) was never queried: the text says
so in both languages, not that a report is merely delayed. Any other reason is the
bureau's failure; its Chinese names the kind (no answer, refused, unreadable ...),
the English keeps the adapter's own words.

>>> unavailable_texts(NO_BUREAU_CONSENT)[1]
'客户未授权查询征信，未查询征信报告，将转人工审核'
>>> unavailable_texts("the credit bureau did not answer after 3 attempt(s): HTTP 503")[1]
'暂未取得征信报告，将转人工审核（征信机构未应答）'
>>> unavailable_texts(None)
('The credit report could not be obtained; a person will review', '暂未取得征信报告，将转人工审核')
"""

from __future__ import annotations

__all__ = ["NO_BUREAU_CONSENT", "unavailable_texts"]

NO_BUREAU_CONSENT = "no bureau-query consent was given"

# The adapters' messages by how they start, and what they mean in Chinese.
_KINDS_ZH: tuple[tuple[str, str], ...] = (
    ("the credit bureau is unavailable", "征信机构暂不可用"),
    ("the credit bureau did not answer", "征信机构未应答"),
    ("the credit bureau refused the query", "征信机构拒绝了查询"),
    ("the credit bureau's report is malformed", "征信报告格式有误，无法读取"),
    ("the credit bureau holds no record", "征信机构无此人记录"),
    ("no credit bureau is configured", "未配置征信机构"),
)


def unavailable_texts(error: str | None) -> tuple[str, str]:
    """The hit's message in English and in Chinese for ``error`` (None: no reason)."""
    if error == NO_BUREAU_CONSENT:
        return ("The credit report was not queried: no bureau-query consent was given; a "
                "person will review",
                "客户未授权查询征信，未查询征信报告，将转人工审核")  # fmt: skip
    if not error:
        return "The credit report could not be obtained; a person will review", (
            "暂未取得征信报告，将转人工审核")  # fmt: skip
    kind = next((zh for start, zh in _KINDS_ZH if error.startswith(start)), "征信查询未成功")
    return (f"The credit report could not be obtained; a person will review ({error})",
            f"暂未取得征信报告，将转人工审核（{kind}）")  # fmt: skip
