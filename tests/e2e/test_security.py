"""Security through the real stack: forged webhook calls, secrets in logs, role gates."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot import app as application
from bot.__main__ import serve_webhook, webhook_secret
from bot.clock import Clock
from bot.config import ConfigError
from bot.logs import HIDDEN, setup_logging
from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from bot.services import Services
from handlers.registry import commands
from tests.e2e.conftest import ADA, ADS_CHAT, BD_CHAT, BOB, CAI, EVE, MANAGERS_CHAT, e2e_settings
from tests.e2e.conftest import setup_chats as register_chats
from tests.e2e.test_announcements import bind_directly, dms

# The shape of a real token, so nothing but the filter can be what hides it.
TOKEN = "7012345678:AAH3kq0-xYzAbCdEfGhIjKlMnOpQrStUvWx"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEBUG_LOGGERS = ("", "telegram", "httpx", "httpcore", "tornado", "bot", "handlers")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def forged_grant(update_id: int, target: int) -> dict:
    """What anyone who found the webhook URL could POST: the admin granting a manager."""
    text = f"/grant {target} manager"
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_790_000_000,
            "chat": {"id": ADA, "type": "private", "first_name": "Ada"},
            "from": {"id": ADA, "is_bot": False, "first_name": "Ada"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG, through the set-up `python -m bot run` uses."""
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    root = logging.getLogger()
    root.addHandler(capture)
    levels = {name: logging.getLogger(name).level for name in DEBUG_LOGGERS}
    setup_logging(logging.DEBUG)
    for name in DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(capture)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_the_webhook_secret_is_generated_or_checked(tmp_path: Path) -> None:
    settings = e2e_settings(tmp_path, webhook_url="https://bot.example.com")
    first, second = webhook_secret(settings), webhook_secret(settings)
    if settings.database().startswith("postgresql"):
        # Several processes serve one webhook there: each derives the same one from the token.
        assert first == second and len(first) >= 32 and settings.token() not in first
    else:
        assert first != second and len(first) >= 32
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    given = e2e_settings(tmp_path, webhook_secret="Our_own-secret1")
    assert webhook_secret(given) == "Our_own-secret1"
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        webhook_secret(e2e_settings(tmp_path, webhook_secret="has spaces and ümlauts"))


async def test_forged_webhook_posts_are_refused_and_nothing_secret_is_logged(
    tmp_path: Path, api: LocalBotAPI, clock: Clock, debug_log: io.StringIO
) -> None:
    port = _free_port()
    api.user(ADA, "Ada", username="ada", started=True)  # her updates come by webhook here
    settings = e2e_settings(tmp_path, webhook_url="https://bot.example.com/", port=port)
    services = await Services.create(settings, clock=clock)
    app = application.build_application(
        settings, services, base_url=api.base_url, base_file_url=api.base_file_url, token=TOKEN,
        rate_limited=False,
    )  # fmt: skip
    secret = webhook_secret(settings)  # no WEBHOOK_SECRET: made up for this start
    try:
        await application.start(app, polling=False)
        await serve_webhook(app, settings, secret, listen="127.0.0.1")
        [call] = api.calls("setWebhook")
        assert call.params["secret_token"] == secret
        assert api.webhook_url == "https://bot.example.com/telegram"
        url = f"http://127.0.0.1:{port}/telegram"
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=forged_grant(1, EVE))
            wrong = await client.post(
                url, json=forged_grant(2, EVE), headers={SECRET_HEADER: secret[:-1] + "x"}
            )
            assert (missing.status_code, wrong.status_code) == (403, 403)
            await asyncio.sleep(0.2)
            assert api.sent == [] and await services.users.roles(EVE) == frozenset()
            right = await client.post(
                url, json=forged_grant(3, CAI), headers={SECRET_HEADER: secret}
            )
        assert right.status_code == 200
        granted = await api.wait_for(lambda m: m.chat_id == ADA, timeout=10)
        assert granted.text.endswith("现在是管理者。")
        assert await services.users.roles(CAI) == {"manager"}
        assert await services.users.roles(EVE) == frozenset()
    finally:
        await application.stop(app)
        await services.close()
    log = debug_log.getvalue()
    assert TOKEN.split(":")[1] not in log and secret not in log
    assert "setWebhook" in log and "/telegram" in log and HIDDEN in log  # DEBUG really ran


async def test_run_without_a_webhook_secret_makes_one(tmp_path: Path) -> None:
    """`python -m bot run` in webhook mode with no WEBHOOK_SECRET: still nobody gets in."""
    port = _free_port()
    async with LocalBotAPI() as api:
        api.user(ADA, "Ada", started=True)
        environment = {
            **{k: v for k, v in os.environ.items() if k != "WEBHOOK_SECRET"},
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "DATABASE_PATH": str(tmp_path / "run.sqlite3"),
            "ADMIN_IDS": str(ADA),
            "WEBHOOK_URL": "https://bot.example.com",
            "PORT": str(port),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=environment, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/telegram"
            async with httpx.AsyncClient() as client:
                for _ in range(300):  # until the webhook server listens
                    try:
                        missing = await client.post(url, json=forged_grant(1, EVE))
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.1)
                assert missing.status_code == 403
                secret = api.calls("setWebhook")[-1].params["secret_token"]
                assert len(secret) >= 32
                right = await client.post(url, json=forged_grant(2, CAI),
                                          headers={SECRET_HEADER: secret})  # fmt: skip
                assert right.status_code == 200
            granted = await api.wait_for(lambda m: m.chat_id == ADA, timeout=30)
            assert granted.text.endswith("现在是管理者。")
            assert len(api.sent_to(ADA)) == 1  # the refused POST did nothing
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, stderr.decode()
        log = stderr.decode()
        assert "crewbot is running (webhook)" in log
        assert TOKEN.split(":")[1] not in log and secret not in log


def _gated(bot: Driver) -> list:
    return [spec for spec in commands(bot.app) if spec.roles is not None]


async def _refused_everywhere(bot: Driver, user: int, places: list[tuple[int, list]]) -> None:
    audited = await bot.services.db.fetchval("SELECT COUNT(*) FROM audit")
    for chat, specs in places:
        for spec in specs:
            # Arguments that would do harm if the gate let them through.
            replies = await bot.say(user, chat, f"/{spec.name} {user} manager")
            texts = [m.text for m in replies]
            assert len(texts) == 1 and texts[0].startswith(f"/{spec.name} 仅限："), (chat, texts)
    assert await bot.services.users.roles(user) == frozenset()
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM audit") == audited


async def test_every_gated_command_refuses_a_plain_user(bot: Driver) -> None:
    """Every command that names its roles, as Cai (no role), wherever it may be used."""
    await register_chats(bot, "bd", "managers")
    gated = _gated(bot)
    private = [s for s in gated if s.where != "group"]
    unregistered = [s for s in gated if s.where == "group"]  # ADS_CHAT: no purpose, no role
    in_managers = [s for s in gated if s.where != "private"]
    assert {"grant", "revoke", "setup", "settle", "dm_all", "import"} <= {s.name for s in gated}
    await _refused_everywhere(
        bot, CAI, [(CAI, private), (ADS_CHAT, unregistered), (MANAGERS_CHAT, in_managers)]
    )


async def test_the_bd_chat_lends_bd_but_nothing_above_it(bot: Driver) -> None:
    """A member of the BD chat counts as BD there: still no admin or manager command."""
    await register_chats(bot, "bd")
    above_bd = [s for s in _gated(bot) if s.where != "private" and not s.roles & {"bd", "ads"}]
    assert {"grant", "settle", "setup"} <= {s.name for s in above_bd}
    await _refused_everywhere(bot, CAI, [(BD_CHAT, above_bd)])


async def test_buttons_refuse_someone_they_are_not_for(bot: Driver, api: LocalBotAPI) -> None:
    """Every button the bot put in a group so far, pressed by Cai (a member with no role)."""
    await register_chats(bot, "bd", "managers")
    await bot.say(ADA, ADA, f"/grant {BOB} bd")
    for line in ("/creator_add lily A", "/sample lily Mask", "/signed #1"):
        await bot.say(BOB, BD_CHAT, line)
    await bot.wait(timedelta(days=2))  # the chase reminder, with its buttons
    await bot.say(BOB, MANAGERS_CHAT, "/creator lily")
    await bind_directly(bot.services.db, {EVE: "E"})  # someone for /dm_all to write to
    await bot.say(EVE, EVE, "/start")
    await bot.say(ADA, MANAGERS_CHAT, "/dm_all 大家好")
    await bot.say(ADA, ADS_CHAT, "/setup bd")  # asks before moving the BD chat here
    offered = [
        (m, label, data)
        for m in api.sent
        if m.chat_id < 0
        for row in m.buttons
        for label, data in row
    ]
    assert {data.split(":")[0] for _, _, data in offered} >= {"smp", "cr", "dm_all", "setup"}
    for message, label, data in offered:
        mark = api.mark()
        update = api.press(CAI, message, label)
        await bot.settle()
        answer = api.answer_for(update) or {}
        assert answer.get("show_alert"), (data, answer)
        assert [m for m in api.sent if m.seq > mark] == [], data
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM chases") == 0
    assert dms(api, {BOB, CAI, EVE}) == []
    assert (await bot.services.chats.by_purpose("bd")).chat_id == BD_CHAT
