"""Rendering pages: one Jinja2 environment per language, the layout's shared context.

Each locale has its own :class:`jinja2.Environment` with its translations installed, so two
requests in different languages never share mutable state. Templates autoescape; the
``money``, ``day`` and ``when`` filters format amounts, days and instants for the
environment's locale and the lender's pack (``day``: ``2026-12-01``, on a US lender's
English pages ``12/01/2026``; :func:`autolend.web.i18n.format_day`), ``listed`` joins a
list with its list comma (``["A", "B"]|listed`` is "A、B" in Chinese).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from autolend.config import Settings
from autolend.domain.access import Actor, Permission
from autolend.domain.date_text import DateStyle
from autolend.domain.quote_input import percent_text
from autolend.domain.regulation import pack_for
from autolend.web.deps import SignedIn
from autolend.web.i18n import (
    LANG_COOKIE,
    LANGUAGE_NAMES,
    LOCALES,
    choose_locale,
    format_day,
    format_instant,
    format_money,
    html_lang,
    list_separator,
    translations,
)
from autolend.web.problem_text import field_problem, localized_detail
from autolend.web.security import safe_next
from autolend.web.status_names import (
    APPLICATION_STATUS_NAMES,
    CALIBRATION_NAMES,
    COLUMN_NOTE_NAMES,
    MODEL_KIND_NAMES,
)

TEMPLATES_DIR = Path(__file__).parent / "templates"
DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation; shown only when ``permission`` (or ``also``)
    is held."""

    key: str
    href: str
    permission: Permission | None
    also: Permission | None = None  # a second permission that shows it (read-only roles)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", "/", None),
    NavItem("customers", "/customers", Permission.CUSTOMER_READ),
    NavItem("loans", "/loans", Permission.LOAN_READ),
    NavItem("products", "/products", Permission.PRODUCT_READ_ALL),
    NavItem("models", "/risk/models", Permission.MODEL_READ),
    NavItem("monitoring", "/risk/monitoring", Permission.MODEL_READ),
    NavItem("policy", "/risk/policy", Permission.POLICY_SIMULATE),
    NavItem("eod", "/eod", Permission.LOAN_ACCRUE, also=Permission.AUDIT_READ),
    # what waits for a second person: fee waivers (servicing) and write-offs (risk)
    NavItem(
        "approvals",
        "/approvals",
        Permission.FEE_WAIVE_APPROVE,
        also=Permission.LOAN_WRITE_OFF_APPROVE,
    ),
    NavItem("audit", "/audit", Permission.AUDIT_READ),
    NavItem("users", "/users", Permission.USER_READ),
)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


def visible_navigation(actor: Actor) -> list[NavItem]:
    """The navigation entries the actor's permissions allow, in menu order."""
    return [
        item
        for item in NAVIGATION
        if item.permission is None
        or actor.can(item.permission)
        or (item.also is not None and actor.can(item.also))
    ]


def own_records_only(actor: Actor) -> bool:
    """Whether the actor is a borrower and nothing else: the pages speak of *their*
    details and loans ("My loans"), show what is due next and no permission codes."""
    return actor.self_service


def _referer_path(request: Request) -> str:
    """The path (and query) of the page on this site that sent the request, else ``/``:
    a form posted from ``http://host/loans/3`` -> ``/loans/3``."""
    sent = urlsplit(request.headers.get("referer", ""))
    if sent.netloc != request.url.netloc or not sent.path:
        return "/"
    return sent.path + (f"?{sent.query}" if sent.query else "")


def active_section(path: str) -> str:
    """The navigation key a path belongs to (``/customers/3`` -> ``customers``)."""
    for item in reversed(NAVIGATION):
        if item.href != "/" and (path == item.href or path.startswith(item.href + "/")):
            return item.key
    return "home"


def _percent(fraction: object) -> str:
    """A stored fraction (a PD such as ``"0.074957"``) as a percent: ``"7.50%"``.

    No space before the sign: Chinese and US English both write ``7.50%``."""
    return f"{percent_text(Decimal(str(fraction)))}%"


def build_environment(locale: str, zone: str, date_style: DateStyle = "iso") -> Environment:
    """A Jinja2 environment for one locale: autoescape, i18n, ``money``, ``day`` and
    ``when`` (days and instants in the lender's pack's ``date_style`` on English pages)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]

    def money(amount: object, currency: str = DEFAULT_CURRENCY) -> str:
        return format_money(amount, currency, locale)

    env.filters["money"] = money
    env.filters["day"] = partial(format_day, locale=locale, style=date_style)
    env.filters["when"] = partial(format_instant, zone=zone, locale=locale, style=date_style)
    env.filters["percent"] = _percent
    env.filters["listed"] = partial(_listed, separator=list_separator(locale))
    env.globals["problem_text"] = partial(_problem_markup, locale=locale)
    env.globals["field_problem"] = field_problem
    env.globals["application_status_names"] = APPLICATION_STATUS_NAMES
    env.globals["model_kind_names"] = MODEL_KIND_NAMES
    env.globals["calibration_names"] = CALIBRATION_NAMES
    env.globals["column_note_names"] = COLUMN_NOTE_NAMES
    return env


def _listed(items: Iterable[object], *, separator: str) -> str:
    """The items as running text joined by ``separator``; plain text, so that the page
    escapes each item as it escapes any value."""
    return separator.join(str(item) for item in items)


def _problem_markup(problem: Mapping[str, Any], *, locale: str) -> Markup:
    """A service error's detail in the page's language (:mod:`autolend.web.problem_text`);
    one left in English is marked so, for screen readers and translators."""
    shown = localized_detail(problem, locale, translations(locale).gettext)
    if shown.lang == "en" and locale != "en":
        return Markup('<span lang="en">{}</span>').format(shown.text)
    return Markup("{}").format(shown.text)


class Renderer:
    """Renders templates in the visitor's language with the layout's shared context."""

    def __init__(self, settings: Settings) -> None:
        self._default = settings.default_locale
        self._demo = settings.demo
        # The lender's own pack: a page about the whole book (home, end of day, portfolio)
        # names its rules (CECL, no penalty interest under US), not CN's.
        self._pack = pack_for(settings.jurisdiction)
        style = self._pack.form_look.date_style
        self._envs = {
            loc: build_environment(loc, settings.timezone, date_style=style) for loc in LOCALES
        }

    def locale_of(self, request: Request) -> str:
        return choose_locale(request.cookies.get(LANG_COOKIE), self._default)

    def gettext(self, locale: str) -> Callable[[str], str]:
        """The plain ``gettext`` of a locale, for strings built in Python (chart labels)."""
        return translations(locale).gettext

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        signed: SignedIn | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        locale = self.locale_of(request)
        full = {**self._layout(request, locale, signed), **(context or {})}
        html = self._envs[locale].get_template(template).render(full)
        return HTMLResponse(html, status_code=status)

    def _layout(self, request: Request, locale: str, signed: SignedIn | None) -> dict[str, Any]:
        path = request.url.path
        here = path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            # A form's answer stands at the form's POST address, which a GET cannot open
            # (405): the language switch returns to the page the form was on.
            here = _referer_path(request)
        return_to = safe_next(here)
        languages = [
            LanguageLink(
                code,
                LANGUAGE_NAMES[code],
                f"/lang/{code}?{urlencode({'next': return_to})}",
                code == locale,
            )
            for code in LOCALES
        ]
        return {
            "locale": locale,
            "html_lang": html_lang(locale),
            "languages": languages,
            "me": signed.actor if signed else None,
            "csrf_token": signed.csrf_token if signed else None,
            "nav": visible_navigation(signed.actor) if signed else [],
            "own_view": own_records_only(signed.actor) if signed else False,
            "section": active_section(path),
            "demo": self._demo,
            "lender_pack": self._pack,
        }
