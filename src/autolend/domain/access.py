"""Roles, permissions and object-level access rules.

A role is a named set of permissions; an endpoint asks for one permission and a single
dependency checks it. Object-level rules decide whether a signed-in user may even learn that
an object exists: a borrower reaches only their own records, a dealer only its own customers
and applications. Anything else answers "not found", never "forbidden", so ids cannot be
probed.

Example: a dealer holds ``customer:create`` but not ``audit:verify``::

    >>> Permission.CUSTOMER_CREATE in permissions_of([Role.DEALER])
    True
    >>> Permission.AUDIT_VERIFY in permissions_of([Role.DEALER])
    False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from autolend.domain.errors import InvalidInput


class Role(StrEnum):
    BORROWER = "borrower"
    DEALER = "dealer"
    UNDERWRITER = "underwriter"
    SERVICING = "servicing"
    COLLECTOR = "collector"
    RISK = "risk"
    COMPLIANCE = "compliance"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    CUSTOMER_CREATE = "customer:create"
    CUSTOMER_READ = "customer:read"
    CUSTOMER_READ_ALL = "customer:read_all"
    CUSTOMER_SEARCH = "customer:search"
    PII_READ_FULL = "pii:read_full"
    USER_READ = "user:read"
    USER_ADMIN = "user:admin"
    AUDIT_READ = "audit:read"
    AUDIT_VERIFY = "audit:verify"
    METRICS_READ = "metrics:read"
    LOAN_READ = "loan:read"
    LOAN_READ_ALL = "loan:read_all"
    LOAN_BOOK = "loan:book"
    LOAN_ACCRUE = "loan:accrue"
    REPAYMENT_POST = "repayment:post"
    REPAYMENT_REVERSE = "repayment:reverse"
    PREPAYMENT_POST = "prepayment:post"
    # Held by servicing alone for now; maker-checker (two people) comes with P1.x.
    LOAN_WRITE_OFF = "loan:write_off"  # the maker: asks for a write-off
    # The checker of a write-off (risk): another user than the maker posts it.
    LOAN_WRITE_OFF_APPROVE = "loan:write_off_approve"
    FEE_CHARGE = "fee:charge"
    FEE_WAIVE_REQUEST = "fee:waive_request"  # the maker of a fee waiver
    # The checker: must be another user than the maker (the service refuses the same one).
    FEE_WAIVE_APPROVE = "fee:waive_approve"
    MODEL_READ = "model:read"  # model cards, scorecards, monitoring
    MODEL_TRAIN = "model:train"  # register a new model version
    CONSENT_RECORD = "consent:record"  # record / revoke a customer's consent (own or dealer's)
    BUREAU_QUERY = "bureau:query"  # query the credit bureau; read the reports
    BUREAU_READ = "bureau:read"  # read the log of bureau queries (purpose, outcome)
    PRODUCT_READ = "product:read"  # the products in force today (everyone signed in)
    PRODUCT_READ_ALL = "product:read_all"  # any date, version history (staff)
    PRODUCT_ADMIN = "product:admin"  # publish a product version
    APPLICATION_CREATE = "application:create"  # start, submit, accept, sign (own / dealer's)
    APPLICATION_READ = "application:read"  # own (borrower) or the dealer's applications
    APPLICATION_READ_ALL = "application:read_all"  # every application (staff)
    APPLICATION_REVIEW = "application:review"  # decide referred cases; second approvals
    POLICY_SIMULATE = "policy:simulate"  # replay past applications under another policy


_STAFF_READ = {
    Permission.CUSTOMER_READ,
    Permission.CUSTOMER_READ_ALL,
    Permission.CUSTOMER_SEARCH,
}

_LOAN_STAFF_READ = {Permission.LOAN_READ, Permission.LOAN_READ_ALL}
_SERVICING = {
    Permission.LOAN_BOOK,
    Permission.LOAN_ACCRUE,
    Permission.REPAYMENT_POST,
    Permission.REPAYMENT_REVERSE,
    Permission.PREPAYMENT_POST,
    Permission.LOAN_WRITE_OFF,
    Permission.FEE_CHARGE,
    Permission.FEE_WAIVE_REQUEST,
    Permission.FEE_WAIVE_APPROVE,
}

_BUREAU = {Permission.BUREAU_QUERY, Permission.BUREAU_READ}
_PRODUCTS = {Permission.PRODUCT_READ, Permission.PRODUCT_READ_ALL}
_APPLY = {Permission.APPLICATION_CREATE, Permission.APPLICATION_READ}
_APPLICATIONS_READ = {Permission.APPLICATION_READ, Permission.APPLICATION_READ_ALL}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.BORROWER: frozenset(
        {
            Permission.CUSTOMER_CREATE,
            Permission.CUSTOMER_READ,
            Permission.LOAN_READ,
            Permission.CONSENT_RECORD,
            Permission.PRODUCT_READ,
            *_APPLY,
        }
    ),
    Role.DEALER: frozenset(
        {
            Permission.CUSTOMER_CREATE,
            Permission.CUSTOMER_READ,
            Permission.LOAN_READ,
            Permission.CONSENT_RECORD,
            Permission.PRODUCT_READ,
            *_APPLY,
        }
    ),
    Role.UNDERWRITER: frozenset(
        _STAFF_READ
        | _LOAN_STAFF_READ
        | _BUREAU
        | _PRODUCTS
        | _APPLY
        | _APPLICATIONS_READ
        | {Permission.CUSTOMER_CREATE, Permission.PII_READ_FULL, Permission.CONSENT_RECORD}
        | {Permission.APPLICATION_REVIEW}
    ),
    Role.SERVICING: frozenset(
        _STAFF_READ
        | _LOAN_STAFF_READ
        | _SERVICING
        | _BUREAU
        | _PRODUCTS
        | _APPLICATIONS_READ
        | {Permission.PII_READ_FULL}
    ),
    Role.COLLECTOR: frozenset(
        _STAFF_READ | _LOAN_STAFF_READ | _PRODUCTS | {Permission.PII_READ_FULL}
    ),
    Role.RISK: frozenset(
        _LOAN_STAFF_READ
        | _PRODUCTS
        | {
            Permission.METRICS_READ,
            Permission.MODEL_READ,
            Permission.MODEL_TRAIN,
            Permission.PRODUCT_ADMIN,  # pricing and product rules are risk's
            Permission.POLICY_SIMULATE,
            Permission.LOAN_WRITE_OFF_APPROVE,  # a loss on the books is risk's to accept
            *_APPLICATIONS_READ,
        }
    ),
    Role.COMPLIANCE: frozenset(
        _STAFF_READ
        | _LOAN_STAFF_READ
        | _PRODUCTS
        | _APPLICATIONS_READ
        | {
            Permission.AUDIT_READ,
            Permission.AUDIT_VERIFY,
            Permission.MODEL_READ,
            Permission.BUREAU_READ,
        }
    ),
    Role.AUDITOR: frozenset(
        _STAFF_READ
        | _LOAN_STAFF_READ
        | _PRODUCTS
        | _APPLICATIONS_READ
        | {
            Permission.AUDIT_READ,
            Permission.AUDIT_VERIFY,
            Permission.MODEL_READ,
            Permission.BUREAU_READ,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.USER_READ,
            Permission.USER_ADMIN,
            Permission.AUDIT_READ,
            Permission.AUDIT_VERIFY,
            Permission.METRICS_READ,
            Permission.LOAN_ACCRUE,  # the end-of-day batch runs as the system (admin)
            Permission.FEE_CHARGE,  # late fees, charged by the end-of-day batch
            Permission.FEE_WAIVE_APPROVE,
            Permission.MODEL_READ,  # the command line registers models as the system
            Permission.MODEL_TRAIN,
            Permission.PRODUCT_READ,
            Permission.PRODUCT_READ_ALL,
            Permission.PRODUCT_ADMIN,  # the command line publishes products as the system
            Permission.POLICY_SIMULATE,  # the command line simulates policies as the system
            *_APPLICATIONS_READ,
        }
    ),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    """The union of the permissions of every role held."""
    return _granted(tuple(roles))


@cache  # a handful of role combinations, asked on every request
def _granted(roles: tuple[Role, ...]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def parse_roles(names: Iterable[str]) -> tuple[Role, ...]:
    """Turn role names into roles; an unknown name is an error naming it."""
    roles: list[Role] = []
    for name in names:
        try:
            roles.append(Role(name))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise InvalidInput(
                f"unknown role {name!r}; known roles: {known}", field="roles"
            ) from None
    if not roles:
        raise InvalidInput("a user needs at least one role", field="roles")
    return tuple(dict.fromkeys(roles))


PLATFORM_ROLE_PREFIX = "platform:"
"""Marks, in an audit record's roles, a role the platform acted in for the user."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, their roles, and the request being served.
    ``own_roles``: set where the platform performs a step for the user with ``roles``
    that their own roles may start but not perform (the bureau query of a dealer's
    submission): the records name the user, their own roles and the platform's."""

    user_id: int
    username: str
    roles: tuple[Role, ...]
    dealer_id: int | None = None
    request_id: str | None = None
    own_roles: tuple[Role, ...] | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def role_label(self) -> str:
        """The roles an audit record names: ``dealer``; a step the platform performs
        for a dealer as underwriter (see ``own_roles``): ``dealer,platform:underwriter``,
        never ``underwriter`` alone, which would say the dealer is one."""
        if self.own_roles is None:
            return ",".join(r.value for r in self.roles)
        mine = [r.value for r in self.own_roles]
        return ",".join([*mine, *(f"{PLATFORM_ROLE_PREFIX}{r.value}" for r in self.roles)])

    @property
    def self_service(self) -> bool:
        """A borrower and nothing else: acting for themselves (their own details,
        applications and loans), never for another person."""
        return tuple(self.roles) == (Role.BORROWER,)


SYSTEM_ACTOR = Actor(user_id=0, username="system", roles=(Role.ADMIN,))


@dataclass(frozen=True)
class Ownership:
    """Who an object belongs to: a borrower user, a dealer, or neither (staff-made)."""

    owner_user_id: int | None
    dealer_id: int | None


def may_reach(actor: Actor, owned: Ownership) -> bool:
    """Object-level rule: may this actor learn that the object exists?

    Staff with ``customer:read_all`` reach every customer; a borrower reaches what they own;
    a dealer what its dealership created.

    >>> dealer = Actor(1, "d", (Role.DEALER,), dealer_id=7)
    >>> may_reach(dealer, Ownership(owner_user_id=None, dealer_id=7))
    True
    >>> may_reach(dealer, Ownership(owner_user_id=None, dealer_id=8))
    False
    """
    if actor.can(Permission.CUSTOMER_READ_ALL):
        return True
    if owned.owner_user_id is not None and owned.owner_user_id == actor.user_id:
        return True
    return (
        Role.DEALER in actor.roles
        and actor.dealer_id is not None
        and owned.dealer_id == actor.dealer_id
    )
