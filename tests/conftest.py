"""Fixtures shared by every kind of test: settings on a temporary database, services on them.

The store: SQLite (a file in the test's directory) unless CREWBOT_TEST_STORE=postgresql, when
every test that uses settings, services or the e2e bot gets a fresh PostgreSQL database of
its own (a copy of a migrated template, see tests/pg.py), handed to the bot the way
production does: DATABASE_URL in the environment, which wins over DATABASE_PATH. Tests that
cannot run on PostgreSQL say why with `@pytest.mark.sqlite_only("why")` and are skipped there.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.services import Services

pytest_plugins = ["tests.pg"]

# A fixed moment for tests: Sunday 2026-11-22 10:00 in Shanghai.
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)

STORES = ("sqlite", "postgresql")
STORE = os.environ.get("CREWBOT_TEST_STORE", "sqlite").strip().lower() or "sqlite"
if STORE not in STORES:
    raise pytest.UsageError(f"CREWBOT_TEST_STORE={STORE!r}: one of {', '.join(STORES)}")

# DATABASE_URL is the bot's own setting, cleared before every test; a PostgreSQL server it
# names (CI exports the throwaway one's) is the test server, which tests.pg looks up later.
# It leaves the environment here, not only per test: a module-scoped fixture made before a
# test's own clean-up must not migrate (and write into) the server's maintenance database.
_server = os.environ.pop("DATABASE_URL", "")
if _server.startswith(("postgresql://", "postgres://")) and not os.environ.get("TEST_POSTGRES_URL"):
    os.environ["TEST_POSTGRES_URL"] = _server

# The fixtures that open the bot's store: a test using one of them gets its own database.
_STORE_FIXTURES = frozenset({"settings", "services", "bot"})
# Fixtures that name their store whatever CREWBOT_TEST_STORE says (tests.pg's).
_EXPLICIT_FIXTURES = frozenset(
    {"any_db", "sqlite_db", "pg_db", "pg_url", "pg_empty_url", "pg_migrated_url", "pg_template"}
)


def pytest_report_header() -> str:
    return f"crewbot store: {STORE} (CREWBOT_TEST_STORE)"


def picks_its_store(fixturenames: list[str], path: Path) -> bool:
    """A test that runs the same whatever CREWBOT_TEST_STORE says: it uses none of the bot's
    store fixtures and opens its databases itself (a storage test on a SQLite file, tests.pg's
    fixtures). e2e tests without those fixtures may still start the bot on the configured
    store (a subprocess, their own settings), so they count as using it."""
    names = set(fixturenames)
    if names & _STORE_FIXTURES:
        return False
    return "e2e" not in path.parts or bool(names & _EXPLICIT_FIXTURES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # CI's PostgreSQL pass leaves these out (-m "not store_explicit"): the first pass ran
        # them already, on the stores they name.
        if picks_its_store(getattr(item, "fixturenames", []), item.path):
            item.add_marker(pytest.mark.store_explicit)
        marker = item.get_closest_marker("sqlite_only")
        if STORE != "sqlite" and marker is not None:
            why = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


@pytest.fixture(autouse=True)
def _clean_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Settings must come from the test, not from the developer's shell or .env.
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "ADMIN_IDS",
        "TIMEZONE",
        "DATABASE_PATH",
        "DATABASE_URL",
        "DATABASE_POOL_SIZE",
        "RULES_FILE",
        "KPI_FILE",
        "WEBHOOK_URL",
        "DEFAULT_LANGUAGE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    if STORE == "postgresql" and not picks_its_store(request.fixturenames, request.node.path):
        monkeypatch.setenv("DATABASE_URL", request.getfixturevalue("pg_migrated_url"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        telegram_bot_token="123456:TEST-TOKEN",
        database_path=tmp_path / "crewbot.sqlite3",
        admin_ids="1",
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(start=T0)


@pytest.fixture
async def services(settings: Settings, clock: Clock) -> AsyncIterator[Services]:
    services = await Services.create(settings, clock=clock)
    yield services
    await services.close()
