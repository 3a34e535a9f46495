"""Settings, read once by the composition root (`autolend.bootstrap`).

Every setting comes from an environment variable with the prefix ``AUTOLEND_``; for example
``AUTOLEND_DATABASE_URL=postgresql+psycopg://user@host/autolend``. Secrets have no default:
outside demo mode a missing secret stops start-up with a message naming the variable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, cast

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from autolend.domain.decision_policy import DEFAULT_POLICY, Policy, parse_policy
from autolend.domain.errors import InvalidInput
from autolend.domain.regulation import pack_for

DEFAULT_HOME = Path("var")
Locale = Literal["zh_CN", "en"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTOLEND_", extra="ignore")

    home: Path = Field(DEFAULT_HOME, description="folder for the embedded database and demo keys")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: SQLite file <home>/autolend.db"
    )
    demo: bool = Field(False, description="demo mode: demo users, demo data, generated keys")
    jurisdiction: Literal["CN", "US"] = "CN"
    default_locale: Locale = Field(
        "zh_CN",
        description="the web pages' language for a visitor who has chosen none; default: "
        "the jurisdiction's pack's (CN zh_CN, US en)",
    )
    timezone: str = Field(
        "Asia/Shanghai",
        description="the lender's time zone, where its business day turns over; default: "
        "the jurisdiction's pack's (CN Asia/Shanghai, US America/New_York)",
    )

    token_secret: str | None = Field(None, description="HMAC key for API bearer tokens")
    token_ttl_seconds: int = Field(900, ge=60, le=86_400)
    token_audience: str = "autolend-api"  # noqa: S105 - audience name
    session_ttl_seconds: int = Field(8 * 3600, ge=300, le=7 * 86_400)
    session_cookie_secure: bool = True

    master_keys: str | None = Field(
        None, description="personal-data master keys 'id:base64url,...'; first is active"
    )
    blind_index_key: str | None = Field(None, description="base64url HMAC key, >= 32 bytes")
    metrics_token: str | None = Field(None, description="bearer token for Prometheus scrapes")

    max_failed_sign_ins: int = Field(5, ge=1, le=100)
    lockout_seconds: int = Field(900, ge=1, le=86_400)

    bureau_url: str | None = Field(
        None, description="credit bureau base URL, e.g. the sandbox http://127.0.0.1:8765"
    )
    bureau_timeout_seconds: float = Field(2.0, gt=0, le=60, description="per attempt")
    bureau_retries: int = Field(2, ge=0, le=10, description="retries on timeout, 429, 5xx")
    bureau_backoff_seconds: float = Field(0.2, ge=0, le=30, description="doubles per retry")
    bureau_breaker_failures: int = Field(5, ge=1, le=1000, description="failed queries to open")
    bureau_breaker_cooldown_seconds: float = Field(30.0, ge=0, le=3600)

    contract_font: Path = Field(
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        description="CJK font for contract PDFs (TTF/OTF/TTC; Debian fonts-noto-cjk)",
    )
    contract_font_face: int = Field(2, ge=0, le=64, description="face in a .ttc; 2 = SC")
    signing_code_key: str | None = Field(
        None, description="HMAC key for signing codes; default: derived from the token secret"
    )
    smtp_host: str | None = Field(None, description="SMTP server for e-mail notifications")
    smtp_port: int = Field(25, ge=1, le=65_535)
    smtp_sender: str = "no-reply@autolend.example"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    sms_url: str | None = Field(None, description="SMS gateway: POST JSON {to, text}")
    sms_token: str | None = Field(None, description="bearer token for the SMS gateway")
    notify_max_attempts: int = Field(5, ge=1, le=100, description="then a message is failed")
    policy_file: Path | None = Field(
        None, description="credit policy (JSON, see docs/origination.md); default: built in"
    )
    ecl_parameters: Path | None = Field(
        None,
        description="the lender's ECL parameters (TOML or JSON, see docs/eod.md); default: "
        "built in",
    )

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65_535)
    log_level: str = "INFO"
    worker_threads: int = Field(
        8,
        ge=1,
        le=256,
        description="threads per server process for blocking work (database, bureau, PDF): "
        "fewer threads contend less for the GIL",
    )
    bureau_threads: int = Field(
        8,
        ge=1,
        le=256,
        description="threads per server process for requests that wait on the credit bureau "
        "(submits, bureau queries), apart from the worker threads: a hanging bureau holds "
        "up only those requests",
    )
    audit_sequencer: bool = Field(
        False,
        description="chain audit events in a background thread after commit (autolend serve "
        "turns it on): writers never wait for the chain head",
    )

    @field_validator("ecl_parameters", mode="before")
    @classmethod
    def _no_file_when_empty(cls, value: object) -> object:
        """``AUTOLEND_ECL_PARAMETERS=`` (empty) names no file: the built-in set."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _defaults_of_the_jurisdiction(self) -> Settings:
        """Without ``AUTOLEND_TIMEZONE`` the business day is the jurisdiction's: a US
        lender's turns over at midnight in New York (05:00 UTC in winter), not at 16:00 UTC
        (Beijing's midnight). Without ``AUTOLEND_DEFAULT_LOCALE`` the pages speak the
        jurisdiction's language (CN zh_CN, US en). A value that is given wins."""
        pack = pack_for(self.jurisdiction)
        if "timezone" not in self.model_fields_set:
            self.timezone = pack.timezone
        if "default_locale" not in self.model_fields_set:
            self.default_locale = cast(Locale, pack.locale)
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'autolend.db').as_posix()}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; keyword overrides win (tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed; the message names the environment variable."""


def credit_policy(settings: Settings) -> Policy:
    """The credit policy in force: the JSON file named by AUTOLEND_POLICY_FILE, or the
    built-in default."""
    if settings.policy_file is None:
        return DEFAULT_POLICY
    try:
        data = json.loads(Path(settings.policy_file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"AUTOLEND_POLICY_FILE: {error}") from None
    try:
        return parse_policy(data)
    except InvalidInput as error:
        raise ConfigurationError(f"AUTOLEND_POLICY_FILE: {error.field}: {error}") from None
