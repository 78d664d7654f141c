"""Settings from the environment or `.env`; nothing is read at import time.

A bad value must stop the start with one line naming the setting (exit code 2), so every
parser here raises `ValueError` with a message that reads well after "NAME: ".
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.i18n import LANGUAGES, resolve_locale

_DURATION_PART = re.compile(r"(\d+)\s*([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DATABASE_SCHEMES = ("sqlite://", "postgresql://", "postgres://")


def parse_duration(value: object) -> timedelta:
    """'2d', '30m', '1h30m', '45s' (or a timedelta / number of seconds) → timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    text = str(value).strip().lower()
    parts = _DURATION_PART.findall(text)
    if not text or _DURATION_PART.sub("", text).strip():
        raise ValueError(f"{value!r} is not a duration like 2d, 12h, 30m or 45s")
    seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in parts)
    if seconds <= 0:
        raise ValueError(f"{value!r} must be longer than zero")
    return timedelta(seconds=seconds)


def _parse_ids(value: object) -> frozenset[int]:
    if isinstance(value, frozenset | set | list | tuple):
        return frozenset(int(v) for v in value)
    items = [item.strip() for item in str(value or "").split(",") if item.strip()]
    try:
        return frozenset(int(item) for item in items)
    except ValueError:
        raise ValueError(f"{value!r} must be comma-separated Telegram user ids") from None


def _parse_time_of_day(value: object) -> time:
    if isinstance(value, time):
        return value
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{value!r} is not a time of day like 09:00")
    return time(int(match[1]), int(match[2]))


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
AdminIds = Annotated[frozenset[int], NoDecode, BeforeValidator(_parse_ids)]
TimeOfDay = Annotated[time, BeforeValidator(_parse_time_of_day)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    database_path: Path = Path("data/crewbot.sqlite3")
    # sqlite:///path or postgresql://user:pass@host:port/db; unset: DATABASE_PATH's file.
    # Kept out of repr: its password is a secret (bot.logs redacts it from log lines too).
    database_url: str | None = Field(default=None, repr=False)
    # Connections the PostgreSQL pool may open (per process); SQLite uses one connection.
    database_pool_size: int = Field(default=10, ge=1, le=500)
    admin_ids: AdminIds = frozenset()
    timezone: str = "Asia/Shanghai"
    default_language: str = "zh_Hans"
    rules_file: Path | None = None
    kpi_file: Path | None = None

    chase_after: Duration = timedelta(days=2)
    chase_after_urgent: Duration = timedelta(days=1)
    chase_every: Duration = timedelta(days=2)
    max_chases: int = Field(default=3, ge=1)
    max_open_samples: int = Field(default=3, ge=1)
    live_remind_before: Duration = timedelta(minutes=30)
    digest_at: TimeOfDay = time(9, 0)
    # The brand's line on /invite poster; empty: a line in the sharer's language.
    poster_line: str = Field(default="", max_length=80)

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(default=8443, ge=1, le=65535)

    # How often the scheduler looks for due work (chases, reminders, the outbox).
    tick_every: Duration = timedelta(seconds=5)

    # What a file sent in chat to be imported may be (checked before it is downloaded; the
    # Bot API serves bots files of 20 MB at most) and hold (rows, cells, an XLSX unpacked).
    import_max_file_mb: int = Field(default=20, ge=1, le=2000)
    import_max_rows: int = Field(default=500_000, ge=1)
    import_max_cells: int = Field(default=10_000_000, ge=1)
    import_max_unpacked_mb: int = Field(default=200, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Shanghai)") from None
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        locale = resolve_locale(value, default="")
        if locale not in LANGUAGES:
            raise ValueError(f"{value!r} is not one of zh_Hans, zh_Hant, en")
        return locale

    @field_validator("database_url")
    @classmethod
    def _known_store(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(DATABASE_SCHEMES):
            shown = value.split("://", 1)[0] + "://…" if "://" in value else "a path"
            raise ValueError(
                f"{shown} is not sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DB"
            )
        if value.startswith("sqlite://") and not value.startswith("sqlite:///"):
            raise ValueError("a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        return value

    @field_validator("rules_file", "kpi_file")
    @classmethod
    def _existing_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"file {str(value)!r} does not exist")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def database(self) -> str:
        """The store's URL: DATABASE_URL, or DATABASE_PATH's file as sqlite:///PATH."""
        return self.database_url or f"sqlite:///{self.database_path}"

    def token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError("TELEGRAM_BOT_TOKEN: not set (get one from @BotFather)")
        return self.telegram_bot_token.get_secret_value()


class ConfigError(Exception):
    """A setting that stops the start; str() is the one line to print."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "SETTINGS"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
