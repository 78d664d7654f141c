"""Fixtures shared by every kind of test: settings on a temporary database, services on them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.services import Services

# A fixed moment for tests: Sunday 2026-11-22 10:00 in Shanghai.
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Settings must come from the test, not from the developer's shell or .env.
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "ADMIN_IDS",
        "TIMEZONE",
        "DATABASE_PATH",
        "RULES_FILE",
        "KPI_FILE",
        "WEBHOOK_URL",
        "DEFAULT_LANGUAGE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


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
