"""Permissions in words: the home page lists what a member of staff's roles grant, and a
code such as ``fee:waive_approve`` means little to a reader; "Approve fee waivers"
(批准费用减免) does. Every :class:`~autolend.domain.access.Permission` has a name here (a
test holds it so), and a code without one would show as it is.

>>> permission_label("fee:waive_approve", lambda text: text)
'Approve fee waivers'
>>> permission_label("report:export", lambda text: text)
'report:export'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from autolend.domain.access import Permission

Translate = Callable[[str], str]


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


PERMISSION_NAMES: Mapping[Permission, str] = {
    Permission.CUSTOMER_CREATE: _("Add customers"),
    Permission.CUSTOMER_READ: _("Read customers"),
    Permission.CUSTOMER_READ_ALL: _("Read every customer"),
    Permission.CUSTOMER_SEARCH: _("Search customers"),
    Permission.PII_READ_FULL: _("See personal data unmasked"),
    Permission.USER_READ: _("Read users"),
    Permission.USER_ADMIN: _("Manage users"),
    Permission.AUDIT_READ: _("Read the audit trail"),
    Permission.AUDIT_VERIFY: _("Verify the audit chain"),
    Permission.METRICS_READ: _("Read the metrics"),
    Permission.LOAN_READ: _("Read loans"),
    Permission.LOAN_READ_ALL: _("Read every loan"),
    Permission.LOAN_BOOK: _("Book loans"),
    Permission.LOAN_ACCRUE: _("Run the end of day"),
    Permission.REPAYMENT_POST: _("Post repayments"),
    Permission.REPAYMENT_REVERSE: _("Reverse repayments"),
    Permission.PREPAYMENT_POST: _("Post prepayments"),
    Permission.LOAN_WRITE_OFF: _("Ask for write-offs"),
    Permission.LOAN_WRITE_OFF_APPROVE: _("Approve write-offs"),
    Permission.FEE_CHARGE: _("Charge fees"),
    Permission.FEE_WAIVE_REQUEST: _("Ask for fee waivers"),
    Permission.FEE_WAIVE_APPROVE: _("Approve fee waivers"),
    Permission.MODEL_READ: _("Read credit models and monitoring"),
    Permission.MODEL_TRAIN: _("Register credit models"),
    Permission.CONSENT_RECORD: _("Record customers' consents"),
    Permission.BUREAU_QUERY: _("Query the credit bureau"),
    Permission.BUREAU_READ: _("Read the log of bureau queries"),
    Permission.PRODUCT_READ: _("Read today's products"),
    Permission.PRODUCT_READ_ALL: _("Read every product version"),
    Permission.PRODUCT_ADMIN: _("Publish product versions"),
    Permission.APPLICATION_CREATE: _("File applications"),
    Permission.APPLICATION_READ: _("Read applications"),
    Permission.APPLICATION_READ_ALL: _("Read every application"),
    Permission.APPLICATION_REVIEW: _("Review referred applications"),
    Permission.POLICY_SIMULATE: _("Simulate credit policies"),
}
_BY_CODE = {permission.value: name for permission, name in PERMISSION_NAMES.items()}


def permission_label(code: str, gettext: Translate) -> str:
    """A permission's name in the page's language (``fee:waive_approve`` -> 批准费用减免),
    else its code."""
    name = _BY_CODE.get(code)
    return gettext(name) if name else code


def permission_rows(permissions: Iterable[Permission], gettext: Translate) -> list[dict[str, str]]:
    """The permissions held, each as its ``code`` and its ``name`` in words, by code (the
    permissions of one area stay together)."""
    codes = sorted(p.value for p in permissions)
    return [{"code": code, "name": permission_label(code, gettext)} for code in codes]
