"""Settings read from the environment, with development defaults.

One variable, ``APP_ENV``, chooses the configuration class. Every value can be
overridden by an environment variable of the same name. The production class
refuses the in-process defaults, so a deployment that forgot to point at
RabbitMQ or MongoDB fails at start instead of quietly keeping data in memory
or in a local folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


class ConfigurationError(RuntimeError):
    """A setting is missing or invalid for the chosen environment."""


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from exc


def _float(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a number, got {value!r}") from exc


# Development-only secrets: well known, refused in production.
DEV_SECRET = "development-only-secret-key-not-for-production"
# Shorter secrets can be guessed; production refuses them.
MIN_SECRET_BYTES = 32
DEV_FIELD_KEY = "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ="
# The backups' own key (services.backup), for development only; production refuses it when a
# backup runs (not at start: a service never reads it).
DEV_BACKUP_KEY = "ZGV2ZWxvcG1lbnQtb25seS1iYWNrdXAta2V5LTMyYnk="


@dataclass(frozen=True)
class Settings:
    """Every setting the product reads. Field names are the environment variable names."""

    APP_ENV: str = "development"
    PORT: int = 8000
    HOST: str = "127.0.0.1"
    LOG_LEVEL: str = "INFO"
    # Message bus: memory:// is kombu's in-process transport.
    BUS_URL: str = "memory://"
    BUS_NAMESPACE: str = "lscb"
    BUS_QUEUE_TYPE: str = ""  # "" = the broker's default; "quorum" or "classic" to force one
    BUS_CONFIRM_TIMEOUT: float = 5.0
    BUS_PUBLISH_MAX_RETRIES: int = 5
    BUS_HANDLER_MAX_ATTEMPTS: int = 3
    BUS_RETRY_BACKOFF: float = 0.2
    BUS_PREFETCH: int = 10
    BUS_POLL_INTERVAL: float = 0.02  # in-process transport only
    OUTBOX_POLL_INTERVAL: float = 0.5
    # Store: unset MONGODB_URI means the embedded store, kept in EMBEDDED_STORE_DIR
    # (several processes may share it), or in this process's memory when that is "".
    MONGODB_URI: str = ""
    MONGODB_DB: str = "lscb"
    EMBEDDED_STORE_DIR: str = "var"
    # Outbound email.
    SMTP_HOST: str = ""
    SMTP_PORT: int = 25
    # gunicorn
    WEB_CONCURRENCY: int = 1
    WEB_THREADS: int = 8
    # How long, in milliseconds, a thread keeps the interpreter before a waiting one may take it
    # (sys.setswitchinterval; CPython's default is 5).
    SWITCH_INTERVAL_MS: float = 1.0
    # Worker processes that render Word documents, so the rendering does not share the
    # interpreter with the requests being answered; 0 renders in the thread that asks.
    RENDER_PROCESSES: int = 1
    # Identity and access. Users, sessions, tokens and the audit log live in the
    # identity store, which every service shares (default: the service's own store).
    IDENTITY_MONGODB_URI: str = ""
    SECRET_KEY: str = DEV_SECRET
    FIELD_ENCRYPTION_KEYS: str = DEV_FIELD_KEY  # comma-separated Fernet keys, newest first
    BACKUP_KEY: str = DEV_BACKUP_KEY  # comma-separated Fernet keys for backups, newest first
    PASSWORD_TIME_COST: int = 3
    PASSWORD_MEMORY_KIB: int = 65536
    SESSION_IDLE_MINUTES: int = 30
    SESSION_ABSOLUTE_HOURS: int = 12
    LOGIN_MAX_FAILURES: int = 5
    LOGIN_LOCKOUT_MINUTES: int = 15
    API_TOKEN_DAYS: int = 90
    OIDC_ISSUER: str = ""  # e.g. https://login.microsoftonline.com/<tenant>/v2.0
    OIDC_CLIENT_ID: str = ""
    OIDC_CLIENT_SECRET: str = ""
    OIDC_DISPLAY_NAME: str = "Microsoft Entra ID"
    GOVUK_FRONTEND_DIR: str = ""  # govuk-frontend's dist/govuk; default: ./node_modules
    TRUSTED_PROXIES: int = 0
    # Reminders: how often the scheduler looks for deadlines to announce, and how many
    # working days ahead a deadline counts as due soon.
    SCHEDULER_TICK_SECONDS: float = 60.0
    DUE_SOON_WORKING_DAYS: int = 3
    # Notifications: SMTP (with SMTP_HOST) or GOV.UK Notify, chosen per board.
    SMTP_SENDER: str = "case-reviews@lscb.example.org"
    SMTP_USERNAME: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_STARTTLS: str = "auto"  # auto, required or never
    NOTIFY_API_KEY: str = ""
    NOTIFY_TEMPLATE_ID: str = ""
    NOTIFY_BASE_URL: str = "https://api.notifications.service.gov.uk"
    NOTIFY_CALLBACK_TOKEN: str = ""
    NOTIFICATION_RETRY_WINDOW_SECONDS: int = 14400  # Notify's own is about 4 hours
    NOTIFICATION_RETRY_BASE_SECONDS: float = 30.0
    NOTIFICATION_DISPATCH_SECONDS: float = 2.0
    # The development outbox: email kept in the notifications store and shown at
    # /notifications/outbox instead of being sent. "" (the default) uses it in development when
    # neither SMTP_HOST nor NOTIFY_API_KEY is set; "1" always (never in production); "0" never.
    MAIL_OUTBOX: str = ""
    # The demo board (development only, or DEMO_SEED=1).
    DEMO_SEED: str = ""
    DEMO_PASSWORD: str = ""
    SEED_ADMIN_TOKEN: str = ""

    @property
    def embedded_bus(self) -> bool:
        return self.BUS_URL.startswith("memory://")

    @property
    def embedded_store(self) -> bool:
        """No MongoDB server: the embedded store (in a folder, or in memory)."""
        return not self.MONGODB_URI

    @property
    def in_memory_store(self) -> bool:
        """The embedded store kept in this process's memory only (mongomock): gone when it stops."""
        return self.embedded_store and not self.EMBEDDED_STORE_DIR

    @property
    def seeds_demo(self) -> bool:
        return self.DEMO_SEED == "1" or (self.APP_ENV == "development" and self.DEMO_SEED != "0")

    @property
    def mail_outbox(self) -> bool:
        """Email goes to the development outbox, not to real addresses."""
        if self.MAIL_OUTBOX in ("0", "1"):
            return self.MAIL_OUTBOX == "1" and self.APP_ENV != "production"
        return self.APP_ENV == "development" and not self.SMTP_HOST and not self.NOTIFY_API_KEY

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.OIDC_ISSUER and self.OIDC_CLIENT_ID)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **overrides)


@dataclass(frozen=True)
class DevelopmentSettings(Settings):
    APP_ENV: str = "development"


@dataclass(frozen=True)
class TestSettings(Settings):
    APP_ENV: str = "test"
    LOG_LEVEL: str = "WARNING"
    EMBEDDED_STORE_DIR: str = (
        ""  # in memory: fast, and nothing left behind; a test that needs a folder sets one
    )
    BUS_RETRY_BACKOFF: float = 0.01
    OUTBOX_POLL_INTERVAL: float = 0.05
    PASSWORD_TIME_COST: int = 1
    PASSWORD_MEMORY_KIB: int = 1024
    MAIL_OUTBOX: str = "0"  # a test that wants the development outbox sets "1"
    RENDER_PROCESSES: int = 0  # no process per test; tests of the worker processes set it
    # Nothing in a test may reach a real outside service by accident: these addresses fail at once.
    NOTIFY_BASE_URL: str = "https://you-forgot-to-fake-notify-in-your-test.invalid"


@dataclass(frozen=True)
class ProductionSettings(Settings):
    APP_ENV: str = "production"
    HOST: str = "0.0.0.0"

    def check(self) -> None:
        if self.embedded_bus:
            raise ConfigurationError(
                "BUS_URL must point at RabbitMQ in production (it is memory://, in-process)"
            )
        if self.embedded_store:
            raise ConfigurationError(
                "MONGODB_URI must be set in production (unset means the embedded development store)"
            )
        if self.MAIL_OUTBOX not in ("", "0"):
            raise ConfigurationError(
                "MAIL_OUTBOX is for development only: production sends email by SMTP_HOST or Notify"
            )
        for name, dev in (
            ("SECRET_KEY", DEV_SECRET),
            ("FIELD_ENCRYPTION_KEYS", DEV_FIELD_KEY),
        ):
            value = getattr(self, name)
            if not value or dev in value.split(","):
                raise ConfigurationError(f"{name} must be set to a secret of its own in production")
        if len(self.SECRET_KEY.encode("utf-8")) < MIN_SECRET_BYTES:
            raise ConfigurationError(
                f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long in production"
            )


_CLASSES: dict[str, type[Settings]] = {
    "development": DevelopmentSettings,
    "test": TestSettings,
    "production": ProductionSettings,
}


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``environ`` (default ``os.environ``) and keyword overrides."""
    env = os.environ if environ is None else environ
    app_env = overrides.get("APP_ENV") or env.get("APP_ENV", "development")
    try:
        cls = _CLASSES[app_env]
    except KeyError as exc:
        raise ConfigurationError(
            f"APP_ENV must be one of {', '.join(sorted(_CLASSES))}, got {app_env!r}"
        ) from exc
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in env:
            continue
        raw = env[f.name]
        if f.type in ("int", int):
            values[f.name] = _int(raw, f.name)
        elif f.type in ("float", float):
            values[f.name] = _float(raw, f.name)
        else:
            values[f.name] = raw
    values.update(overrides)
    values["APP_ENV"] = app_env
    settings = cls(**values)
    check = getattr(settings, "check", None)
    if check:
        check()
    return settings


__all__ = ["ConfigurationError", "Settings", "load_settings"]
