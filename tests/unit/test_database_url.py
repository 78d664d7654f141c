"""DATABASE_URL: which store it names, what DATABASE_PATH still means, and its password kept
out of logs and messages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.logs import HIDDEN, Redactor
from storage.open import UnknownStore, redacted, sqlite_path, store_of

PG = "postgresql://crewbot:s3cr3t-pass@db.internal:5432/crewbot"


def test_unset_it_is_the_sqlite_file_of_database_path() -> None:
    assert load_settings().database() == "sqlite:///data/crewbot.sqlite3"
    settings = load_settings(database_path=Path("/srv/bot/crew.sqlite3"))
    assert settings.database() == "sqlite:////srv/bot/crew.sqlite3"
    assert sqlite_path(settings.database()) == "/srv/bot/crew.sqlite3"
    assert sqlite_path("sqlite:///data/x.sqlite3") == "data/x.sqlite3"


def test_it_wins_over_database_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_PATH", "other.sqlite3")
    monkeypatch.setenv("DATABASE_URL", PG)
    monkeypatch.setenv("DATABASE_POOL_SIZE", "25")
    settings = load_settings()
    assert settings.database() == PG
    assert settings.database_pool_size == 25
    assert store_of(settings.database()) == "postgresql"
    assert store_of("postgres://u@h/db") == "postgresql"
    assert "s3cr3t" not in repr(settings)


@pytest.mark.parametrize(
    "value",
    ["mysql://u:p@h/db", "/var/lib/crewbot.sqlite3", "sqlite://relative.sqlite3", "postgresql"],
)
def test_another_store_stops_the_start_naming_the_setting(value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(database_url=value)
    message = str(raised.value)
    assert message.startswith("DATABASE_URL: ")
    assert "\n" not in message
    assert ":p@" not in message


def test_a_pool_of_no_connections_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^DATABASE_POOL_SIZE: "):
        load_settings(database_pool_size=0)


def test_an_empty_value_means_unset() -> None:
    assert load_settings(database_url="  ").database() == "sqlite:///data/crewbot.sqlite3"


def test_unknown_schemes_are_refused_by_the_opener_too() -> None:
    with pytest.raises(UnknownStore):
        store_of("mysql://u:pw@h/db")
    with pytest.raises(UnknownStore):
        sqlite_path("sqlite:///")


def test_redacted_hides_the_password_only() -> None:
    assert redacted(PG) == f"postgresql://crewbot:{HIDDEN}@db.internal:5432/crewbot"
    assert redacted("postgresql://crewbot@db/x") == "postgresql://crewbot@db/x"
    assert redacted("sqlite:///data/x.sqlite3") == "sqlite:///data/x.sqlite3"


def test_a_logged_url_loses_its_password() -> None:
    record = logging.LogRecord(
        "asyncpg", logging.ERROR, __file__, 1, "cannot connect to %s (%s)", (PG, "refused"), None
    )
    Redactor().filter(record)
    assert record.getMessage() == (
        f"cannot connect to postgresql://crewbot:{HIDDEN}@db.internal:5432/crewbot (refused)"
    )
    plain = "see https://example.com/a:b and 12:30 at user@host"
    assert Redactor().redact(plain) == plain
