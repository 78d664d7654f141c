"""The e2e harness: the real Application polling the local Bot API stand-in over HTTP.

People and chats used across the tests:
- Ada (id 1) is the bot admin (ADMIN_IDS=1) and an admin of every group;
- Bob (2) and Cai (3) are ordinary people; Eve (4) writes in English;
- BD_CHAT (-1001), ADS_CHAT (-1002), SHARERS_CHAT (-1003), MANAGERS_CHAT (-1004).

The store is SQLite, or with CREWBOT_TEST_STORE=postgresql a PostgreSQL database of the
test's own: tests/conftest.py puts its DATABASE_URL in the environment, which wins over the
DATABASE_PATH given here, for these settings and for any `python -m bot` a test starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest

from bot.config import Settings, load_settings
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services

ADA, BOB, CAI, EVE = 1, 2, 3, 4
BD_CHAT, ADS_CHAT, SHARERS_CHAT, MANAGERS_CHAT = -1001, -1002, -1003, -1004


def e2e_settings(tmp_path, **overrides: object) -> Settings:
    """The e2e settings, with a test module's own overrides (e.g. a shorter reminder lead)."""
    # The scheduler's own repeating job is slowed right down: tests move time themselves.
    return load_settings(
        telegram_bot_token="123456:TEST-TOKEN",
        database_path=tmp_path / "crewbot.sqlite3",
        admin_ids="1",
        tick_every="1d",
        **overrides,
    )


@pytest.fixture
def settings(tmp_path) -> Settings:
    return e2e_settings(tmp_path)


@pytest.fixture
async def api() -> AsyncIterator[LocalBotAPI]:
    server = LocalBotAPI(bot_username="crewbot_bot")
    await server.start()
    server.user(ADA, "Ada", username="ada")
    server.user(BOB, "Bob", username="bob")
    server.user(CAI, "蔡小明", username="cai")
    server.user(EVE, "Eve", username="eve", language_code="en")
    for chat_id, title in (
        (BD_CHAT, "BD team"),
        (ADS_CHAT, "Ads team"),
        (SHARERS_CHAT, "Sharers"),
        (MANAGERS_CHAT, "Managers"),
    ):
        server.group(chat_id, title, admins={ADA}, members={ADA, BOB, CAI, EVE})
    yield server
    await server.stop()


@pytest.fixture
async def bot(api: LocalBotAPI, settings: Settings, services: Services) -> AsyncIterator[Driver]:
    async with running_bot(settings, services, api) as driver:
        yield driver


async def setup_chats(bot: Driver, *purposes: str) -> None:
    """Ada registers the named chats (bd, ads, sharers, managers)."""
    chats = {"bd": BD_CHAT, "ads": ADS_CHAT, "sharers": SHARERS_CHAT, "managers": MANAGERS_CHAT}
    for purpose in purposes:
        await bot.say(ADA, chats[purpose], f"/setup {purpose}")


def texts(messages) -> list[str]:
    return [m.text for m in messages]


__all__ = ["ADA", "ADS_CHAT", "BD_CHAT", "BOB", "CAI", "EVE", "setup_chats", "texts", "timedelta"]


@pytest.fixture(autouse=True)
def _within_telegram_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every e2e test also checks that the bot never sent what Telegram would refuse.

    The stand-in refuses a text, caption, button or alert over Telegram's limits and records
    it (`api.violations`); a test of the stand-in itself provokes them on purpose.
    """
    watched = "api" in request.fixturenames and not request.module.__name__.endswith(
        "test_local_api"
    )
    api: LocalBotAPI | None = request.getfixturevalue("api") if watched else None
    yield
    if api is not None:
        assert [(c.method, c.error) for c in api.violations] == []
