"""A service error's detail in the visitor's language.

The domain states its errors in English (the API's language); a page in Chinese should not
tell a dealer "the resident ID's check character is wrong". Two sources, in order:

1. the error's own Chinese text, where the domain gives one (``DomainError.message_zh``:
   e.g. a product cap broken at intake, from the rule catalogue the decisions use);
2. the catalogue here of the messages people meet on forms — identity, mobile, VIN, amounts,
   terms, required and over-long fields — each an English pattern and a message id that the
   ``.po`` files translate; values the pattern captures (a length, a limit) are put back in.

Anything else is shown as it came, marked ``lang="en"`` by the templates. Example: in
zh-CN, ``address is at most 200 characters`` -> ``最多 200 个字符``.

An English page reads the same catalogue: its message ids are the readable English, so
``applicants[0].monthly_obligations 'abc' is not like 1234.56`` reads ``an amount such as
1500.00``. The page names the field, as in Chinese: the message stands beside its input,
or (on the application page) after the field's label.

A page may ask for the days a message names in its own date style (:func:`in_date_style`,
the loan page): under a pack writing ``mdy``, an English page reads ``the value date cannot
be before the loan's start, 01/05/2026``, where the API says ``2026-01-05``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from autolend.domain.date_text import DateStyle
from autolend.domain.errors import (
    Busy,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from autolend.services.contract_ports import ContractFontMissing
from autolend.web.i18n import format_day

__all__ = [
    "LocalizedDetail",
    "as_sentence",
    "field_problem",
    "in_date_style",
    "localized_detail",
    "page_status",
    "problem_of",
]


def N_(message: str) -> str:  # noqa: N802 - the marker name Babel extracts
    """Mark a message for the catalogues without translating it here."""
    return message


_CATALOGUE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"the resident ID's check character is wrong",
         N_("the resident ID's check character is wrong")),
        (r"a resident ID has 17 digits followed by a digit or X",
         N_("a resident ID has 17 digits followed by a digit or X")),
        (r"the birth date inside the resident ID is not a date",
         N_("the birth date inside the resident ID is not a date")),
        (r"the birth date inside the resident ID is not plausible",
         N_("the birth date inside the resident ID is not plausible")),
        (r"a mobile number has 11 digits and starts with 13 to 19",
         N_("a mobile number has 11 digits and starts with 13 to 19")),
        (r"a bank account number has 12 to 19 digits",
         N_("a bank account number has 12 to 19 digits")),
        (r"a VIN has 17 characters, got (?P<count>\d+)",
         N_("a VIN has 17 characters, got %(count)s")),
        (r"a VIN never contains the letters I, O or Q",
         N_("a VIN never contains the letters I, O or Q")),
        (r"a VIN holds only digits and letters A-Z", N_("a VIN holds only digits and letters A-Z")),
        (r"the VIN's check digit \(position 9\) should be (?P<digit>\w)",
         N_("the VIN's check digit (position 9) should be %(digit)s")),
        (r"[\w.\[\]]+ is required", N_("this field is required")),
        (r"[\w.\[\]]+ is at most (?P<count>\d+) characters",
         N_("at most %(count)s characters")),
        (r"[\w.\[\]]+ must not be negative(, got .*)?", N_("must not be negative")),
        (r"[\w.\[\]]+ must be a decimal string such as 1500\.00|[\w.\[\]]+ '.*' (is not like "
         r"1234\.56|has leading zeros|uses exponent notation|is not a finite number|has no digits "
         r"(before|after) the decimal point|has a '\+' sign; write positive amounts unsigned)",
         N_("an amount such as 1500.00")),
        (r"[\w.\[\]]+ '.*' has \d+ decimal places; (?P<currency>[A-Z]{3}) allows (?P<places>\d+)",
         N_("too many decimal places: %(currency)s has %(places)s")),
        (r"[\w.\[\]]+ '.*' contains non-ASCII characters \(e\.g\. full-width digits\)",
         N_("use half-width digits (not full-width)")),
        (r"[\w.\[\]]+ '.*' contains a digit-group separator",
         N_("write the amount without separators, such as 12000.00")),
        (r"[\w.\[\]]+ '.*' has misplaced digit-group separators",
         N_("group the digits in threes, such as 34,000.00, or write 34000.00")),
        (r"[\w.\[\]]+ ('.*' )?is empty", N_("this field is required")),
        (r"amount must be positive( [A-Z]{3})?", N_("the amount must be above 0")),
        (r"value date is in the future", N_("the value date cannot be later than today")),
        (r"value date is before the loan start (?P<day>[\d-]+)",
         N_("the value date cannot be before the loan's start, %(day)s")),
        (r"date must be on or after (?P<day>[\d-]+)",
         N_("the date cannot be before %(day)s, the day the loan is serviced through")),
        (r"date must be on or before (?P<day>[\d-]+)",
         N_("a payoff quote is for a date up to %(day)s, a year from today")),
        (r"value date is before the loan start or in the future",
         N_("the value date must be from the loan's start to today")),
        (r"a reversal needs a reason", N_("a reversal needs a reason")),
        (r"a waiver needs a reason", N_("a waiver needs a reason")),
        (r"the down payment must be below the price",
         N_("the down payment must be below the price")),
        (r"the down payment is from 0 to below the price",
         N_("the down payment must be from 0 to below the price")),
        (r"the file must be a PDF, JPEG or PNG", N_("the file must be a PDF, JPEG or PNG")),
        (r"a file must be from 1 byte to 10 MiB", N_("the file must be from 1 byte to 10 MiB")),
        (r"the file's content is not (?P<type>[\w/.+-]+)",
         N_("the file's content does not match its type %(type)s")),
        (r"amount must be above 0, and amount \+ down payment not above the price",
         N_("the amount must be above 0, and amount + down payment not above the price")),
        (r"price must be above 0", N_("the price must be above 0")),
        # the loan calculator's fields (percent strings, amounts, the terms it offers)
        (r"[\w.\[\]]+ must be positive, got '.*'", N_("the amount must be above 0")),
        (r"[\w.\[\]]+ '.*' is above the maximum", N_("the amount is too large")),
        (r"down_payment_ratio must be below 100 percent, got '.*'",
         N_("the down payment must be below the price")),
        (r"down_payment must be >= 0 and below the price, got .*",
         N_("the down payment must be from 0 to below the price")),
        (r"[\w.\[\]]+ '.*' is not a percent such as 12 or 4\.9",
         N_("a percentage such as 4.5")),
        (r"[\w.\[\]]+ must be at most 100 percent, got '.*'",
         N_("must be a percentage from 0 to 100")),
        (r"[\w.\[\]]+ must be above 0", N_("must be above 0")),
        (r"term_months '.*' is not one of (?P<terms>\d+(?:, \d+)*)",
         N_("choose one of the terms offered: %(terms)s months")),
        (r"balloon [\d.]+ [A-Z]{3} must be above 0 and below the principal",
         N_("the final balloon payment must be below the amount financed: lower the down "
            "payment")),
        (r"the payments never balance the amount received at any rate .*",
         N_("the fees are too large for this loan: no annual rate can be worked out")),
        (r"[\w.\[\]]+ must be a whole number of months, 0 or more",
         N_("a whole number of months, such as 36")),
        (r"[\w.\[\]]+ cannot be more than the (?P<count>\d+) months since the applicant "
         r"turned 16", N_("at most %(count)s months: the months since the applicant turned 16")),
        (r"term_months must be from 1 to (?P<count>\d+)",
         N_("the term is from 1 to %(count)s months")),
        (r"no product '(?P<code>[^']*)' in force", N_("no product %(code)s is in force")),
        (r"dealer_id must be a positive whole number", N_("choose one of the dealers listed")),
        (r"choose one of the offers( \[[\d, ]*\])?", N_("choose one of the offers")),
        (r"the business date is in the future(?: \(the lender's today is [\d-]+\))?",
         N_("the business date cannot be later than today")),
        (r"[\w.\[\]]+ '.*' is not a date such as \d{4}-\d\d-\d\d",
         N_("not a date: write it as 2026-11-30 (year, month, day)")),
        (r"the end-of-day run did not start in time",
         N_("the end-of-day run did not start in time; try again")),
        # the loan page's forms
        (r"a partial prepayment takes effect on a due date once that installment and "
         r"everything before it are paid",
         N_("a partial prepayment takes effect on a due date once that installment and "
            "everything before it are paid")),
        (r"the payoff on (?P<day>[\d-]+) is exactly (?P<amount>[\d.]+)",
         N_("the payoff on %(day)s is exactly %(amount)s: quote it again")),
        (r"amount must be above 0 and below the balance (?P<amount>[\d.]+) [A-Z]{3}; "
         r"to repay it all, pay the loan off \(mode payoff\)",
         N_("a partial prepayment is above 0 and below the balance of %(amount)s; to repay "
            "it all, pay the loan off")),
        (r"the repayment is already reversed", N_("this repayment was already reversed")),
        (r"loan \d+ was paid off on (?P<day>[\d-]+) \(payoff (?P<id>\d+)\): .* reverse the "
         r"payoff first",
         N_("the loan was paid off on %(day)s (payoff %(id)s): this would change what that "
            "payoff had to be; reverse the payoff first")),
        (r"repayment not found", N_("this loan has no such repayment")),
        (r"choose a repayment to reverse", N_("choose a repayment to reverse")),
        (r"choose an installment", N_("choose an installment")),
        (r"no installment (?P<n>\d+) on this loan", N_("this loan has no installment %(n)s")),
        (r"choose how to re-amortise", N_("choose a prepayment mode")),
        (r"the form has no idempotency key; reload the page",
         N_("the form is incomplete: reload the page")),
        (r"the loan is [\w ]+; a \w+ cannot be posted",
         N_("the loan is not in repayment: nothing can be posted to it")),
        (r"a recovery is dated on or after the write-off \((?P<day>[\d-]+)\)",
         N_("a recovery is dated on or after the write-off, %(day)s")),
        (r"only a written-off loan takes recoveries",
         N_("only a written-off loan takes recoveries")),
    )
)  # fmt: skip


_NOT_ONE_OF = re.compile(r"(None|'.*') is not one of [\w, ]+")
"""A choice left empty or not offered (``choice``): "None is not one of ice, nev"."""
_CHOICES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(field), message)
    for field, message in (
        (r"vehicle\.energy", N_("choose the energy type")),
        (r"vehicle\.condition", N_("choose whether the car is new or used")),
        (r"applicants\[\d+\]\.employment", N_("choose the employment type")),
        (r"channel", N_("choose the channel")),
    )
)
"""What a choice the form offers says when none of its options was chosen, by field."""


@dataclass(frozen=True)
class LocalizedDetail:
    """The text to show and the language it is in (``en`` when nothing translated it)."""

    text: str
    lang: str


_PAGE_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (PermissionDenied, 403), (NotFound, 404), (Conflict, 409), (InvalidInput, 422), (Busy, 503),
    (ContractFontMissing, 503),
)  # fmt: skip


def problem_of(error: DomainError, **extra: Any) -> dict[str, Any]:
    """A service error as a page shows it beside its form (:func:`localized_detail` puts
    it in the page's language): its kind, field and message, in Chinese too where the
    domain gives it, with ``extra`` (the form's ``action``, say)."""
    return {"kind": type(error).__name__, "field": error.field, "detail": error.message,
            "detail_zh": error.message_zh, **extra}  # fmt: skip


def field_problem(problem: Mapping[str, Any] | None, name: str) -> Mapping[str, Any] | None:
    """The problem a form shows at its input ``name``: one of ``problem["fields"]`` where
    the service named several wrong fields at once, else ``problem`` itself if it names
    ``name``; None for an input that is right.

    >>> two = {"field": "a", "fields": {"a": {"detail": "x"}, "b": {"detail": "y"}}}
    >>> field_problem(two, "b"), field_problem({"field": "a"}, "a"), field_problem(None, "a")
    ({'detail': 'y'}, {'field': 'a'}, None)
    """
    if not problem:
        return None
    fields = problem.get("fields")
    if fields:
        found: Mapping[str, Any] | None = fields.get(name)
        return found
    return problem if problem.get("field") == name else None


_ISO_DAY = re.compile(r"(?<![\d-])\d{4}-\d\d-\d\d(?![\d-])")


def in_date_style(problem: dict[str, Any] | None, style: DateStyle) -> dict[str, Any] | None:
    """``problem`` (and each of its ``fields``) asking for the days it names to be shown
    in a page's ``style`` (a pack's ``date_style``; :func:`localized_detail` writes them
    as :func:`autolend.web.i18n.format_day` does: mdy on English pages only).

    >>> shown = in_date_style({"detail": "x", "fields": {"a": {"detail": "y"}}}, "mdy")
    >>> shown["date_style"], shown["fields"]["a"]["date_style"]
    ('mdy', 'mdy')
    """
    if problem is None:
        return None
    fields = problem.get("fields")
    shown = {**problem, "date_style": style}
    if fields:
        shown["fields"] = {name: {**own, "date_style": style} for name, own in fields.items()}
    return shown


def _days(text: str, locale: str, style: DateStyle | None) -> str:
    """The ISO days in ``text`` written in ``style`` for ``locale`` (unchanged for None).

    >>> _days("the payoff on 2026-02-05 is exactly 10.00", "en", "mdy")
    'the payoff on 02/05/2026 is exactly 10.00'
    >>> _days("起息日不能早于贷款起始日 2026-01-05", "zh_CN", "mdy")
    '起息日不能早于贷款起始日 2026-01-05'
    """
    if style is None:
        return text
    return _ISO_DAY.sub(lambda day: format_day(day.group(0), locale, style), text)


def page_status(error: DomainError) -> int:
    """The status a page answers a refused form with, as the API maps the same error:
    a ``Conflict`` 409, an ``InvalidInput`` 422, ``Busy`` or a missing contract font 503 ..."""
    return next((code for kind, code in _PAGE_STATUS if isinstance(error, kind)), 422)


def localized_detail(
    problem: Mapping[str, Any], locale: str, gettext: Callable[[str], str]
) -> LocalizedDetail:
    """``problem``'s ``detail`` (and ``detail_zh`` if the domain gave one) for ``locale``:
    the catalogue's message in the page's language, the values it captured put back (in
    English the message id itself, or the ``en`` catalogue's wording of it). Where the
    page says it after a sentence of its own (``problem["sentence"]``: "Please check the
    field ...".), it is a sentence too (:func:`as_sentence`).

    >>> zh = {"the resident ID's check character is wrong": "身份证号码校验位错误"}.get
    >>> localized_detail({"detail": "the resident ID's check character is wrong"}, "zh_CN",
    ...                  lambda m: zh(m, m))
    LocalizedDetail(text='身份证号码校验位错误', lang='zh_CN')
    >>> localized_detail({"detail": "something new"}, "zh_CN", lambda m: m)
    LocalizedDetail(text='something new', lang='en')
    >>> localized_detail({"detail": "vin is at most 17 characters"}, "en", lambda m: m)
    LocalizedDetail(text='at most 17 characters', lang='en')
    >>> localized_detail({"detail": "name is required", "sentence": True}, "en", lambda m: m)
    LocalizedDetail(text='This field is required.', lang='en')
    """
    shown = _localized(problem, locale, gettext)
    if not problem.get("sentence"):
        return shown
    return LocalizedDetail(as_sentence(shown.text, shown.lang), shown.lang)


def _localized(
    problem: Mapping[str, Any], locale: str, gettext: Callable[[str], str]
) -> LocalizedDetail:
    style = problem.get("date_style")  # the page's, for the days the detail names
    detail = _days(str(problem.get("detail") or ""), locale, style)
    english = locale == "en"
    own = problem.get("detail_zh")
    if own and not english:
        return LocalizedDetail(_days(str(own), locale, style), locale)
    found = _catalogued(str(problem.get("detail") or ""), str(problem.get("field") or ""))
    if found is None:
        return LocalizedDetail(detail, "en")
    message, values = found
    translated = gettext(message)
    if translated == message and not english:  # no translation for it yet
        return LocalizedDetail(detail, "en")
    values = {k: v if v is None else _days(v, locale, style) for k, v in values.items()}
    return LocalizedDetail(translated % values, locale)


def _catalogued(detail: str, field: str) -> tuple[str, dict[str, Any]] | None:
    """The catalogue's message for ``detail`` and the values it captured; a choice not
    made names its field in words (``_CHOICES``), whatever options it lists.

    >>> _catalogued("None is not one of ice, nev", "vehicle.energy")
    ('choose the energy type', {})
    >>> _catalogued("vin is at most 17 characters", "vehicle.vin")
    ('at most %(count)s characters', {'count': '17'})
    >>> _catalogued("None is not one of a, b", "unknown") is None
    True
    """
    if _NOT_ONE_OF.fullmatch(detail):
        chosen = next((m for pattern, m in _CHOICES if pattern.fullmatch(field)), None)
        if chosen is not None:
            return chosen, {}
    for pattern, message in _CATALOGUE:
        matched = pattern.fullmatch(detail)
        if matched is not None:
            return message, matched.groupdict()
    return None


_SENTENCE_ENDS = {"zh": ("。", "！", "？"), "en": (".", "!", "?")}


def as_sentence(text: str, lang: str) -> str:
    """``text`` (a message of the catalogue, which is no sentence) as a sentence in
    ``lang``: in English it starts with a capital and ends with a full stop, in Chinese
    it ends with "。"; one already ended keeps its end.

    >>> as_sentence("not a date: write it as 2026-11-30 (year, month, day)", "en")
    'Not a date: write it as 2026-11-30 (year, month, day).'
    >>> as_sentence("不是有效日期：请写作 2026-11-30（年-月-日）", "zh_CN")
    '不是有效日期：请写作 2026-11-30（年-月-日）。'
    >>> as_sentence("Already one.", "en"), as_sentence("", "en")
    ('Already one.', '')
    """
    if not text:
        return text
    chinese = lang.startswith("zh")
    ends = _SENTENCE_ENDS["zh" if chinese else "en"]
    start = text if chinese else text[0].upper() + text[1:]
    return start if start.endswith(ends) else start + ends[0]
